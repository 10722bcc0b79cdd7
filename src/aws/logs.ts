/**
 * `logs`: the project's log lines from its log group `/docker-compose/<project>`, whose streams
 * are `<project>/<container>/<task-id>` (awslogs, stream prefix = project name; the container is
 * the service's ECS name, shown under its compose name).
 *
 * History comes from FilterLogEvents, one stream prefix per service, merged by time. `--tail N`
 * reads backwards in growing time windows (FilterLogEvents is ascending only) until each service
 * has N lines. `-f` opens a Live Tail session first (so nothing is missed), prints the history,
 * then the live lines, dropping those the history already showed; when Live Tail is unavailable
 * (denied, over quota, an endpoint that lacks it) it polls FilterLogEvents every 2-3 s with a
 * 10 s overlap, deduplicated by event ID. Every FilterLogEvents page goes through one pacer that
 * keeps the process under 4 requests per second (the account's limit is 5).
 */
import type { CloudWatchLogsClient, FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { UserError } from '../errors.js';
import { containerName, logGroupName, secretsInitContainer } from '../convert/naming.js';
import { seedInitContainer, storageInitContainer } from '../convert/task-storage.js';
import type { AwsClients } from './clients.js';
import { Backoff } from './backoff.js';
import { byTime, parseStream, type LogEvent } from './log-events.js';
import { LiveTailUnavailable, openLiveTail, type LiveSession, type LiveTailEvent } from './live-tail.js';
import { stackName } from '../convert/naming.js';
import { composeServicesOf, deployedServiceNames, listStackResources } from './project-stack.js';
import { RequestPacer } from './request-pacer.js';
import type { PollInterval, Timing } from './timing.js';

export { logGroupName };

/** How far back each `--tail` window reaches from now; the last one has no lower bound. */
export const TAIL_HORIZONS_MS: readonly number[] = [60_000, 300_000, 1_800_000, 7_200_000, 43_200_000, 259_200_000, 1_209_600_000, 7_776_000_000, Infinity];
/** Polling re-reads this much before the newest line seen, for lines that arrive late. */
export const POLL_OVERLAP_MS = 10_000;
export const DEFAULT_POLL: PollInterval = { minMs: 2000, maxMs: 3000 };
/** Live Tail takes at most 100 stream prefixes; above that we tail the whole project and filter here. */
const MAX_LIVE_PREFIXES = 100;
const HISTORY_BATCH = 1000;

export type LogSink = (events: LogEvent[]) => void | Promise<void>;

export interface LogsOptions {
  project: string;
  /** the services asked for; empty means all */
  services: readonly string[];
  /** the project's services, when its stack is there (for per-service --tail) */
  known?: readonly string[];
  /** epoch ms */
  since?: number;
  /** epoch ms: only lines before this time (`--until`); not with follow */
  until?: number;
  /** lines per service */
  tail?: number;
  follow: boolean;
  signal: AbortSignal;
  timing: Timing;
  /** false skips Live Tail and polls (tests, or an endpoint known to lack it) */
  liveTail?: boolean;
  pollInterval?: PollInterval;
  /** one-line notes for stderr (fallback to polling, sampling, missing log group) */
  notice?: (message: string) => void;
}

/**
 * The project's compose services, from its stack (undefined when there is no stack), after checking
 * that every requested service is one of them.
 */
export async function projectLogServices(clients: AwsClients, project: string, requested: readonly string[]): Promise<string[] | undefined> {
  const cfn = await clients.cloudFormation();
  const resources = await listStackResources(cfn, stackName(project));
  if (!resources) return undefined;
  // the compose names, from the deployed template's owner metadata; else from the families
  const owned = await deployedServiceNames(cfn, stackName(project));
  const known = owned.length > 0 ? owned : composeServicesOf(resources, project, requested);
  const unknown = requested.filter((s) => !known.includes(s));
  if (unknown.length > 0 && known.length > 0) {
    throw new UserError(`no such service: ${unknown.join(', ')}; project ${project} has ${known.join(', ')}.`);
  }
  return known;
}

interface Query {
  prefix: string;
  /** the services this query answers for (undefined: whatever the project prefix holds) */
  services?: readonly string[];
}

/**
 * A stream is `<project>/<container>/<task-id>`, and the container is the compose service's ECS
 * name (naming.containerName: `web.front` runs as container `web-front`): prefixes are built from
 * it, and lines are shown under the compose name.
 */
const streamPrefix = (project: string, service: string): string => `${project}/${containerName(service)}/`;

function queriesFor(o: LogsOptions): Query[] {
  const each = o.services.length > 0 ? o.services : o.tail !== undefined ? (o.known ?? []) : [];
  if (each.length === 0) return [{ prefix: `${o.project}/` }];
  return [...new Set(each)].sort().map((s) => ({ prefix: streamPrefix(o.project, s), services: [s] }));
}

function isNotFound(e: unknown): boolean {
  return (e as { name?: string })?.name === 'ResourceNotFoundException';
}

const initContainerNames = (service: string): string[] => [secretsInitContainer(service), storageInitContainer(service), seedInitContainer(service)];

class Reader {
  readonly pacer: RequestPacer;
  missingGroup = false;

  constructor(
    private readonly logs: CloudWatchLogsClient,
    private readonly o: LogsOptions,
  ) {
    this.pacer = new RequestPacer(o.timing);
    this.composeNames = new Map(
      [...(o.known ?? []), ...o.services].flatMap((s) => [containerName(s), ...initContainerNames(s)].map((name): [string, string] => [name, s])),
    );
  }

  /**
   * container name -> compose service, for the services this project has or was asked for; the
   * init containers ECS runs before a service's own (secrets, volume storage) count as the service,
   * as compose has no such containers to name
   */
  private readonly composeNames: Map<string, string>;

  toEvent(e: { logStreamName?: string; timestamp?: number; ingestionTime?: number; message?: string; eventId?: string }): LogEvent {
    const stream = e.logStreamName ?? '';
    const parsed = parseStream(stream, this.o.project);
    const service = this.composeNames.get(parsed.service) ?? parsed.service;
    const taskId = parsed.taskId;
    const out: LogEvent = { service, taskId, stream, timestamp: e.timestamp ?? 0, message: e.message ?? '' };
    if (e.ingestionTime !== undefined) out.ingestionTime = e.ingestionTime;
    if (e.eventId !== undefined) out.eventId = e.eventId;
    return out;
  }

  /** One FilterLogEvents window, every page, each through the pacer; throttling is retried by the SDK. */
  async *pages(prefix: string, start: number | undefined, end: number | undefined): AsyncGenerator<LogEvent[]> {
    const { FilterLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
    let token: string | undefined;
    do {
      await this.pacer.take(this.o.signal);
      if (this.o.signal.aborted) return;
      let res;
      try {
        res = await this.logs.send(
          new FilterLogEventsCommand({
            logGroupName: logGroupName(this.o.project),
            logStreamNamePrefix: prefix,
            startTime: start,
            endTime: end,
            nextToken: token,
          }),
          { abortSignal: this.o.signal },
        );
      } catch (e) {
        if (this.o.signal.aborted) return;
        if (isNotFound(e)) {
          this.missingGroup = true;
          return;
        }
        throw e;
      }
      // a page can be empty while more pages follow
      const events = (res.events ?? []).map((e: FilteredLogEvent) => this.toEvent(e));
      if (events.length > 0) yield events;
      token = res.nextToken;
    } while (token);
  }

  async *history(q: Query): AsyncGenerator<LogEvent> {
    const until = this.o.until;
    // the bound again here: an endpoint that ignores endTime must not print later lines
    for await (const page of this.pages(q.prefix, this.o.since, until)) yield* until === undefined ? page : page.filter((e) => e.timestamp <= until);
  }

  /** The last `n` lines of each of the query's services, oldest first. */
  async tail(q: Query, n: number): Promise<LogEvent[]> {
    if (n === 0) return [];
    const now = Math.min(this.o.timing.now().getTime(), this.o.until ?? Number.POSITIVE_INFINITY);
    const lower = this.o.since ?? 0;
    const kept = new Map<string, LogEvent[]>();
    let end: number | undefined = this.o.until;
    let reached = 0;
    for (const horizon of TAIL_HORIZONS_MS) {
      if (this.o.signal.aborted) break;
      const start = Math.max(lower, horizon === Infinity ? lower : now - horizon);
      const window: LogEvent[] = [];
      // the window's bounds again here: an endpoint that ignores them must not repeat lines
      for await (const page of this.pages(q.prefix, start, end)) window.push(...page.filter((e) => e.timestamp >= start && (end === undefined || e.timestamp <= end)));
      const byService = new Map<string, LogEvent[]>();
      for (const e of window) {
        if (q.services && !q.services.includes(e.service)) continue;
        byService.set(e.service, [...(byService.get(e.service) ?? []), e]);
      }
      for (const [service, events] of byService) {
        const merged = [...events.sort(byTime), ...(kept.get(service) ?? [])];
        kept.set(service, merged.slice(Math.max(0, merged.length - n)));
      }
      reached = start;
      const wanted = q.services ?? [...kept.keys()];
      if (reached <= lower) break;
      if (wanted.length > 0 && wanted.every((s) => (kept.get(s)?.length ?? 0) >= n)) break;
      end = start - 1;
    }
    return [...kept.values()].flat().sort(byTime);
  }
}

/** Merges ascending streams of events into one ascending stream. */
async function* mergeByTime(sources: AsyncGenerator<LogEvent>[]): AsyncGenerator<LogEvent> {
  if (sources.length === 1) return yield* sources[0]!;
  const heads: (IteratorResult<LogEvent> | undefined)[] = await Promise.all(sources.map((s) => s.next()));
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (!h || h.done) continue;
      if (best < 0 || byTime(h.value, (heads[best] as IteratorYieldResult<LogEvent>).value) < 0) best = i;
    }
    if (best < 0) return;
    yield (heads[best] as IteratorYieldResult<LogEvent>).value;
    heads[best] = await sources[best]!.next();
  }
}

/** Events printed from one source that another source may show again (multiset: identical lines count). */
class Overlap {
  private readonly counts = new Map<string, number>();
  static key(e: { stream: string; timestamp: number; message: string }): string {
    return `${e.stream}\u0000${e.timestamp}\u0000${e.message}`;
  }
  add(e: LogEvent): void {
    const k = Overlap.key(e);
    this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
  }
  /** true (and forgets one) when the event was already printed */
  consume(e: LogEvent): boolean {
    const k = Overlap.key(e);
    const c = this.counts.get(k);
    if (!c) return false;
    if (c === 1) this.counts.delete(k);
    else this.counts.set(k, c - 1);
    return true;
  }
  get size(): number {
    return this.counts.size;
  }
}

async function logGroupArn(logs: CloudWatchLogsClient, name: string): Promise<string | undefined> {
  const { DescribeLogGroupsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
  const res = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
  const group = res.logGroups?.find((g) => g.logGroupName === name);
  // Live Tail wants the ARN without the `:*` DescribeLogGroups appends to `arn`
  return group?.logGroupArn ?? group?.arn?.replace(/:\*$/, '');
}

/** What the history printed, so that following does not print it again. */
interface Printed {
  /** the newest line's time */
  newest: number;
  /** history lines ingested after the Live Tail session opened: they come again through it */
  overlap: Overlap;
  /** event IDs printed, for the polling fallback */
  seenIds: Map<string, number>;
}

/**
 * Reads the project's logs into `sink` in time order; with `follow`, keeps going until the
 * signal aborts, then returns normally:
 *
 *   open Live Tail (follow) -> print the history (--tail / --since) -> Live Tail lines, reconnecting
 *   after three hours -> polling FilterLogEvents when Live Tail is unavailable or stops
 */
export async function readLogs(clients: AwsClients, o: LogsOptions, sink: LogSink): Promise<{ missingGroup: boolean }> {
  const logs = await clients.logs();
  const reader = new Reader(logs, o);
  const wanted = (e: LogEvent): boolean => o.services.length === 0 || o.services.includes(e.service);
  const notice = o.notice ?? (() => {});

  // Live Tail first, so lines written while history prints are not missed
  let live: LiveSession | undefined;
  if (o.follow && o.liveTail !== false) {
    live = await openLive(logs, o, notice);
    if (!live && o.signal.aborted) return { missingGroup: reader.missingGroup };
  }
  try {
    const printed = await printHistory(reader, o, sink, wanted, live);
    if (!o.follow || o.signal.aborted) return { missingGroup: reader.missingGroup };
    const followed = await followLive(logs, reader, o, sink, { wanted, notice, printed, live });
    live = followed.live;
    if (!o.signal.aborted) {
      const shown = new Overlap();
      for (const e of followed.recentLive) if (e.timestamp >= followed.fromTs - POLL_OVERLAP_MS) shown.add(e);
      await poll(reader, o, sink, { from: followed.fromTs, seenIds: printed.seenIds, printed: shown, wanted });
    }
  } finally {
    live?.close();
  }
  return { missingGroup: reader.missingGroup };
}

/** A Live Tail session on the project's streams, or undefined (said in a notice) when there is none. */
async function openLive(logs: CloudWatchLogsClient, o: LogsOptions, notice: (m: string) => void): Promise<LiveSession | undefined> {
  try {
    const arn = await logGroupArn(logs, logGroupName(o.project));
    if (!arn) throw new LiveTailUnavailable(`log group ${logGroupName(o.project)} does not exist yet`);
    return await openLiveTail(logs, { logGroupArn: arn, prefixes: livePrefixes(o) }, o.signal, () => o.timing.now().getTime());
  } catch (e) {
    if (!o.signal.aborted) notice(`Live Tail is unavailable (${e instanceof LiveTailUnavailable ? e.message : String(e)}); polling for new lines every few seconds instead.`);
    return undefined;
  }
}

/** The lines before now: the last `--tail` of each service, or all of them merged by time. */
async function printHistory(reader: Reader, o: LogsOptions, sink: LogSink, wanted: (e: LogEvent) => boolean, live: LiveSession | undefined): Promise<Printed> {
  const printed: Printed = { newest: o.since ?? Number.NEGATIVE_INFINITY, overlap: new Overlap(), seenIds: new Map() };
  const remember = (e: LogEvent): void => {
    if (e.timestamp > printed.newest) printed.newest = e.timestamp;
    if (!o.follow) return;
    if (live && (e.ingestionTime ?? Number.POSITIVE_INFINITY) >= live.startedAt - 5000) printed.overlap.add(e);
    if (e.eventId) printed.seenIds.set(e.eventId, e.timestamp);
  };
  if (o.tail !== undefined && o.tail <= 0) return printed;
  const queries = queriesFor(o);
  if (o.tail !== undefined) {
    const parts = await Promise.all(queries.map((q) => reader.tail(q, o.tail!)));
    const events = parts.flat().filter(wanted).sort(byTime);
    events.forEach(remember);
    if (events.length > 0) await sink(events);
    return printed;
  }
  let batch: LogEvent[] = [];
  for await (const e of mergeByTime(queries.map((q) => reader.history(q)))) {
    if (!wanted(e)) continue;
    remember(e);
    batch.push(e);
    if (batch.length >= HISTORY_BATCH) {
      await sink(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await sink(batch);
  return printed;
}

/**
 * Live Tail lines until the signal aborts or the session ends for good. A session that times out
 * (after three hours) is reopened and the gap read with FilterLogEvents. Returns where polling
 * must take over, and the live lines it must not repeat (they have no event ID).
 */
async function followLive(
  logs: CloudWatchLogsClient,
  reader: Reader,
  o: LogsOptions,
  sink: LogSink,
  s: { wanted: (e: LogEvent) => boolean; notice: (m: string) => void; printed: Printed; live: LiveSession | undefined },
): Promise<{ fromTs: number; recentLive: LogEvent[]; live: LiveSession | undefined }> {
  let live = s.live;
  let fromTs = Number.isFinite(s.printed.newest) ? s.printed.newest : o.timing.now().getTime();
  let recentLive: LogEvent[] = [];
  while (live && !o.signal.aborted) {
    const item = await live.next();
    if (item.kind === 'events') {
      const events = item.events.map((e: LiveTailEvent) => reader.toEvent(e)).filter((e) => s.wanted(e) && !s.printed.overlap.consume(e));
      for (const e of events) if (e.timestamp > fromTs) fromTs = e.timestamp;
      recentLive.push(...events);
      if (recentLive.length > 5000) recentLive = recentLive.filter((e) => e.timestamp >= fromTs - 2 * POLL_OVERLAP_MS);
      if (events.length > 0) await sink(events.sort(byTime));
      if (item.sampled) s.notice('Live Tail is sampling: the project writes more than 500 lines a second, so some are not shown.');
      continue;
    }
    live.close();
    if (item.reason === 'aborted') break;
    live = undefined;
    if (item.reason === 'timeout') {
      // sessions end after three hours: open a new one, then fetch what came in between
      try {
        const arn = await logGroupArn(logs, logGroupName(o.project));
        if (!arn) throw new LiveTailUnavailable(`log group ${logGroupName(o.project)} is gone`);
        live = await openLiveTail(logs, { logGroupArn: arn, prefixes: livePrefixes(o) }, o.signal, () => o.timing.now().getTime());
        for await (const page of reader.pages(`${o.project}/`, fromTs - POLL_OVERLAP_MS, undefined)) {
          const fresh = page.filter((e) => s.wanted(e) && e.timestamp > fromTs);
          for (const e of fresh) s.printed.overlap.add(e);
          if (fresh.length > 0) await sink(fresh);
        }
      } catch (e) {
        live?.close();
        live = undefined;
        if (o.signal.aborted) break;
        s.notice(`Live Tail could not reconnect (${e instanceof LiveTailUnavailable ? e.message : String(e)}); polling instead.`);
      }
    } else if (item.reason === 'error') {
      s.notice(`Live Tail stopped (${(item.error as Error)?.message ?? String(item.error)}); polling for new lines instead.`);
    }
  }
  return { fromTs, recentLive, live };
}

function livePrefixes(o: LogsOptions): string[] {
  if (o.services.length === 0 || o.services.length > MAX_LIVE_PREFIXES) return [`${o.project}/`];
  return [...new Set(o.services)].sort().map((s) => streamPrefix(o.project, s));
}

/**
 * FilterLogEvents polling: every 2-3 s (jittered, doubled per throttled round), read from the
 * newest line seen minus an overlap, and skip event IDs already printed.
 */
async function poll(
  reader: Reader,
  o: LogsOptions,
  sink: LogSink,
  state: { from: number; seenIds: Map<string, number>; printed: Overlap; wanted: (e: LogEvent) => boolean },
): Promise<void> {
  const interval = o.pollInterval ?? DEFAULT_POLL;
  let newest = state.from;
  const backoff = new Backoff(o.timing, interval);
  let wait = backoff.pause();
  const seen = state.seenIds;
  while (!o.signal.aborted) {
    await o.timing.sleep(wait, o.signal);
    if (o.signal.aborted) break;
    const start = newest - POLL_OVERLAP_MS;
    const read = async (): Promise<void> => {
      for await (const page of reader.pages(`${o.project}/`, Number.isFinite(start) ? start : undefined, undefined)) {
        const fresh: LogEvent[] = [];
        for (const e of page) {
          if (e.eventId !== undefined) {
            if (seen.has(e.eventId)) continue;
            seen.set(e.eventId, e.timestamp);
          }
          if (state.printed.size > 0 && state.printed.consume(e)) continue;
          if (e.timestamp > newest) newest = e.timestamp;
          if (state.wanted(e)) fresh.push(e);
        }
        if (fresh.length > 0) await sink(fresh);
      }
    };
    try {
      const round = await backoff.attempt(read);
      wait = round.ok ? backoff.pause() : round.retryInMs;
    } catch (e) {
      if (o.signal.aborted) break;
      throw e;
    }
    // forget IDs that are older than any window we will read again
    if (seen.size > 10_000) for (const [id, ts] of seen) if (ts < newest - 2 * POLL_OVERLAP_MS) seen.delete(id);
  }
}
