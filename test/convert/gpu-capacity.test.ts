import { expect } from 'chai';
import { container, convertYaml, props, resource, refusal } from './helpers.js';
import { selectGpuInstanceType } from '../../src/convert/gpu-capacity.js';

const GPU = `
services:
  trainer:
    image: example/trainer:1
    deploy:
      resources:
        limits: { cpus: "4", memory: 8G }
        reservations:
          devices: [{ capabilities: [gpu], count: 1, driver: nvidia }]
  web:
    image: nginx
`;


describe('convert: GPU capacity', () => {
  it('runs a GPU service on EC2 with a GPU requirement, through the project capacity provider', () => {
    const { template } = convertYaml(GPU);
    const task = props(template, 'TrainerTaskDefinition');
    expect(task).to.deep.include({ RequiresCompatibilities: ['EC2'], NetworkMode: 'awsvpc', Cpu: '4096', Memory: '8192' });
    expect(container(template, 'trainer').ResourceRequirements).to.deep.equal([{ Type: 'GPU', Value: '1' }]);
    const service = resource(template, 'TrainerService');
    expect(service.Properties).not.to.have.property('LaunchType');
    expect(service.Properties).not.to.have.property('PlatformVersion');
    expect(service.Properties!.CapacityProviderStrategy).to.deep.equal([{ CapacityProvider: { Ref: 'CapacityProvider' }, Weight: 1, Base: 0 }]);
    expect(service.DependsOn).to.include('ClusterCapacityProviderAssociations');
    // EC2 tasks cannot have a public IP
    expect((service.Properties!.NetworkConfiguration as { AwsvpcConfiguration: object }).AwsvpcConfiguration).not.to.have.property('AssignPublicIp');
  });

  it('keeps services without GPUs on Fargate in the same cluster, which defaults to FARGATE', () => {
    const { template } = convertYaml(GPU);
    expect(props(template, 'WebService')).to.deep.include({ LaunchType: 'FARGATE', PlatformVersion: '1.4.0' });
    expect(props(template, 'WebTaskDefinition').RequiresCompatibilities).to.deep.equal(['FARGATE']);
    expect(props(template, 'ClusterCapacityProviderAssociations')).to.deep.equal({
      Cluster: { Ref: 'Cluster' },
      CapacityProviders: ['FARGATE', { Ref: 'CapacityProvider' }],
      DefaultCapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Weight: 1 }],
    });
  });

  it('serves it with managed scaling over an Auto Scaling group launched from a launch template with the GPU AMI parameter', () => {
    const { template } = convertYaml(GPU);
    expect(template.Parameters!.GpuImageId).to.deep.include({
      Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
      Default: '/aws/service/ecs/optimized-ami/amazon-linux-2/gpu/recommended/image_id',
    });
    expect(props(template, 'CapacityProvider').AutoScalingGroupProvider).to.deep.equal({
      AutoScalingGroupArn: { Ref: 'AutoscalingGroup' },
      ManagedScaling: { Status: 'ENABLED', TargetCapacity: 100 },
      ManagedTerminationProtection: 'DISABLED',
    });
    const asg = props(template, 'AutoscalingGroup');
    expect(asg).to.deep.include({ MinSize: '0', MaxSize: '10', VPCZoneIdentifier: { Ref: 'SubnetIds' } });
    expect(asg.LaunchTemplate).to.deep.equal({ LaunchTemplateId: { Ref: 'LaunchTemplate' }, Version: { 'Fn::GetAtt': ['LaunchTemplate', 'LatestVersionNumber'] } });
    expect(Object.values(template.Resources).map((r) => r.Type)).not.to.include('AWS::AutoScaling::LaunchConfiguration');
    const data = props(template, 'LaunchTemplate').LaunchTemplateData;
    expect(data).to.deep.include({ ImageId: { Ref: 'GpuImageId' }, InstanceType: 'g4dn.xlarge', IamInstanceProfile: { Arn: { 'Fn::GetAtt': ['EC2InstanceProfile', 'Arn'] } } });
    expect(data.UserData['Fn::Base64']['Fn::Sub']).to.include('ECS_CLUSTER=${Cluster}');
    expect(props(template, 'EC2InstanceProfile').Roles).to.deep.equal([{ Ref: 'EC2InstanceRole' }]);
    expect(props(template, 'EC2InstanceRole').ManagedPolicyArns).to.deep.equal([{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role' }]);
    expect(props(template, 'EC2InstanceSecurityGroup')).not.to.have.property('SecurityGroupIngress');
    expect(asg.Tags).to.deep.include({ Key: 'AmazonECSManaged', Value: 'true', PropagateAtLaunch: true });
    expect(props(template, 'CapacityProvider')).not.to.have.property('Name');
  });

  it('names the capacity provider when the stack name would give one ECS refuses (aws*, ecs*, fargate*)', () => {
    const gpu = 'services: { ml: { image: a, deploy: { resources: { reservations: { devices: [{ capabilities: [gpu], count: 1 }] } } } } }';
    for (const [project, name] of [['ecs-ml', 'cp-ecs-ml-gpu'], ['aws_infer', 'cp-aws-infer-gpu'], ['fargate1', 'cp-fargate1-gpu']] as const) {
      expect(props(convertYaml(gpu, { projectName: project }).template, 'CapacityProvider').Name).to.equal(name);
    }
  });

  it('chooses the cheapest instance type of the table that holds the memory, vCPUs and GPUs asked for', () => {
    expect(selectGpuInstanceType({ vcpus: 1, memoryMiB: 2048, gpus: 1 })!.type).to.equal('g4dn.xlarge');
    // 16 GiB asked does not fit a 16 GiB instance: the OS and agent keep some
    expect(selectGpuInstanceType({ vcpus: 4, memoryMiB: 16384, gpus: 1 })!.type).to.equal('g4dn.2xlarge');
    expect(selectGpuInstanceType({ vcpus: 8, memoryMiB: 8192, gpus: 4 })!.type).to.equal('g4dn.12xlarge');
    expect(selectGpuInstanceType({ vcpus: 8, memoryMiB: 8192, gpus: 8 })!.type).to.equal('g4dn.metal');
    expect(selectGpuInstanceType({ vcpus: 200, memoryMiB: 8192, gpus: 1 })).to.equal(undefined);
    const big = convertYaml(`
services:
  llm:
    image: a
    deploy: { resources: { reservations: { memory: 100G, generic_resources: [{ discrete_resource_spec: { kind: gpus, value: 4 } }] } } }
`).template;
    expect(props(big, 'LaunchTemplate').LaunchTemplateData.InstanceType).to.equal('g4dn.12xlarge');
    expect(container(big, 'llm').ResourceRequirements).to.deep.equal([{ Type: 'GPU', Value: '4' }]);
  });

  it('lets node.machine and node.ami constraints choose the instance type and the AMI', () => {
    const { template, diagnostics } = convertYaml(`
services:
  gpu:
    image: a
    deploy:
      placement: { constraints: ["node.machine == p3.2xlarge", "node.ami == ami-0123456789abcdef0", "node.labels.zone == a"] }
      resources: { reservations: { devices: [{ capabilities: [gpu], count: 1 }] } }
`);
    expect(props(template, 'LaunchTemplate').LaunchTemplateData).to.deep.include({ InstanceType: 'p3.2xlarge', ImageId: 'ami-0123456789abcdef0' });
    expect(template.Parameters).not.to.have.property('GpuImageId');
    expect(diagnostics.map((d) => d.message)).to.deep.equal(['Service gpu: deploy.placement constraints node.labels.zone == a ignored: only node.machine and node.ami apply, to the GPU instances.']);
  });

  it('maps the gpus key and counts a device request without count as one GPU, with a warning', () => {
    const { template, diagnostics } = convertYaml('services: { gpu: { image: a, gpus: all } }');
    expect(container(template, 'gpu').ResourceRequirements).to.deep.equal([{ Type: 'GPU', Value: '1' }]);
    expect(props(template, 'GpuTaskDefinition').Memory).to.equal('2048');
    expect(diagnostics.map((d) => d.message)).to.deep.equal(['Service gpu reserves all GPUs of the host; ECS reserves a number of GPUs, so it gets 1 (set count to ask for more).']);
  });

  it('refuses GPU services on an existing cluster and GPU services that disagree on node.machine', () => {
    expect(refusal(`x-aws-cluster: arn:aws:ecs:eu-west-1:123456789012:cluster/shared\n${GPU}`).message).to.match(/^Service trainer reserves GPUs, which need an EC2 capacity provider on the project's own cluster/);
    expect(
      refusal(`
services:
  a: { image: a, deploy: { placement: { constraints: ["node.machine == g5.xlarge"] }, resources: { reservations: { devices: [{ capabilities: [gpu], count: 1 }] } } } }
  b: { image: b, deploy: { placement: { constraints: ["node.machine == g6.xlarge"] }, resources: { reservations: { devices: [{ capabilities: [gpu], count: 1 }] } } } }
`).message,
    ).to.match(/^GPU services ask for different node.machine \(a: g5.xlarge, b: g6.xlarge\)/);
  });

  it('adds no EC2 capacity to a project without GPUs', () => {
    const { template } = convertYaml('services: { web: { image: nginx } }');
    expect(Object.keys(template.Resources).filter((id) => /CapacityProvider|Autoscaling|LaunchTemplate|EC2/.test(id))).to.deep.equal([]);
  });
});
