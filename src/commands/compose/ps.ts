import { Command, Flags } from '@oclif/core';
import { composeFlags } from '../../cli/compose-flags.js';
import { dockerGlobals } from '../../cli/globals-state.js';
import { projectNameFrom } from '../../cli/project-name.js';
import { createAwsClients } from '../../aws/clients.js';
import { listProjectTasks } from '../../aws/ps.js';
import { COMPOSE_STATUSES, filterRows, psFilterOf, renderPs } from '../../ui/ps.js';
import { resolveEcsTarget } from '../../docker/ecs-context.js';

export default class ComposePs extends Command {
  static override summary = 'List the tasks of the project\'s services (with -a also stopped and `run` tasks).';
  static override usage = 'compose ps [SERVICE...] [-a] [--services] [--status S]... [--filter status=S] [--format table|json|TEMPLATE] [-q]';
  static override description =
    'One row per Fargate task (NAME is the task id; a `run` task, listed with -a, is <project>-<service>-run-<12 hex>). States are docker compose\'s: running, created (pending), removing (stopping), exited (stopped). --format takes a Go-style template over the fields ID, Name, Service, State, Status, Health, ExitCode, Ports, Publishers, CreatedAt, ... (`table {{.Name}}\\t{{.State}}` adds a header).';
  static override examples = ['docker ecs compose ps', 'docker ecs compose ps web --status running', 'docker ecs compose ps -a --format "{{.Name}} {{.ExitCode}}"', 'docker ecs compose ps --services'];
  static override strict = false;
  static override flags = {
    ...composeFlags,
    all: Flags.boolean({ char: 'a', description: 'also recently stopped tasks, with their stop reason, and the tasks of `run`', default: false }),
    format: Flags.string({ description: 'table, json, or a Go-style template (`table TEMPLATE` adds a header row)', default: 'table' }),
    quiet: Flags.boolean({ char: 'q', description: 'only task IDs', default: false }),
    services: Flags.boolean({ description: 'only the names of the services that have tasks', default: false }),
    status: Flags.string({ multiple: true, description: `only tasks in this state (${COMPOSE_STATUSES.join(', ')})` }),
    filter: Flags.string({ multiple: true, description: 'filter by a property: status=S' }),
    'no-trunc': Flags.boolean({ description: 'accepted for docker compose compatibility: nothing is truncated', default: false }),
    orphans: Flags.boolean({ description: 'accepted for docker compose compatibility: every task of the stack is listed', default: true, allowNo: true }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ComposePs);
    const filter = psFilterOf({ services: argv as string[], status: flags.status, filter: flags.filter });
    const project = await projectNameFrom(flags);
    const target = await resolveEcsTarget(dockerGlobals(), process.env);
    // as docker compose: a status filter looks at every task, stopped and one-off ones too
    const result = await listProjectTasks(createAwsClients(target), { project, all: flags.all || filter.statuses.length > 0 });
    // like `docker compose ps` for a project with nothing running: the header alone, exit 0
    if (!result.found) process.stderr.write(`No stack named ${project} in ${target.region}: nothing is deployed for this project there.\n`);
    process.stdout.write(renderPs(filterRows(result.rows, filter), flags.format, flags.quiet, flags.services));
  }
}
