/**
 * The progress view's state, built from DeployEvents by a pure reducer. Every renderer that
 * redraws (the Ink view) reads this; line renderers (plain, json) read events directly.
 * Times are the local `at` of events, so elapsed times never mix the AWS clock with ours.
 */
import type { DeployEvent, Operation, PlannedChange, ResourceState } from '../aws/events.js';

export type RowState = ResourceState | 'pending';

export interface ResourceRow {
  logicalId: string;
  resourceType: string;
  status: string;
  state: RowState;
  reason?: string;
  /** when the current run of work began; cleared on a new start after a finish */
  startedAt?: string;
  endedAt?: string;
  /** any failure in this resource's history (a row stays red after a rollback succeeds) */
  hadFailure: boolean;
}

export interface Rollout {
  desired: number;
  running: number;
  pending: number;
  failed: number;
  rolloutState?: string;
}

export interface ServiceBlock {
  name: string;
  resources: ResourceRow[];
  rollout?: Rollout;
  /** the latest stopped tasks, newest last (at most MAX_STOPPED) */
  stoppedTasks: { taskId: string; reason: string; lastLines?: string[] }[];
  /** the latest interesting ECS service events, newest last (at most MAX_SERVICE_EVENTS) */
  serviceEvents: string[];
  /** the newest log lines of the service's running new tasks, newest last (at most MAX_LOG_LINES) */
  logs?: LogLine[];
}

export interface LogLine {
  taskId: string;
  message: string;
}

export type Finished = Extract<DeployEvent, { kind: 'finished' }>;

export interface ProgressState {
  stack?: string;
  operation?: Operation;
  stackStatus?: string;
  stackState?: RowState;
  stackReason?: string;
  startedAt?: string;
  endedAt?: string;
  expectedChanges?: number;
  services: ServiceBlock[];
  /** resources that belong to no compose service (cluster, load balancer, log group, ...) */
  project: ResourceRow[];
  notices: { level: 'info' | 'warning'; message: string }[];
  plan?: PlannedChange[];
  finished?: Finished;
}

export const MAX_STOPPED = 2;
export const MAX_SERVICE_EVENTS = 3;
export const MAX_LOG_LINES = 3;

export const initialState: ProgressState = Object.freeze({ services: [], project: [], notices: [] }) as ProgressState;

function serviceBlock(state: ProgressState, name: string): [ServiceBlock[], ServiceBlock] {
  const found = state.services.find((s) => s.name === name);
  if (found) return [state.services, found];
  const block: ServiceBlock = { name, resources: [], stoppedTasks: [], serviceEvents: [] };
  return [[...state.services, block], block];
}

function replaceBlock(services: ServiceBlock[], next: ServiceBlock): ServiceBlock[] {
  return services.map((s) => (s.name === next.name ? next : s));
}

function nextRow(prev: ResourceRow | undefined, e: Extract<DeployEvent, { kind: 'resource' }>): ResourceRow {
  const inProgress = e.state === 'in-progress';
  let startedAt = prev?.startedAt;
  let endedAt = prev?.endedAt;
  if (inProgress) {
    // CloudFormation may send two IN_PROGRESS events in a row: the stopwatch keeps running
    if (!startedAt || endedAt) {
      startedAt = e.at;
      endedAt = undefined;
    }
  } else {
    startedAt ??= e.at;
    endedAt = e.at;
  }
  return {
    logicalId: e.logicalId,
    resourceType: e.resourceType,
    status: e.status,
    state: e.state,
    ...(e.reason ? { reason: e.reason } : {}),
    ...(startedAt ? { startedAt } : {}),
    ...(endedAt ? { endedAt } : {}),
    hadFailure: (prev?.hadFailure ?? false) || e.state === 'failed',
  };
}

function upsert(rows: ResourceRow[], e: Extract<DeployEvent, { kind: 'resource' }>): ResourceRow[] {
  const i = rows.findIndex((r) => r.logicalId === e.logicalId);
  if (i < 0) return [...rows, nextRow(undefined, e)];
  const out = [...rows];
  out[i] = nextRow(rows[i], e);
  return out;
}

export function reduce(state: ProgressState, event: DeployEvent): ProgressState {
  switch (event.kind) {
    case 'operation-started': {
      let services = state.services;
      for (const name of event.services) [services] = serviceBlock({ ...state, services }, name);
      return {
        ...state,
        stack: event.stack,
        operation: event.operation,
        startedAt: event.at,
        ...(event.expectedChanges !== undefined ? { expectedChanges: event.expectedChanges } : {}),
        services,
      };
    }
    case 'notice':
      return { ...state, notices: [...state.notices, { level: event.level, message: event.message }] };
    case 'stack':
      return {
        ...state,
        stack: event.stack,
        stackStatus: event.status,
        stackState: event.state,
        ...(event.reason ? { stackReason: event.reason } : {}),
      };
    case 'resource': {
      if (!event.service) return { ...state, project: upsert(state.project, event) };
      const [services, block] = serviceBlock(state, event.service);
      return { ...state, services: replaceBlock(services, { ...block, resources: upsert(block.resources, event) }) };
    }
    case 'rollout': {
      const [services, block] = serviceBlock(state, event.service);
      const rollout: Rollout = {
        desired: event.desired,
        running: event.running,
        pending: event.pending,
        failed: event.failed,
        ...(event.rolloutState ? { rolloutState: event.rolloutState } : {}),
      };
      return { ...state, services: replaceBlock(services, { ...block, rollout }) };
    }
    case 'task-stopped': {
      const [services, block] = serviceBlock(state, event.service);
      // the task's live lines move into its stopped record (kept on screen), unless AWS gave its own
      const own = (block.logs ?? []).filter((l) => l.taskId === event.taskId).map((l) => l.message);
      const lastLines = event.lastLines ?? (own.length ? own : undefined);
      const stopped = { taskId: event.taskId, reason: event.reason, ...(lastLines ? { lastLines } : {}) };
      const stoppedTasks = [...block.stoppedTasks, stopped].slice(-MAX_STOPPED);
      const next: ServiceBlock = { ...block, stoppedTasks };
      if (block.logs) next.logs = block.logs.filter((l) => l.taskId !== event.taskId);
      return { ...state, services: replaceBlock(services, next) };
    }
    case 'log': {
      const [services, block] = serviceBlock(state, event.service);
      if (block.stoppedTasks.some((t) => t.taskId === event.taskId)) return state; // a late line of a stopped task
      const logs = [...(block.logs ?? []), { taskId: event.taskId, message: event.message }].slice(-MAX_LOG_LINES);
      return { ...state, services: replaceBlock(services, { ...block, logs }) };
    }
    case 'service-event': {
      const [services, block] = serviceBlock(state, event.service);
      const serviceEvents = [...block.serviceEvents, event.message].slice(-MAX_SERVICE_EVENTS);
      return { ...state, services: replaceBlock(services, { ...block, serviceEvents }) };
    }
    case 'plan':
      return { ...state, stack: event.stack, plan: event.changes };
    case 'finished':
      return { ...state, stack: event.stack, finished: event, endedAt: event.at };
  }
}

/** Rows that reached a good end (complete, deleted or kept). */
export function completedCount(state: ProgressState): number {
  const rows = [...state.project, ...state.services.flatMap((s) => s.resources)];
  return rows.filter((r) => r.state === 'complete' || r.state === 'deleted' || r.state === 'skipped').length;
}
