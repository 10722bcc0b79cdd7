/**
 * A local AWS: one HTTP server (loopback) that the real AWS SDK v3 reaches through
 * `AWS_ENDPOINT_URL`. Requests are told apart by `X-Amz-Target` (JSON 1.1), by `Action` plus the
 * SigV4 credential scope (query protocols), and by path (EFS, S3). See README.md.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ScaledClock, type Clock } from './clock.js';
import { CloudFormationEngine } from './engine/stacks.js';
import { SimError } from './errors.js';
import { renderJson, renderJsonError, renderRestJsonError } from './protocols/json.js';
import { parseQueryBody, renderQueryError, renderQueryResponse, type QueryService } from './protocols/query-xml.js';
import { renderS3Error } from './protocols/rest-xml.js';
import type { CallFault, Scenario } from './scenario.js';
import { cloudformation } from './services/cloudformation.js';
import { ec2 } from './services/ec2.js';
import { ecr } from './services/ecr.js';
import { ecs } from './services/ecs.js';
import { efsRoute } from './services/efs.js';
import { elbv2 } from './services/elbv2.js';
import { startLiveTail, type LiveTailSession } from './services/live-tail.js';
import { logs } from './services/logs.js';
import { s3Route } from './services/s3.js';
import { secretsmanager } from './services/secretsmanager.js';
import { sts } from './services/sts.js';
import { servicediscovery } from './services/servicediscovery.js';
import { autoscaling } from './services/autoscaling.js';
import { renderRoute53Error, route53Route } from './services/route53.js';
import type { Handler, OperationContext } from './services/types.js';
import { World } from './world.js';
import { recordForLint } from '../support/cfn-lint.js';

export type { Scenario } from './scenario.js';
export { ManualClock, ScaledClock, type Clock } from './clock.js';

export interface SimulatorOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  scenario?: Scenario;
  /** Simulated time source; default a wall clock scaled by `speed`. */
  clock?: Clock;
  /** Simulated seconds per wall second, default 20 (ignored with `clock`). */
  speed?: number;
  region?: string;
  /** Wall ms between Live Tail session updates, default 250. */
  liveTailIntervalMs?: number;
  /**
   * Called with each template the plugin sends (CreateStack, UpdateStack, CreateChangeSet with the
   * stack tag com.docker.compose.project); default: queue it for cfn-lint at the end of the test run.
   */
  onPluginTemplate?: (body: string) => void;
}

export interface RecordedCall {
  /** Signing name: cloudformation, ec2, elasticloadbalancing, sts, ecs, logs, secretsmanager, s3, elasticfilesystem. */
  service: string;
  operation: string;
  params: Record<string, any>;
  /** Simulated time of the call (epoch ms). */
  time: number;
  /** Wall-clock time of the call (epoch ms). */
  wallTime: number;
  /** HTTP status sent; undefined for a dropped connection or an open stream. */
  status?: number;
  /** Error code sent, if any (ValidationError, Throttling, ...). */
  error?: string;
  /** The fault a scenario injected: throttle, server-error or drop. */
  fault?: 'throttle' | 'server-error' | 'drop' | 'expired';
}

export interface Simulator {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  /** Every request, in arrival order. */
  readonly calls: RecordedCall[];
  /** The simulated account (advanced to simulated now when read). */
  readonly state: World;
  /** The CloudFormation engine (stacks and change sets). */
  readonly cloudformation: CloudFormationEngine;
  /** Replace the scenario; fault counters restart; seeded stacks are created. */
  setScenario(scenario: Scenario): void;
  /** Calls of one operation (and optionally service). */
  callsTo(operation: string, service?: string): RecordedCall[];
  /** Simulated now (epoch ms). */
  now(): number;
  stop(): Promise<void>;
}

const QUERY: Record<string, QueryService & { pkg: string; handlers: Record<string, Handler> }> = {
  cloudformation: { xmlns: 'http://cloudformation.amazonaws.com/doc/2010-05-15/', pkg: '@aws-sdk/client-cloudformation', handlers: cloudformation },
  ec2: { xmlns: 'http://ec2.amazonaws.com/doc/2016-11-15/', ec2: true, pkg: '@aws-sdk/client-ec2', handlers: ec2 },
  elasticloadbalancing: { xmlns: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/', pkg: '@aws-sdk/client-elastic-load-balancing-v2', handlers: elbv2 },
  sts: { xmlns: 'https://sts.amazonaws.com/doc/2011-06-15/', pkg: '@aws-sdk/client-sts', handlers: sts },
  autoscaling: { xmlns: 'http://autoscaling.amazonaws.com/doc/2011-01-01/', pkg: '@aws-sdk/client-auto-scaling', handlers: autoscaling },
};

const JSON_TARGETS: Record<string, { service: string; handlers: Record<string, Handler> }> = {
  AmazonEC2ContainerServiceV20141113: { service: 'ecs', handlers: ecs },
  Logs_20140328: { service: 'logs', handlers: logs },
  secretsmanager: { service: 'secretsmanager', handlers: secretsmanager },
  AmazonEC2ContainerRegistry_V20150921: { service: 'ecr', handlers: ecr },
  Route53AutoNaming_v20170314: { service: 'servicediscovery', handlers: servicediscovery },
};

const schemaModules = new Map<string, Promise<Record<string, unknown>>>();
function loadSchemas(pkg: string): Promise<Record<string, unknown>> {
  let p = schemaModules.get(pkg);
  if (!p) {
    p = import(pkg) as Promise<Record<string, unknown>>;
    schemaModules.set(pkg, p);
  }
  return p;
}

const MAX_BODY = 64 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The scenario's leftovers, once each (a second setScenario with the same names changes nothing). */
function seedLeftovers(world: World): void {
  const l = world.scenario.leftovers ?? {};
  for (const name of l.logGroups ?? []) world.logGroup(name, true);
  for (const name of l.clusters ?? []) {
    const arn = world.arn('ecs', `cluster/${name}`);
    if (!world.clusters.has(arn)) world.clusters.set(arn, { arn, name, status: 'ACTIVE', tags: [], containerInstances: [] });
  }
  const zoneName = (n: string): string => `${n.replace(/\.$/, '').toLowerCase()}.`;
  for (const z of l.hostedZones ?? []) {
    const vpcId = z.vpcId ?? world.vpc.id;
    if ([...world.hostedZones.values()].some((h) => h.name === zoneName(z.name) && h.vpcIds.includes(vpcId))) continue;
    const id = `Z${world.ids.alnum(20)}`;
    world.hostedZones.set(id, { id, name: zoneName(z.name), vpcIds: [vpcId] });
  }
  for (const n of l.namespaces ?? []) {
    const vpcId = n.vpcId ?? world.vpc.id;
    if ([...world.namespaces.values()].some((x) => x.name === n.name && x.vpcId === vpcId)) continue;
    const id = `ns-${world.ids.alnum(16, false)}`;
    const hostedZoneId = `Z${world.ids.alnum(20)}`;
    world.hostedZones.set(hostedZoneId, { id: hostedZoneId, name: zoneName(n.name), vpcIds: [vpcId], owningService: 'servicediscovery.amazonaws.com' });
    world.namespaces.set(id, { id, arn: world.arn('servicediscovery', `namespace/${id}`), name: n.name, vpcId, hostedZoneId, createdAt: world.now() });
  }
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const clock = opts.clock ?? new ScaledClock(opts.speed ?? 20);
  const world = new World(clock, opts.region ?? 'us-east-1');
  world.onPluginTemplate = opts.onPluginTemplate ?? ((body) => recordForLint(body));
  const cfn = new CloudFormationEngine(world);
  const calls: RecordedCall[] = [];
  const faultCounts = new Map<CallFault, number>();
  const rateWindows = new Map<CallFault, number[]>();
  const sockets = new Set<Socket>();
  const sessions = new Set<LiveTailSession>();
  let url = '';

  const setScenario = (s: Scenario): void => {
    world.scenario = s ?? {};
    faultCounts.clear();
    rateWindows.clear();
    world.sched.advance();
    cfn.applyScenario();
    seedLeftovers(world);
    for (const seed of world.scenario.fileSystems ?? []) {
      const id = seed.id ?? `fs-0${world.ids.hex(16)}`;
      if (world.fileSystems.has(id)) continue;
      world.fileSystems.set(id, {
        id,
        arn: world.arn('elasticfilesystem', `file-system/${id}`),
        creationToken: `seed-${id}`,
        createdAt: world.now() - 86_400_000,
        encrypted: true,
        performanceMode: 'generalPurpose',
        throughputMode: 'bursting',
        tags: Object.entries(seed.tags).map(([Key, Value]) => ({ Key, Value })),
        lifeCycleState: 'available',
      });
    }
  };

  const matchFault = (faults: CallFault[] | undefined, service: string, operation: string): CallFault | undefined => {
    for (const f of faults ?? []) {
      if (f.service && f.service !== service) continue;
      if (f.operation && f.operation !== '*' && f.operation !== operation) continue;
      const n = (faultCounts.get(f) ?? 0) + 1;
      faultCounts.set(f, n);
      if (f.ratePerSecond !== undefined) {
        const now = Date.now();
        const window = (rateWindows.get(f) ?? []).filter((t) => now - t < 1000);
        if (window.length >= f.ratePerSecond) {
          rateWindows.set(f, window);
          return f;
        }
        window.push(now);
        rateWindows.set(f, window);
        continue;
      }
      if (f.after !== undefined) {
        if (n > f.after) return f;
        continue;
      }
      if (f.first !== undefined && n <= f.first) return f;
      if (f.everyNth !== undefined && f.everyNth > 0 && n % f.everyNth === 0) return f;
      if (f.first === undefined && f.everyNth === undefined) return f;
    }
    return undefined;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    const body = await readBody(req);
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (u.pathname.startsWith('/_sim/')) {
      // Control API for a simulator in another process (S3 bucket names cannot start with `_`).
      control(req.method ?? 'GET', u.pathname, body, res);
      return;
    }
    const headers = req.headers;
    const auth = String(headers.authorization ?? '');
    const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(auth)?.[1];
    const target = headers['x-amz-target'] as string | undefined;
    const contentType = String(headers['content-type'] ?? '');

    // --- identify -----------------------------------------------------------------------------
    type Kind = 'query' | 'json' | 'efs' | 'route53' | 's3';
    let kind: Kind;
    let service: string;
    let operation: string;
    let params: Record<string, any> = {};
    let jsonHandlers: Record<string, Handler> | undefined;
    if (target) {
      kind = 'json';
      const [prefix, op] = target.split('.');
      const t = JSON_TARGETS[prefix ?? ''];
      service = t?.service ?? scope ?? prefix ?? 'unknown';
      operation = op ?? '';
      jsonHandlers = t?.handlers;
      try {
        params = body.length ? JSON.parse(body.toString('utf8')) : {};
      } catch {
        params = {};
      }
    } else if (req.method === 'POST' && contentType.includes('x-www-form-urlencoded') && (u.pathname === '/' || u.pathname === '')) {
      kind = 'query';
      const parsed = parseQueryBody(body.toString('utf8'));
      operation = parsed.action;
      params = parsed.params;
      service = scope && QUERY[scope] ? scope : (Object.entries(QUERY).find(([, q]) => operation in q.handlers)?.[0] ?? scope ?? 'unknown');
    } else if (u.pathname.startsWith('/2013-04-01/')) {
      kind = 'route53';
      service = 'route53';
      operation = '';
    } else if (u.pathname.startsWith('/2015-02-01/')) {
      kind = 'efs';
      service = 'elasticfilesystem';
      operation = '';
    } else {
      kind = 's3';
      service = 's3';
      operation = '';
    }

    const efs = kind === 'efs' ? efsRoute({ method: req.method ?? 'GET', path: u.pathname, query: u.searchParams, body }) : undefined;
    const s3 = kind === 's3' ? s3Route(req.method ?? 'GET', String(headers.host ?? ''), u.pathname, u.searchParams, headers, body) : undefined;
    const route53 = kind === 'route53' ? route53Route(req.method ?? 'GET', u.pathname, u.searchParams) : undefined;
    if (route53) {
      operation = route53.operation;
      params = Object.fromEntries(u.searchParams);
    }
    if (efs) {
      operation = efs.operation;
      params = Object.fromEntries(u.searchParams);
      const id = /^\/2015-02-01\/[a-z-]+\/([^/]+)/.exec(u.pathname)?.[1];
      if (id) params.id = id;
    }
    if (s3) {
      operation = s3.operation;
      params = { Bucket: s3.bucket, Key: s3.key, ...Object.fromEntries(u.searchParams), ...(operation === 'PutObject' ? { ContentLength: Number(headers['x-amz-decoded-content-length'] ?? body.length) } : {}) };
    }

    const call: RecordedCall = { service, operation, params, time: world.now(), wallTime: Date.now() };
    calls.push(call);

    // --- faults -------------------------------------------------------------------------------
    const sc = world.scenario;
    if (matchFault(sc.dropConnections, service, operation)) {
      call.fault = 'drop';
      req.socket.destroy();
      return;
    }
    const send = (status: number, hdrs: Record<string, string>, payload?: string | Buffer): void => {
      call.status = status;
      res.writeHead(status, { 'x-amzn-requestid': requestId, 'x-amz-request-id': requestId, ...hdrs });
      res.end(payload);
    };
    const sendError = (err: SimError): void => {
      call.error = err.code;
      if (kind === 'query') send(err.status, { 'content-type': 'text/xml' }, renderQueryError(QUERY[service] ?? QUERY.cloudformation!, err, requestId));
      else if (kind === 'json') {
        const r = renderJsonError(err);
        send(err.status, r.headers, r.body);
      } else if (kind === 'efs') {
        const r = renderRestJsonError(err);
        send(err.status, r.headers, r.body);
      } else if (kind === 'route53') send(err.status, { 'content-type': 'text/xml' }, renderRoute53Error(err, requestId));
      else send(err.status, { 'content-type': 'application/xml' }, req.method === 'HEAD' ? undefined : renderS3Error(err, requestId));
    };
    const serverError = matchFault(sc.serverErrors, service, operation) as (CallFault & { status?: number }) | undefined;
    if (serverError) {
      call.fault = 'server-error';
      const status = serverError.status ?? 500;
      const code = kind === 's3' ? (status === 503 ? 'ServiceUnavailable' : 'InternalError') : status === 503 ? 'ServiceUnavailable' : 'InternalFailure';
      sendError(new SimError(code, 'The request processing has failed because of an unknown error, exception or failure.', status));
      return;
    }
    if (matchFault(sc.throttle, service, operation)) {
      call.fault = 'throttle';
      if (kind === 's3') sendError(new SimError('SlowDown', 'Please reduce your request rate.', 503));
      else if (service === 'ec2') sendError(new SimError('RequestLimitExceeded', 'Request limit exceeded.', 503));
      else if (kind === 'query') sendError(new SimError('Throttling', 'Rate exceeded', 400));
      else sendError(new SimError('ThrottlingException', 'Rate exceeded', 400));
      return;
    }
    if (matchFault(sc.expiredCredentials, service, operation)) {
      call.fault = 'expired';
      const message = 'The security token included in the request is expired';
      sendError(new SimError(kind === 'json' ? 'ExpiredTokenException' : 'ExpiredToken', message, 400));
      return;
    }

    // --- dispatch -----------------------------------------------------------------------------
    world.sched.advance();
    try {
      if (kind === 'json') {
        if (service === 'logs' && operation === 'StartLiveTail') {
          const session = startLiveTail(world, params, res, requestId, { intervalMs: opts.liveTailIntervalMs ?? 250, maxSessionMs: 3 * 3600_000 });
          call.status = 200;
          sessions.add(session);
          res.on('close', () => sessions.delete(session));
          return;
        }
        const h = jsonHandlers?.[operation];
        if (!h) throw new SimError('UnknownOperationException', `${target} is not simulated`);
        const out = await h(ctx(params, headers, requestId));
        send(200, { 'content-type': 'application/x-amz-json-1.1' }, renderJson(out));
      } else if (kind === 'query') {
        const q = QUERY[service];
        const h = q?.handlers[operation];
        if (!q || !h) throw new SimError('InvalidAction', `The action ${operation} is not valid for this web service (${service}).`);
        const out = await h(ctx(params, headers, requestId));
        const schemas = await loadSchemas(q.pkg);
        const opSchema = schemas[`${operation}$`];
        send(200, { 'content-type': 'text/xml' }, renderQueryResponse(q, operation, opSchema, out, requestId));
      } else if (kind === 'route53') {
        if (!route53) throw new SimError('InvalidAction', `${req.method} ${u.pathname} is not simulated.`);
        const r = route53.run(world);
        send(r.status, { 'content-type': 'text/xml' }, r.body);
      } else if (kind === 'efs') {
        const r = efs!.run(world);
        if (r.status === 204) send(204, {});
        else send(r.status ?? 200, { 'content-type': 'application/json' }, renderJson(r.body));
      } else {
        const r = s3!.run(world);
        send(r.status, r.headers ?? {}, r.body);
      }
    } catch (e) {
      if (e instanceof SimError) sendError(e);
      else {
        console.error('[aws-sim] internal error:', e);
        sendError(new SimError(kind === 's3' ? 'InternalError' : 'InternalFailure', `Simulator error: ${(e as Error).message}`, 500));
      }
    }
  };

  const control = (method: string, path: string, body: Buffer, res: ServerResponse): void => {
    const json = (status: number, v: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(v));
    };
    try {
      if (method === 'GET' && path === '/_sim/calls') return json(200, calls);
      if (method === 'GET' && path === '/_sim/templates') return json(200, world.pluginTemplates);
      if (method === 'POST' && path === '/_sim/scenario') {
        setScenario(body.length ? (JSON.parse(body.toString('utf8')) as Scenario) : {});
        return json(200, {});
      }
      if (method === 'GET' && path === '/_sim/stacks') {
        world.sched.advance();
        return json(
          200,
          cfn.stacks.map((s) => ({
            id: s.id,
            name: s.name,
            status: s.status,
            statusReason: s.statusReason,
            resources: [...s.resources.values()].map((r) => ({ logicalId: r.logicalId, type: r.type, physicalId: r.physicalId, status: r.status })),
          })),
        );
      }
      json(404, { message: `unknown control path ${method} ${path}` });
    } catch (e) {
      json(400, { message: (e as Error).message });
    }
  };

  const ctx = (params: Record<string, any>, headers: IncomingMessage['headers'], requestId: string): OperationContext => ({ world, cfn, params, headers, requestId, url });

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      console.error('[aws-sim] request failed:', e);
      if (!res.headersSent) {
        res.writeHead(500);
        res.end();
      }
    });
  });
  server.keepAliveTimeout = 5000;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  url = `http://127.0.0.1:${port}`;
  world.baseUrl = url;
  setScenario(opts.scenario ?? {});

  let stopped: Promise<void> | undefined;
  return {
    url,
    port,
    calls,
    get state() {
      world.sched.advance();
      return world;
    },
    get cloudformation() {
      world.sched.advance();
      return cfn;
    },
    setScenario,
    callsTo: (operation, service) => calls.filter((c) => c.operation === operation && (!service || c.service === service)),
    now: () => clock.now(),
    stop() {
      if (!stopped) {
        stopped = new Promise<void>((resolve) => {
          for (const s of sessions) s.close();
          server.close(() => resolve());
          for (const s of sockets) s.destroy();
          world.sched.clear();
        });
      }
      return stopped;
    },
  };
}
