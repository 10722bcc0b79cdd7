import { explainAwsError } from '../aws/aws-errors.js';
import { DeployFailed, Interrupted, UserError } from '../errors.js';

export interface Outcome {
  code: number;
  message?: string;
  /** the message's lines are ours (a list of problems, a stopped task's last lines): each is made terminal-safe on its own */
  multiline?: boolean;
}

interface OclifLikeError extends Error {
  oclif?: { exit?: number };
  code?: string;
}

/**
 * The one place where errors become exit codes and one readable line. Stacks are printed
 * only with --debug / DEBUG: users get a sentence that says what to do.
 */
export function outcomeOf(error: unknown): Outcome {
  if (error instanceof UserError) return { code: 1, message: error.display(), ...(error.options.multiline ? { multiline: true } : {}) };
  if (error instanceof DeployFailed) return { code: 1, message: error.message, multiline: true };
  if (error instanceof Interrupted) return { code: 130, message: error.message };
  const e = error as OclifLikeError;
  if (e && typeof e === 'object' && e.oclif) {
    if (e.code === 'EEXIT') return { code: e.oclif.exit ?? 0 };
    return { code: e.oclif.exit && e.oclif.exit !== 2 ? e.oclif.exit : 1, message: rewordOclif(e.message) };
  }
  const aws = explainAwsError(error, process.env.AWS_REGION ?? '');
  if (aws) return { code: 1, message: aws.display() };
  if (e && typeof e === 'object' && '$metadata' in e) {
    // any other error AWS answered with: its code and message are what the user can act on
    const name = e.name || 'an error';
    return { code: 1, message: `AWS answered ${name}: ${(e.message || 'no message').replace(/\.?\s*$/, '')}.` };
  }
  const message = e instanceof Error ? e.message : String(error);
  return { code: 1, message: `Unexpected error: ${message}. Run again with --debug for details, and report it if it persists.` };
}

/** oclif's parser errors are several lines; ours are one sentence that says what to do. */
function rewordOclif(message: string): string {
  const lines = message.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  // "The following error occurred:" heads oclif's flag-relation errors; the next line says which
  const first = lines[0] === 'The following error occurred:' && lines[1] ? lines[1] : (lines[0] ?? message.trim());
  let m = /^command (\S+) not found/.exec(first);
  if (m) return `Unknown command "${m[1]!.replaceAll(':', ' ')}"; run \`docker ecs --help\` to see the commands.`;
  m = /^Nonexistent flags?: (.+)$/.exec(first);
  if (m) return `Unknown flag ${m[1]}; run the command with --help to see its flags.`;
  m = /^Unexpected arguments?: (.+)$/.exec(first);
  if (m) return `Unexpected argument ${m[1]}; run the command with --help to see how to call it.`;
  m = /^Missing (\d+ )?required args?/.exec(first);
  if (m) return `${first.replace(/:$/, '')}; run the command with --help to see how to call it.`;
  return /[.!?]$/.test(first) ? first : `${first}.`;
}
