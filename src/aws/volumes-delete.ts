/**
 * `down -v`: the EFS file systems kept for a project (DeletionPolicy Retain, tagged
 * com.docker.compose.project / .volume) are deleted once the stack is gone. Calls:
 * DescribeFileSystems (every page), DescribeMountTargets and DeleteFileSystem per file system.
 */
import type { EFSClient } from '@aws-sdk/client-efs';
import { UserError } from '../errors.js';
import type { AwsClients } from './clients.js';

const PROJECT_TAG = 'com.docker.compose.project';
const VOLUME_TAG = 'com.docker.compose.volume';

export interface ProjectFileSystem {
  id: string;
  volume: string;
}

export async function projectFileSystems(clients: AwsClients, project: string): Promise<ProjectFileSystem[]> {
  const { DescribeFileSystemsCommand } = await import('@aws-sdk/client-efs');
  const efs = await clients.efs();
  const out: ProjectFileSystem[] = [];
  let marker: string | undefined;
  do {
    const page = await efs.send(new DescribeFileSystemsCommand({ Marker: marker }));
    for (const fs of page.FileSystems ?? []) {
      const tags = new Map((fs.Tags ?? []).map((t) => [t.Key, t.Value]));
      if (tags.get(PROJECT_TAG) !== project || !fs.FileSystemId || fs.LifeCycleState === 'deleting' || fs.LifeCycleState === 'deleted') continue;
      out.push({ id: fs.FileSystemId, volume: tags.get(VOLUME_TAG) ?? '' });
    }
    marker = page.NextMarker;
  } while (marker);
  return out.sort((a, b) => (a.volume < b.volume ? -1 : a.volume > b.volume ? 1 : 0));
}

async function inUse(efs: EFSClient, id: string): Promise<boolean> {
  const { DescribeMountTargetsCommand } = await import('@aws-sdk/client-efs');
  const res = await efs.send(new DescribeMountTargetsCommand({ FileSystemId: id }));
  return (res.MountTargets ?? []).length > 0;
}

/** Deletes each file system; one still mounted elsewhere stops with a sentence naming it. */
export async function deleteFileSystems(clients: AwsClients, systems: readonly ProjectFileSystem[], say: (line: string) => void): Promise<void> {
  const { DeleteFileSystemCommand } = await import('@aws-sdk/client-efs');
  const efs = await clients.efs();
  for (const fs of systems) {
    if (await inUse(efs, fs.id)) {
      throw new UserError(`EFS file system ${fs.id} (volume ${fs.volume}) still has mount targets, so it was not deleted; remove them (another stack may use it), then run \`docker ecs compose down -v\` again.`);
    }
    await efs.send(new DeleteFileSystemCommand({ FileSystemId: fs.id }));
    say(`Volume ${fs.volume}  Removed (EFS file system ${fs.id})`);
  }
}
