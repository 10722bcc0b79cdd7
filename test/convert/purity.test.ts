import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../golden/corpus.js';

/**
 * House rule (design 3, style 6.1): compose/, convert/ and cloudformation/ take data and return
 * data. Which folders they may import is test/architecture.test.ts. compose/node-reader.ts is the
 * file adapter `load()` is handed (its header says so), so it alone may touch the file system.
 */
const ADAPTERS = new Set(['src/compose/node-reader.ts']);
const FORBIDDEN: readonly [RegExp, string][] = [
  [/process\.env/, 'reads the process environment'],
  [/\bnew Date\b|Date\.now\(/, 'reads the clock'],
  [/Math\.random/, 'uses randomness'],
  [/from '(node:)?(fs|http|https|net|dns|child_process)'/, 'touches the file system or the network'],
  [/from '@aws-sdk\//, 'imports the AWS SDK'],
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []))
    .sort();
}

describe('compose, convert and cloudformation stay pure', () => {
  for (const area of ['compose', 'convert', 'cloudformation']) {
    it(`src/${area} reads no environment, clock, randomness, file or network`, () => {
      const problems: string[] = [];
      for (const file of sources(path.join(REPO_ROOT, 'src', area))) {
        if (ADAPTERS.has(path.relative(REPO_ROOT, file).split(path.sep).join('/'))) continue;
        // comments may name what the code must not do
        const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '');
        for (const [pattern, what] of FORBIDDEN) if (pattern.test(text)) problems.push(`${path.relative(REPO_ROOT, file)} ${what}`);
      }
      expect(problems).to.deep.equal([]);
    });
  }
});
