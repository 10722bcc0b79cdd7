// Output order must not depend on the machine's locale: names sort by UTF-16 code unit.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { byCodeUnit } from '../../src/convert/code-unit-order.js';

describe('string order of output', () => {
  it('sorts by code unit: upper case before lower case, `_` between them, whatever the locale', () => {
    expect(['b', 'web', 'B', 'Web', '_x', 'a', 'WebTaskDefinition', 'WebTCP80Listener'].sort(byCodeUnit)).to.deep.equal([
      'B',
      'Web',
      'WebTCP80Listener',
      'WebTaskDefinition',
      '_x',
      'a',
      'b',
      'web',
    ]);
    expect(byCodeUnit('x', 'x')).to.equal(0);
  });

  it('no module of src/convert, src/aws or src/ui sorts with localeCompare', () => {
    const root = fileURLToPath(new URL('../../src', import.meta.url));
    for (const dir of ['convert', 'aws', 'ui']) {
      for (const f of readdirSync(join(root, dir)).filter((n) => /\.tsx?$/.test(n))) {
        const text = readFileSync(join(root, dir, f), 'utf8').replace(/^\s*(\*|\/\/).*$/gm, '');
        expect(text, `src/${dir}/${f}`).to.not.include('.localeCompare(');
      }
    }
  });
});
