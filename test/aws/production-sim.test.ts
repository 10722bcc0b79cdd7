/**
 * Production settings (issue 19) deployed through up against the simulator, with the real
 * converter's templates: Fargate Spot capacity provider strategies (services and one-shot jobs).
 */
import { expect } from 'chai';
import { simulatorPerTest } from '../sim/simulator-per-test.js';
import { up, type UpDeps } from '../../src/aws/deploy.js';
import { simClients, simUpDeps } from './sim-support.js';
import { composeConvert } from './compose-sim.js';
import { environmentRequestOf } from '../../src/convert/environment-request.js';
import { listProjectTasks } from '../../src/aws/ps.js';
import { publishedPort } from '../../src/aws/port.js';
import { UserError } from '../../src/errors.js';
import { loadYaml } from '../convert/helpers.js';
import { PRIVATE_VPC } from '../sim/support.js';
import type { DeployEvent } from '../../src/aws/events.js';

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
const SNI = 'arn:aws:acm:us-east-1:123456789012:certificate/66666666-7777-8888-9999-000000000000';
const https = (certs: string) => `
x-aws-certificate: ${certs}
services:
  web:
    image: nginx
    ports: ["80:8080"]
`;
/** up's input: the environment request read from the compose file, as compose-deploy.ts builds it. */
const input = (yaml: string) => {
  const { project: _p, ...environment } = environmentRequestOf(loadYaml(yaml, { projectName: 'demo' }));
  return { project: 'demo', environment };
};

describe('production settings against the simulator', function () {
  const fixture = simulatorPerTest();
  const sink = (): void => undefined;
  const deps = (yaml: string): UpDeps => simUpDeps(fixture, composeConvert(yaml));


  it('deploys Fargate Spot services and a Spot one-shot job on a cluster with FARGATE and FARGATE_SPOT', async () => {
    const yaml = `
services:
  migrate:
    image: example/api:1
    restart: "no"
    x-aws-capacity: spot
  api:
    image: example/api:1
    x-aws-capacity: { spot: 3, on-demand: 1, base: 1 }
    depends_on: { migrate: { condition: service_completed_successfully } }
  web:
    image: nginx
`;
    expect((await up({ project: 'demo' }, deps(yaml), sink)).kind).to.equal('succeeded');
    const cluster = [...fixture.sim.state.clusters.values()][0]!;
    expect(cluster.capacityProviders).to.deep.equal(['FARGATE', 'FARGATE_SPOT']);
    const services = [...fixture.sim.state.services.values()];
    const api = services.find((s) => s.name.includes('Api'))!;
    expect(api.capacityProviderStrategy).to.deep.equal([
      { capacityProvider: 'FARGATE', weight: 1, base: 1 },
      { capacityProvider: 'FARGATE_SPOT', weight: 3 },
    ]);
    expect(api.launchType).to.equal(undefined);
    expect(services.find((s) => s.name.includes('Web'))!.launchType).to.equal('FARGATE');
    const [run] = fixture.sim.callsTo('RunTask');
    expect(run!.params.capacityProviderStrategy).to.deep.equal([{ capacityProvider: 'FARGATE_SPOT', weight: 1 }]);
    expect(run!.params).not.to.have.property('launchType');
    expect(run!.error).to.equal(undefined);
  });

  it('serves HTTPS on 443 with the certificates and redirects 80; up prints, ps and port show https://', async () => {
    fixture.sim.setScenario({ certificates: [{ arn: CERT, domain: 'shop.example.com' }, { arn: SNI, domain: 'www.example.com' }] });
    const yaml = https(`[${CERT}, ${SNI}]`);
    const result = await up(input(yaml), deps(yaml), sink);
    expect(result.kind).to.equal('succeeded');
    const listeners = [...fixture.sim.state.listeners.values()].sort((a, b) => a.port - b.port);
    expect(listeners.map((l) => [l.port, l.protocol])).to.deep.equal([[80, 'HTTP'], [443, 'HTTPS']]);
    expect(listeners[0]!.redirect).to.deep.include({ Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' });
    expect(listeners[1]!.certificates).to.deep.equal([CERT, SNI]);
    expect(listeners[1]!.sslPolicy).to.equal('ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09');
    expect(fixture.sim.callsTo('DescribeCertificate').map((c) => c.params.CertificateArn)).to.deep.equal([CERT, SNI]);
    if (result.kind !== 'succeeded') return;
    expect(result.endpoints).to.have.length(1);
    expect(result.endpoints[0]).to.match(/^https:\/\/.+\.elb\.amazonaws\.com:443$/);
    const ps = await listProjectTasks(simClients(fixture.sim.url), { project: 'demo', all: false });
    expect(ps.rows[0]!.Ports).to.match(/^https:\/\/.+:443->8080\/tcp$/);
    expect(publishedPort(ps.rows, { service: 'web', port: 8080, protocol: 'tcp' })).to.equal(result.endpoints[0]);
  });

  it('refuses, before any stack change, a certificate that is not issued, missing, or in another region', async () => {
    fixture.sim.setScenario({ certificates: [{ arn: CERT, status: 'PENDING_VALIDATION' }] });
    const refused = async (yaml: string): Promise<string> => {
      try {
        await up(input(yaml), deps(yaml), sink);
      } catch (e) {
        expect(e).to.be.instanceOf(UserError);
        return (e as Error).message;
      }
      throw new Error('expected up to refuse');
    };
    expect(await refused(https(CERT))).to.equal(`x-aws-certificate ${CERT} is PENDING_VALIDATION, not ISSUED, so a load balancer cannot use it.`);
    expect(await refused(https(SNI))).to.equal(`x-aws-certificate ${SNI} does not exist in ACM in us-east-1.`);
    const before = fixture.sim.callsTo('DescribeCertificate').length;
    const other = CERT.replace('us-east-1', 'eu-west-1');
    expect(await refused(https(other))).to.equal(`x-aws-certificate ${other} is in eu-west-1, but the stack deploys to us-east-1; a load balancer takes certificates of its own region only.`);
    expect(fixture.sim.callsTo('DescribeCertificate')).to.have.length(before);
    expect(fixture.sim.callsTo('CreateStack')).to.have.length(0);
    expect(fixture.sim.callsTo('CreateChangeSet')).to.have.length(0);
  });

  const awsvpcOf = (name: string) =>
    ([...fixture.sim.state.services.values()].find((s) => s.name.includes(name))!.networkConfiguration as { awsvpcConfiguration: { subnets: string[]; assignPublicIp: string } }).awsvpcConfiguration;

  it('in a VPC of public and private subnets, puts the internet-facing load balancer in the public ones and the tasks, without public IP, in the private ones', async () => {
    const yaml = `
x-aws-vpc: ${PRIVATE_VPC.id}
x-aws-subnets: [${[...PRIVATE_VPC.public, ...PRIVATE_VPC.private].join(', ')}]
services:
  web:
    image: nginx
    ports: ["80:80"]
`;
    expect((await up(input(yaml), deps(yaml), sink)).kind).to.equal('succeeded');
    const lb = [...fixture.sim.state.loadBalancers.values()][0]!;
    expect(lb.scheme).to.equal('internet-facing');
    expect(lb.subnets).to.deep.equal(PRIVATE_VPC.public);
    expect(awsvpcOf('Web')).to.deep.include({ subnets: PRIVATE_VPC.private, assignPublicIp: 'DISABLED' });
    expect(fixture.sim.callsTo('DescribeRouteTables')).to.have.length(1);
  });

  it('without x-aws-subnets, picks one private subnet per zone for the tasks (NAT first) and the private ones for an internal load balancer', async () => {
    const yaml = `
x-aws-vpc: ${PRIVATE_VPC.id}
x-aws-loadbalancer_scheme: internal
services:
  api:
    image: example/api:1
    ports: ["80:8080"]
`;
    expect((await up(input(yaml), deps(yaml), sink)).kind).to.equal('succeeded');
    const lb = [...fixture.sim.state.loadBalancers.values()][0]!;
    expect(lb.scheme).to.equal('internal');
    expect(lb.dnsName).to.match(/^internal-/);
    expect(lb.subnets).to.deep.equal(PRIVATE_VPC.private);
    expect(awsvpcOf('Api')).to.deep.include({ subnets: PRIVATE_VPC.private, assignPublicIp: 'DISABLED' });
  });

  it('in the default VPC, keeps the public subnets and the public IP; in isolated subnets, warns what the image pulls need', async () => {
    const web = 'services: { web: { image: nginx, ports: ["80:80"] } }';
    expect((await up(input(web), deps(web), sink)).kind).to.equal('succeeded');
    expect(awsvpcOf('Web').assignPublicIp).to.equal('ENABLED');

    const isolated = `
x-aws-vpc: ${PRIVATE_VPC.id}
x-aws-subnets: [${PRIVATE_VPC.isolated.join(', ')}]
services:
  worker:
    image: busybox
`;
    const events: DeployEvent[] = [];
    expect((await up({ ...input(isolated), project: 'iso' }, { ...deps(isolated), convert: composeConvert(isolated, { projectName: 'iso' }) }, (e) => void events.push(e))).kind).to.equal('succeeded');
    const notices = events.flatMap((e) => (e.kind === 'notice' ? [e.message] : []));
    expect(notices.some((m) => m.startsWith(`Service worker runs in subnets without a route to the internet (${PRIVATE_VPC.isolated[0]}: no NAT gateway or internet gateway route`))).to.equal(true);
  });

  it('refuses an internet-facing load balancer in private subnets only, before any stack change', async () => {
    const yaml = `
x-aws-vpc: ${PRIVATE_VPC.id}
x-aws-subnets: [${PRIVATE_VPC.private.join(', ')}]
services:
  web:
    image: nginx
    ports: ["80:80"]
`;
    let message = '';
    try {
      await up(input(yaml), deps(yaml), sink);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).to.match(/^The internet-facing load balancer for the published ports is an Application Load Balancer, .* but none of the subnets has one/);
    expect(fixture.sim.callsTo('CreateStack')).to.have.length(0);
    expect(fixture.sim.callsTo('CreateChangeSet')).to.have.length(0);
  });
});
