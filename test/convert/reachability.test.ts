import { expect } from 'chai';
import { reachability } from '../../src/convert/reachability.js';
import { serviceReferences } from '../../src/convert/references.js';
import { convertCorpusEntry, corpusEntries, CORPUS_DIR } from '../golden/corpus.js';
import { existsSync } from 'node:fs';
import { load } from '../../src/compose/load.js';
import { nodeFileReader } from '../../src/compose/node-reader.js';
import { convertProject } from '../../src/convert/index.js';
import type { Template } from '../../src/cloudformation/template.js';
import { cfnLintErrors } from '../support/cfn-lint.js';
import { convertYaml, props } from './helpers.js';

const linted: { name: string; template: Template }[] = [];
function converted(name: string, yaml: string, options: Parameters<typeof convertYaml>[1] = {}) {
  const result = convertYaml(yaml, options);
  linted.push({ name, template: result.template });
  return result;
}

const SHOP = corpusEntries().find((e) => e.name === 'example-shop')!;

describe('convert: who reaches whom (reachability over the template)', () => {
  after(function () {
    this.timeout(60_000);
    expect(cfnLintErrors(linted)).to.deep.equal([]);
  });

  it('answers every pair of services on every container port: short name for declared tcp ports, FQDN for udp', () => {
    const { template } = converted('pairs', 'services: { db: { image: postgres, expose: ["5432", "5353/udp"] }, api: { image: node } }');
    expect(reachability(template)).to.deep.equal([
      { from: 'api', to: 'db', port: 5353, protocol: 'udp', reach: 'fqdn', address: 'db.app.local:5353', fqdn: 'db.app.local' },
      { from: 'api', to: 'db', port: 5432, protocol: 'tcp', reach: 'short-name', address: 'db:5432', fqdn: 'db.app.local' },
    ]);
  });

  it('reaches an undeclared port only by the Cloud Map name', () => {
    const { template } = converted('undeclared', 'services: { db: { image: postgres }, api: { image: node } }');
    expect(reachability(template, [{ from: 'api', to: 'db', port: 5432, protocol: 'tcp' }])[0]).to.include({ reach: 'fqdn', address: 'db.app.local:5432' });
  });

  it('reaches nothing across networks the two services do not share, as under docker compose', () => {
    const { template } = converted(
      'networks',
      `
services:
  db: { image: postgres, expose: ["5432"], networks: [back] }
  web: { image: nginx, networks: [front] }
  api: { image: node, networks: [front, back] }
networks: { front: {}, back: {} }
`,
    );
    const [web, api] = reachability(template, [
      { from: 'web', to: 'db', port: 5432, protocol: 'tcp' },
      { from: 'api', to: 'db', port: 5432, protocol: 'tcp' },
    ]);
    expect(web).to.include({ reach: 'none' });
    expect(web).not.to.have.property('address');
    expect(api).to.include({ reach: 'short-name', address: 'db:5432' });
  });

  it('gives the ports an image declares a short name when up read them from the registry', () => {
    const yaml = 'services: { db: { image: "postgres:16" }, api: { image: node, environment: { DATABASE_URL: "postgres://u@db:5432/shop" } } }';
    const offline = converted('image offline', yaml);
    const online = converted('image online', yaml, { environment: { imagePorts: { 'postgres:16': { ports: [{ port: 5432, protocol: 'tcp' }] }, node: { ports: [] } } } });
    const ask = [{ from: 'api', to: 'db', port: 5432, protocol: 'tcp' as const }];
    expect(reachability(offline.template, ask)[0]!.reach).to.equal('fqdn');
    expect(reachability(online.template, ask)[0]!.reach).to.equal('short-name');
    expect(online.diagnostics).to.deep.equal([]);
    expect(offline.diagnostics.map((d) => d.message)).to.deep.equal([
      `Service api connects to db:5432 (environment DATABASE_URL), but db declares no port 5432 (ports or expose) and convert does not read images, so unless db's image declares it (EXPOSE, read at up) only db.app.local:5432 reaches it; add "5432" to the expose list of db.`,
    ]);
  });

  it('gives at most 16 of an image\'s ports a short name, and says so', () => {
    const ports = Array.from({ length: 20 }, (_, i) => ({ port: 7000 + i, protocol: 'tcp' as const }));
    const { template, diagnostics } = converted('many image ports', 'services: { big: { image: "big:1", expose: ["9000"] }, api: { image: node } }', {
      environment: { imagePorts: { 'big:1': { ports } } },
    });
    expect(props(template, 'BigService').ServiceConnectConfiguration.Services).to.have.length(17);
    expect(diagnostics.map((d) => d.message)).to.deep.equal([
      "Service big's image declares 20 ports; only the first 16 (up to 7015) get a short name: list any other port it serves under expose.",
    ]);
  });

  it('the shipped example: api reaches db by its short name on 5432, and no reference stays unresolved', () => {
    const { template, diagnostics } = convertProject(load({ cwd: SHOP.dir, env: {}, files: [SHOP.file], reader: nodeFileReader }));
    linted.push({ name: 'example-shop', template });
    expect(reachability(template, [{ from: 'api', to: 'db', port: 5432, protocol: 'tcp' }])[0]).to.include({ reach: 'short-name', address: 'db:5432' });
    expect(diagnostics).to.deep.equal([]);
  });

  it('on the corpus: every reference that has no short name is reported at convert, naming both services and the port', function () {
    if (!existsSync(CORPUS_DIR)) {
      console.log(`      (no corpus at ${CORPUS_DIR}: skipped)`);
      this.skip();
    }
    let checked = 0;
    for (const entry of corpusEntries()) {
      const result = convertCorpusEntry(entry);
      // convertCorpusEntry already records the template for the run's cfn-lint; linting the 30
      // corpus templates again in the after hook took over its minute on a loaded machine
      if (result.kind !== 'template') continue;
      const project = load({ cwd: entry.dir, env: {}, files: [entry.file], reader: nodeFileReader });
      const refs = serviceReferences(project).filter((r) => r.port !== undefined && r.host === r.to);
      const answers = reachability(
        result.template,
        refs.map((r) => ({ from: r.from, to: r.to, port: r.port!, protocol: 'tcp' as const })),
      );
      answers.forEach((a, i) => {
        checked++;
        const said = result.diagnostics.includes(`Service ${a.from} connects to ${refs[i]!.host}:${a.port}`);
        expect(said, `${entry.name}: ${a.from} -> ${a.to}:${a.port} is ${a.reach}`).to.equal(a.reach !== 'short-name');
      });
    }
    expect(checked).to.be.greaterThan(0);
  });
});

describe('convert: references between services', () => {
  it('finds host:port, URLs with and without a port, and bare names, only for names compose resolves', () => {
    const { project } = convertYaml(`
services:
  db: { image: postgres, networks: { default: { aliases: [database] } } }
  cache: { image: redis, container_name: redis-main }
  api:
    image: node
    environment:
      A: "postgres://user:secret@db:5432/shop"
      B: "redis://redis-main"
      C_HOST: "db"
      USER: "db"
      D: "http://api.example.com:8080 and mydb:5432"
      E: "database:5432"
    command: ["wait-for", "cache:6379", "--", "node"]
`);
    expect(serviceReferences(project).map((r) => `${r.from}>${r.host}${r.port === undefined ? '' : `:${r.port}`} (${r.where})`)).to.deep.equal([
      'api>db:5432 (environment A)',
      'api>redis-main:6379 (environment B)',
      'api>db (environment C_HOST)',
      'api>database:5432 (environment E)',
      'api>cache:6379 (command)',
    ]);
  });

  it('warns about an alias, which has no name on ECS, naming what works instead', () => {
    const { diagnostics } = convertYaml('services: { db: { image: postgres, expose: ["5432"], networks: { default: { aliases: [database] } } }, api: { image: node, environment: { URL: "database:5432" } } }');
    expect(diagnostics.map((d) => d.message)).to.include('Service api connects to database:5432 (environment URL), but database is an alias of db and ECS has no aliases; write db:5432 or db.app.local:5432 instead.');
  });

  it('warns when the registry could not be read at up, with the reason', () => {
    const { diagnostics } = convertYaml('services: { db: { image: "postgres:16" }, api: { image: node, command: ["psql", "-h", "db", "postgres://db:5432"] } }', {
      environment: { imagePorts: { 'postgres:16': { error: 'registry-1.docker.io answered 429' } } },
    });
    expect(diagnostics.map((d) => d.message)).to.deep.equal([
      `Service api connects to db:5432 (command), but db declares no port 5432 (ports or expose) and its image could not be read (registry-1.docker.io answered 429), so only db.app.local:5432 reaches it; add "5432" to the expose list of db.`,
    ]);
  });
});
