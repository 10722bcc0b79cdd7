/**
 * The shell around `aws/one-off.ts` for `run`: the docker compose run flags (what each means on
 * Fargate, and one sentence for those that mean nothing there), the project, the context, the
 * interrupts, the container's lines on stdout and its exit code as ours.
 */
import { Interrupted, UserError } from '../errors.js';
import type { ComposeFlagValues } from './compose-flags.js';
import { dockerGlobals } from './globals-state.js';
import { runEnvironment } from './run-environment.js';

export interface RunFlagValues extends ComposeFlagValues {
  detach?: boolean;
  env?: string[];
  'env-from-file'?: string[];
  user?: string;
  entrypoint?: string;
  workdir?: string;
  name?: string;
  label?: string[];
  publish?: string[];
  'service-ports'?: boolean;
  volume?: string[];
  'cap-add'?: string[];
  'cap-drop'?: string[];
  build?: boolean;
}

/** docker compose run flags that cannot mean anything for a Fargate task: the sentence says why and what instead. */
export const REFUSED_RUN_FLAGS: ReadonlyArray<[keyof RunFlagValues, string]> = [
  ['name', '--name: ECS names a task by its id (`run -d` prints it, `ps` lists it); a task cannot be given a name.'],
  ['label', '--label: a task\'s container labels come from the task definition; set them under the service\'s `labels` and run `up`.'],
  ['publish', '--publish: a one-off task is not behind the service\'s load balancer, so no port of it can be published; the project\'s services reach it by its private IP, as it runs in the service\'s security groups.'],
  ['service-ports', '--service-ports: a one-off task is not behind the service\'s load balancer, so its ports cannot be published; the project\'s services reach it by its private IP, as it runs in the service\'s security groups.'],
  ['volume', '--volume: Fargate has no host folders to mount; the task already has the service\'s volumes.'],
  ['cap-add', '--cap-add: capabilities are part of the task definition; set `cap_add` on the service (Fargate allows adding only SYS_PTRACE) and run `up`.'],
  ['cap-drop', '--cap-drop: capabilities are part of the task definition; set `cap_drop` on the service and run `up`.'],
  ['build', '--build: docker-ecs does not build images; build and push with `docker compose build` and `push` on a local context, then `up`.'],
];

function refuse(flags: RunFlagValues): void {
  if (flags['dry-run']) throw new UserError('run --dry-run: there is nothing to show without starting the task; drop --dry-run to run it.');
  for (const [key, sentence] of REFUSED_RUN_FLAGS) {
    const v = flags[key];
    if (v === undefined || v === false || (Array.isArray(v) && v.length === 0)) continue;
    throw new UserError(`run ${sentence}`);
  }
}

export async function composeRun(flags: RunFlagValues, positional: readonly string[]): Promise<void> {
  refuse(flags);
  const [service, ...command] = positional;
  if (!service) throw new UserError('run needs a service: `docker ecs compose run SERVICE [COMMAND...]`.');
  const environment = runEnvironment(flags, process.env);
  let entrypoint: string[] | undefined;
  if (flags.entrypoint !== undefined) {
    const { splitShellWords, ShellSplitError } = await import('../compose/shell-words.js');
    try {
      entrypoint = splitShellWords(flags.entrypoint);
    } catch (e) {
      if (e instanceof ShellSplitError) throw new UserError(`--entrypoint ${e.message}; quote it as a shell would.`);
      throw e;
    }
  }
  const { projectNameFrom } = await import('./project-name.js');
  const project = await projectNameFrom(flags);
  const { resolveEcsTarget } = await import('../docker/ecs-context.js');
  const target = await resolveEcsTarget(dockerGlobals(), process.env);
  const { createAwsClients } = await import('../aws/clients.js');
  const { runOneOff } = await import('../aws/one-off.js');
  const { watchInterrupts } = await import('../aws/interrupt.js');
  const { realTiming } = await import('../aws/timing.js');
  const { stdoutWriter } = await import('../ui/stdout.js');
  const interrupts = watchInterrupts();
  const out = stdoutWriter(interrupts.signal);
  try {
    const result = await runOneOff(createAwsClients(target), {
      project,
      service,
      ...(command.length > 0 ? { command } : {}),
      environment,
      changes: {
        ...(flags.user !== undefined ? { user: flags.user } : {}),
        ...(entrypoint !== undefined ? { entrypoint } : {}),
        ...(flags.workdir !== undefined ? { workdir: flags.workdir } : {}),
      },
      detach: flags.detach === true,
      timing: realTiming,
      // a reader that went away (`run ... | head`) ends the run as Ctrl-C does: the task is stopped
      signal: out.signal,
      say: (line) => process.stderr.write(`${line}\n`),
      print: (line) => out.write(`${line}\n`),
    });
    if (result.kind === 'detached') process.stdout.write(`${result.taskId}\n`);
    else if (result.kind === 'exited') process.exitCode = result.exitCode;
    else throw new Interrupted('');
  } finally {
    interrupts.dispose();
  }
}
