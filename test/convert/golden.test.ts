import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { convertCorpusEntry, corpusEntries, GOLDEN_DIR } from '../golden/corpus.js';
import { expectValidTemplate } from '../support/cfn-spec.js';

const REGEN = 'node --import tsx scripts/regen-golden.ts';

function golden(name: string, suffix: string): string | undefined {
  const file = path.join(GOLDEN_DIR, `${name}${suffix}`);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

describe('convert: golden templates of the compose corpus', () => {
  const entries = corpusEntries();

  it('finds the corpus beside the repository', () => {
    expect(entries.length, 'no compose files under ../shared/corpus').to.be.greaterThan(0);
  });

  for (const entry of entries) {
    it(`${entry.name}: matches test/golden byte for byte`, () => {
      const result = convertCorpusEntry(entry);
      if (result.kind === 'template') {
        expectValidTemplate(result.template);
        expect(parse(result.yaml)).to.deep.equal(JSON.parse(JSON.stringify(result.template)));
        expect(result.yaml, `${entry.name}.yaml differs; review and run ${REGEN}`).to.equal(golden(entry.name, '.yaml'));
        expect(result.diagnostics).to.equal(golden(entry.name, '.diagnostics.txt'));
      } else {
        // a project with a service lacking an image must be refused for that reason, not another
        if (!result.allImages) expect(result.error).to.match(/build is set without image/);
        expect(result.error, `${entry.name}.error.txt differs; review and run ${REGEN}`).to.equal(golden(entry.name, '.error.txt'));
      }
    });
  }
});
