/**
 * Updates `up` refuses before anything changes (at `up` and at `up --dry-run`), because
 * CloudFormation would either lose track of data or fail half-way:
 *
 * - an EFS file system that would be replaced: `performance_mode`, `kms_key_id` (and `Encrypted`)
 *   cannot change on an existing file system, so CloudFormation creates a new, empty one; the old
 *   one is kept (UpdateReplacePolicy Retain) but no service mounts it any more;
 * - a mount target that would move to another subnet in a zone that already has one: EFS allows
 *   one mount target per zone and CloudFormation creates the new one before it deletes the old one,
 *   so the update fails (MountTargetConflict) and rolls back;
 * - an ECS service with Service Connect endpoints that would be replaced (its cluster, launch type
 *   ...) when the deployed template cannot be read: CloudFormation creates the new service first,
 *   and the endpoint names must be unique in the namespace, so the update would fail. With the
 *   deployed template, `up` frees the names in a first update instead
 *   (service-connect-replacement.ts).
 *
 * Pure: the facts (the plan, the deployed and the new template, the existing mount targets) are
 * gathered by the caller.
 */
import type { Template, Value } from '../cloudformation/template.js';
import type { PlannedChange } from './events.js';

const VOLUME_TAG = 'com.docker.compose.volume';
const SERVICE_TAG = 'com.docker.compose.service';

/** File system properties that force a replacement, and the driver_opts that set them. */
const IMMUTABLE_EFS: readonly (readonly [string, string])[] = [
  ['PerformanceMode', 'performance_mode'],
  ['KmsKeyId', 'kms_key_id'],
  ['Encrypted', 'encryption'],
];

export interface ExistingMountTarget {
  zone: string;
  subnet: string;
}

export interface UpdateFacts {
  plan: readonly PlannedChange[];
  /** the deployed template, when it could be read */
  deployed?: Template;
  next: Template;
  /** existing mount targets of each file system, by the logical ID of its AWS::EFS::FileSystem or its id */
  mountTargets: ReadonlyMap<string, readonly ExistingMountTarget[]>;
  /** subnet id -> availability zone, for the subnets the new template uses */
  zoneOfSubnet: Readonly<Record<string, string>>;
}

type Props = Record<string, Value>;

function propsOf(t: Template | undefined, id: string): Props | undefined {
  return t?.Resources[id]?.Properties as Props | undefined;
}

function tag(tags: Value | undefined, key: string): string | undefined {
  if (!Array.isArray(tags)) return undefined;
  for (const t of tags) {
    const o = t as Props | null;
    if (o && typeof o === 'object' && o.Key === key && typeof o.Value === 'string') return o.Value;
  }
  return undefined;
}

const show = (v: Value | undefined): string => (v === undefined ? 'unset' : typeof v === 'string' ? v : JSON.stringify(v));

function fileSystemRefusals(f: UpdateFacts): string[] {
  const out: string[] = [];
  for (const c of f.plan) {
    if (c.resourceType !== 'AWS::EFS::FileSystem' || c.action !== 'modify' || c.replacement === 'no') continue;
    const next = propsOf(f.next, c.logicalId);
    const old = propsOf(f.deployed, c.logicalId);
    const volume = tag(next?.FileSystemTags, VOLUME_TAG) ?? c.logicalId;
    const changed = IMMUTABLE_EFS.filter(([prop]) => old !== undefined && JSON.stringify(old[prop]) !== JSON.stringify(next?.[prop]));
    const what =
      changed.length > 0
        ? changed.map(([prop, opt]) => `driver_opts.${opt} (${show(old?.[prop])} -> ${show(next?.[prop])})`).join(' and ')
        : 'an option EFS cannot change on an existing file system';
    out.push(
      `Volume ${volume}: changing ${what} would replace its EFS file system with a new, empty one; the file system that holds your data would be kept but no service would mount it any more. Put the old value back, or copy the data to a volume with a new name first.`,
    );
  }
  return out;
}

/** The file system a mount target belongs to: the logical ID it refers to, or a literal fs- id. */
function fileSystemKey(v: Value | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && !Array.isArray(v) && typeof (v as Props).Ref === 'string') return (v as Props).Ref as string;
  return undefined;
}

function volumeOfFileSystem(f: UpdateFacts, key: string): string {
  return tag(propsOf(f.next, key)?.FileSystemTags, VOLUME_TAG) ?? tag(propsOf(f.deployed, key)?.FileSystemTags, VOLUME_TAG) ?? key;
}

function mountTargetRefusals(f: UpdateFacts): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const c of f.plan) {
    if (c.resourceType !== 'AWS::EFS::MountTarget' || (c.action !== 'add' && !(c.action === 'modify' && c.replacement !== 'no'))) continue;
    const p = propsOf(f.next, c.logicalId);
    const fs = fileSystemKey(p?.FileSystemId);
    const subnet = typeof p?.SubnetId === 'string' ? p.SubnetId : undefined;
    if (!fs || !subnet) continue;
    const zone = f.zoneOfSubnet[subnet];
    const existing = (f.mountTargets.get(fs) ?? []).find((m) => m.zone === zone && m.subnet !== subnet);
    if (!zone || !existing || seen.has(`${fs} ${zone}`)) continue;
    seen.add(`${fs} ${zone}`);
    out.push(
      `Volume ${volumeOfFileSystem(f, fs)}: its mount target in ${zone} would move from ${existing.subnet} to ${subnet}; EFS allows one mount target per zone and CloudFormation creates the new one before it removes the old one, so the update would fail and roll back. Your data is not touched. Keep ${existing.subnet} in x-aws-subnets for ${zone}, or run down (the file system is kept) and up again.`,
    );
  }
  return out;
}

function hasServiceConnectEndpoints(p: Props | undefined): boolean {
  const sc = p?.ServiceConnectConfiguration as Props | undefined;
  return Array.isArray(sc?.Services) && sc.Services.length > 0;
}

function serviceConnectRefusals(f: UpdateFacts): string[] {
  const out: string[] = [];
  for (const c of f.plan) {
    if (c.resourceType !== 'AWS::ECS::Service' || c.action !== 'modify' || c.replacement !== 'yes') continue;
    // with the deployed template up replaces it in two updates (service-connect-replacement.ts)
    if (f.deployed !== undefined) continue;
    const next = propsOf(f.next, c.logicalId);
    if (!hasServiceConnectEndpoints(next)) continue;
    const service = tag(next?.Tags, SERVICE_TAG) ?? c.logicalId;
    out.push(
      `Service ${service}: this change replaces its ECS service (a new cluster, launch type or capacity), and CloudFormation would create the new service while the old one still holds its Service Connect names; the stack's template could not be read to free them first, so the update would fail. Run up again, or apply it with down, then up (named volumes are kept).`,
    );
  }
  return out;
}

/** Every reason to refuse this update, one sentence each; empty when it may go ahead. */
export function updateRefusals(f: UpdateFacts): string[] {
  return [...fileSystemRefusals(f), ...mountTargetRefusals(f), ...serviceConnectRefusals(f)];
}
