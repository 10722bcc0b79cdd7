import { expect } from 'chai';
import { convertYaml, props } from './helpers.js';

describe('convert: service discovery', () => {
  it('gives every service a Cloud Map A record <service>.<project>.local', () => {
    const p = props(convertYaml('services: { db: { image: postgres } }').template, 'DbServiceDiscoveryEntry');
    expect(p).to.deep.include({
      Name: 'db',
      NamespaceId: { Ref: 'CloudMap' },
      Description: '"db" service discovery entry in Cloud Map',
      DnsConfig: { DnsRecords: [{ TTL: 60, Type: 'A' }], RoutingPolicy: 'MULTIVALUE' },
      HealthCheckCustomConfig: { FailureThreshold: 1 },
    });
  });

  it('offers each declared tcp port under the short service name through Service Connect', () => {
    const { template } = convertYaml(`
services:
  db: { image: mariadb, expose: ["3306", "4444/udp"] }
  web: { image: nginx, ports: ["80:80"] }
`);
    expect(props(template, 'DbService').ServiceConnectConfiguration).to.deep.equal({
      Enabled: true,
      Namespace: { 'Fn::GetAtt': ['CloudMap', 'Arn'] },
      Services: [{ PortName: 'db-3306-tcp', DiscoveryName: 'db-3306-tcp', ClientAliases: [{ DnsName: 'db', Port: 3306 }] }],
    });
    expect(props(template, 'WebService').ServiceConnectConfiguration.Services[0].ClientAliases).to.deep.equal([{ DnsName: 'web', Port: 80 }]);
  });

  it('makes a service without ports a Service Connect client, so it can use the short names of others', () => {
    expect(props(convertYaml('services: { worker: { image: busybox }, db: { image: postgres, expose: ["5432"] } }').template, 'WorkerService').ServiceConnectConfiguration).to.deep.equal({
      Enabled: true,
      Namespace: { 'Fn::GetAtt': ['CloudMap', 'Arn'] },
    });
  });

  it('uses no helper container: every task has exactly the service container', () => {
    const { template } = convertYaml('services: { web: { image: nginx, ports: ["80:80"] }, db: { image: postgres, expose: ["5432"] } }');
    for (const id of ['WebTaskDefinition', 'DbTaskDefinition']) expect(props(template, id).ContainerDefinitions).to.have.length(1);
  });

  it('warns when a service name cannot be a short name', () => {
    const { template, diagnostics } = convertYaml('services: { Api: { image: nginx, expose: ["8080"] }, worker: { image: busybox } }');
    expect(props(template, 'ApiService').ServiceConnectConfiguration?.Services).to.equal(undefined);
    expect(diagnostics.map((d) => d.message)).to.deep.equal([
      "Service Api cannot be reached by its short name on ECS (Service Connect names are lower-case letters, digits, '.', '_' and '-'); other services reach it as api.app.local.",
    ]);
  });
});
