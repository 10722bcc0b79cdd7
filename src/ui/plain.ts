/**
 * Plain progress: one timestamped line per change, append-only, for CI logs, pipes and
 * `--progress plain`. The final error and the endpoints are printed by the command, not here.
 */
import type { DeployEvent } from '../aws/events.js';
import { clockTime, formatDuration, operationVerb } from './format.js';
import { TASK_ID_CHARS } from './logs.js';

export function renderPlain(event: DeployEvent): string | undefined {
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
      return `${t} ${event.stack.padEnd(30)} ${event.status.padEnd(22)} stack${event.reason ? `  ${event.reason}` : ''}`;
    case 'resource': {
      const where = event.service ? `  [${event.service}]` : '';
      return `${t} ${event.logicalId.padEnd(30)} ${event.status.padEnd(22)} ${event.resourceType}${where}${event.reason ? `  ${event.reason}` : ''}`;
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
