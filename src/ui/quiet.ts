/**
 * `--progress quiet`: no progress at all, only warnings the user must act on. Errors come from
 * the command's error handler and results (endpoints, plan) from the command, as in other modes.
 */
import type { DeployEvent } from '../aws/events.js';

export function renderQuiet(event: DeployEvent): string | undefined {
  if (event.kind === 'notice' && event.level === 'warning') return `Warning: ${event.message}`;
  return undefined;
}
