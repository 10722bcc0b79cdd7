/** The dry-run plan as text, for stdout: one line per change, grouped add / modify / remove. */
import type { PlannedChange } from '../aws/events.js';

const SIGN: Record<PlannedChange['action'], string> = { add: '+', modify: '~', remove: '-', import: '>', dynamic: '?' };
const ORDER: PlannedChange['action'][] = ['add', 'modify', 'remove', 'import', 'dynamic'];

export function formatPlan(stack: string, changes: readonly PlannedChange[]): string {
  if (changes.length === 0) return `Stack ${stack}: no changes.\n`;
  const sorted = [...changes].sort(
    (a, b) => ORDER.indexOf(a.action) - ORDER.indexOf(b.action) || (a.logicalId < b.logicalId ? -1 : a.logicalId > b.logicalId ? 1 : 0), // by code unit, not locale (convert/code-unit-order.ts; ui/ may not import it)
  );
  const idWidth = Math.max(...sorted.map((c) => c.logicalId.length));
  const typeWidth = Math.max(...sorted.map((c) => c.resourceType.length));
  const lines = sorted.map((c) => {
    const head = `${SIGN[c.action]} ${c.action.padEnd(6)} ${c.logicalId.padEnd(idWidth)}  ${c.resourceType.padEnd(typeWidth)}`;
    return (c.action === 'modify' ? `${head}  replacement: ${c.replacement ?? 'no'}` : head).trimEnd();
  });
  const counts = ORDER.map((a) => [a, changes.filter((c) => c.action === a).length] as const)
    .filter(([, n]) => n > 0)
    .map(([a, n]) => `${n} to ${a}`)
    .join(', ');
  return `Stack ${stack}: ${counts}\n${lines.join('\n')}\n`;
}
