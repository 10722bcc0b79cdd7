import { expect } from 'chai';
import { container, convertYaml, idsOfType, props, resource, refusal } from './helpers.js';

const DB = `
services:
  db:
    image: postgres
    volumes: ["db-data:/var/lib/postgresql/data"]
volumes:
  db-data: {}
`;


describe('convert: volumes on EFS', () => {
  it('makes a named volume an encrypted file system kept on down, tagged with project, volume and Name', () => {
    const { template } = convertYaml(DB);
    const fs = resource(template, 'DbdataFilesystem');
    expect(fs.Type).to.equal('AWS::EFS::FileSystem');
    expect(fs.DeletionPolicy).to.equal('Retain');
    expect(fs.UpdateReplacePolicy).to.equal('Retain');
    expect(fs.Properties).to.deep.equal({
      Encrypted: true,
      FileSystemTags: [
        { Key: 'com.docker.compose.project', Value: 'app' },
        { Key: 'com.docker.compose.volume', Value: 'db-data' },
        { Key: 'Name', Value: 'app_db-data' },
      ],
    });
  });

  it('maps the driver_opts the old integration read onto the file system', () => {
    const { template } = convertYaml(`
services: { db: { image: postgres, volumes: ["data:/data"] } }
volumes:
  data:
    driver_opts:
      backup_policy: ENABLED
      lifecycle_policy: AFTER_30_DAYS
      performance_mode: maxIO
      throughput_mode: provisioned
      provisioned_throughput: "128"
      kms_key_id: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
`);
    expect(props(template, 'DataFilesystem')).to.deep.include({
      BackupPolicy: { Status: 'ENABLED' },
      LifecyclePolicies: [{ TransitionToIA: 'AFTER_30_DAYS' }],
      PerformanceMode: 'maxIO',
      ThroughputMode: 'provisioned',
      ProvisionedThroughputInMibps: 128,
      KmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });
  });

  it('refuses driver_opts values EFS would reject, naming the volume and option', () => {
    expect(refusal('services: { db: { image: a, volumes: ["d:/d"] } }\nvolumes: { d: { driver_opts: { lifecycle_policy: "30 days" } } }').message).to.match(/^Volume d: driver_opts.lifecycle_policy must be one of AFTER_1_DAY/);
    expect(refusal('services: { db: { image: a, volumes: ["d:/d"] } }\nvolumes: { d: { driver_opts: { provisioned_throughput: fast } } }').message).to.equal(
      'Volume d: driver_opts.provisioned_throughput must be a number of MiB/s, got "fast".',
    );
    expect(refusal('services: { db: { image: a, volumes: ["d:/d"] } }\nvolumes: { d: { driver_opts: { uid: nobody } } }').message).to.equal('Volume d: driver_opts.uid must be a number, got "nobody".');
  });

  it('warns about driver_opts EFS does not read', () => {
    const { diagnostics } = convertYaml('services: { db: { image: a, volumes: ["d:/d"] } }\nvolumes: { d: { driver_opts: { performance-mode: maxIO } } }');
    expect(diagnostics.map((d) => d.message)).to.deep.equal([
      'Volume d: driver_opts performance-mode ignored (EFS reads backup_policy, gid, kms_key_id, lifecycle_policy, performance_mode, permissions, provisioned_throughput, root_directory, throughput_mode, uid).',
    ]);
  });

  it('gives each volume an access point; with a POSIX user it roots at a directory created for that user', () => {
    const plain = convertYaml(DB).template;
    expect(props(plain, 'DbdataAccessPoint')).to.deep.equal({
      AccessPointTags: props(plain, 'DbdataFilesystem').FileSystemTags,
      FileSystemId: { Ref: 'DbdataFilesystem' },
    });
    const user = convertYaml('services: { db: { image: a, volumes: ["d:/d"] } }\nvolumes: { d: { driver_opts: { uid: "1000", gid: "1001" } } }').template;
    expect(props(user, 'DAccessPoint')).to.deep.include({
      PosixUser: { Uid: '1000', Gid: '1001' },
      RootDirectory: { Path: '/data', CreationInfo: { OwnerUid: '1000', OwnerGid: '1001', Permissions: '0755' } },
    });
    const dir = convertYaml('services: { db: { image: a, volumes: ["d:/d"] } }\nvolumes: { d: { driver_opts: { uid: "70", root_directory: /pg, permissions: "0700" } } }').template;
    expect(props(dir, 'DAccessPoint').RootDirectory).to.deep.equal({ Path: '/pg', CreationInfo: { OwnerUid: '70', OwnerGid: '70', Permissions: '0700' } });
  });

  it('puts one mount target in each availability zone up reports, on the first subnet of the zone', () => {
    const { template } = convertYaml(DB, {
      environment: { subnetIds: ['subnet-000000a2', 'subnet-000000a1', 'subnet-000000b1'], subnetsByZone: { 'eu-west-1b': ['subnet-000000b1'], 'eu-west-1a': ['subnet-000000a2', 'subnet-000000a1'] } },
    });
    expect(idsOfType(template, 'AWS::EFS::MountTarget')).to.deep.equal(['DbdataNFSMountTargetOnSubnet000000a1', 'DbdataNFSMountTargetOnSubnet000000b1']);
    expect(props(template, 'DbdataNFSMountTargetOnSubnet000000a1')).to.deep.equal({
      FileSystemId: { Ref: 'DbdataFilesystem' },
      SubnetId: 'subnet-000000a1',
      SecurityGroups: [{ Ref: 'DbdataNFSSecurityGroup' }],
    });
  });

  it('offline, puts mount targets on the subnets it knows, or on the first two of the SubnetIds parameter', () => {
    const known = convertYaml(`x-aws-subnets: [subnet-00000001, subnet-00000002, subnet-00000003]\n${DB}`).template;
    expect(idsOfType(known, 'AWS::EFS::MountTarget')).to.deep.equal(['DbdataNFSMountTargetOnSubnet00000001', 'DbdataNFSMountTargetOnSubnet00000002', 'DbdataNFSMountTargetOnSubnet00000003']);
    const unknown = convertYaml(DB).template;
    expect(idsOfType(unknown, 'AWS::EFS::MountTarget')).to.deep.equal(['DbdataNFSMountTarget0', 'DbdataNFSMountTarget1']);
    expect(props(unknown, 'DbdataNFSMountTarget1').SubnetId).to.deep.equal({ 'Fn::Select': [1, { Ref: 'SubnetIds' }] });
  });

  it('opens NFS (2049) on the mount targets to the networks of the services that mount the volume, and nothing else', () => {
    const { template } = convertYaml(`
services:
  db: { image: postgres, volumes: ["data:/data"], networks: [back] }
  backup: { image: restic, volumes: ["data:/data:ro"], networks: [back, ops] }
  web: { image: nginx, networks: [front] }
volumes: { data: {} }
networks: { back: {}, ops: {}, front: {} }
`);
    expect(props(template, 'DataNFSSecurityGroup').SecurityGroupIngress).to.deep.equal([
      { Description: 'NFS from backup, db on back network', IpProtocol: 'tcp', FromPort: 2049, ToPort: 2049, SourceSecurityGroupId: { Ref: 'BackNetwork' } },
      { Description: 'NFS from backup on ops network', IpProtocol: 'tcp', FromPort: 2049, ToPort: 2049, SourceSecurityGroupId: { Ref: 'OpsNetwork' } },
    ]);
  });

  it('mounts the volume through its access point with TLS and IAM, honouring read_only', () => {
    const { template } = convertYaml(`
services:
  app: { image: a, volumes: ["data:/data", "data:/mirror:ro"] }
volumes: { data: {} }
`);
    expect(props(template, 'AppTaskDefinition').Volumes).to.deep.equal([
      {
        Name: 'Data',
        EFSVolumeConfiguration: { FilesystemId: { Ref: 'DataFilesystem' }, TransitEncryption: 'ENABLED', AuthorizationConfig: { AccessPointId: { Ref: 'DataAccessPoint' }, IAM: 'ENABLED' } },
      },
    ]);
    expect(container(template, 'app').MountPoints).to.deep.equal([
      { ContainerPath: '/data', SourceVolume: 'Data', ReadOnly: false },
      { ContainerPath: '/mirror', SourceVolume: 'Data', ReadOnly: true },
    ]);
    expect(resource(template, 'AppService').DependsOn).to.deep.equal(['DataNFSMountTarget0', 'DataNFSMountTarget1']);
  });

  it('lets the task role mount, write only when a mount is writable, and act as root only without a POSIX user', () => {
    const { template } = convertYaml(`
services:
  root: { image: a, volumes: ["data:/data"] }
  reader: { image: a, user: "1000", volumes: ["data:/data:ro"] }
  owned: { image: a, volumes: ["mine:/data"] }
volumes:
  data: {}
  mine: { driver_opts: { uid: "1000" } }
`);
    const statement = (svc: string) => props(template, `${svc}TaskRole`).Policies[0].PolicyDocument.Statement[0];
    expect(statement('Root')).to.deep.equal({
      Effect: 'Allow',
      Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite', 'elasticfilesystem:ClientRootAccess'],
      Resource: [{ 'Fn::GetAtt': ['DataFilesystem', 'Arn'] }],
      Condition: { StringEquals: { 'elasticfilesystem:AccessPointArn': { 'Fn::GetAtt': ['DataAccessPoint', 'Arn'] } } },
    });
    expect(props(template, 'RootTaskRole').Policies[0].PolicyName).to.equal('RootDataVolumeMountPolicy');
    expect(statement('Reader').Action).to.deep.equal(['elasticfilesystem:ClientMount']);
    expect(statement('Owned').Action).to.deep.equal(['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite']);
    expect(props(template, 'RootTaskDefinition').TaskRoleArn).to.deep.equal({ 'Fn::GetAtt': ['RootTaskRole', 'Arn'] });
  });

  it('reuses an external file system: no file system, no mount targets, an access point on it', () => {
    const { template } = convertYaml('services: { db: { image: a, volumes: ["d:/d"] } }\nvolumes: { d: { external: true, name: fs-0123abcd } }');
    expect(idsOfType(template, 'AWS::EFS::FileSystem')).to.deep.equal([]);
    expect(idsOfType(template, 'AWS::EFS::MountTarget')).to.deep.equal([]);
    expect(props(template, 'DAccessPoint').FileSystemId).to.equal('fs-0123abcd');
    expect(props(template, 'DbTaskDefinition').Volumes[0].EFSVolumeConfiguration.FilesystemId).to.equal('fs-0123abcd');
    expect(props(template, 'DbTaskRole').Policies[0].PolicyDocument.Statement[0].Resource).to.deep.equal([
      { 'Fn::Sub': 'arn:${AWS::Partition}:elasticfilesystem:${AWS::Region}:${AWS::AccountId}:file-system/fs-0123abcd' },
    ]);
    expect(refusal('services: { db: { image: a, volumes: ["d:/d"] } }\nvolumes: { d: { external: true, name: my-data } }').message).to.equal(
      'External volume d must be named by the id of an existing EFS file system (fs-...), got "my-data".',
    );
  });

  it('re-attaches a file system kept by an earlier up instead of creating an empty one', () => {
    const { template } = convertYaml(DB, { environment: { existingFileSystems: { 'db-data': 'fs-0aa11bb22' } } });
    expect(idsOfType(template, 'AWS::EFS::FileSystem')).to.deep.equal([]);
    expect(props(template, 'DbdataAccessPoint').FileSystemId).to.equal('fs-0aa11bb22');
    expect(props(template, 'DbdataNFSMountTarget0').FileSystemId).to.equal('fs-0aa11bb22');
  });

  it('creates nothing for a declared volume no service mounts', () => {
    const { template } = convertYaml('services: { web: { image: nginx } }\nvolumes: { unused: {} }');
    expect(Object.keys(template.Resources).filter((id) => id.startsWith('Unused'))).to.deep.equal([]);
  });

  it('refuses a volume subpath, naming the service', () => {
    expect(refusal('services: { db: { image: a, volumes: [{ type: volume, source: d, target: /d, volume: { subpath: sub } }] } }\nvolumes: { d: {} }').message).to.equal(
      'Service db: volumes mounts subpath sub of volume d; ECS mounts a whole EFS volume through its access point.',
    );
  });

  it('refuses volumes whose names differ only in punctuation', () => {
    expect(refusal('services: { db: { image: a, volumes: ["db-data:/a", "dbdata:/b"] } }\nvolumes: { db-data: {}, dbdata: {} }').message).to.match(/^Volumes db-data and dbdata differ only in punctuation/);
  });
});
