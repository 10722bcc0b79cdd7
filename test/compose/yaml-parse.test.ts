import { expect } from 'chai';
import { parseYaml, Tagged } from '../../src/compose/parse.js';
import { locate } from '../../src/compose/positions.js';
import { loadError } from './helpers.js';

describe('YAML parsing', () => {
  it('reads scalars as go-yaml v3 does: yes/no stay strings, a leading-zero integer is octal', () => {
    expect(parseYaml('a: yes\nb: no\nc: 0440\nd: "0440"\ne: 1.50\nf: ~\ng: true\n', 'f.yaml')).to.deep.equal({ a: 'yes', b: 'no', c: 0o440, d: '0440', e: 1.5, f: null, g: true });
  });

  it('records the line of every key and list item', () => {
    const doc = parseYaml('services:\n  web:\n    ports:\n      - "80"\n      - "81"\n', 'f.yaml');
    expect(locate(doc, ['services', 'web', 'ports', 1])).to.deep.equal({ file: 'f.yaml', line: 5, column: 9 });
    expect(locate(doc, ['services', 'web'])!.line).to.equal(2);
  });

  it('applies << merge keys without overriding keys written in the mapping, the first source winning', () => {
    const doc = parseYaml('a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  <<: [*a, *b]\n  x: 0\n', 'f.yaml');
    expect((doc as Record<string, unknown>).c).to.deep.equal({ x: 0, y: 1, z: 2 });
  });

  it('resolves an alias to the latest anchor of that name defined before it', () => {
    const doc = parseYaml('a: &v one\nb: *v\nc: &v two\nd: *v\n', 'f.yaml');
    expect(doc).to.deep.equal({ a: 'one', b: 'one', c: 'two', d: 'two' });
  });

  it('honours !!str and warns about tags compose does not know, keeping their values', () => {
    const warnings: { message: string; line?: number }[] = [];
    expect(parseYaml('a: !!str 0440\nb: !Ref Foo\n', 'f.yaml', warnings)).to.deep.equal({ a: '0440', b: 'Foo' });
    expect(warnings.map((w) => `${w.line}: ${w.message}`)).to.deep.equal(['2: the YAML tag !Ref means nothing to compose and is ignored; the value is kept as written.']);
  });

  it('keeps !reset and !override as tags for the merge', () => {
    const doc = parseYaml('a: !reset []\nb: !override {x: 1}\n', 'f.yaml') as Record<string, unknown>;
    expect(doc.a).to.be.instanceOf(Tagged).and.to.deep.include({ tag: '!reset' });
    expect(doc.b).to.be.instanceOf(Tagged).and.to.deep.include({ tag: '!override', value: { x: 1 } });
  });

  it('stops a document whose aliases expand without bound', () => {
    const levels = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) levels.push(`a${i}: &a${i} [*a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}]`);
    expect(loadError(() => parseYaml(levels.join('\n'), 'bomb.yaml'))).to.match(/^bomb\.yaml:\d+: the YAML expands to more than 1000000 values through its aliases\./);
  });
});
