/**
 * Reproducers from the fuzzing campaign of issue #20: valid compose that crashed the loader,
 * prototype names, tags that made output depend on the time zone, deep interpolation.
 */
import { expect } from 'chai';
import { substitute } from '../../src/compose/interpolate.js';
import { convertYaml, loadYaml } from '../convert/helpers.js';
import { load } from '../../src/compose/load.js';
import { loadCompose, loadError, loadProject, memoryReader, yaml } from './helpers.js';

describe('hostile input: valid compose never crashes the loader', () => {
  it('takes gpus without capabilities as GPU requests (docker compose adds the gpu capability)', () => {
    const p = loadCompose(yaml`
      services:
        a:
          image: nginx
          gpus: [{count: 1}]
    `);
    expect(p.services.a!.gpus).to.deep.equal([{ count: 1, capabilities: ['gpu'] }]);
    const { template } = convertYaml('services:\n  a:\n    image: nginx\n    gpus: [{count: 1}]\n');
    expect(Object.keys(template.Resources)).to.include('AutoscalingGroup');
  });

  it('refuses a service secret or config without a source with a sentence naming it', () => {
    expect(loadError(() => loadCompose('services:\n  a:\n    image: nginx\n    secrets: [{target: x}]\n'))).to.equal(
      'compose.yaml:4: services.a.secrets[0] needs a source: the name of the top-level secret it mounts. Write source: NAME, naming an entry of the top-level secrets key.',
    );
    expect(loadError(() => loadCompose('services:\n  a:\n    image: nginx\n    configs: [{}]\n'))).to.match(/^compose\.yaml:4: services\.a\.configs\[0\] needs a source: the name of the top-level config it mounts\./);
  });

  it('interpolates ${A:- nested 5,000 deep (35 KB) without overflowing the stack, in linear time', () => {
    const depth = 5000;
    const text = '${A:-'.repeat(depth) + 'x' + '}'.repeat(depth);
    expect(substitute(text, () => undefined)).to.equal('x');
    const p = loadCompose(`services:\n  a:\n    image: "${text}"\n`);
    expect(p.services.a!.image).to.equal('x');
    // a million levels is still one pass (a recursive reader died at a few thousand)
    const deep = '${A:-'.repeat(1_000_000) + 'y' + '}'.repeat(1_000_000);
    expect(substitute(deep, () => undefined)).to.equal('y');
  });

  it('keeps nesting semantics: unused arguments are not interpolated, used ones are, required messages are evaluated', () => {
    const env: Record<string, string> = { SET: 'v', EMPTY: '' };
    const look = (n: string) => env[n];
    expect(substitute('${SET:-${BAD:?never}} ${EMPTY:-${SET}} ${UNSET-$SET}x ${SET:+[${SET}]} ${UNSET+no}', look)).to.equal('v v vx [v] ');
    expect(substitute('${SET:-$!}', look)).to.equal('v');
    expect(() => substitute('${UNSET:?need ${SET}}', look)).to.throw('required variable UNSET is missing a value: need v');
    expect(() => substitute('${UNSET:-${}', look)).to.throw(/invalid interpolation format/);
    expect(() => substitute('${A:-x', look)).to.throw(/invalid interpolation format/);
    expect(substitute('a$$b${SET}}{', look)).to.equal('a$bv}{');
  });
});

describe('hostile input: prototype names are ordinary keys', () => {
  const compose = yaml`
    services:
      __proto__:
        image: nginx
        environment:
          constructor: x
          __proto__: y
        networks: [constructor]
      constructor:
        image: nginx
        depends_on: [__proto__]
      toString:
        image: nginx
    networks:
      constructor: {}
  `;

  it('loads services called __proto__, constructor and toString, with their keys', () => {
    const p = loadCompose(compose);
    expect(Object.keys(p.services).sort()).to.deep.equal(['__proto__', 'constructor', 'toString']);
    expect(Object.entries(p.services['__proto__']!.environment!).sort()).to.deep.equal([['__proto__', 'y'], ['constructor', 'x']]);
    expect(Object.keys(p.networks).sort()).to.deep.equal(['constructor', 'default']);
  });

  it('converts them to one ECS service each', () => {
    const { template } = convertYaml(compose);
    const services = Object.values(template.Resources).filter((r) => r.Type === 'AWS::ECS::Service');
    expect(services).to.have.length(3);
  });

  it('validates what is under a __proto__ key against the schema', () => {
    expect(loadError(() => loadCompose('services:\n  __proto__:\n    image: nginx\n    bogus: 1\n'))).to.match(/^compose\.yaml:4: services\.__proto__\.bogus is not a valid compose key/);
    expect(loadError(() => loadCompose('services:\n  a:\n    image: nginx\n    __proto__:\n      bogus: 1\n'))).to.match(/^compose\.yaml:4: services\.a\.__proto__ is not a valid compose key/);
  });

  it('does not take an undefined reference named like an Object method as defined', () => {
    expect(loadError(() => loadCompose('services:\n  a:\n    image: nginx\n    networks: [toString]\n'))).to.match(/refers to network "toString", which is not defined/);
  });
});

describe('hostile input: output does not depend on the time zone', () => {
  it('keeps !!timestamp, !!binary and !!set values as written, and .inf as its text', () => {
    const p = loadYaml(yaml`
      services:
        a:
          image: nginx
          environment:
            WHEN: !!timestamp 2001-12-14
            BLOB: !!binary aGVsbG8=
            BIG: 1e999
    `);
    expect(p.services.a!.environment).to.deep.equal({ BIG: '1e999', BLOB: 'aGVsbG8=', WHEN: '2001-12-14' });
  });
});

describe('hostile input: bounded work', () => {
  it('loads a file included many times, directly or not, once per path and arguments (22 files each including the next twice)', () => {
    const files: Record<string, string> = {};
    const n = 22;
    for (let i = 0; i < n; i++) {
      const inc = i === n - 1 ? '' : `include:\n  - path: f${i + 1}.yaml\n  - path: [f${i + 1}.yaml]\n`;
      files[`f${i}.yaml`] = `${inc}services:\n  s${i}:\n    image: nginx\n`;
    }
    const reader = memoryReader(files);
    const p = load({ cwd: '/project', env: {}, files: ['f0.yaml'], reader });
    expect(Object.keys(p.services)).to.have.length(n);
    // each file read once (2^21 times for the last one before)
    expect(new Set(reader.reads).size).to.equal(n);
    expect(reader.reads).to.have.length(n);
  });

  it('loads a file included with different env files once per environment, not from the cache', () => {
    // the second load sees TAG=2, so its service differs from the first: the usual conflict
    expect(loadError(() => loadProject({
      'compose.yaml': 'include:\n  - path: sub.yaml\n    env_file: a.env\n  - path: sub.yaml\n    env_file: b.env\n',
      'sub.yaml': 'services:\n  s:\n    image: "nginx:${TAG}"\n',
      'a.env': 'TAG=1\n',
      'b.env': 'TAG=2\n',
    }))).to.match(/services\.s conflicts with the service of the same name imported from sub\.yaml\./);
  });

  it('refuses aliases that expand past 20 MiB of text (100,000 aliases to a 4,000-character anchor made a 400 MB template)', function () {
    this.timeout(120_000);
    const text = `x-a: &a "${'x'.repeat(4000)}"\nservices:\n  a:\n    image: nginx\n    x-list:\n${'      - *a\n'.repeat(6_000)}`;
    expect(loadError(() => loadCompose(text))).to.equal('compose.yaml:1: the YAML expands to more than 20 MiB of text through its aliases. Use fewer aliases of long values.');
  });

  it('finds a duplicate key among 20,000 in linear time (40,000 took 16 s), naming both lines', function () {
    this.timeout(120_000);
    const keys = Array.from({ length: 20_000 }, (_, i) => `      k${i}: v\n`).join('');
    const text = `services:\n  a:\n    image: nginx\n    x-keys:\n${keys}      k7: again\n`;
    expect(loadError(() => loadCompose(text))).to.equal('compose.yaml:20005: invalid YAML: map keys must be unique. "k7" is also on line 12: remove one of them.');
  });
});

describe('hostile input: a secret file is never quoted', () => {
  const secret = 'correct horse S3CR3T staple\n';
  const base = 'services:\n  web:\n    image: nginx\n    secrets: [pw]\n';
  const secrets = 'secrets:\n  pw:\n    file: ./pw.txt\n';
  const refused = '"pw", and it is also named where a compose, env or label file is expected; it cannot be read as one, and its content is not shown. Point that key or flag at the intended file.';
  const cases: [string, Record<string, string>, Parameters<typeof loadProject>[1]][] = [
    ['env_file', { 'compose.yaml': `${base}    env_file: pw.txt\n${secrets}` }, {}],
    ['--env-file', { 'compose.yaml': base + secrets }, { envFiles: ['pw.txt'] }],
    ['include', { 'compose.yaml': `include: [pw.txt]\n${base}${secrets}` }, {}],
    ['extends.file', { 'compose.yaml': `${base}  other:\n    extends: {file: pw.txt, service: x}\n${secrets}` }, {}],
    ['-f', { 'compose.yaml': base + secrets }, { files: ['compose.yaml', 'pw.txt'] }],
  ];
  for (const [what, files, options] of cases) {
    it(`names the file, not its content, when it is also given as ${what}`, () => {
      const message = loadError(() => loadProject({ ...files, 'pw.txt': secret }, options));
      expect(message).not.to.include('S3CR3T');
      expect(message).not.to.include('horse');
      expect(message).to.equal(`pw.txt is the file of secret ${refused}`);
    });
  }

  it('does not quote a line of an env file it cannot read', () => {
    const message = loadError(() => loadProject({ 'compose.yaml': 'services:\n  web:\n    image: nginx\n    env_file: app.env\n', 'app.env': 'OK=1\ncorrect horse S3CR3T staple\n' }));
    expect(message).to.equal('app.env:2: this line is not KEY=VALUE (its text is not shown, in case the file holds a secret). Fix that line of the env file.');
  });
});
