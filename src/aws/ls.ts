/**
 * `ls`: the compose projects deployed in the region, i.e. the stacks tagged
 * `com.docker.compose.project` (DescribeStacks, every page; deleted stacks are not listed).
 */
import type { Stack } from '@aws-sdk/client-cloudformation';
import { UserError } from '../errors.js';
import type { AwsClients } from './clients.js';

import { TAG_PROJECT } from '../convert/naming.js';
import { byCodeUnit } from '../convert/code-unit-order.js';

export interface ProjectRow {
  Name: string;
  /** running, deploying, rolling back, rolled back, failed, deleting, delete failed, not deployed */
  Status: string;
  StackStatus: string;
  StatusReason?: string;
  StackId: string;
  UpdatedAt?: string;
}

/** A stack status in the words of `docker compose ls`, extended with the states CloudFormation has. */
export function projectStatus(stackStatus: string): string {
  switch (stackStatus) {
    case 'CREATE_COMPLETE':
    case 'UPDATE_COMPLETE':
    case 'IMPORT_COMPLETE':
      return 'running';
    case 'CREATE_IN_PROGRESS':
    case 'UPDATE_IN_PROGRESS':
    case 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS':
    case 'IMPORT_IN_PROGRESS':
      return 'deploying';
    case 'ROLLBACK_IN_PROGRESS':
    case 'UPDATE_ROLLBACK_IN_PROGRESS':
    case 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS':
    case 'IMPORT_ROLLBACK_IN_PROGRESS':
      return 'rolling back';
    // the last update failed; the previous version is still running
    case 'UPDATE_ROLLBACK_COMPLETE':
    case 'IMPORT_ROLLBACK_COMPLETE':
      return 'rolled back';
    case 'CREATE_FAILED':
    case 'ROLLBACK_COMPLETE':
    case 'ROLLBACK_FAILED':
    case 'UPDATE_FAILED':
    case 'UPDATE_ROLLBACK_FAILED':
    case 'IMPORT_ROLLBACK_FAILED':
      return 'failed';
    case 'DELETE_IN_PROGRESS':
      return 'deleting';
    case 'DELETE_FAILED':
      return 'delete failed';
    // a change set was made for a new project (a dry run) but never executed
    case 'REVIEW_IN_PROGRESS':
      return 'not deployed';
    default:
      return stackStatus.toLowerCase().replaceAll('_', ' ');
  }
}

export interface LsFilter {
  name?: string;
}

/** `--filter name=X` as `docker compose ls` takes it; only `name` is known. */
export function parseLsFilter(values: readonly string[] | undefined): LsFilter {
  const filter: LsFilter = {};
  for (const raw of values ?? []) {
    const eq = raw.indexOf('=');
    const key = eq < 0 ? raw : raw.slice(0, eq);
    if (key !== 'name' || eq < 0) {
      throw new UserError(`Invalid filter "${raw}"; ls accepts only --filter name=VALUE.`);
    }
    filter.name = raw.slice(eq + 1);
  }
  return filter;
}

function toRow(stack: Stack): ProjectRow | undefined {
  const project = stack.Tags?.find((t) => t.Key === TAG_PROJECT)?.Value;
  if (project === undefined || !stack.StackName) return undefined;
  const status = stack.StackStatus ?? '';
  // the compose project's name, which -p takes (its stack name may differ: my_app -> my-app)
  const row: ProjectRow = { Name: project, Status: projectStatus(status), StackStatus: status, StackId: stack.StackId ?? '' };
  if (stack.StackStatusReason) row.StatusReason = stack.StackStatusReason;
  const updated = stack.LastUpdatedTime ?? stack.CreationTime;
  if (updated) row.UpdatedAt = updated.toISOString();
  return row;
}

export async function listProjects(clients: AwsClients, filter: LsFilter = {}): Promise<ProjectRow[]> {
  const { DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  const cfn = await clients.cloudFormation();
  const rows: ProjectRow[] = [];
  let token: string | undefined;
  do {
    const page = await cfn.send(new DescribeStacksCommand({ NextToken: token }));
    for (const s of page.Stacks ?? []) {
      if (s.StackStatus === 'DELETE_COMPLETE') continue;
      const row = toRow(s);
      // docker compose ls matches the name filter as a substring
      if (row && (filter.name === undefined || row.Name.includes(filter.name))) rows.push(row);
    }
    token = page.NextToken;
  } while (token);
  return rows.sort((a, b) => byCodeUnit(a.Name, b.Name));
}

/** What `ls` leaves out unless `-a`: projects with nothing running (failed first creates, stacks being deleted, dry runs). */
const NOT_RUNNING = new Set(['failed', 'deleting', 'delete failed', 'not deployed']);

export function visibleProjects(rows: readonly ProjectRow[], all: boolean): ProjectRow[] {
  return all ? [...rows] : rows.filter((r) => !NOT_RUNNING.has(r.Status));
}
