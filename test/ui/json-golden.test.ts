import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderJson } from '../../src/ui/json.js';
import { failingCreate } from './helpers.js';

const golden = fileURLToPath(new URL('./golden/failing-create.ndjson', import.meta.url));

/** Times vary from run to run in real use; the golden file holds them as <time>. */
const scrub = (line: string): string => line.replace(/"(at|timestamp)":"[^"]+"/g, '"$1":"<time>"');

describe('json progress (NDJSON golden)', () => {
  it('is one versioned object per event, as documented', () => {
    const actual = failingCreate().map((e) => scrub(renderJson(e))).join('\n') + '\n';
    expect(actual).to.equal(readFileSync(golden, 'utf8'));
  });
});
