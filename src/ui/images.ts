/** `images` output: docker compose's table (CONTAINER REPOSITORY TAG IMAGE ID), one JSON array, or the image ids alone. */
import type { ImageRow } from '../aws/images.js';
import { formatTable } from './table.js';

export function renderImages(rows: readonly ImageRow[], format: 'table' | 'json', quiet: boolean): string {
  if (quiet) return [...new Set(rows.map((r) => r.ImageID || `${r.Repository}:${r.Tag}`))].map((i) => `${i}\n`).join('');
  if (format === 'json') return `${JSON.stringify(rows)}\n`;
  return formatTable(['CONTAINER', 'REPOSITORY', 'TAG', 'IMAGE ID'], rows.map((r) => [r.Container, r.Repository, r.Tag, r.ImageID || '-']));
}
