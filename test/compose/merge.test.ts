import { expect } from 'chai';
import { loadProject } from './helpers.js';

/** base/override/expected: load two -f files and return one service. */
function merged(base: string, override: string) {
  const p = loadProject({ 'base.yaml': base, 'override.yaml': override }, { files: ['base.yaml', 'override.yaml'] });
  return p.services.web!;
}

describe('merging several files', () => {
  it('merges mappings key by key and replaces scalars', () => {
    const web = merged('services:\n  web:\n    image: a\n    user: root\n', 'services:\n  web:\n    image: b\n    hostname: h\n');
    expect([web.image, web.user, web.hostname]).to.deep.equal(['b', 'root', 'h']);
  });

  it('adds services, networks and volumes from later files', () => {
    const p = loadProject({
      'a.yaml': 'services:\n  web:\n    image: a\n',
      'b.yaml': 'services:\n  db:\n    image: pg\n    networks: [back]\nnetworks:\n  back: {}\n',
    }, { files: ['a.yaml', 'b.yaml'] });
    expect(Object.keys(p.services)).to.deep.equal(['db', 'web']);
    expect(Object.keys(p.networks)).to.deep.equal(['back', 'default']);
  });

  it('replaces command, entrypoint and healthcheck.test instead of appending', () => {
    const web = merged('services:\n  web:\n    image: a\n    command: [a, b]\n    entrypoint: [x, y]\n    healthcheck:\n      test: [CMD, a]\n', 'services:\n  web:\n    command: [c]\n    entrypoint: [z]\n    healthcheck:\n      test: [CMD, b]\n');
    expect(web.command).to.deep.equal(['c']);
    expect(web.entrypoint).to.deep.equal(['z']);
    expect(web.healthcheck!.test).to.deep.equal(['CMD', 'b']);
  });

  it('merges environment by variable name whatever the syntax on each side', () => {
    const web = merged('services:\n  web:\n    image: a\n    environment:\n      - A=1\n      - B=2\n', 'services:\n  web:\n    environment:\n      B: 3\n      C: "4"\n');
    expect(web.environment).to.deep.equal({ A: '1', B: '3', C: '4' });
  });

  it('merges labels by key', () => {
    const web = merged('services:\n  web:\n    image: a\n    labels: [a=1, b=2]\n', 'services:\n  web:\n    labels:\n      b: x\n');
    expect(web.labels).to.deep.equal({ a: '1', b: 'x' });
  });

  it('merges secrets and configs by target', () => {
    const files = 'secrets:\n  s1:\n    file: ./s1\n  s2:\n    file: ./s2\n';
    const web = merged(`services:\n  web:\n    image: a\n    secrets:\n      - s1\n      - source: s2\n        target: t\n${files}`, 'services:\n  web:\n    secrets:\n      - source: s1\n        mode: 0400\n      - s2\n');
    expect(web.secrets).to.deep.equal([{ source: 's1', mode: 0o400 }, { source: 's2', target: 't' }, { source: 's2' }]);
  });

  it('appends simple lists without duplicates', () => {
    const web = merged('services:\n  web:\n    image: a\n    cap_add: [NET_ADMIN]\n    dns: 1.1.1.1\n', 'services:\n  web:\n    cap_add: [NET_ADMIN, SYS_TIME]\n    dns: [8.8.8.8]\n');
    expect(web.cap_add).to.deep.equal(['NET_ADMIN', 'SYS_TIME']);
    expect(web.dns).to.deep.equal(['1.1.1.1', '8.8.8.8']);
  });

  it('merges depends_on by service and keeps conditions', () => {
    const p = loadProject({
      'a.yaml': 'services:\n  web:\n    image: a\n    depends_on: [db]\n  db:\n    image: pg\n  cache:\n    image: r\n',
      'b.yaml': 'services:\n  web:\n    depends_on:\n      cache:\n        condition: service_healthy\n',
    }, { files: ['a.yaml', 'b.yaml'] });
    expect(p.services.web!.depends_on).to.deep.equal({
      db: { condition: 'service_started', required: true, restart: false },
      cache: { condition: 'service_healthy', required: true, restart: false },
    });
  });

  it('merges logging options under the same driver and replaces them under another driver', () => {
    const same = merged('services:\n  web:\n    image: a\n    logging:\n      driver: awslogs\n      options: {a: "1"}\n', 'services:\n  web:\n    logging:\n      options: {b: "2"}\n');
    expect(same.logging).to.deep.equal({ driver: 'awslogs', options: { a: '1', b: '2' } });
    const other = merged('services:\n  web:\n    image: a\n    logging:\n      driver: awslogs\n      options: {a: "1"}\n', 'services:\n  web:\n    logging:\n      driver: json-file\n      options: {b: "2"}\n');
    expect(other.logging).to.deep.equal({ driver: 'json-file', options: { b: '2' } });
  });

  it('replaces an x- extension whole instead of merging into it', () => {
    const web = merged('services:\n  web:\n    image: a\n    x-aws-role:\n      Version: "1"\n      Statement: [a]\n', 'services:\n  web:\n    x-aws-role:\n      Statement: [b]\n');
    expect(web.extensions['x-aws-role']).to.deep.equal({ Statement: ['b'] });
  });

  it('merges deploy resources deeply', () => {
    const web = merged('services:\n  web:\n    image: a\n    deploy:\n      resources:\n        limits: {cpus: "1", memory: 1g}\n', 'services:\n  web:\n    deploy:\n      resources:\n        limits: {memory: 2g}\n');
    expect(web.deploy!.resources!.limits).to.deep.equal({ cpus: 1, memory: 2 * 1024 ** 3 });
  });

  it('keeps the origin of each value so a later error names the file that wrote it', () => {
    const p = () => merged('services:\n  web:\n    image: a\n', 'services:\n  web:\n    deploy:\n      replicas: "x"\n');
    expect(p).to.throw('services.web.deploy.replicas must be an integer').with.nested.property('options.where.file', 'override.yaml');
    try { p(); } catch (e) { expect((e as { options: { where: { line: number } } }).options.where.line).to.equal(4); }
  });
});
