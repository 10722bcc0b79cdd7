/**
 * CloudWatch Logs StartLiveTail: an event stream (application/vnd.amazon.eventstream) held open
 * on the HTTP/1.1 response: one `sessionStart`, then a `sessionUpdate` every `intervalMs` of wall
 * time with the lines written since (at most 500 per update, as AWS caps them), until the client
 * goes away, the session times out, or the simulator stops.
 */
import type { ServerResponse } from 'node:http';
import { eventMessage, exceptionMessage } from '../protocols/eventstream.js';
import type { World } from '../world.js';
import { filterMatches, mustGroup } from './logs.js';

export interface LiveTailSession {
  close(): void;
}

export function startLiveTail(
  world: World,
  params: Record<string, any>,
  res: ServerResponse,
  requestId: string,
  opts: { intervalMs: number; maxSessionMs: number },
): LiveTailSession {
  const ids: string[] = params.logGroupIdentifiers ?? [];
  const groups = ids.map((id) => ({ id, group: mustGroup(world, { logGroupIdentifier: id }) }));
  const names: string[] | undefined = params.logStreamNames;
  const prefixes: string[] | undefined = params.logStreamNamePrefixes;
  const pattern: string | undefined = params.logEventFilterPattern;
  let lastSeq = 0;
  for (const { group } of groups) for (const s of group.streams.values()) for (const e of s.events) lastSeq = Math.max(lastSeq, e.seq);

  res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': requestId, 'transfer-encoding': 'chunked' });
  const sessionId = world.ids.uuid();
  res.write(
    eventMessage('sessionStart', {
      requestId,
      sessionId,
      logGroupIdentifiers: ids,
      logStreamNames: names,
      logStreamNamePrefixes: prefixes,
      logEventFilterPattern: pattern,
    }),
  );
  const started = Date.now();
  let closed = false;
  const tick = (): void => {
    if (closed) return;
    world.sched.advance();
    const results: Array<Record<string, unknown>> = [];
    let maxSeq = lastSeq;
    for (const { id, group } of groups) {
      for (const s of group.streams.values()) {
        if (names && !names.includes(s.name)) continue;
        if (prefixes && !prefixes.some((p) => s.name.startsWith(p))) continue;
        for (let i = s.events.length - 1; i >= 0 && s.events[i]!.seq > lastSeq; i--) {
          const e = s.events[i]!;
          maxSeq = Math.max(maxSeq, e.seq);
          if (!filterMatches(pattern, e.message)) continue;
          results.push({ logStreamName: s.name, logGroupIdentifier: id, message: e.message, timestamp: e.timestamp, ingestionTime: e.ingestionTime, seq: e.seq });
        }
      }
    }
    lastSeq = maxSeq;
    results.sort((a, b) => (a.timestamp as number) - (b.timestamp as number) || (a.seq as number) - (b.seq as number));
    const sampled = results.length > 500;
    res.write(eventMessage('sessionUpdate', { sessionMetadata: { sampled }, sessionResults: results.slice(0, 500).map(({ seq: _seq, ...r }) => r) }));
    if (Date.now() - started > opts.maxSessionMs) {
      res.end(exceptionMessage('SessionTimeoutException', 'Session timed out'));
      session.close();
    }
  };
  const timer = setInterval(tick, opts.intervalMs);
  const session: LiveTailSession = {
    close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      if (!res.writableEnded) res.end();
    },
  };
  res.on('close', () => session.close());
  return session;
}
