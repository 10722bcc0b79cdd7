import { expect } from 'chai';
import { resourceOwners } from '../../src/aws/template-facts.js';
import { convertYaml } from '../convert/helpers.js';

describe('which compose service owns a resource, read from the template the converter wrote', () => {
  it('files the shared network and a volume under no service, even when a service shares their name', () => {
    const { template } = convertYaml(`
services:
  default:
    image: nginx
    ports: ["80:80"]
  db:
    image: postgres
    volumes: ["db:/var/lib/postgresql/data"]
volumes:
  db: {}
`);
    const owners = resourceOwners(template);
    expect(owners.services).to.deep.equal(['db', 'default']);
    expect(owners.serviceOf('DefaultService')).to.equal('default');
    expect(owners.serviceOf('DefaultTaskDefinition')).to.equal('default');
    expect(owners.serviceOf('DefaultTCP80TargetGroup')).to.equal('default');
    expect(owners.serviceOf('DbService')).to.equal('db');
    for (const shared of ['DefaultNetwork', 'DefaultNetworkIngress', 'DbFilesystem', 'DbNFSSecurityGroup', 'Cluster']) {
      expect(template.Resources[shared], shared).to.not.equal(undefined);
      expect(owners.serviceOf(shared), shared).to.equal(undefined);
    }
  });

  it('reads the service tag of a template deployed before owners were written', () => {
    const owners = resourceOwners({
      Resources: {
        WebService: { Type: 'AWS::ECS::Service', Properties: { Tags: [{ Key: 'com.docker.compose.service', Value: 'web' }] } },
        WebTaskDefinitionPolicy: { Type: 'AWS::IAM::Policy' },
      },
    });
    expect(owners.serviceOf('WebService')).to.equal('web');
    expect(owners.serviceOf('WebTaskDefinitionPolicy')).to.equal(undefined);
  });
});
