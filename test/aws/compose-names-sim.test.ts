/**
 * Commands take and print compose service names, also when the ECS name differs (`web.front` runs
 * as service, container and log stream `web-front`, naming.ts); and a port published on tcp and udp
 * (one TCP_UDP listener) shows both protocols, as `docker compose ps` does. Against the simulator,
 * with the real converter.
 */
import { expect } from 'chai';
import { simulatorPerTest } from '../sim/simulator-per-test.js';
import { up, type UpDeps } from '../../src/aws/deploy.js';
import type { LogEvent } from '../../src/aws/log-events.js';
import { projectLogServices, readLogs } from '../../src/aws/logs.js';
import { publishedPort } from '../../src/aws/port.js';
import { listProjectTasks } from '../../src/aws/ps.js';
import { listProjectImages } from '../../src/aws/images.js';
import { controlServices, type ControlAction } from '../../src/aws/service-control.js';
import { composeConvert } from './compose-sim.js';
import { simTiming, simUpDeps } from './sim-support.js';

const COMPOSE = `
services:
  web.front:
    image: nginx
    ports: ["80:80"]
    tmpfs: [/run/cache]
  dns:
    image: example/dns
    ports: ["53:53/tcp", "53:53/udp"]
`;

describe('compose service names and TCP_UDP ports in ps, logs, port and the service controls, against the simulator', function () {
  const fixture = simulatorPerTest();
  let deps: UpDeps;

  beforeEach(async () => {
    deps = simUpDeps(fixture, composeConvert(COMPOSE, { projectName: 'shop' }));
    expect((await up({ project: 'shop' }, deps, () => undefined)).kind).to.equal('succeeded');
    expect([...fixture.sim.state.tasks.values()].some((t) => t.containers.some((c) => c.name === 'web-front'))).to.equal(true);
  });

  it('ps shows the compose name, and both protocols of a TCP_UDP port; port finds either', async () => {
    const { rows } = await listProjectTasks(deps.clients, { project: 'shop', all: false });
    expect([...new Set(rows.map((r) => r.Service))].sort()).to.deep.equal(['dns', 'web.front']);
    const dns = rows.find((r) => r.Service === 'dns')!;
    expect(dns.Publishers.map((p) => `${p.PublishedPort}->${p.TargetPort}/${p.Protocol}`)).to.deep.equal(['53->53/tcp', '53->53/udp']);
    expect(dns.Ports).to.match(/^\S+:53->53\/tcp, \S+:53->53\/udp$/);
    expect(publishedPort(rows, { service: 'dns', port: 53, protocol: 'udp' })).to.match(/:53$/);
    expect(publishedPort(rows, { service: 'web.front', port: 80, protocol: 'tcp' })).to.match(/:80$/);
  });

  it('images web.front names the task by its id for the service\'s own container (its task also has a tmpfs init container)', async () => {
    const { rows } = await listProjectImages(deps.clients, 'shop', ['web.front']);
    const tasks = (await listProjectTasks(deps.clients, { project: 'shop', all: false })).rows.filter((r) => r.Service === 'web.front');
    expect(rows.filter((r) => r.Repository === 'nginx').map((r) => [r.Service, r.Container]).sort()).to.deep.equal(tasks.map((t) => ['web.front', t.Name]).sort());
    expect(rows.some((r) => r.Repository !== 'nginx' && r.Container.includes('/'))).to.equal(true);
  });

  it('logs web.front reads the web-front streams and prints the lines under web.front', async () => {
    for (let i = 0; i < 30; i++) fixture.clock.advance(1000);
    const known = await projectLogServices(deps.clients, 'shop', ['web.front']);
    expect(known).to.include('web.front');
    const got: LogEvent[] = [];
    const before = fixture.sim.callsTo('FilterLogEvents').length;
    await readLogs(deps.clients, { project: 'shop', services: ['web.front'], known: known!, follow: false, signal: new AbortController().signal, timing: simTiming(fixture.clock) }, (events) => void got.push(...events));
    expect(got.length).to.be.greaterThan(0);
    expect([...new Set(got.map((e) => e.service))]).to.deep.equal(['web.front']);
    const filter = fixture.sim.callsTo('FilterLogEvents').slice(before).map((c) => c.params.logStreamNamePrefix);
    expect(filter).to.deep.equal(['shop/web-front/']);
    // all services: lines under their compose names too
    const all: LogEvent[] = [];
    await readLogs(deps.clients, { project: 'shop', services: [], known: known!, follow: false, signal: new AbortController().signal, timing: simTiming(fixture.clock) }, (events) => void all.push(...events));
    expect([...new Set(all.map((e) => e.service))]).to.include.members(['dns', 'web.front']).and.not.include('web-front');
  });

  it('scale, stop, start and restart take web.front and report it by that name', async () => {
    const lines: string[] = [];
    const control = (action: ControlAction, services: string[] = []) =>
      controlServices(deps.clients, { project: 'shop', services, action, wait: true, timing: simTiming(fixture.clock), signal: new AbortController().signal, say: (l) => lines.push(l) });
    expect((await control({ kind: 'scale', counts: [['web.front', 2]] }))[0]).to.deep.include({ service: 'web.front', to: 2 });
    expect((await control({ kind: 'stop' }, ['web.front']))[0]).to.deep.include({ service: 'web.front', to: 0 });
    expect((await control({ kind: 'start' }, ['web.front']))[0]).to.deep.include({ service: 'web.front', to: 2 });
    expect((await control({ kind: 'restart' }, ['web.front']))[0]).to.deep.include({ service: 'web.front', restarted: true });
    expect(lines.every((l) => !l.includes('web-front'))).to.equal(true);
  });
});
