/**
 * `--progress quiet`: no progress, only what the user must read. Warnings; and for `down`, which
 * has no result on stdout, its final sentence (it names the file systems kept). Errors come from
 * the command's error handler, `up`'s results (endpoints, plan) from the command.
 */
import type { DeployEvent } from '../aws/events.js';

export function renderQuiet(event: DeployEvent): string | undefined {
  if (event.kind === 'notice' && event.level === 'warning') return `Warning: ${event.message}`;
  if (event.kind === 'finished' && event.operation === 'delete' && (event.outcome === 'succeeded' || event.outcome === 'no-changes')) {
    return event.message;
  }
  return undefined;
}
