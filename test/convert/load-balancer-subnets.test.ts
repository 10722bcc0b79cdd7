import { expect } from 'chai';
import { convertYaml, props } from './helpers.js';
import { UserError } from '../../src/errors.js';

const WEB = 'services: { web: { image: nginx, ports: ["80:80"] } }';
const DB = 'services: { db: { image: postgres, ports: ["5432:5432"] } }';
const [a1, a2, b1] = ['subnet-000000a1', 'subnet-000000a2', 'subnet-000000b1'];

describe('convert: the load balancer subnets', () => {
  it('gives the load balancer one subnet per zone when up knows the zones (the first of each), the tasks all of them', () => {
    const environment = { subnetIds: [a2, a1, b1], subnetsByZone: { 'eu-west-1b': [b1], 'eu-west-1a': [a2, a1] } };
    const { template } = convertYaml(WEB, { environment });
    expect(props(template, 'LoadBalancer').Subnets).to.deep.equal([a1, b1]);
    expect(props(template, 'WebService').NetworkConfiguration.AwsvpcConfiguration.Subnets).to.deep.equal({ Ref: 'SubnetIds' });
  });

  it('uses the SubnetIds parameter offline, where the zones are not known', () => {
    expect(props(convertYaml(WEB).template, 'LoadBalancer').Subnets).to.deep.equal({ Ref: 'SubnetIds' });
  });

  it('refuses an Application Load Balancer in one zone, and lets a Network Load Balancer have one', () => {
    const environment = { subnetIds: [a1, a2], subnetsByZone: { 'eu-west-1a': [a1, a2] } };
    expect(() => convertYaml(WEB, { environment })).to.throw(
      UserError,
      'The load balancer for the published ports is an Application Load Balancer, which needs subnets in at least two availability zones, but the subnets are all in eu-west-1a.',
    );
    expect(props(convertYaml(DB, { environment }).template, 'LoadBalancer').Subnets).to.deep.equal([a1]);
  });
});
