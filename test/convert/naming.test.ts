import { expect } from 'chai';
import { convertYaml } from './helpers.js';
import * as naming from '../../src/convert/naming.js';
import { assemble } from '../../src/convert/fragment.js';
import { UserError } from '../../src/errors.js';

describe('convert: naming', () => {
  it('normalises names as the old integration did: drop non-alphanumerics, capitalise the first letter', () => {
    expect(naming.normalizeResourceName('front-tier')).to.equal('Fronttier');
    expect(naming.normalizeResourceName('db_data')).to.equal('Dbdata');
    expect(naming.normalizeResourceName('TestSimpleConvert_default')).to.equal('TestSimpleConvertdefault');
  });

  it('builds the logical IDs existing overlays address', () => {
    expect(naming.ecsService('web')).to.equal('WebService');
    expect(naming.taskDefinition('web')).to.equal('WebTaskDefinition');
    expect(naming.taskExecutionRole('web')).to.equal('WebTaskExecutionRole');
    expect(naming.taskRole('web')).to.equal('WebTaskRole');
    expect(naming.serviceDiscoveryEntry('web')).to.equal('WebServiceDiscoveryEntry');
    expect(naming.targetGroup('web', 'tcp', 80)).to.equal('WebTCP80TargetGroup');
    expect(naming.listener('web', 'udp', 53)).to.equal('WebUDP53Listener');
    expect(naming.networkSecurityGroup('back-tier')).to.equal('BacktierNetwork');
    expect(naming.portIngress('default', 80)).to.equal('Default80Ingress');
  });

  it('refuses services whose names differ only in punctuation, before building anything', () => {
    expect(() => convertYaml('services: { my-svc: { image: a }, mysvc: { image: b } }')).to.throw(UserError, /Services my-svc and mysvc differ only in punctuation/);
  });

  it('refuses a logical ID produced twice when fragments are assembled', () => {
    const r = { Type: 'AWS::SNS::Topic' };
    expect(() => assemble([{ resources: { Topic: r } }, { resources: { Topic: r } }])).to.throw(UserError, /both produce the resource Topic/);
  });

  it('makes Service Connect port names lower-case and safe', () => {
    expect(naming.portMappingName('Web.API', 8080, 'tcp')).to.equal('web-api-8080-tcp');
  });

  it('gives a dotted service a container name and family ECS accepts, keeping the compose name in tags and Service Connect', () => {
    const { template } = convertYaml('services: { web.front: { image: nginx, expose: ["8080"] }, client: { image: busybox } }');
    const td = template.Resources.WebfrontTaskDefinition!.Properties as { Family: string; ContainerDefinitions: { Name: string; PortMappings: { Name: string }[] }[] };
    expect(td.Family).to.equal('app-web-front');
    expect(td.ContainerDefinitions.map((c) => c.Name)).to.deep.equal(['web-front']);
    const svc = template.Resources.WebfrontService!.Properties as { Tags: { Key: string; Value: string }[]; ServiceConnectConfiguration: { Services: { ClientAliases: { DnsName: string }[] }[] } };
    expect(svc.Tags).to.deep.include({ Key: 'com.docker.compose.service', Value: 'web.front' });
    expect(svc.ServiceConnectConfiguration.Services[0]!.ClientAliases[0]!.DnsName).to.equal('web.front');
  });

  it('keeps port-mapping and Service Connect discovery names within 64 characters, distinct and stable', () => {
    const long = 'very-long-service-name-for-testing-limits-of-aws-resources-abcdefghij';
    const { template } = convertYaml(`services: { ${long}: { image: nginx, expose: ["8080"] }, ${long}x: { image: nginx, expose: ["8080"] } }`);
    const names = Object.values(template.Resources)
      .filter((r) => r.Type === 'AWS::ECS::Service')
      .flatMap((r) => (r.Properties as { ServiceConnectConfiguration: { Services: { PortName: string; DiscoveryName: string }[] } }).ServiceConnectConfiguration.Services)
      .flatMap((s) => [s.PortName, s.DiscoveryName]);
    expect(names).to.have.length(4);
    for (const n of names) expect(n).to.match(/^[a-z0-9_][a-z0-9_-]{0,63}$/).and.match(/-8080-tcp$/);
    expect(new Set(names).size).to.equal(2);
    expect(naming.portMappingName(long, 8080, 'tcp')).to.equal(naming.portMappingName(long, 8080, 'tcp'));
    expect(naming.portMappingName('web', 80, 'tcp')).to.equal('web-80-tcp');
  });
});
