import { Args, Command, Flags } from '@oclif/core';
import { composeFlags } from '../../cli/compose-flags.js';
import { composeRun } from '../../cli/compose-run.js';
import { splitLeadingOptions } from '../../cli/leading-options.js';

export default class ComposeRun extends Command {
  static override summary = 'Run a one-off command as a Fargate task of a service, print its output, and exit with its exit code.';
  static override description = [
    'The task starts from the task definition the service runs now, in its subnets and security groups (and with its public IP setting), with COMMAND instead of the service\'s command. Options go before SERVICE; everything after it is the command.',
    'Its log lines are printed until it stops. Nothing is left running: Ctrl-C (or SIGTERM) stops the task, then exits 130. With -d the task id is printed and the task runs on.',
    'RunTask overrides only the command and the environment, so -u, --entrypoint and -w register a revision of the task definition in the family <family>-run, start the task from it and deregister it at once (the task runs on).',
  ].join('\n\n');
  static override usage = 'compose run [OPTIONS] SERVICE [COMMAND...]';
  static override examples = ['docker ecs compose run api npm run migrate', 'docker ecs compose run -e DEBUG=1 --entrypoint sh api -c "env"', 'docker ecs compose run -d worker ./reindex'];
  static override strict = false;
  static override args = {
    service: Args.string({ description: 'compose service whose task definition and network the task uses' }),
    command: Args.string({ description: 'command and arguments, instead of the service\'s command' }),
  };
  static override flags = {
    ...composeFlags,
    // as in docker compose, -p after `run` means --publish; the project is -p before `run`
    'project-name': Flags.string({ description: 'project name (default: from the compose file or the folder; env COMPOSE_PROJECT_NAME); -p before `run`', helpGroup: 'COMPOSE' }),
    detach: Flags.boolean({ char: 'd', description: 'print the task id and return; the task runs on', default: false }),
    env: Flags.string({ char: 'e', multiple: true, description: 'set an environment variable: KEY=VALUE, or KEY to pass it from this shell (repeatable)' }),
    'env-from-file': Flags.string({ multiple: true, description: 'set environment variables from a file of KEY=VALUE lines (repeatable)' }),
    user: Flags.string({ char: 'u', description: 'run as this user (name or uid[:gid]): a derived task definition revision' }),
    entrypoint: Flags.string({ description: 'override the image\'s entry point (split as a shell would): a derived task definition revision' }),
    workdir: Flags.string({ char: 'w', description: 'working directory inside the container: a derived task definition revision' }),
    rm: Flags.boolean({ description: 'accepted: always so, nothing is left running once the command exits', default: false }),
    'no-deps': Flags.boolean({ description: 'accepted: the services it depends on already run in the stack, nothing else is started', default: false }),
    interactive: Flags.boolean({ char: 'i', description: 'accepted: a Fargate task gets no stdin; its output is printed', default: true, allowNo: true }),
    'no-TTY': Flags.boolean({ char: 'T', description: 'accepted: a Fargate task has no terminal; its output is printed as lines', default: false }),
    tty: Flags.boolean({ char: 't', hidden: true, default: false }),
    quiet: Flags.boolean({ char: 'q', description: 'accepted: there is no pull output to hide (Fargate pulls the image itself)', default: false }),
    'quiet-pull': Flags.boolean({ description: 'accepted: Fargate pulls the image itself', default: false }),
    'quiet-build': Flags.boolean({ description: 'accepted: nothing is built', default: false }),
    pull: Flags.string({ description: 'accepted: Fargate pulls the image when the task starts' }),
    'remove-orphans': Flags.boolean({ description: 'accepted: no effect', default: false }),
    'use-aliases': Flags.boolean({ description: 'accepted: a one-off task is not registered in service discovery', default: false }),
    name: Flags.string({ description: 'refused: ECS names a task by its id' }),
    label: Flags.string({ char: 'l', multiple: true, description: 'refused: labels come from the task definition' }),
    publish: Flags.string({ char: 'p', multiple: true, description: 'refused: a one-off task is not behind the load balancer' }),
    'service-ports': Flags.boolean({ char: 'P', description: 'refused: a one-off task is not behind the load balancer', default: false }),
    volume: Flags.string({ char: 'v', multiple: true, description: 'refused: Fargate has no host folders' }),
    'cap-add': Flags.string({ multiple: true, description: 'refused: capabilities are part of the task definition' }),
    'cap-drop': Flags.string({ multiple: true, description: 'refused: capabilities are part of the task definition' }),
    build: Flags.boolean({ description: 'refused: docker-ecs does not build images', default: false }),
  };

  async run(): Promise<void> {
    const { options, positional } = splitLeadingOptions(this.argv, ComposeRun.flags);
    const { flags } = await this.parse(ComposeRun, options);
    await composeRun(flags, positional);
  }
}
