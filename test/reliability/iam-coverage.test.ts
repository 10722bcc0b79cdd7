// docs/iam-policy.json, the least-privilege policy of the README, checked two ways:
// - every call a full run makes through the simulator (up: create, update, no change, a template
//   large enough for S3; ps; logs; logs -f; ls; down) is allowed by it;
// - every resource type the converter emits (the goldens, and every type named in src/convert)
//   has its create and delete actions allowed, because CloudFormation creates resources with the
//   caller's credentials unless a service role is given.
// And the other way round: every write action the policy lists is needed by one of the two.
import { expect } from 'chai';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordedCall } from '../sim/server.js';
import { repoRoot } from '../support/docker.js';
import { CRASH, startRig, writeProject, type Rig } from './harness.js';
import { installStandInSessionPlugin } from '../e2e/helpers.js';

interface Statement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: string | string[];
  Condition?: unknown;
}
const policy = JSON.parse(readFileSync(join(repoRoot, 'docs', 'iam-policy.json'), 'utf8')) as { Version: string; Statement: Statement[] };

/** IAM action matching: case-insensitive, `*` and `?` wildcards. */
function allows(action: string): boolean {
  return policy.Statement.some(
    (s) =>
      s.Effect === 'Allow' &&
      s.Action.some((pattern) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i').test(action)),
  );
}

/**
 * What CloudFormation calls, as the caller, to create, update and delete each resource type the
 * converter emits (from the resource providers' documented handler permissions, trimmed to the
 * properties the converter sets).
 */
const RESOURCE_ACTIONS: Record<string, string[]> = {
  'AWS::Logs::LogGroup': ['logs:CreateLogGroup', 'logs:DeleteLogGroup', 'logs:DescribeLogGroups', 'logs:PutRetentionPolicy', 'logs:DeleteRetentionPolicy', 'logs:TagResource', 'logs:UntagResource', 'logs:ListTagsForResource'],
  'AWS::ECS::Cluster': ['ecs:CreateCluster', 'ecs:DeleteCluster', 'ecs:UpdateCluster', 'ecs:UpdateClusterSettings', 'ecs:DescribeClusters', 'ecs:TagResource', 'ecs:UntagResource'],
  'AWS::ECS::TaskDefinition': ['ecs:RegisterTaskDefinition', 'ecs:DeregisterTaskDefinition', 'ecs:DescribeTaskDefinition', 'ecs:TagResource', 'iam:PassRole'],
  'AWS::ECS::Service': ['ecs:CreateService', 'ecs:UpdateService', 'ecs:DeleteService', 'ecs:DescribeServices', 'ecs:TagResource', 'elasticloadbalancing:DescribeTargetGroups', 'servicediscovery:GetService', 'iam:CreateServiceLinkedRole'],
  'AWS::ECS::CapacityProvider': ['ecs:CreateCapacityProvider', 'ecs:UpdateCapacityProvider', 'ecs:DeleteCapacityProvider', 'ecs:DescribeCapacityProviders', 'ecs:TagResource', 'autoscaling:CreateOrUpdateTags', 'autoscaling:DescribeAutoScalingGroups'],
  'AWS::ECS::ClusterCapacityProviderAssociations': ['ecs:PutClusterCapacityProviders', 'ecs:DescribeClusters'],
  'AWS::EC2::SecurityGroup': ['ec2:CreateSecurityGroup', 'ec2:DeleteSecurityGroup', 'ec2:DescribeSecurityGroups', 'ec2:AuthorizeSecurityGroupIngress', 'ec2:AuthorizeSecurityGroupEgress', 'ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress', 'ec2:CreateTags', 'ec2:DeleteTags'],
  'AWS::EC2::SecurityGroupIngress': ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:DescribeSecurityGroupRules', 'ec2:DescribeSecurityGroups'],
  'AWS::EC2::LaunchTemplate': ['ec2:CreateLaunchTemplate', 'ec2:CreateLaunchTemplateVersion', 'ec2:DeleteLaunchTemplate', 'ec2:DescribeLaunchTemplates', 'ec2:DescribeLaunchTemplateVersions', 'ec2:CreateTags', 'ssm:GetParameters', 'iam:PassRole'],
  'AWS::AutoScaling::AutoScalingGroup': ['autoscaling:CreateAutoScalingGroup', 'autoscaling:UpdateAutoScalingGroup', 'autoscaling:DeleteAutoScalingGroup', 'autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeScalingActivities', 'autoscaling:CreateOrUpdateTags', 'autoscaling:DeleteTags', 'ec2:RunInstances', 'ec2:CreateTags', 'ec2:DescribeLaunchTemplateVersions', 'iam:CreateServiceLinkedRole'],
  'AWS::IAM::Role': ['iam:CreateRole', 'iam:DeleteRole', 'iam:GetRole', 'iam:UpdateAssumeRolePolicy', 'iam:TagRole', 'iam:UntagRole', 'iam:PutRolePolicy', 'iam:GetRolePolicy', 'iam:DeleteRolePolicy', 'iam:ListRolePolicies', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy', 'iam:ListAttachedRolePolicies'],
  'AWS::IAM::InstanceProfile': ['iam:CreateInstanceProfile', 'iam:DeleteInstanceProfile', 'iam:GetInstanceProfile', 'iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:PassRole'],
  'AWS::ElasticLoadBalancingV2::LoadBalancer': ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:DeleteLoadBalancer', 'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeLoadBalancerAttributes', 'elasticloadbalancing:ModifyLoadBalancerAttributes', 'elasticloadbalancing:SetSecurityGroups', 'elasticloadbalancing:SetSubnets', 'elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags', 'elasticloadbalancing:DescribeTags', 'ec2:DescribeAccountAttributes', 'ec2:DescribeInternetGateways', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs', 'iam:CreateServiceLinkedRole'],
  'AWS::ElasticLoadBalancingV2::TargetGroup': ['elasticloadbalancing:CreateTargetGroup', 'elasticloadbalancing:DeleteTargetGroup', 'elasticloadbalancing:ModifyTargetGroup', 'elasticloadbalancing:ModifyTargetGroupAttributes', 'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetGroupAttributes', 'elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
  'AWS::ElasticLoadBalancingV2::ListenerCertificate': ['elasticloadbalancing:AddListenerCertificates', 'elasticloadbalancing:RemoveListenerCertificates', 'elasticloadbalancing:DescribeListenerCertificates'],
  'AWS::ElasticLoadBalancingV2::Listener': ['elasticloadbalancing:CreateListener', 'elasticloadbalancing:DeleteListener', 'elasticloadbalancing:ModifyListener', 'elasticloadbalancing:DescribeListeners'],
  'AWS::SecretsManager::Secret': ['secretsmanager:CreateSecret', 'secretsmanager:DeleteSecret', 'secretsmanager:DescribeSecret', 'secretsmanager:UpdateSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:TagResource', 'secretsmanager:UntagResource'],
  'AWS::EFS::FileSystem': ['elasticfilesystem:CreateFileSystem', 'elasticfilesystem:DeleteFileSystem', 'elasticfilesystem:DescribeFileSystems', 'elasticfilesystem:UpdateFileSystem', 'elasticfilesystem:PutLifecycleConfiguration', 'elasticfilesystem:DescribeLifecycleConfiguration', 'elasticfilesystem:PutBackupPolicy', 'elasticfilesystem:DescribeBackupPolicy', 'elasticfilesystem:TagResource', 'elasticfilesystem:UntagResource', 'elasticfilesystem:ListTagsForResource', 'iam:CreateServiceLinkedRole'],
  'AWS::EFS::MountTarget': ['elasticfilesystem:CreateMountTarget', 'elasticfilesystem:DeleteMountTarget', 'elasticfilesystem:DescribeMountTargets', 'elasticfilesystem:DescribeMountTargetSecurityGroups', 'elasticfilesystem:ModifyMountTargetSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeNetworkInterfaces', 'ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:DescribeNetworkInterfaceAttribute'],
  'AWS::EFS::AccessPoint': ['elasticfilesystem:CreateAccessPoint', 'elasticfilesystem:DeleteAccessPoint', 'elasticfilesystem:DescribeAccessPoints', 'elasticfilesystem:TagResource', 'elasticfilesystem:UntagResource', 'elasticfilesystem:ListTagsForResource'],
  'AWS::ServiceDiscovery::PrivateDnsNamespace': ['servicediscovery:CreatePrivateDnsNamespace', 'servicediscovery:DeleteNamespace', 'servicediscovery:GetNamespace', 'servicediscovery:GetOperation', 'servicediscovery:TagResource', 'servicediscovery:UntagResource', 'route53:CreateHostedZone', 'route53:DeleteHostedZone', 'route53:GetHostedZone', 'route53:ListHostedZonesByName', 'route53:ChangeResourceRecordSets', 'route53:GetChange', 'ec2:DescribeVpcs', 'ec2:DescribeVpcAttribute', 'ec2:DescribeRegions'],
  'AWS::ServiceDiscovery::Service': ['servicediscovery:CreateService', 'servicediscovery:DeleteService', 'servicediscovery:GetService', 'servicediscovery:UpdateService', 'servicediscovery:TagResource', 'servicediscovery:UntagResource'],
  // wait conditions are CloudFormation's own: no service call, the handle is a presigned URL
  'AWS::CloudFormation::WaitCondition': [],
  'AWS::CloudFormation::WaitConditionHandle': [],
  'AWS::ApplicationAutoScaling::ScalableTarget': ['application-autoscaling:RegisterScalableTarget', 'application-autoscaling:DeregisterScalableTarget', 'application-autoscaling:DescribeScalableTargets', 'application-autoscaling:TagResource', 'ecs:DescribeServices', 'ecs:UpdateService', 'iam:CreateServiceLinkedRole'],
  'AWS::ApplicationAutoScaling::ScalingPolicy': ['application-autoscaling:PutScalingPolicy', 'application-autoscaling:DeleteScalingPolicy', 'application-autoscaling:DescribeScalingPolicies', 'cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms', 'cloudwatch:DescribeAlarms'],
};

const CREATE = /:(Create|Register|Put|Authorize|Run|Add)/;
const DELETE = /:(Delete|Deregister|Revoke|Remove)/;
/** Types whose delete is an update: the associations are removed by putting an empty list. */
const DELETED_BY_PUT: Record<string, string> = { 'AWS::ECS::ClusterCapacityProviderAssociations': 'ecs:PutClusterCapacityProviders' };

/** Resource types in the goldens, and every type the converter can emit (named in its source). */
function emittedTypes(): { golden: Set<string>; converter: Set<string> } {
  const golden = new Set<string>();
  for (const f of readdirSync(join(repoRoot, 'test', 'golden')).filter((f) => f.endsWith('.yaml'))) {
    const text = readFileSync(join(repoRoot, 'test', 'golden', f), 'utf8');
    // resource types only: Parameters use AWS::EC2::VPC::Id-style types (four parts)
    for (const m of text.matchAll(/^\s+Type: (AWS::\w+::\w+)\s*$/gm)) golden.add(m[1]!);
  }
  const converter = new Set<string>();
  for (const f of readdirSync(join(repoRoot, 'src', 'convert')).filter((f) => f.endsWith('.ts'))) {
    for (const m of readFileSync(join(repoRoot, 'src', 'convert', f), 'utf8').matchAll(/'(AWS::\w+::\w+)'/g)) converter.add(m[1]!);
  }
  return { golden, converter };
}

/** The IAM actions behind one recorded API call. */
function actionsOf(call: RecordedCall): string[] {
  if (call.service === 's3') {
    const s3: Record<string, string> = { HeadBucket: 's3:ListBucket', PutBucketLifecycle: 's3:PutLifecycleConfiguration', PutBucketLifecycleConfiguration: 's3:PutLifecycleConfiguration' };
    return [s3[call.operation] ?? `s3:${call.operation}`];
  }
  const actions = [`${call.service}:${call.operation}`];
  // CloudFormation fetches a TemplateURL with the caller's permissions
  if (call.service === 'cloudformation' && call.params.TemplateURL) actions.push('s3:GetObject');
  return actions;
}

describe('least privilege: docs/iam-policy.json', function () {
  this.timeout(120_000);

  it('is a valid policy that fits a customer managed policy (6,144 characters)', () => {
    expect(policy.Version).to.equal('2012-10-17');
    expect(JSON.stringify(policy).length).to.be.below(6144);
    for (const s of policy.Statement) {
      expect(s.Sid).to.match(/^[A-Za-z0-9]+$/);
      expect(s.Effect).to.equal('Allow');
      for (const a of s.Action) expect(a).to.match(/^[a-z0-9-]+:[A-Za-z*?]+$/);
      // no service-wide wildcard, and no write wildcard
      for (const a of s.Action) expect(a, a).to.match(/:(Describe|Get|List)\*$|:[A-Za-z]+$/);
    }
    // reading secret values is never granted: tasks read them through their own roles
    expect(allows('secretsmanager:GetSecretValue')).to.equal(false);
    expect(allows('iam:PassRole')).to.equal(true);
    expect(policy.Statement.find((s) => s.Action.includes('iam:PassRole'))?.Condition).to.deep.equal({
      StringEquals: { 'iam:PassedToService': ['ecs-tasks.amazonaws.com', 'ec2.amazonaws.com'] },
    });
  });

  it('covers the create and delete actions of every resource type the converter emits', () => {
    const { golden, converter } = emittedTypes();
    expect(golden.size).to.be.greaterThan(10);
    for (const type of [...golden, ...converter]) {
      const actions = RESOURCE_ACTIONS[type];
      expect(actions, `${type} has no entry in RESOURCE_ACTIONS`).to.not.equal(undefined);
      if (type.startsWith('AWS::CloudFormation::')) {
        expect(actions, `${type} is CloudFormation's own`).to.deep.equal([]);
        continue;
      }
      expect(actions!.some((a) => CREATE.test(a)), `${type}: a create action`).to.equal(true);
      expect(actions!.some((a) => DELETE.test(a) || a === DELETED_BY_PUT[type]), `${type}: a delete action`).to.equal(true);
      for (const a of actions!) expect(allows(a), `${type} needs ${a}`).to.equal(true);
    }
  });

  describe('a full run through the simulator', () => {
    let rig: Rig;
    let calls: RecordedCall[];
    before(async () => {
      rig = await startRig();
      const shop = join(rig.box.dir, 'shop');
      cpSync(join(repoRoot, 'examples', 'shop'), shop, { recursive: true });
      // over 51,200 bytes of template: up goes through the S3 bucket
      const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`svc${i}`, { image: 'public.ecr.aws/nginx/nginx:1.27', environment: { INDEX: String(i) } }]));
      const big = writeProject(rig, 'big', { 'compose.yaml': JSON.stringify({ services: { ...many, web: { image: 'public.ecr.aws/nginx/nginx:1.27', ports: ['80:80'] } } }) });
      const run = async (cwd: string, args: string[], extra: { interruptWhen?: RegExp; codes?: number[]; env?: Record<string, string> } = {}) => {
        const r = await rig.docker(['ecs', 'compose', ...args], { cwd, interruptWhen: extra.interruptWhen, ...(extra.env ? { env: extra.env } : {}) });
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).to.be.oneOf(extra.codes ?? [0]);
        expect(r.stderr).to.not.match(CRASH);
      };
      await run(shop, ['up', '--progress', 'plain']);
      await run(shop, ['up', '--progress', 'plain']); // no changes
      writeFileSync(join(shop, 'compose.yaml'), readFileSync(join(shop, 'compose.yaml'), 'utf8').replace('replicas: 2', 'replicas: 3'));
      await run(shop, ['up', '--dry-run', '--progress', 'plain']);
      await run(shop, ['up', '--progress', 'plain']); // an update through a change set
      await run(shop, ['ps']);
      await run(shop, ['logs', '--tail', '3']);
      await run(shop, ['logs', '-f'], { interruptWhen: /\|/, codes: [0, 130] });
      await run(shop, ['ls']);
      await run(shop, ['run', '-u', '1000', 'api', 'echo', 'ok']); // a derived revision: Register/DeregisterTaskDefinition
      await run(shop, ['exec', 'api', 'true'], { env: { PATH: `${installStandInSessionPlugin(rig.box.dir)}:${process.env.PATH ?? ''}` } });
      await run(shop, ['down', '--progress', 'plain']);
      await run(big, ['up', '--progress', 'plain']);
      await run(big, ['down', '--progress', 'plain']);
      calls = await rig.sim.calls();
    });
    after(async () => {
      await rig?.stop();
    });

    it('exercised every part of the plugin that talks to AWS', () => {
      const ops = new Set(calls.map((c) => c.operation));
      for (const op of ['CreateStack', 'CreateChangeSet', 'ExecuteChangeSet', 'DeleteChangeSet', 'DeleteStack', 'GetCallerIdentity', 'DescribeVpcs', 'ListTasks', 'FilterLogEvents', 'StartLiveTail', 'PutObject', 'DescribeFileSystems', 'RunTask', 'RegisterTaskDefinition', 'DeregisterTaskDefinition', 'ExecuteCommand']) {
        expect(ops.has(op), op).to.equal(true);
      }
    });

    it('every call it made is allowed by the policy', () => {
      const needed = [...new Set(calls.flatMap(actionsOf))].sort();
      expect(needed.filter((a) => !allows(a))).to.deep.equal([]);
    });

    it('every action the policy lists by name is needed by the run, by a failure path, or by a resource type', () => {
      // calls a healthy run does not make: the last lines of a stopped task when a deployment fails
      // and a one-shot job's task (one-shot-jobs.ts), which runs only for projects that have one;
      // `run`'s StopTask, made only when a run is interrupted (test/e2e/run-exec.test.ts);
      // the Cloud Map namespace that holds a new stack's name, asked only when a leftover zone is found (leftover-names.ts)
      // the certificate check (certificates.ts), only for projects with x-aws-certificate
      const failurePaths = ['logs:GetLogEvents', 'ecs:RunTask', 'ecs:StopTask', 'servicediscovery:ListNamespaces', 'acm:DescribeCertificate'];
      // projects with build: (aws/ecr.ts, test/e2e/build.test.ts): the plugin's ECR calls (up
      // --no-build reads a pushed image's config when the engine lacks it), and what `docker push`
      // calls with the ECR login (the ECR user guide's push permissions)
      const buildPaths = ['ecr:CreateRepository', 'ecr:PutLifecyclePolicy', 'ecr:GetAuthorizationToken', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];
      const dockerPush = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:CompleteLayerUpload', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart'];
      // CreateRepository with tags needs TagResource too (ECR user guide, tagging on creation)
      const tagOnCreate = ['ecr:TagResource'];
      const source = readdirSync(join(repoRoot, 'src', 'aws')).map((f) => readFileSync(join(repoRoot, 'src', 'aws', f), 'utf8')).join('\n');
      for (const a of [...failurePaths, ...buildPaths]) expect(source, `${a} is still used`).to.include(`${a.split(':')[1]}Command`);
      const justified = new Set([...calls.flatMap(actionsOf), ...failurePaths, ...buildPaths, ...dockerPush, ...tagOnCreate, ...Object.values(RESOURCE_ACTIONS).flat()].map((a) => a.toLowerCase()));
      const listed = policy.Statement.flatMap((s) => s.Action).filter((a) => !a.includes('*'));
      expect(listed.filter((a) => !justified.has(a.toLowerCase()))).to.deep.equal([]);
    });
  });
});
