/**
 * The shell around `aws/exec-session.ts` for `exec`: docker compose exec's flags (what ECS Exec
 * can do, and one sentence for what it cannot), the Session Manager plugin on PATH first, the
 * context's region and profile, then the plugin with the terminal, and its exit code as ours.
 */
import { UserError } from '../errors.js';
import type { ComposeFlagValues } from './compose-flags.js';
import { dockerGlobals } from './globals-state.js';

export interface ExecFlagValues extends ComposeFlagValues {
  index?: string;
  task?: string;
  detach?: boolean;
  env?: string[];
  user?: string;
  workdir?: string;
  privileged?: boolean;
}

/** docker compose exec flags ECS Exec has no counterpart for: the sentence says what to do instead. */
export const REFUSED_EXEC_FLAGS: ReadonlyArray<[keyof ExecFlagValues, string]> = [
  ['detach', '--detach: an ECS Exec session is interactive only; `docker ecs compose run -d SERVICE COMMAND` runs a command in a task of its own in the background.'],
  ['env', '--env: ECS Exec takes no environment; put it in the command (`exec SERVICE env KEY=VALUE COMMAND`).'],
  ['user', '--user: ECS Exec runs commands as the container\'s root user; switch inside the command (`exec SERVICE su USER -c COMMAND`).'],
  ['workdir', '--workdir: ECS Exec starts commands in the container\'s working directory; change it inside the command (`exec SERVICE sh -c "cd DIR && COMMAND"`).'],
  ['privileged', '--privileged: Fargate does not run privileged containers.'],
];

function refuse(flags: ExecFlagValues): void {
  for (const [key, sentence] of REFUSED_EXEC_FLAGS) {
    const v = flags[key];
    if (v === undefined || v === false || (Array.isArray(v) && v.length === 0)) continue;
    throw new UserError(`exec ${sentence}`);
  }
  if (flags['dry-run']) throw new UserError('exec --dry-run: there is nothing to show without opening the session; drop --dry-run to open it.');
}

function indexOf(flags: ExecFlagValues): number | undefined {
  if (flags.index === undefined) return undefined;
  if (!/^\d+$/.test(flags.index) || Number(flags.index) < 1) throw new UserError(`--index ${flags.index} is not a task number; it counts the service's running tasks from 1, as \`ps\` lists them (--task takes a task id).`);
  return Number(flags.index);
}

export async function composeExec(flags: ExecFlagValues, positional: readonly string[]): Promise<void> {
  refuse(flags);
  const [service, ...rest] = positional;
  if (!service) throw new UserError('exec needs a service: `docker ecs compose exec SERVICE [COMMAND...]`.');
  const index = indexOf(flags);
  if (index !== undefined && flags.task !== undefined) throw new UserError('--index and --task both choose the task; give one of them.');
  const { findSessionManagerPlugin, runSessionManagerPlugin } = await import('./session-manager-plugin.js');
  const plugin = findSessionManagerPlugin(process.env);
  const { projectNameFrom } = await import('./project-name.js');
  const project = await projectNameFrom(flags);
  const { resolveEcsTarget } = await import('../docker/ecs-context.js');
  const target = await resolveEcsTarget(dockerGlobals(), process.env);
  const { createAwsClients, endpointOverride } = await import('../aws/clients.js');
  const { openExecSession, ecsEndpointUrl } = await import('../aws/exec-session.js');
  const clients = createAwsClients(target);
  const handOver = await openExecSession(
    clients,
    { project, service, ...(index !== undefined ? { index } : {}), ...(flags.task !== undefined ? { task: flags.task } : {}), command: rest.length > 0 ? rest : ['sh'] },
    {
      // the AWS CLI passes its session's profile, '' without one
      profile: target.profile ?? (target.credentialsFromEnv ? '' : (process.env.AWS_PROFILE ?? '')),
      endpointUrl: (ecs) => ecsEndpointUrl(ecs, target.region, endpointOverride('ECS', process.env)),
    },
  );
  const { watchInterrupts } = await import('../aws/interrupt.js');
  // watching: a signal ends the session through the plugin instead of exiting under it
  const interrupts = watchInterrupts();
  try {
    process.exitCode = await runSessionManagerPlugin(plugin, handOver.args, interrupts.signal);
  } finally {
    interrupts.dispose();
  }
}
