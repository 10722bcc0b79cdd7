/** EFS (REST-JSON under /2015-02-01/): file systems with tags, mount targets, access points. */
import { SimError } from '../errors.js';
import type { FileSystem, World } from '../world.js';

export interface RestRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Buffer;
}

export interface RestRoute {
  operation: string;
  run(world: World): { status?: number; body?: unknown };
}

const fsNotFound = (id: string): SimError => new SimError('FileSystemNotFound', `File system '${id}' does not exist.`, 404);

function fsOut(world: World, f: FileSystem): Record<string, unknown> {
  return {
    OwnerId: world.account,
    CreationToken: f.creationToken,
    FileSystemId: f.id,
    FileSystemArn: f.arn,
    CreationTime: Math.floor(f.createdAt / 1000),
    LifeCycleState: f.lifeCycleState,
    Name: f.tags.find((t) => t.Key === 'Name')?.Value,
    NumberOfMountTargets: [...world.mountTargets.values()].filter((m) => m.fileSystemId === f.id).length,
    SizeInBytes: { Value: 6144, ValueInStandard: 6144, ValueInIA: 0 },
    PerformanceMode: f.performanceMode,
    Encrypted: f.encrypted,
    ThroughputMode: f.throughputMode,
    Tags: f.tags,
    FileSystemProtection: { ReplicationOverwriteProtection: 'ENABLED' },
  };
}

/** Match a request to an EFS operation, or undefined when the path is not EFS's. */
export function efsRoute(req: RestRequest): RestRoute | undefined {
  const m = /^\/2015-02-01\/([a-z-]+)(?:\/([^/]+))?\/?$/.exec(req.path);
  if (!m) return undefined;
  const [, kind, id] = m;
  const q = req.query;
  if (kind === 'file-systems' && req.method === 'GET') {
    return {
      operation: 'DescribeFileSystems',
      run(world) {
        const wanted = id ?? q.get('FileSystemId') ?? undefined;
        let all = [...world.fileSystems.values()];
        if (wanted) {
          all = all.filter((f) => f.id === wanted || f.arn === wanted);
          if (!all.length) throw fsNotFound(wanted);
        }
        const token = q.get('CreationToken');
        if (token) all = all.filter((f) => f.creationToken === token);
        const start = Number(q.get('Marker') ?? 0) || 0;
        const size = Number(q.get('MaxItems') ?? 100);
        const items = all.slice(start, start + size);
        return { body: { Marker: q.get('Marker') ?? undefined, FileSystems: items.map((f) => fsOut(world, f)), NextMarker: start + size < all.length ? String(start + size) : undefined } };
      },
    };
  }
  if (kind === 'file-systems' && req.method === 'DELETE' && id) {
    return {
      operation: 'DeleteFileSystem',
      run(world) {
        if (!world.fileSystems.has(id)) throw fsNotFound(id);
        if ([...world.mountTargets.values()].some((m) => m.fileSystemId === id)) throw new SimError('FileSystemInUse', `File system '${id}' has mount targets.`, 409);
        world.fileSystems.delete(id);
        return { status: 204 };
      },
    };
  }
  if (kind === 'mount-targets' && req.method === 'GET') {
    return {
      operation: 'DescribeMountTargets',
      run(world) {
        const fsId = q.get('FileSystemId');
        const mtId = q.get('MountTargetId');
        if (!fsId && !mtId && !q.get('AccessPointId')) throw new SimError('BadRequest', 'FileSystemId, MountTargetId or AccessPointId is required.');
        if (fsId && !world.fileSystems.has(fsId)) throw fsNotFound(fsId);
        const all = [...world.mountTargets.values()].filter((mt) => (!fsId || mt.fileSystemId === fsId) && (!mtId || mt.id === mtId));
        if (mtId && !all.length) throw new SimError('MountTargetNotFound', `Mount target '${mtId}' does not exist.`, 404);
        return {
          body: {
            MountTargets: all.map((mt) => ({
              OwnerId: world.account,
              MountTargetId: mt.id,
              FileSystemId: mt.fileSystemId,
              SubnetId: mt.subnetId,
              LifeCycleState: 'available',
              IpAddress: mt.ip,
              NetworkInterfaceId: `eni-0${mt.id.slice(6, 22)}`,
              AvailabilityZoneName: mt.az,
              AvailabilityZoneId: world.subnets.find((s) => s.id === mt.subnetId)?.azId,
              VpcId: world.vpc.id,
            })),
          },
        };
      },
    };
  }
  if (kind === 'access-points' && req.method === 'GET') {
    return {
      operation: 'DescribeAccessPoints',
      run(world) {
        const fsId = q.get('FileSystemId');
        const all = [...world.accessPoints.values()].filter((a) => (!fsId || a.fileSystemId === fsId) && (!id || a.id === id));
        return {
          body: {
            AccessPoints: all.map((a) => ({ AccessPointId: a.id, AccessPointArn: a.arn, FileSystemId: a.fileSystemId, Tags: a.tags, OwnerId: world.account, LifeCycleState: 'available', Name: a.tags.find((t) => t.Key === 'Name')?.Value })),
          },
        };
      },
    };
  }
  if (kind === 'tags' && req.method === 'GET' && id) {
    return {
      operation: 'DescribeTags',
      run(world) {
        const f = world.fileSystems.get(id);
        if (!f) throw fsNotFound(id);
        return { body: { Tags: f.tags } };
      },
    };
  }
  if (kind === 'resource-tags' && req.method === 'GET' && id) {
    return {
      operation: 'ListTagsForResource',
      run(world) {
        const f = world.fileSystems.get(id) ?? world.accessPoints.get(id);
        if (!f) throw fsNotFound(id);
        return { body: { Tags: f.tags } };
      },
    };
  }
  return { operation: 'Unknown', run: () => { throw new SimError('BadRequest', `${req.method} ${req.path} is not simulated`); } };
}
