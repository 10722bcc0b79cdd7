/** `ps` output: docker compose's table (NAME SERVICE STATUS PORTS) or one JSON object per line. */
import { formatTable } from './table.js';
import type { TaskRow } from '../aws/ps.js';

export type PsFormat = 'table' | 'json';

export function renderPs(rows: readonly TaskRow[], format: PsFormat, quiet = false): string {
  if (quiet) return rows.map((r) => `${r.Name}\n`).join('');
  // like `docker compose ps --format json` since v2.21: one object per line
  if (format === 'json') return rows.map((r) => `${JSON.stringify(r)}\n`).join('');
  return formatTable(
    ['NAME', 'SERVICE', 'STATUS', 'PORTS'],
    rows.map((r) => [r.Name, r.Service, r.Status, r.Ports]),
  );
}
