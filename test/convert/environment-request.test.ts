import { expect } from 'chai';
import { environmentRequestOf } from '../../src/convert/environment-request.js';
import { convertYaml } from './helpers.js';

describe('what up looks up in AWS, read by the converter\'s own readers', () => {
  it('asks AWS about the same VPC, subnets and cluster the template uses, white space trimmed', () => {
    const { template, project } = convertYaml(`
x-aws-vpc: "vpc-0abc "
x-aws-subnets: [" subnet-a", "subnet-b "]
x-aws-cluster: " prod"
services:
  web:
    image: nginx
`);
    const request = environmentRequestOf(project);
    expect(request).to.include({ vpc: 'vpc-0abc', cluster: 'prod' });
    expect(request.subnets).to.deep.equal(['subnet-a', 'subnet-b']);
    expect(template.Parameters?.VpcId?.Default).to.equal('vpc-0abc');
    expect(template.Parameters?.SubnetIds?.Default).to.equal('subnet-a,subnet-b');
  });

  it('refuses a value that is only white space, naming the key', () => {
    const project = { name: 'demo', extensions: { 'x-aws-vpc': '  ' }, networks: {}, secrets: {}, volumes: {} } as unknown as Parameters<typeof environmentRequestOf>[0];
    expect(() => environmentRequestOf(project)).to.throw('x-aws-vpc must be a non-empty string, got "  ".');
  });
});
