import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { convertCorpusEntry, corpusEntries, corpusSkipped, CORPUS_PRESENT, GOLDEN_DIR, goldenEntryName, goldenFiles, isExampleGolden } from '../golden/corpus.js';
import { expectValidTemplate } from '../support/cfn-spec.js';

const REGEN = 'node --import tsx scripts/regen-golden.ts';

/** Golden files a test compared: every file in test/golden must end up here. */
const compared = new Set<string>();

function golden(name: string, suffix: string): string | undefined {
  compared.add(`${name}${suffix}`);
  const file = path.join(GOLDEN_DIR, `${name}${suffix}`);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

describe('convert: golden templates of the compose corpus', () => {
  const entries = corpusEntries();

  if (CORPUS_PRESENT) {
    it('finds the corpus beside the repository', () => {
      expect(entries.filter((e) => !e.name.startsWith('example-')).length, 'no compose files under ../shared/corpus').to.be.greaterThan(0);
    });
  } else {
    corpusSkipped('the golden templates of ../shared/corpus');
  }

  for (const entry of entries) {
    it(`${entry.name}: matches test/golden byte for byte`, () => {
      const result = convertCorpusEntry(entry);
      if (result.kind === 'template') {
        expectValidTemplate(result.template);
        expect(parse(result.yaml)).to.deep.equal(JSON.parse(JSON.stringify(result.template)));
        expect(result.yaml, `${entry.name}.yaml differs; review and run ${REGEN}`).to.equal(golden(entry.name, '.yaml'));
        expect(result.diagnostics).to.equal(golden(entry.name, '.diagnostics.txt'));
      } else {
        expect(result.error, `${entry.name}.error.txt differs; review and run ${REGEN}`).to.equal(golden(entry.name, '.error.txt'));
      }
    });
  }

  // runs after the comparisons above (mocha keeps declaration order)
  it('compared every golden file in test/golden (a stale or unchecked one fails)', () => {
    const names = new Set(entries.map((e) => e.name));
    const files = goldenFiles().filter((f) => CORPUS_PRESENT || isExampleGolden(f));
    const orphans = files.filter((f) => !names.has(goldenEntryName(f)));
    expect(orphans, `golden files whose corpus entry no longer exists; delete them`).to.deep.equal([]);
    const unchecked = files.filter((f) => !compared.has(f));
    expect(unchecked, `golden files no test compared; run ${REGEN}`).to.deep.equal([]);
  });
});
