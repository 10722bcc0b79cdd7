/** CloudWatch Logs (JSON 1.1): log groups and streams, FilterLogEvents, GetLogEvents. StartLiveTail is in live-tail.ts. */
import { SimError } from '../errors.js';
import type { LogGroup, World } from '../world.js';
import { page, type Handler } from './types.js';

function groupName(params: Record<string, any>): string {
  const id = String(params.logGroupName ?? params.logGroupIdentifier ?? '');
  // An identifier may be an ARN: arn:aws:logs:region:account:log-group:NAME[:*]
  const m = /^arn:aws:logs:[^:]*:[^:]*:log-group:([^:]+)(:\*)?$/.exec(id);
  return m ? m[1]! : id;
}

export function mustGroup(world: World, params: Record<string, any>): LogGroup {
  const g = world.logGroups.get(groupName(params));
  if (!g) throw new SimError('ResourceNotFoundException', 'The specified log group does not exist.');
  return g;
}

/** CloudWatch filter pattern, the simple forms: terms that must all appear, `"quoted phrases"`, `?any ?of`. */
export function filterMatches(pattern: string | undefined, message: string): boolean {
  if (!pattern || !pattern.trim()) return true;
  const terms = [...pattern.matchAll(/(\?)?("([^"]*)"|\S+)/g)].map((m) => ({ optional: Boolean(m[1]), text: m[3] ?? m[2]! }));
  const optional = terms.filter((t) => t.optional);
  const required = terms.filter((t) => !t.optional);
  if (optional.length && !optional.some((t) => message.includes(t.text))) return false;
  return required.every((t) => (t.text.startsWith('-') ? !message.includes(t.text.slice(1)) : message.includes(t.text)));
}

export const logs: Record<string, Handler> = {
  DescribeLogGroups({ world, params }) {
    const prefix = params.logGroupNamePrefix ?? params.logGroupNamePattern ?? '';
    const groups = [...world.logGroups.values()].filter((g) => g.name.startsWith(prefix) || (params.logGroupNamePattern && g.name.includes(params.logGroupNamePattern)));
    const { items, next } = page(groups.sort((a, b) => a.name.localeCompare(b.name)), params.nextToken, Number(params.limit ?? 50));
    return {
      logGroups: items.map((g) => ({ logGroupName: g.name, arn: g.arn, logGroupArn: g.arn.replace(/:\*$/, ''), creationTime: g.creationTime, retentionInDays: g.retentionInDays, storedBytes: 0 })),
      nextToken: next,
    };
  },
  DescribeLogStreams({ world, params }) {
    const g = mustGroup(world, params);
    let streams = [...g.streams.values()].filter((s) => !params.logStreamNamePrefix || s.name.startsWith(params.logStreamNamePrefix));
    if (params.orderBy === 'LastEventTime') streams.sort((a, b) => (a.events.at(-1)?.timestamp ?? 0) - (b.events.at(-1)?.timestamp ?? 0));
    else streams.sort((a, b) => a.name.localeCompare(b.name));
    if (params.descending) streams = streams.reverse();
    const { items, next } = page(streams, params.nextToken, Math.min(50, Number(params.limit ?? 50)));
    return {
      logStreams: items.map((s) => ({
        logStreamName: s.name,
        creationTime: s.creationTime,
        firstEventTimestamp: s.events[0]?.timestamp,
        lastEventTimestamp: s.events.at(-1)?.timestamp,
        lastIngestionTime: s.events.at(-1)?.ingestionTime,
        uploadSequenceToken: '1',
        arn: `${g.arn.replace(/:\*$/, '')}:log-stream:${s.name}`,
        storedBytes: 0,
      })),
      nextToken: next,
    };
  },
  GetLogEvents({ world, params }) {
    const g = mustGroup(world, params);
    const s = g.streams.get(params.logStreamName);
    if (!s) throw new SimError('ResourceNotFoundException', 'The specified log stream does not exist.');
    const limit = Math.min(10_000, Number(params.limit ?? 10_000));
    const inRange = s.events.filter((e) => (params.startTime === undefined || e.timestamp >= params.startTime) && (params.endTime === undefined || e.timestamp < params.endTime));
    let from: number;
    const token = String(params.nextToken ?? '');
    if (token.startsWith('f/')) from = Number(token.slice(2));
    else if (token.startsWith('b/')) from = Math.max(0, Number(token.slice(2)) - limit);
    else from = params.startFromHead ? 0 : Math.max(0, inRange.length - limit);
    const events = inRange.slice(from, from + limit);
    return {
      events: events.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
      nextForwardToken: `f/${String(from + events.length).padStart(56, '0')}`,
      nextBackwardToken: `b/${String(from).padStart(56, '0')}`,
    };
  },
  FilterLogEvents({ world, params }) {
    const g = mustGroup(world, params);
    if (params.logStreamNames && params.logStreamNamePrefix) {
      throw new SimError('InvalidParameterException', 'logStreamNamePrefix and logStreamNames are mutually exclusive');
    }
    const names: string[] | undefined = params.logStreamNames;
    const streams = [...g.streams.values()].filter((s) => (!names || names.includes(s.name)) && (!params.logStreamNamePrefix || s.name.startsWith(params.logStreamNamePrefix)));
    const all = streams
      .flatMap((s) => s.events.map((e) => ({ s: s.name, e })))
      .filter(({ e }) => (params.startTime === undefined || e.timestamp >= params.startTime) && (params.endTime === undefined || e.timestamp <= params.endTime))
      .filter(({ e }) => filterMatches(params.filterPattern, e.message))
      .sort((a, b) => a.e.timestamp - b.e.timestamp || a.e.seq - b.e.seq);
    const { items, next } = page(all, params.nextToken, Math.min(10_000, Number(params.limit ?? 10_000)));
    return {
      events: items.map(({ s, e }) => ({ logStreamName: s, timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime, eventId: String(e.seq).padStart(56, '0') })),
      searchedLogStreams: streams.map((s) => ({ logStreamName: s.name, searchedCompletely: !next })),
      nextToken: next,
    };
  },
  CreateLogGroup({ world, params }) {
    if (world.logGroups.has(params.logGroupName)) throw new SimError('ResourceAlreadyExistsException', 'The specified log group already exists');
    world.logGroup(params.logGroupName, true);
    return {};
  },
};
