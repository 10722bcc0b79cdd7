/**
 * The ports a built image declares (EXPOSE) count at `up` as a pulled image's do: once the engine
 * has built it, its ports get a Service Connect short name, and a reference to one is no warning.
 * Against the simulator, with the real converter and a fake engine.
 */
import { expect } from 'chai';
import { simulatorPerTest } from '../sim/simulator-per-test.js';
import { up, type UpDeps } from '../../src/aws/deploy.js';
import type { DeployEvent } from '../../src/aws/events.js';
import { imageBuilds } from '../../src/convert/image-builds.js';
import { upConvert } from '../../src/cli/up-convert.js';
import { loadYaml } from '../convert/helpers.js';
import { recordForLint } from '../support/cfn-lint.js';
import { FakeEngine } from './fake-engine.js';
import { simUpDeps } from './sim-support.js';

const COMPOSE = `
services:
  api:
    build: ./api
  web:
    image: nginx
    environment: { API_URL: "http://api:8080/v1" }
`;

const WARNING = 'Service web connects to api:8080 (environment API_URL), but neither api\'s ports and expose nor its image declare port 8080, so only api.shop.local:8080 reaches it; add "8080" to the expose list of api.';

describe('up: the ports a built image declares get their short names, against the simulator', function () {
  const fixture = simulatorPerTest();


  async function deploy(engine: FakeEngine, options: { dryRun?: boolean } = {}) {
    const project = loadYaml(COMPOSE, { projectName: 'shop' });
    const events: DeployEvent[] = [];
    const deps: UpDeps = {
      // nginx's own ports are not what this is about: its registry answered none
      ...simUpDeps(fixture, upConvert(project, {}, { nginx: { ports: [] } })),
      images: { project: 'shop', builds: imageBuilds(project), engine },
    };
    const result = await up({ project: 'shop', ...(options.dryRun ? { dryRun: true } : {}) }, deps, (e) => void events.push(e));
    const warnings = events.flatMap((e) => (e.kind === 'notice' && e.level === 'warning' ? [e.message] : []));
    const body = fixture.sim.callsTo('CreateStack')[0]?.params.TemplateBody as string | undefined;
    const template = body ? JSON.parse(body) : undefined;
    if (template) recordForLint(template);
    return { result, warnings, template };
  }

  it('gives the built api its EXPOSE port as the short name api:8080, and web\'s reference to it is no warning', async () => {
    const engine = new FakeEngine();
    engine.declares.api = ['8080/tcp', '9090/udp'];
    const { result, warnings, template } = await deploy(engine);
    expect(result.kind).to.equal('succeeded');
    expect(template.Resources.ApiService.Properties.ServiceConnectConfiguration.Services).to.deep.equal([
      { PortName: 'api-8080-tcp', DiscoveryName: 'api-8080-tcp', ClientAliases: [{ DnsName: 'api', Port: 8080 }] },
    ]);
    const mappings = template.Resources.ApiTaskDefinition.Properties.ContainerDefinitions.find((c: { Name: string }) => c.Name === 'api').PortMappings;
    expect(mappings.map((m: { ContainerPort: number; Protocol: string }) => `${m.ContainerPort}/${m.Protocol}`)).to.deep.equal(['8080/tcp', '9090/udp']);
    expect(warnings).to.deep.equal([]);
  });

  it('warns as before when the built image declares no such port', async () => {
    const { result, warnings, template } = await deploy(new FakeEngine());
    expect(result.kind).to.equal('succeeded');
    expect(template.Resources.ApiService.Properties).not.to.have.property('ServiceConnectConfiguration');
    expect(warnings).to.deep.equal([WARNING]);
  });

  it('in a dry run, which builds nothing, says the built image was not read', async () => {
    const engine = new FakeEngine();
    engine.declares.api = ['8080/tcp'];
    const { result, warnings } = await deploy(engine, { dryRun: true });
    expect(result.kind).to.equal('dry-run');
    expect(warnings).to.deep.equal([
      'Service web connects to api:8080 (environment API_URL), but api declares no port 8080 (ports or expose) and its image could not be read (a dry run builds and reads no image), so only api.shop.local:8080 reaches it; add "8080" to the expose list of api.',
    ]);
  });
});
