/**
 * Reproducers from the fuzzing campaign of issue #20: valid compose that crashed the loader,
 * prototype names, tags that made output depend on the time zone, deep interpolation.
 */
import { expect } from 'chai';
import { substitute } from '../../src/compose/interpolate.js';
import { convertYaml, loadYaml } from '../convert/helpers.js';
import { loadCompose, loadError, yaml } from './helpers.js';

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
