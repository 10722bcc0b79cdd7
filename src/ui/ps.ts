/**
 * `ps` output as docker compose writes it: the table (NAME SERVICE STATUS PORTS), one JSON object
 * per line, `--services`, `-q`, or a Go-style template over the same fields. Filters by service,
 * by compose status (`--status`, `--filter status=...`) happen here, on rows already read.
 */
import { UserError } from '../errors.js';
import { renderTemplate } from './go-template.js';
import { formatTable } from './table.js';
import type { TaskRow, TaskState } from '../aws/ps.js';

export type PsFormat = 'table' | 'json' | string;

/** docker compose's container states, for a Fargate task's state */
export const COMPOSE_STATUS: Readonly<Record<TaskState, string>> = { running: 'running', pending: 'created', stopping: 'removing', stopped: 'exited' };
export const COMPOSE_STATUSES = ['paused', 'restarting', 'removing', 'running', 'dead', 'created', 'exited'] as const;

export interface PsFilter {
  services: readonly string[];
  statuses: readonly string[];
}

/** `--filter status=running` (the one filter docker compose ps supports) joins `--status`. */
export function psFilterOf(o: { services: readonly string[]; status?: readonly string[]; filter?: readonly string[] }): PsFilter {
  const statuses = [...(o.status ?? [])];
  for (const f of o.filter ?? []) {
    const m = /^status=(.+)$/.exec(f);
    if (!m) throw new UserError(`--filter "${f}" is not supported; docker compose ps filters by status only, e.g. --filter status=running.`);
    statuses.push(m[1]!);
  }
  for (const s of statuses) {
    if (!(COMPOSE_STATUSES as readonly string[]).includes(s)) throw new UserError(`"${s}" is not a container status; use one of ${COMPOSE_STATUSES.join(', ')}.`);
  }
  return { services: o.services, statuses };
}

export function filterRows(rows: readonly TaskRow[], filter: PsFilter): TaskRow[] {
  return rows.filter(
    (r) => (filter.services.length === 0 || filter.services.includes(r.Service)) && (filter.statuses.length === 0 || filter.statuses.includes(COMPOSE_STATUS[r.State])),
  );
}

const TEMPLATE_FIELDS = [
  'ID', 'Name', 'Names', 'Project', 'Service', 'State', 'Status', 'Health', 'ExitCode', 'Ports', 'Publishers', 'CreatedAt', 'StartedAt', 'StoppedAt',
  'Image', 'Command', 'Labels', 'LastStatus', 'DesiredStatus', 'TaskDefinition', 'StoppedReason', 'StopCode',
] as const;

/** The row as a template sees it: docker compose's field names, states in compose's words. */
function templateRow(r: TaskRow): Record<string, unknown> {
  return { ...r, Names: r.Name, State: COMPOSE_STATUS[r.State], ExitCode: r.ExitCode ?? 0, Image: r.TaskDefinition, Command: '', Labels: '' };
}

export function renderPs(rows: readonly TaskRow[], format: PsFormat, quiet = false, services = false): string {
  // the task id, also for a `run` task (its NAME is compose-like), as docker compose -q prints ids
  if (quiet) return rows.map((r) => `${r.ID.slice(r.ID.lastIndexOf('/') + 1)}\n`).join('');
  if (services) return [...new Set(rows.map((r) => r.Service))].sort().map((s) => `${s}\n`).join('');
  // like `docker compose ps --format json` since v2.21: one object per line
  if (format === 'json') return rows.map((r) => `${JSON.stringify(r)}\n`).join('');
  if (format === 'table') {
    return formatTable(
      ['NAME', 'SERVICE', 'STATUS', 'PORTS'],
      rows.map((r) => [r.Name, r.Service, r.Status, r.Ports]),
    );
  }
  return renderTemplate(format, rows.map(templateRow), TEMPLATE_FIELDS);
}
