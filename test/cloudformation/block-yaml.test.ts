import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { writeBlockYaml } from '../../src/cloudformation/block-yaml.js';
import { repoRoot } from '../support/docker.js';

const viaYaml = (tree: unknown): string => stringify(tree, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false });

describe('the block YAML writer (the fast path of renderTemplate)', () => {
  it('writes the golden templates byte for byte as the yaml package does', () => {
    const dir = join(repoRoot, 'test', 'golden');
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files.length).to.be.greaterThan(0);
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      const tree = parse(text, { version: '1.1' }) as Record<string, unknown>;
      const fast = writeBlockYaml(tree);
      if (fast === undefined) continue;
      expect(fast, f).to.equal(viaYaml(tree));
    }
    const shop = parse(readFileSync(join(dir, 'example-shop.yaml'), 'utf8'), { version: '1.1' }) as Record<string, unknown>;
    expect(writeBlockYaml(shop)).to.equal(readFileSync(join(dir, 'example-shop.yaml'), 'utf8'));
  });

  it('quotes, nests and leaves plain exactly as yaml does', () => {
    const strings = [
      'plain words', 'yes', 'No', 'on', 'OFF', 'y', 'n', '~', 'null', 'NULL', '', ' lead', 'trail ', 'a: b', 'a #b', 'a#b', '#x',
      '-', '-x', '- x', '?', '? x', 'x:', 'x::y', 'arn:aws:iam::aws:policy/X', '${AWS::Region}-x', '0755', '0x1F', '0b101', '1_000',
      '190:20:30', '1e3', '.5', '.inf', '-.Inf', '.NaN', '2010-09-09', '2001-12-14t21:59:43.10-05:00', '80', '-1', '+1', '3.14',
      "it's", 'say "hi"', '[a]', '{a}', 'a,b', '*star', '&anchor', '!tag', '|pipe', '>fold', '@at', '`tick', 'tab\tin',
      'µs', 'ünïcode ✓', 'a - b', 'x ---', 'true', 'False', '=', '<<', 'say "hi" it\'s', '"quoted" start', "'single' start",
    ];
    const scripts = ['set -eu\nprintf "%s" "$X" > /run/x\nchmod 0444 /run/x', 'one\ntwo\n', 'a\n\nb', 'tab\tin\nline', 'x: y\n# not a comment'];
    const tree: Record<string, unknown> = {
      Values: Object.fromEntries(strings.map((s, i) => [`K${i}`, s])),
      Keys: Object.fromEntries(strings.filter((s) => s !== '').map((s) => [s, 1])),
      List: ['a', ['b', ['c', 'd'], []], [], {}, { x: [1, 2], y: { z: null } }, [{ p: true, q: false }]],
      Empty: { m: {}, s: [] },
      Numbers: [0, 1, -7, 4096, 1234567890123],
      Scripts: { InMap: scripts, Deep: [{ Command: ['sh', '-c', ...scripts] }], Top: scripts[0] },
    };
    const fast = writeBlockYaml(tree);
    expect(fast).to.be.a('string');
    expect(fast).to.equal(viaYaml(tree));
  });

  it('leaves to yaml what it does not write the same way', () => {
    for (const value of [' lead\nline', 'trailing \nspace', 'two\n\n', ' say "hi" it\'s', '%pct', 'bell\u0007', 0.5, -0, Number.NaN, 2 ** 60]) {
      expect(writeBlockYaml({ A: value }), String(value)).to.equal(undefined);
    }
    expect(writeBlockYaml({})).to.equal(undefined);
  });
});
