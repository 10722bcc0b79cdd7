/**
 * `--progress json`: one JSON object per event, per line. The schema is the DeployEvent union of
 * `aws/events.ts` plus a version field: `{ "v": 1, "seq": 1, "at": "...", "kind": "...", ... }`.
 */
import { PROGRESS_SCHEMA_VERSION, type DeployEvent } from '../aws/events.js';

export function renderJson(event: DeployEvent): string {
  return JSON.stringify({ v: PROGRESS_SCHEMA_VERSION, ...event });
}
