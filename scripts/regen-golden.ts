/**
 * Rewrites the golden files from the corpus (`node --import tsx scripts/regen-golden.ts`), for
 * review with `git diff test/golden`. Stale files of entries whose outcome changed are removed.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { convertCorpusEntry, corpusEntries, CORPUS_DIR, GOLDEN_DIR } from '../test/golden/corpus.js';

const entries = corpusEntries();
if (entries.length === 0) {
  console.error(`No compose files under ${CORPUS_DIR}.`);
  process.exit(1);
}
for (const entry of entries) {
  const result = convertCorpusEntry(entry);
  const file = (suffix: string) => path.join(GOLDEN_DIR, `${entry.name}${suffix}`);
  for (const suffix of ['.yaml', '.diagnostics.txt', '.error.txt']) if (existsSync(file(suffix))) rmSync(file(suffix));
  if (result.kind === 'template') {
    writeFileSync(file('.yaml'), result.yaml);
    writeFileSync(file('.diagnostics.txt'), result.diagnostics);
    console.log(`template  ${entry.name}`);
  } else {
    writeFileSync(file('.error.txt'), result.error);
    console.log(`refused   ${entry.name}: ${result.error.split('\n')[0]}`);
  }
}
