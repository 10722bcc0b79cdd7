/** `ls` output: docker compose's table (NAME STATUS), one JSON array, or the names alone. */
import type { ProjectRow } from '../aws/ls.js';
import { formatTable } from './table.js';

export type LsFormat = 'table' | 'json';

export function renderProjects(rows: readonly ProjectRow[], format: LsFormat, quiet: boolean): string {
  if (quiet) return rows.map((r) => `${r.Name}\n`).join('');
  // `docker compose ls --format json` prints one JSON array
  if (format === 'json') return `${JSON.stringify(rows)}\n`;
  return formatTable(['NAME', 'STATUS'], rows.map((r) => [r.Name, r.Status]));
}
