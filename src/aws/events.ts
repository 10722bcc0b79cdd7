/**
 * The one event stream of a deployment. `aws/` emits these; every renderer in `ui/` (Ink view,
 * plain lines, JSON lines, quiet) reads only these. No SDK type appears here: the watcher converts
 * at the boundary. The JSON progress format is exactly `{ "v": 1, ...DeployEvent }`.
 */

export type Operation = 'create' | 'update' | 'delete';

/** What a CloudFormation status means for display. */
export type ResourceState = 'in-progress' | 'complete' | 'failed' | 'deleted' | 'skipped';

/** One change of a change set, or of the plan of a stack that does not exist yet. */
export interface PlannedChange {
  action: 'add' | 'modify' | 'remove' | 'import' | 'dynamic';
  logicalId: string;
  resourceType: string;
  /** only for `modify`: whether CloudFormation replaces the resource */
  replacement?: 'yes' | 'no' | 'conditional';
}

export type FinishedOutcome = 'succeeded' | 'failed' | 'no-changes' | 'detached' | 'interrupted' | 'dry-run';

export interface RootCause {
  logicalId: string;
  resourceType: string;
  reason: string;
  /** the compose service the resource belongs to */
  service?: string;
  /** why the service's latest task stopped, when there is one */
  stoppedTaskReason?: string;
  /** the last log lines of that task's failing container */
  lastLines?: string[];
}

export type DeployEventBody =
  /** The stack operation was submitted. `services` lists compose services in display order. */
  | {
      kind: 'operation-started';
      stack: string;
      stackId?: string;
      operation: Operation;
      services: string[];
      /** resources the operation is expected to touch, when known (change set or template) */
      expectedChanges?: number;
    }
  /** Something the user should read: a busy stack being waited for, a stack being replaced. */
  | { kind: 'notice'; level: 'info' | 'warning'; message: string }
  /** A resource's CloudFormation status changed. */
  | {
      kind: 'resource';
      logicalId: string;
      resourceType: string;
      physicalId?: string;
      /** the raw CloudFormation status, e.g. CREATE_IN_PROGRESS */
      status: string;
      state: ResourceState;
      reason?: string;
      /** compose service owning the resource; absent for project-level resources */
      service?: string;
      /** CloudFormation's timestamp of the event */
      timestamp: string;
    }
  /** The stack itself changed status (the stack-level event). */
  | { kind: 'stack'; stack: string; status: string; state: ResourceState; reason?: string; timestamp: string }
  /** ECS rollout counts of a compose service changed. */
  | {
      kind: 'rollout';
      service: string;
      desired: number;
      running: number;
      pending: number;
      failed: number;
      /** IN_PROGRESS, COMPLETED or FAILED as ECS reports the primary deployment */
      rolloutState?: string;
    }
  /** A task of the service's current deployment stopped. */
  | { kind: 'task-stopped'; service: string; taskId: string; reason: string; lastLines?: string[]; timestamp?: string }
  /**
   * A log line of one of the service's new tasks (this deployment's), read from CloudWatch Logs
   * while `up` watches; `timestamp` is the line's own time.
   */
  | { kind: 'log'; service: string; taskId: string; message: string; timestamp: string }
  /** An ECS service event worth showing (failures, unhealthy targets, throttling). */
  | { kind: 'service-event'; service: string; message: string; timestamp: string }
  /** The change set (or, for a new stack, the template) as a plan; sent for --dry-run. */
  | { kind: 'plan'; stack: string; changes: PlannedChange[] }
  /** The command is done watching. */
  | {
      kind: 'finished';
      outcome: FinishedOutcome;
      stack: string;
      operation?: Operation;
      message: string;
      rootCause?: RootCause;
      endpoints?: string[];
      /** resources kept on purpose (EFS file systems on down) */
      retained?: { logicalId: string; resourceType: string; physicalId?: string }[];
      /** how to follow the operation from elsewhere (detach, interrupt) */
      follow?: string[];
      /** time since the stack operation was submitted, when it was */
      elapsedMs?: number;
    };

export type DeployEvent = { seq: number; at: string } & DeployEventBody;
export type DeployEventKind = DeployEvent['kind'];

/** Receives events in order. */
export type DeploySink = (event: DeployEvent) => void;

export const PROGRESS_SCHEMA_VERSION = 1;

/** The status of a resource or stack as a display state. */
export function stateOfStatus(status: string): ResourceState {
  if (status === 'DELETE_COMPLETE') return 'deleted';
  if (status === 'DELETE_SKIPPED') return 'skipped';
  if (status.endsWith('_FAILED')) return 'failed';
  if (status.endsWith('_IN_PROGRESS')) return 'in-progress';
  // ROLLBACK_COMPLETE / UPDATE_ROLLBACK_COMPLETE end an operation that failed
  if (/ROLLBACK_COMPLETE$/.test(status)) return 'failed';
  return 'complete';
}

/** A stack status that ends an operation (nothing is moving any more). */
export function isTerminalStackStatus(status: string): boolean {
  return !status.endsWith('_IN_PROGRESS');
}
