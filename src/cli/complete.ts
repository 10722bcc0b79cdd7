import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Cobra's "no file completion" directive: docker's completion scripts read the last line. */
const NO_FILE_COMP = ':4';

/**
 * Shell completion for `docker __complete ecs ...`: the last argument is the word being typed;
 * we offer the command words that can follow the ones before it, from the oclif manifest.
 */
export function complete(args: string[]): string {
  const typed = args.length ? args[args.length - 1]! : '';
  const before = args.slice(0, -1).filter((a) => !a.startsWith('-'));
  const manifest = JSON.parse(readFileSync(fileURLToPath(new URL('../../oclif.manifest.json', import.meta.url)), 'utf8')) as {
    commands: Record<string, { hidden?: boolean }>;
  };
  const words = new Set<string>();
  for (const [id, command] of Object.entries(manifest.commands)) {
    if (command.hidden) continue;
    const parts = id.split(':');
    if (parts.length <= before.length) continue;
    if (before.every((w, i) => parts[i] === w)) words.add(parts[before.length]!);
  }
  const matches = [...words].filter((w) => w.startsWith(typed)).sort();
  return [...matches, NO_FILE_COMP].join('\n') + '\n';
}
