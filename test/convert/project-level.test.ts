import { expect } from 'chai';
import { convertYaml, idsOfType, props, resource } from './helpers.js';
import { specResource } from '../support/cfn-spec.js';
import { UserError } from '../../src/errors.js';

const SIMPLE = `
services:
  web:
    image: nginx
`;

// The resource spec lists Tags on listeners, but cfn-lint (E3002) and CloudFormation schemas
// before 2026 reject them ("extraneous key [Tags] is not permitted"); the stack tags carry the project.
const UNTAGGABLE_IN_PRACTICE = new Set(['AWS::ElasticLoadBalancingV2::Listener']);

describe('convert: project-level resources', () => {
  it('creates a cluster named after the project, tagged with it', () => {
    const { template } = convertYaml(SIMPLE);
    expect(props(template, 'Cluster')).to.deep.equal({ ClusterName: 'app', Tags: [{ Key: 'com.docker.compose.project', Value: 'app' }] });
  });

  it('reuses the cluster x-aws-cluster names, records it in Metadata, and creates none', () => {
    const arn = 'arn:aws:ecs:eu-west-1:123456789012:cluster/shared';
    const { template } = convertYaml(`x-aws-cluster: ${arn}\n${SIMPLE}`);
    expect(template.Resources).not.to.have.property('Cluster');
    expect(template.Metadata).to.deep.equal({ Cluster: arn });
    expect(props(template, 'WebService').Cluster).to.equal(arn);
  });

  it('creates the log group /docker-compose/<project>, logs kept 30 days unless x-aws-logs_retention says otherwise (0: forever)', () => {
    expect(props(convertYaml(SIMPLE).template, 'LogGroup')).to.deep.include({ LogGroupName: '/docker-compose/app', RetentionInDays: 30 });
    expect(props(convertYaml(`x-aws-logs_retention: 14\n${SIMPLE}`).template, 'LogGroup').RetentionInDays).to.equal(14);
    expect(props(convertYaml(`x-aws-logs_retention: 0\n${SIMPLE}`).template, 'LogGroup')).to.not.have.property('RetentionInDays');
  });

  it('refuses a retention CloudWatch does not offer, and a retention that is not a number', () => {
    expect(() => convertYaml(`x-aws-logs_retention: 10\n${SIMPLE}`)).to.throw(UserError, /x-aws-logs_retention is 10 days; CloudWatch Logs accepts one of/);
    expect(() => convertYaml(`x-aws-logs_retention: a week\n${SIMPLE}`)).to.throw(UserError, /x-aws-logs_retention must be a whole number/);
  });

  it('creates the Cloud Map namespace <project>.local in the VPC parameter', () => {
    expect(props(convertYaml(SIMPLE).template, 'CloudMap')).to.deep.include({ Name: 'app.local', Vpc: { Ref: 'VpcId' } });
  });

  it('declares the VPC and subnets as typed parameters without defaults when nothing gives them', () => {
    const { template } = convertYaml(SIMPLE);
    expect(template.Parameters!.VpcId).to.deep.include({ Type: 'AWS::EC2::VPC::Id' }).and.not.have.property('Default');
    expect(template.Parameters!.SubnetIds).to.deep.include({ Type: 'List<AWS::EC2::Subnet::Id>' }).and.not.have.property('Default');
  });

  it('takes the parameter defaults from x-aws-vpc (ID or ARN) and x-aws-subnets', () => {
    const { template } = convertYaml(`x-aws-vpc: arn:aws:ec2:us-west-1:123456789012:vpc/vpc-1234acbd\nx-aws-subnets: [subnet-a, subnet-b]\n${SIMPLE}`);
    expect(template.Parameters!.VpcId!.Default).to.equal('vpc-1234acbd');
    expect(template.Parameters!.SubnetIds!.Default).to.equal('subnet-a,subnet-b');
  });

  it('takes the parameter defaults from the environment up looked up, the file winning', () => {
    const environment = { vpcId: 'vpc-env', subnetIds: ['subnet-00000001', 'subnet-00000002'] };
    expect(convertYaml(SIMPLE, { environment }).template.Parameters!.VpcId!.Default).to.equal('vpc-env');
    expect(convertYaml(`x-aws-vpc: vpc-file\n${SIMPLE}`, { environment }).template.Parameters!.VpcId!.Default).to.equal('vpc-file');
  });

  it('tags every resource that takes tags with the project', () => {
    const { template } = convertYaml(`
services:
  web: { image: nginx, ports: ["80:80"], x-aws-policies: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"] }
  db: { image: postgres, expose: ["5432"], networks: [back] }
networks:
  back: {}
`);
    const untagged: string[] = [];
    for (const id of Object.keys(template.Resources).sort()) {
      const r = resource(template, id);
      const tagProperty = specResource(r.Type)?.tagInformation?.tagPropertyName;
      if (!tagProperty || UNTAGGABLE_IN_PRACTICE.has(r.Type)) continue;
      const tags = (r.Properties?.[tagProperty] ?? []) as { Key: string; Value: string }[];
      if (!tags.some((t) => t.Key === 'com.docker.compose.project' && t.Value === 'app')) untagged.push(id);
    }
    expect(untagged).to.deep.equal([]);
    expect(idsOfType(template, 'AWS::ECS::Service')).to.deep.equal(['DbService', 'WebService']);
    for (const id of idsOfType(template, 'AWS::ElasticLoadBalancingV2::Listener')) expect(resource(template, id).Properties).not.to.have.property('Tags');
  });

  it('warns about an x-aws key it does not know at the top level', () => {
    const { diagnostics } = convertYaml(`x-aws-clutser: x\n${SIMPLE}`);
    expect(diagnostics.map((d) => d.key)).to.deep.equal(['x-aws-clutser']);
  });
});
