import { expect } from 'chai';
import { convertYaml, idsOfType, props } from './helpers.js';
import { UserError } from '../../src/errors.js';

describe('convert: networks', () => {
  it('creates a security group per network, tagged with the network name, whose members reach each other', () => {
    const { template } = convertYaml(`
services:
  web: { image: nginx, networks: [front-tier, back-tier] }
  db: { image: postgres, networks: [back-tier] }
networks:
  front-tier: { name: public }
  back-tier: {}
`);
    expect(idsOfType(template, 'AWS::EC2::SecurityGroup')).to.deep.equal(['BacktierNetwork', 'FronttierNetwork']);
    expect(props(template, 'FronttierNetwork').Tags).to.deep.include({ Key: 'com.docker.compose.network', Value: 'public' });
    expect(props(template, 'BacktierNetworkIngress')).to.deep.equal({
      Description: 'Allow communication within network back-tier',
      IpProtocol: '-1',
      GroupId: { Ref: 'BacktierNetwork' },
      SourceSecurityGroupId: { Ref: 'BacktierNetwork' },
    });
    expect(props(template, 'WebService').NetworkConfiguration.AwsvpcConfiguration.SecurityGroups).to.deep.equal([{ Ref: 'BacktierNetwork' }, { Ref: 'FronttierNetwork' }]);
    expect(props(template, 'DbService').NetworkConfiguration.AwsvpcConfiguration.SecurityGroups).to.deep.equal([{ Ref: 'BacktierNetwork' }]);
  });

  it('puts services without networks on the default network', () => {
    const { template } = convertYaml('services: { web: { image: nginx } }');
    expect(idsOfType(template, 'AWS::EC2::SecurityGroup')).to.deep.equal(['DefaultNetwork']);
    expect(props(template, 'DefaultNetwork').Tags).to.deep.include({ Key: 'com.docker.compose.network', Value: 'app_default' });
  });

  it('uses an external network as an existing security group id and creates nothing for it', () => {
    const { template } = convertYaml(`
services: { web: { image: nginx } }
networks:
  default: { external: true, name: sg-00123abc }
`);
    expect(idsOfType(template, 'AWS::EC2::SecurityGroup')).to.deep.equal([]);
    expect(props(template, 'WebService').NetworkConfiguration.AwsvpcConfiguration.SecurityGroups).to.deep.equal(['sg-00123abc']);
  });

  it('accepts the deprecated x-aws-securitygroup with a warning', () => {
    const { template, diagnostics } = convertYaml(`
services: { web: { image: nginx } }
networks:
  default: { x-aws-securitygroup: sg-00000def }
`);
    expect(props(template, 'WebService').NetworkConfiguration.AwsvpcConfiguration.SecurityGroups).to.deep.equal(['sg-00000def']);
    expect(diagnostics.map((d) => d.key)).to.deep.equal(['networks.default.x-aws-securitygroup']);
  });

  it('refuses an external network that is not named by a security group id', () => {
    expect(() => convertYaml('services: { web: { image: nginx } }\nnetworks: { default: { external: true, name: corp } }')).to.throw(UserError, /External network default must be named by the id of an existing security group/);
  });

  it('warns once per network about ipam and other keys with no ECS meaning', () => {
    const { diagnostics } = convertYaml(`
services: { web: { image: nginx, networks: [dns-net] } }
networks:
  dns-net: { ipam: { config: [{ subnet: 172.20.0.0/24 }] }, internal: true }
`);
    expect(diagnostics.map((d) => d.key)).to.deep.equal(['networks.dns-net.ipam', 'networks.dns-net.internal']);
  });
});
