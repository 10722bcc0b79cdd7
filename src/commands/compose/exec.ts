import { Args, Command, Flags } from '@oclif/core';
import { composeFlags } from '../../cli/compose-flags.js';
import { composeExec } from '../../cli/compose-exec.js';
import { splitLeadingOptions } from '../../cli/leading-options.js';

export default class ComposeExec extends Command {
  static override summary = 'Open a shell or run a command in a running task of a service (ECS Exec).';
  static override description = [
    'ECS Exec (ExecuteCommand) opens an interactive session in the service\'s container; AWS\'s Session Manager plugin (session-manager-plugin, on PATH) carries it, as for `aws ecs execute-command`, and exec exits with its exit code. Options go before SERVICE; everything after it is the command (default: sh).',
    'The task is the first running one as `ps` lists them, --index N the N-th, or --task ID that one. Services are deployed with ECS Exec on and a task role that lets its agent reach Systems Manager; a stack deployed before that needs one `up`. You need ecs:ExecuteCommand (docs/iam-policy.json).',
  ].join('\n\n');
  static override usage = 'compose exec [OPTIONS] SERVICE [COMMAND...]';
  static override examples = ['docker ecs compose exec web', 'docker ecs compose exec --index 2 api sh -c "ls -la /app"', 'docker ecs compose exec db psql -U postgres'];
  static override strict = false;
  static override args = {
    service: Args.string({ description: 'compose service whose running task the session opens in' }),
    command: Args.string({ description: 'command and arguments to run (default: sh)' }),
  };
  static override flags = {
    ...composeFlags,
    index: Flags.string({ description: 'which running task of the service, from 1, in the order `ps` lists them (default 1)' }),
    task: Flags.string({ description: 'the task id (or ARN) to open the session in, instead of --index' }),
    interactive: Flags.boolean({ char: 'i', description: 'accepted: ECS Exec sessions are always interactive', default: true, allowNo: true }),
    tty: Flags.boolean({ char: 't', description: 'accepted: ECS Exec sessions always have a terminal', default: true, allowNo: true }),
    'no-TTY': Flags.boolean({ char: 'T', description: 'accepted, but ECS Exec always allocates a terminal: it has no non-interactive mode', default: false }),
    detach: Flags.boolean({ char: 'd', description: 'refused: an ECS Exec session is interactive only (`run -d` runs a command in the background)', default: false }),
    env: Flags.string({ char: 'e', multiple: true, description: 'refused: ECS Exec takes no environment (`exec SERVICE env KEY=VALUE COMMAND`)' }),
    user: Flags.string({ char: 'u', description: 'refused: ECS Exec runs commands as the container\'s root user' }),
    workdir: Flags.string({ char: 'w', description: 'refused: ECS Exec starts in the container\'s working directory (`sh -c "cd DIR && ..."`)' }),
    privileged: Flags.boolean({ description: 'refused: Fargate does not run privileged containers', default: false }),
  };

  async run(): Promise<void> {
    const { options, positional } = splitLeadingOptions(this.argv, ComposeExec.flags);
    const { flags } = await this.parse(ComposeExec, options);
    await composeExec(flags, positional);
  }
}
