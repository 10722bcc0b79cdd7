import { expect } from 'chai';
import { createRequire } from 'node:module';
import { CANONICAL } from '../../src/compose/canonical.js';
import { MERGE_RULES, UNIQUE_RULES } from '../../src/compose/merge.js';
import { SERVICE_KEYS } from '../../src/compose/bind.js';
import type { PathRule } from '../../src/compose/path-rules.js';
import { repoRoot } from './helpers.js';

/** Two patterns overlap when some concrete path matches both. */
function overlap(a: string, b: string): boolean {
  const x = a.split('.');
  const y = b.split('.');
  if (x.length !== y.length) return false;
  return x.every((s, i) => s === y[i] || (s === '*' && y[i] !== '[]') || (y[i] === '*' && s !== '[]'));
}

function overlaps(table: readonly PathRule[]): string[] {
  const out: string[] = [];
  table.forEach((r, i) => table.slice(i + 1).forEach((q) => overlap(r.path, q.path) && out.push(`${r.path} / ${q.path}`)));
  return out;
}

describe('rule tables', () => {
  it('are frozen', () => {
    for (const t of [CANONICAL, MERGE_RULES, UNIQUE_RULES]) expect(Object.isFrozen(t)).to.equal(true);
  });

  it('have no two patterns matching one path', () => {
    expect(overlaps(CANONICAL)).to.deep.equal([]);
    expect(overlaps(MERGE_RULES)).to.deep.equal([]);
    expect(overlaps(UNIQUE_RULES)).to.deep.equal([]);
  });

  it('the overlap check itself sees an overlap', () => {
    expect(overlaps([{ path: 'services.*.ports' }, { path: 'services.web.ports' }])).to.have.length(1);
  });

  it('the model has a field for every service key of the compose-spec schema', () => {
    const schema = createRequire(import.meta.url)(`${repoRoot}/node_modules/docker-compose/schema/compose-spec.json`) as { definitions: { service: { properties: object } } };
    expect([...SERVICE_KEYS]).to.deep.equal(Object.keys(schema.definitions.service.properties).sort());
  });
});
