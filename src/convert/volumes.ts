/**
 * Named volumes -> Amazon EFS (seed: Volumes). Per named volume a service mounts:
 *
 * - a file system `<Vol>Filesystem`, encrypted, kept on `down` (DeletionPolicy and
 *   UpdateReplacePolicy Retain) and tagged with the project and volume so the next `up` finds it
 *   again (`Environment.existingFileSystems`); `driver_opts` tune it as before;
 * - an access point `<Vol>AccessPoint` (POSIX user, root directory) that every task mounts through;
 * - one mount target per availability zone (EFS allows exactly one per zone; the old integration
 *   made one per subnet and failed on two subnets in a zone), in a security group of its own that
 *   accepts NFS (2049) only from the network security groups of the services that mount it (the
 *   old integration relied on the networks' allow-all rule and put mount targets in every network).
 *
 * An external volume (`external: true`, `name: fs-...`) reuses that file system: no file system
 * and no mount targets are created (an existing file system already has its mount targets, and a
 * second one in a zone is refused by EFS), only the access point. Its mount targets must accept
 * NFS from the tasks; that is the owner's to arrange.
 *
 * Tasks mount through the access point with TLS and IAM authorization; the task role may
 * ClientMount, ClientWrite unless every mount is read-only, and ClientRootAccess only when the
 * container works as root without a POSIX user on the access point.
 */
import { UserError, warning, type Diagnostic } from '../errors.js';
import type { Environment } from './environment.js';
import type { Project, ServiceConfig, VolumeConfig } from '../compose/model.js';
import { getAtt, ref, select, sub, type LogicalId, type Resource, type Value } from '../cloudformation/template.js';
import type { ConvertContext } from './context.js';
import { projectTag } from './tags.js';
import { idFromArn, readStringList } from './extension-values.js';
import { X_AWS_SUBNETS } from './extensions.js';
import { type Fragment } from './fragment.js';
import * as naming from './naming.js';

const NFS_PORT = 2049;

/** EFS TransitionToIA values. */
const LIFECYCLE_POLICIES: readonly string[] = Object.freeze([
  'AFTER_1_DAY',
  'AFTER_7_DAYS',
  'AFTER_14_DAYS',
  'AFTER_30_DAYS',
  'AFTER_60_DAYS',
  'AFTER_90_DAYS',
  'AFTER_180_DAYS',
  'AFTER_270_DAYS',
  'AFTER_365_DAYS',
]);
const PERFORMANCE_MODES: readonly string[] = Object.freeze(['generalPurpose', 'maxIO']);
const THROUGHPUT_MODES: readonly string[] = Object.freeze(['bursting', 'elastic', 'provisioned']);
const KNOWN_DRIVER_OPTS: readonly string[] = Object.freeze([
  'backup_policy',
  'gid',
  'kms_key_id',
  'lifecycle_policy',
  'performance_mode',
  'permissions',
  'provisioned_throughput',
  'root_directory',
  'throughput_mode',
  'uid',
]);

/** With a POSIX user and no root_directory, the access point roots here: the file system root belongs to root. */
export const DEFAULT_USER_ROOT_DIRECTORY = '/data';
export const DEFAULT_ROOT_PERMISSIONS = '0755';

export interface AccessPointSettings {
  posixUser?: { Uid: string; Gid: string };
  rootDirectory: string;
  permissions: string;
}

export interface VolumeInfo {
  key: string;
  /** the compose volume name (`<project>_<key>` unless name: says otherwise) */
  name: string;
  config: VolumeConfig;
  /** created in this stack, an external file system, or one kept by an earlier `up` */
  source: 'created' | 'external' | 'existing';
  fileSystemId: Value;
  fileSystemArn: Value;
  accessPoint: LogicalId;
  settings: AccessPointSettings;
  /** logical IDs of this stack's mount targets (none for an external file system) */
  mountTargets: { id: LogicalId; subnet: Value }[];
  /** services that mount it, sorted */
  users: string[];
}

function volumePath(key: string): string {
  return `volumes.${key}`;
}

function fail(key: string, option: string, message: string): never {
  throw new UserError(`Volume ${key}: driver_opts.${option} ${message}.`, { where: { path: `${volumePath(key)}.driver_opts.${option}` } });
}

function accessPointSettings(key: string, opts: Record<string, string>): AccessPointSettings {
  for (const k of ['uid', 'gid'] as const) {
    if (opts[k] !== undefined && !/^\d+$/.test(opts[k]!)) fail(key, k, `must be a number, got ${JSON.stringify(opts[k])}`);
  }
  if (opts.permissions !== undefined && !/^[0-7]{3,4}$/.test(opts.permissions)) fail(key, 'permissions', `must be an octal mode such as 0755, got ${JSON.stringify(opts.permissions)}`);
  if (opts.root_directory !== undefined && !opts.root_directory.startsWith('/')) fail(key, 'root_directory', `must be an absolute path, got ${JSON.stringify(opts.root_directory)}`);
  const uid = opts.uid ?? (opts.gid !== undefined ? opts.gid : undefined);
  const posixUser = uid !== undefined ? { Uid: uid, Gid: opts.gid ?? uid } : undefined;
  const rootDirectory = opts.root_directory ?? (posixUser ? DEFAULT_USER_ROOT_DIRECTORY : '/');
  return { ...(posixUser ? { posixUser } : {}), rootDirectory, permissions: opts.permissions ?? DEFAULT_ROOT_PERMISSIONS };
}

function fileSystemArnOf(id: string): Value {
  return sub(`arn:\${AWS::Partition}:elasticfilesystem:\${AWS::Region}:\${AWS::AccountId}:file-system/${id}`);
}

/**
 * Where mount targets go: one per zone when `up` said which subnet is in which zone; otherwise each
 * subnet the converter knows, or the first two of the SubnetIds parameter (see environment.ts).
 */
export function mountTargetSubnets(project: Project, environment: Environment): (string | number)[] {
  if (environment.subnetsByZone && Object.keys(environment.subnetsByZone).length > 0) {
    return Object.keys(environment.subnetsByZone)
      .sort()
      .flatMap((zone) => {
        const first = [...environment.subnetsByZone![zone]!].sort()[0];
        return first === undefined ? [] : [first];
      });
  }
  const known = readStringList(project.extensions, X_AWS_SUBNETS, '')?.map(idFromArn) ?? environment.subnetIds;
  if (known && known.length > 0) return [...new Set(known)].sort();
  return [0, 1];
}

/** Every named volume a service mounts, with what the modules need to know about it. */
export function buildVolumeInfos(project: Project, environment: Environment, services: readonly ServiceConfig[]): Map<string, VolumeInfo> {
  const users = new Map<string, Set<string>>();
  for (const s of services) {
    for (const v of s.volumes ?? []) {
      if (v.type !== 'volume' || !v.source) continue;
      users.set(v.source, (users.get(v.source) ?? new Set()).add(s.name));
    }
  }
  const subnets = mountTargetSubnets(project, environment);
  const out = new Map<string, VolumeInfo>();
  for (const key of [...users.keys()].sort()) {
    const config: VolumeConfig = project.volumes[key] ?? { name: `${project.name}_${key}`, extensions: {} };
    const opts = config.driver_opts ?? {};
    const settings = accessPointSettings(key, opts);
    const existing = environment.existingFileSystems?.[key];
    let source: VolumeInfo['source'];
    let fileSystemId: Value;
    let fileSystemArn: Value;
    if (config.external) {
      const id = idFromArn(config.name);
      if (!/^fs-[0-9a-f]+$/.test(id)) {
        throw new UserError(`External volume ${key} must be named by the id of an existing EFS file system (fs-...), got ${JSON.stringify(config.name)}.`, {
          where: { path: volumePath(key) },
          hint: `Write volumes: { ${key}: { external: true, name: fs-0123456789abcdef0 } }.`,
        });
      }
      source = 'external';
      fileSystemId = id;
      fileSystemArn = fileSystemArnOf(id);
    } else if (existing !== undefined) {
      source = 'existing';
      fileSystemId = existing;
      fileSystemArn = fileSystemArnOf(existing);
    } else {
      source = 'created';
      fileSystemId = ref(naming.fileSystem(key));
      fileSystemArn = getAtt(naming.fileSystem(key), 'Arn');
    }
    const mountTargets =
      source === 'external'
        ? []
        : subnets.map((s) => ({
            id: naming.mountTarget(key, s),
            subnet: typeof s === 'number' ? select(s, ref(naming.SUBNETS_PARAMETER)) : s,
          }));
    out.set(key, {
      key,
      name: config.name,
      config,
      source,
      fileSystemId,
      fileSystemArn,
      accessPoint: naming.accessPoint(key),
      settings,
      mountTargets,
      users: [...users.get(key)!].sort(),
    });
  }
  return out;
}

function volumeTags(ctx: ConvertContext, info: VolumeInfo): Value[] {
  return [projectTag(ctx), { Key: naming.TAG_VOLUME, Value: info.key }, { Key: 'Name', Value: info.name }];
}

function fileSystemProperties(ctx: ConvertContext, info: VolumeInfo): Record<string, Value> {
  const key = info.key;
  const opts = info.config.driver_opts ?? {};
  const p: Record<string, Value> = { Encrypted: true, FileSystemTags: volumeTags(ctx, info) };
  if (opts.backup_policy !== undefined) {
    const status = opts.backup_policy.trim().toUpperCase();
    if (status !== 'ENABLED' && status !== 'DISABLED') fail(key, 'backup_policy', `must be ENABLED or DISABLED, got ${JSON.stringify(opts.backup_policy)}`);
    p.BackupPolicy = { Status: status };
  }
  if (opts.lifecycle_policy !== undefined) {
    const policy = opts.lifecycle_policy.trim();
    if (!LIFECYCLE_POLICIES.includes(policy)) fail(key, 'lifecycle_policy', `must be one of ${LIFECYCLE_POLICIES.join(', ')}, got ${JSON.stringify(policy)}`);
    p.LifecyclePolicies = [{ TransitionToIA: policy }];
  }
  if (opts.performance_mode !== undefined) {
    if (!PERFORMANCE_MODES.includes(opts.performance_mode)) fail(key, 'performance_mode', `must be one of ${PERFORMANCE_MODES.join(', ')}, got ${JSON.stringify(opts.performance_mode)}`);
    p.PerformanceMode = opts.performance_mode;
  }
  if (opts.throughput_mode !== undefined) {
    if (!THROUGHPUT_MODES.includes(opts.throughput_mode)) fail(key, 'throughput_mode', `must be one of ${THROUGHPUT_MODES.join(', ')}, got ${JSON.stringify(opts.throughput_mode)}`);
    p.ThroughputMode = opts.throughput_mode;
  }
  if (opts.provisioned_throughput !== undefined) {
    const mibps = Number(opts.provisioned_throughput.trim());
    if (!Number.isFinite(mibps) || mibps <= 0 || opts.provisioned_throughput.trim() === '') {
      fail(key, 'provisioned_throughput', `must be a number of MiB/s, got ${JSON.stringify(opts.provisioned_throughput)}`);
    }
    if (opts.throughput_mode !== undefined && opts.throughput_mode !== 'provisioned') {
      fail(key, 'provisioned_throughput', `needs throughput_mode provisioned, not ${opts.throughput_mode}`);
    }
    p.ThroughputMode = 'provisioned';
    p.ProvisionedThroughputInMibps = mibps;
  }
  if (opts.kms_key_id !== undefined) p.KmsKeyId = opts.kms_key_id;
  return p;
}

function accessPointProperties(ctx: ConvertContext, info: VolumeInfo): Record<string, Value> {
  const s = info.settings;
  const p: Record<string, Value> = { AccessPointTags: volumeTags(ctx, info), FileSystemId: info.fileSystemId };
  if (s.posixUser) p.PosixUser = { ...s.posixUser };
  if (s.rootDirectory !== '/') {
    // EFS creates the directory on first mount only when told whom it belongs to
    p.RootDirectory = {
      Path: s.rootDirectory,
      CreationInfo: { OwnerUid: s.posixUser?.Uid ?? '0', OwnerGid: s.posixUser?.Gid ?? '0', Permissions: s.permissions },
    };
  }
  return p;
}

function volumeDiagnostics(info: VolumeInfo): Diagnostic[] {
  const out: Diagnostic[] = [];
  const c = info.config;
  const path = volumePath(info.key);
  const unknown = Object.keys(c.driver_opts ?? {})
    .filter((k) => !KNOWN_DRIVER_OPTS.includes(k))
    .sort();
  if (unknown.length > 0) {
    out.push(warning(`Volume ${info.key}: driver_opts ${unknown.join(', ')} ignored (EFS reads ${KNOWN_DRIVER_OPTS.join(', ')}).`, undefined, `${path}.driver_opts`));
  }
  if (c.driver !== undefined && c.driver !== 'local') out.push(warning(`Volume ${info.key}: driver ${c.driver} is ignored; on ECS a named volume is an EFS file system.`, undefined, `${path}.driver`));
  if (c.labels !== undefined && Object.keys(c.labels).length > 0) out.push(warning(`Volume ${info.key}: labels are ignored; the file system is tagged with the project and volume.`, undefined, `${path}.labels`));
  if (info.source === 'external' && Object.keys(c.driver_opts ?? {}).some((k) => !['uid', 'gid', 'permissions', 'root_directory'].includes(k))) {
    out.push(warning(`Volume ${info.key} is external: only its access point options (uid, gid, permissions, root_directory) apply.`, undefined, `${path}.driver_opts`));
  }
  return out;
}

/** File systems, access points, mount targets and their security groups, for every volume in use. */
export function convertVolumes(ctx: ConvertContext): Fragment {
  const resources: Record<string, Resource> = {};
  const diagnostics: Diagnostic[] = [];
  for (const info of ctx.volumes.values()) {
    diagnostics.push(...volumeDiagnostics(info));
    if (info.source === 'created') {
      resources[naming.fileSystem(info.key)] = {
        Type: 'AWS::EFS::FileSystem',
        // the data outlives the stack: `down` keeps it and the next `up` re-attaches it
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: fileSystemProperties(ctx, info),
      };
    }
    resources[info.accessPoint] = { Type: 'AWS::EFS::AccessPoint', Properties: accessPointProperties(ctx, info) };
    if (info.mountTargets.length === 0) continue;

    const group = naming.fileSystemSecurityGroup(info.key);
    const sources = new Map<string, { value: Value; networks: string[]; services: Set<string> }>();
    for (const service of info.users) {
      for (const network of ctx.serviceNetworks.get(service) ?? []) {
        const sg = ctx.networks.get(network)!.securityGroup;
        const k = JSON.stringify(sg);
        const entry = sources.get(k) ?? { value: sg, networks: [network], services: new Set<string>() };
        entry.services.add(service);
        sources.set(k, entry);
      }
    }
    resources[group] = {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: `${ctx.project.name} NFS access to volume ${info.key}`,
        VpcId: ctx.vpc,
        SecurityGroupIngress: [...sources.entries()]
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([, s]) => ({
            Description: `NFS from ${[...s.services].sort().join(', ')} on ${s.networks.join(', ')} network`,
            IpProtocol: 'tcp',
            FromPort: NFS_PORT,
            ToPort: NFS_PORT,
            SourceSecurityGroupId: s.value,
          })),
        Tags: [projectTag(ctx), { Key: naming.TAG_VOLUME, Value: info.key }],
      },
    };
    for (const mt of info.mountTargets) {
      resources[mt.id] = {
        Type: 'AWS::EFS::MountTarget',
        Properties: { FileSystemId: info.fileSystemId, SubnetId: mt.subnet, SecurityGroups: [ref(group)] },
      };
    }
  }
  return { resources, diagnostics };
}

/** The container runs as root when `user` is unset or names uid 0 / root. */
function runsAsRoot(service: ServiceConfig): boolean {
  const user = service.user?.split(':')[0];
  return user === undefined || user === '' || user === '0' || user === 'root';
}

/** What one service's task needs for its named volumes. */
export interface ServiceVolumes {
  taskVolumes: Value[];
  mountPoints: Value[];
  /** task role inline policies, one per volume */
  policies: Value[];
  /** the mount targets the ECS service must wait for */
  dependsOn: string[];
}

export function serviceVolumes(ctx: Pick<ConvertContext, 'volumes'>, service: ServiceConfig): ServiceVolumes {
  const out: ServiceVolumes = { taskVolumes: [], mountPoints: [], policies: [], dependsOn: [] };
  const mounts = (service.volumes ?? []).filter((v) => v.type === 'volume' && v.source);
  const byVolume = new Map<string, boolean>();
  for (const m of mounts) {
    const writable = !m.read_only;
    byVolume.set(m.source!, (byVolume.get(m.source!) ?? false) || writable);
    out.mountPoints.push({ ContainerPath: m.target, SourceVolume: naming.efsTaskVolume(m.source!), ReadOnly: m.read_only ?? false });
  }
  out.mountPoints.sort((a, b) => {
    const x = (a as { ContainerPath: string }).ContainerPath;
    const y = (b as { ContainerPath: string }).ContainerPath;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  for (const key of [...byVolume.keys()].sort()) {
    const info = ctx.volumes.get(key)!;
    out.taskVolumes.push({
      Name: naming.efsTaskVolume(key),
      EFSVolumeConfiguration: {
        FilesystemId: info.fileSystemId,
        TransitEncryption: 'ENABLED',
        AuthorizationConfig: { AccessPointId: ref(info.accessPoint), IAM: 'ENABLED' },
      },
    });
    const actions = ['elasticfilesystem:ClientMount'];
    if (byVolume.get(key)) actions.push('elasticfilesystem:ClientWrite');
    if (!info.settings.posixUser && runsAsRoot(service)) actions.push('elasticfilesystem:ClientRootAccess');
    out.policies.push({
      PolicyName: naming.volumeMountPolicyName(service.name, key),
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: actions,
            Resource: [info.fileSystemArn],
            Condition: { StringEquals: { 'elasticfilesystem:AccessPointArn': getAtt(info.accessPoint, 'Arn') } },
          },
        ],
      },
    });
    out.dependsOn.push(...info.mountTargets.map((m) => m.id));
  }
  return out;
}

/** True when the service mounts a named volume (its task then needs a task role). */
export function mountsNamedVolumes(service: ServiceConfig): boolean {
  return (service.volumes ?? []).some((v) => v.type === 'volume' && Boolean(v.source));
}
