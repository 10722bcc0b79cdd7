/**
 * Plain progress: one timestamped line per change, append-only, for CI logs, pipes and
 * `--progress plain`. The final error and the endpoints are printed by the command, not here.
 */
import type { DeployEvent } from '../aws/events.js';
import { clockTime, formatDuration, operationVerb } from './format.js';
import { TASK_ID_CHARS } from './logs.js';

/**
 * Widths of the name (stack or logical id) and status columns. A name or status longer than its
 * column widens it for every later line, so the columns after it stay aligned instead of being
 * pushed out by one long logical id (logical ids grow with service names; CloudFormation's
 * longest status is UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS).
 */
export interface PlainColumns {
  name: number;
  status: number;
}

const DEFAULT_COLUMNS: Readonly<PlainColumns> = { name: 30, status: 22 };

/** A renderer for one stream of events: it remembers how wide its columns have grown. */
export function plainRenderer(): (event: DeployEvent) => string | undefined {
  const columns: PlainColumns = { ...DEFAULT_COLUMNS };
  return (event) => renderWith(event, columns);
}

/** One event as a line, with columns that start at their default width. */
export function renderPlain(event: DeployEvent): string | undefined {
  return renderWith(event, { ...DEFAULT_COLUMNS });
}

function column(text: string, columns: PlainColumns, which: keyof PlainColumns): string {
  if (text.length > columns[which]) columns[which] = text.length;
  return text.padEnd(columns[which]);
}

function renderWith(event: DeployEvent, columns: PlainColumns): string | undefined {
  const t = clockTime(event.at);
  switch (event.kind) {
    case 'operation-started': {
      const n = event.expectedChanges;
      const count = n === undefined ? '' : ` (${n} resource${n === 1 ? '' : 's'})`;
      return `${t} ${operationVerb(event.operation)} stack ${event.stack}${count}`;
    }
    case 'notice':
      return `${t} ${event.level === 'warning' ? 'Warning: ' : ''}${event.message}`;
    case 'stack':
      return `${t} ${column(event.stack, columns, 'name')} ${column(event.status, columns, 'status')} stack${event.reason ? `  ${event.reason}` : ''}`;
    case 'resource': {
      const where = event.service ? `  [${event.service}]` : '';
      return `${t} ${column(event.logicalId, columns, 'name')} ${column(event.status, columns, 'status')} ${event.resourceType}${where}${event.reason ? `  ${event.reason}` : ''}`;
    }
    case 'rollout':
      return `${t} ${event.service}: ${event.running}/${event.desired} running, ${event.pending} pending, ${event.failed} failed${event.rolloutState ? ` (rollout ${event.rolloutState.toLowerCase().replace(/_/g, ' ')})` : ''}`;
    case 'task-stopped':
      return [`${t} ${event.service}: task ${event.taskId} stopped: ${event.reason}`, ...(event.lastLines ?? []).map((l) => `    | ${l}`)].join('\n');
    case 'service-event':
      return `${t} ${event.service}: ${event.message}`;
    case 'log':
      return `${t} ${event.service} ${event.taskId.slice(0, TASK_ID_CHARS)} | ${event.message}`;
    case 'plan':
      return undefined; // the plan is the command's result, printed to stdout
    case 'finished':
      switch (event.outcome) {
        case 'failed':
          return undefined; // the error handler prints the failure with its root cause
        case 'interrupted':
        case 'detached':
          return [`${t} ${event.message}`, ...(event.follow ?? []).map((f) => `  ${f}`)].join('\n');
        default:
          return `${t} ${event.message}${event.elapsedMs !== undefined && event.outcome === 'succeeded' ? ` (${formatDuration(event.elapsedMs)})` : ''}`;
      }
  }
}
