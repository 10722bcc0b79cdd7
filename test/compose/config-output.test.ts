import { expect } from 'chai';
import { configDocument, goDuration } from '../../src/compose/config-document.js';
import { configGoMap, configStruct, toGoJson, toGoYaml, yamlKeyLess } from '../../src/compose/config-tree.js';
import { servicesInDependencyOrder } from '../../src/compose/config-lists.js';
import { loadCompose } from './helpers.js';

describe('config output: Go durations', () => {
  it('writes milliseconds as Go\'s time.Duration.String()', () => {
    expect([90_000, 3000, 500, 1500, 3_600_000, 120_000, 0, 0.5].map(goDuration)).to.deep.equal(['1m30s', '3s', '500ms', '1.5s', '1h0m0s', '2m0s', '0s', '500µs']);
  });
});

describe('config output: YAML as yaml.v3 writes it', () => {
  it('quotes strings (keys too) that would read back as another type, and only those', () => {
    const doc = configStruct([
      ['port', '80'], ['yes', 'yes'], ['empty', ''], ['date', '2012-10-17'], ['user', '1000:1000'], ['flag', '-g'],
      ['colon', 'a: b'], ['star', '*.example.com'], ['plain', 'nginx:1.27'], ['null', null], ['t', true], ['n', 0.5],
    ]);
    expect(toGoYaml(doc)).to.equal(
      'port: "80"\n"yes": "yes"\nempty: ""\ndate: "2012-10-17"\nuser: 1000:1000\nflag: -g\ncolon: \'a: b\'\nstar: \'*.example.com\'\nplain: nginx:1.27\n"null": null\nt: true\n"n": 0.5\n',
    );
  });

  it('indents sequences under their key and writes multi-line strings as literal blocks', () => {
    const doc = configStruct([['list', [configStruct([['a', '1x'], ['b', ['c']]])]], ['text', 'one\ntwo\n'], ['bare', 'one\ntwo'], ['none', []]]);
    expect(toGoYaml(doc)).to.equal('list:\n  - a: 1x\n    b:\n      - c\ntext: |\n  one\n  two\nbare: |-\n  one\n  two\nnone: []\n');
  });

  it('sorts Go map keys naturally in YAML and bytewise in JSON', () => {
    expect(yamlKeyLess('web2', 'web10')).to.equal(true);
    const m = configGoMap([['web10', 1], ['web2', 2], ['Web', 3]]);
    expect(toGoYaml(m)).to.equal('Web: 3\nweb2: 2\nweb10: 1\n');
    expect(toGoJson(m)).to.equal('{\n  "Web": 3,\n  "web10": 1,\n  "web2": 2\n}');
  });

  it('escapes HTML characters in JSON as Go does', () => {
    expect(toGoJson(configStruct([['cmd', 'a && b <c>']]))).to.equal('{\n  "cmd": "a \\u0026\\u0026 b \\u003cc\\u003e"\n}');
  });
});

describe('config output: the compose-go model', () => {
  const yaml = (text: string) => toGoYaml(configDocument(loadCompose(text), 'yaml'));
  const json = (text: string) => JSON.parse(toGoJson(configDocument(loadCompose(text), 'json'))) as Record<string, Record<string, Record<string, unknown>>>;

  it('always writes command and entrypoint in JSON (null when unset), and never in YAML unless set', () => {
    expect(json('services:\n  web:\n    image: a\n').services!.web).to.include({ command: null, entrypoint: null });
    expect(yaml('services:\n  web:\n    image: a\n')).to.not.contain('command');
  });

  it('keeps service x-* keys in YAML only, and top-level x-* keys in both', () => {
    const text = 'services:\n  web:\n    image: a\n    x-aws-role: r\nx-aws-vpc: vpc-1\n';
    expect(yaml(text)).to.contain('    x-aws-role: r\n').and.to.match(/x-aws-vpc: vpc-1\n$/);
    const doc = json(text);
    expect(doc.services!.web).to.not.have.property('x-aws-role');
    expect(doc['x-aws-vpc']).to.equal('vpc-1');
  });

  it('writes byte sizes and file modes as strings, and fills compose-go\'s defaults', () => {
    const doc = json('services:\n  web:\n    image: a\n    mem_limit: 1g\n    secrets: [s]\n    build: .\n    ports: [{target: 80}]\nsecrets:\n  s:\n    file: ./s.txt\n');
    const web = doc.services!.web as Record<string, unknown>;
    expect(web.mem_limit).to.equal('1073741824');
    expect(web.secrets).to.deep.equal([{ source: 's', target: '/run/secrets/s' }]);
    expect(web.build).to.deep.equal({ context: '/project', dockerfile: 'Dockerfile' });
    expect(web.ports).to.deep.equal([{ mode: 'ingress', target: 80, protocol: 'tcp' }]);
  });

  it('adds the services that links, network_mode and volumes_from need to depends_on', () => {
    const doc = json('services:\n  a:\n    image: a\n    links: [b]\n    volumes_from: [c]\n  b:\n    image: b\n    network_mode: service:c\n  c:\n    image: c\n');
    expect(doc.services!.a!.depends_on).to.deep.equal({ b: { condition: 'service_started', required: true, restart: true }, c: { condition: 'service_started', required: true } });
    expect(doc.services!.b!.depends_on).to.deep.equal({ c: { condition: 'service_started', required: true, restart: true } });
  });

  it('lists services after the services they depend on', () => {
    expect(servicesInDependencyOrder(loadCompose('services:\n  a:\n    image: a\n    depends_on: [c]\n  b:\n    image: b\n  c:\n    image: c\n    depends_on: [b]\n'))).to.deep.equal(['b', 'c', 'a']);
  });
});
