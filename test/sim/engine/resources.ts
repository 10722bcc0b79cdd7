/**
 * Resource providers: what creating, updating and deleting each resource type does to the
 * simulated account, its physical id (what `Ref` returns), its `Fn::GetAtt` attributes, and which
 * property changes need a replacement. Types without a model get a generic provider.
 */
import { newDeployment, rollOut, scale, scaleDownAndDelete } from './ecs-runtime.js';
import type { ContainerDef, Service, ServiceConnectNames, World } from '../world.js';
import { deleteGroup, scaleForService, setDesired } from './ec2-capacity.js';

/** Thrown by a provider's delete when AWS refuses it: the resource ends DELETE_FAILED with this message. */
export class DeleteRefused extends Error {}

export type Props = Record<string, unknown>;
export type Tag = { Key: string; Value: string };

export interface ProviderContext {
  world: World;
  stackName: string;
  stackId: string;
  logicalId: string;
  type: string;
  /** Stack tags plus the aws:cloudformation:* tags, for resources that carry tags. */
  tags: Tag[];
}

export interface Provisioned {
  physicalId: string;
  attrs: Record<string, unknown>;
  /** For resources that stabilise (ECS services): called at once; the resource completes when `done` is called. */
  wait?: (done: (failure?: string) => void) => void;
}

export interface Provider {
  /** Simulated ms a create takes (before `wait`), default 2000. */
  durationMs?: number;
  /** Properties whose change needs a new physical resource; `*`: any change. */
  replaceOn?: string[];
  create(ctx: ProviderContext, props: Props): Provisioned;
  /** In-place update; the generic behaviour keeps the physical id and attributes. */
  update?(ctx: ProviderContext, props: Props, current: Provisioned, oldProps: Props): Provisioned;
  delete?(ctx: ProviderContext, current: Provisioned, props: Props): { wait?: (done: () => void) => void } | void;
  /** Kept when the resource is retained on stack delete (nothing to do: the state stays). */
}

function rememberRole(world: World, arn: string, name: string, p: Props): void {
  const policies = ((p.Policies as Props[] | undefined) ?? []).map((x) => x.PolicyDocument);
  world.roles.set(arn, { name, policies, managed: ((p.ManagedPolicyArns as unknown[] | undefined) ?? []).map(String) });
}

/** CreateService / UpdateService: "a valid taskRoleArn is not being used" when ECS Exec is asked for without a task role. */
function checkExecRole(w: World, tdArn: string, enable: boolean, verb: 'created' | 'updated'): void {
  if (enable && !w.taskDefinitions.get(tdArn)?.taskRoleArn) {
    throw new Error(`Invalid request provided: The service couldn't be ${verb} because a valid taskRoleArn is not being used. Specify a valid task role in your task definition and try again. (Service: Ecs, Status Code: 400)`);
  }
}

const str = (v: unknown, d = ''): string => (v === undefined || v === null ? d : String(v));

export function generatedName(ctx: ProviderContext, max = 128, lower = false): string {
  const suffix = ctx.world.ids.alnum(12, !lower);
  const s = Math.max(1, Math.floor((max - suffix.length - 2) / 2));
  const name = `${ctx.stackName.slice(0, s)}-${ctx.logicalId.slice(0, max - suffix.length - 2 - Math.min(s, ctx.stackName.length))}-${suffix}`;
  return lower ? name.toLowerCase() : name;
}

function tagsOf(v: unknown): Tag[] {
  return Array.isArray(v) ? (v as Tag[]).map((t) => ({ Key: str(t.Key), Value: str(t.Value) })) : [];
}
/** The Service Connect endpoints a service's properties claim: discovery names (default the port name) and `dnsName:port` aliases. */
export function serviceConnectNames(p: Props): ServiceConnectNames | undefined {
  const sc = (p.ServiceConnectConfiguration ?? {}) as Props;
  const services = Array.isArray(sc.Services) ? (sc.Services as Props[]) : [];
  if (services.length === 0) return undefined;
  const discoveryNames = services.map((s) => str(s.DiscoveryName ?? s.PortName));
  const aliases = services.flatMap((s, i) => (Array.isArray(s.ClientAliases) ? (s.ClientAliases as Props[]) : []).map((a) => `${str(a.DnsName, discoveryNames[i])}:${str(a.Port)}`));
  return { namespace: str(sc.Namespace), discoveryNames, aliases };
}

const ecsTags = (tags: Tag[]): Array<{ key: string; value: string }> => tags.map((t) => ({ key: t.Key, value: t.Value }));

/** CloudFormation's PascalCase ECS properties → the ECS API's camelCase; map-valued keys keep their keys. */
function camel(v: unknown, keepKeys = false): unknown {
  if (Array.isArray(v)) return v.map((x) => camel(x));
  if (!v || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const key = keepKeys ? k : k.charAt(0).toLowerCase() + k.slice(1);
    out[key] = keepKeys ? x : camel(x, ['Options', 'DockerLabels', 'Labels', 'DriverOpts', 'SecretOptions'].includes(k) && !Array.isArray(x));
  }
  return out;
}

/** `service/<cluster>/<name>`: the ECS service's desired count moved into [min, max], tasks started or stopped. */
function clampServiceCount(w: World, resourceId: string, min: number, max: number): void {
  const [, cluster, name] = resourceId.split('/');
  const svc = [...w.services.values()].find((s) => s.status === 'ACTIVE' && s.name === name && s.clusterArn.endsWith(`:cluster/${cluster}`));
  if (!svc) return;
  const desired = Math.min(max, Math.max(min, svc.desiredCount));
  if (desired !== svc.desiredCount) scale(w, svc, desired, () => undefined);
}

function deploymentPercents(p: Props): { maximumPercent: number; minimumHealthyPercent: number } {
  const dc = (p.DeploymentConfiguration ?? {}) as Props;
  return {
    maximumPercent: dc.MaximumPercent === undefined ? 200 : Number(dc.MaximumPercent),
    minimumHealthyPercent: dc.MinimumHealthyPercent === undefined ? 100 : Number(dc.MinimumHealthyPercent),
  };
}

function nameFromArnOrName(v: unknown): string {
  const s = str(v);
  return s.startsWith('arn:') ? s.split('/').pop()! : s;
}

const providers: Record<string, Provider> = {
  'AWS::Logs::LogGroup': {
    durationMs: 1000,
    replaceOn: ['LogGroupName'],
    create(ctx, p) {
      const name = str(p.LogGroupName) || generatedName(ctx, 512);
      if (p.LogGroupName && ctx.world.logGroups.has(name)) {
        throw new Error(`Resource of type 'AWS::Logs::LogGroup' with identifier '{"/properties/LogGroupName":"${name}"}' already exists.`);
      }
      const g = ctx.world.logGroup(name, true)!;
      if (p.RetentionInDays !== undefined) g.retentionInDays = Number(p.RetentionInDays);
      return { physicalId: name, attrs: { Arn: g.arn } };
    },
    update(ctx, p, cur) {
      const g = ctx.world.logGroups.get(cur.physicalId);
      if (g) g.retentionInDays = p.RetentionInDays === undefined ? undefined : Number(p.RetentionInDays);
      return cur;
    },
    delete(ctx, cur) {
      ctx.world.logGroups.delete(cur.physicalId);
    },
  },
  'AWS::ECS::Cluster': {
    durationMs: 3000,
    replaceOn: ['ClusterName'],
    create(ctx, p) {
      const name = str(p.ClusterName) || generatedName(ctx, 255);
      const arn = ctx.world.arn('ecs', `cluster/${name}`);
      // a registry resource: a create of an existing identifier fails (handler contract, AlreadyExists)
      if (ctx.world.clusters.get(arn)?.status === 'ACTIVE') {
        throw new Error(`Resource of type 'AWS::ECS::Cluster' with identifier '${name}' already exists.`);
      }
      ctx.world.clusters.set(arn, { arn, name, status: 'ACTIVE', tags: ecsTags([...ctx.tags, ...tagsOf(p.Tags)]), containerInstances: [] });
      return { physicalId: name, attrs: { Arn: arn } };
    },
    delete(ctx, cur) {
      const c = ctx.world.clusters.get(cur.attrs.Arn as string);
      if (c && c.containerInstances.length > 0) {
        throw new DeleteRefused(
          `Resource handler returned message: "Error occurred during operation 'DeleteCluster SDK Error: The Cluster cannot be deleted while Container Instances are active or draining. (Service: Ecs, Status Code: 400)'." (HandlerErrorCode: GeneralServiceException)`,
        );
      }
      if (c) c.status = 'INACTIVE';
      ctx.world.clusters.delete(cur.attrs.Arn as string);
    },
  },
  'AWS::ECS::TaskDefinition': {
    durationMs: 1000,
    replaceOn: ['*'],
    create(ctx, p) {
      const family = str(p.Family) || `${ctx.stackName}${ctx.logicalId}`.slice(0, 200) + ctx.world.ids.alnum(8);
      const revision = [...ctx.world.taskDefinitions.values()].filter((t) => t.family === family).length + 1;
      const arn = ctx.world.arn('ecs', `task-definition/${family}:${revision}`);
      ctx.world.taskDefinitions.set(arn, {
        arn,
        family,
        revision,
        containerDefinitions: (camel(p.ContainerDefinitions ?? []) as ContainerDef[]).map((c) => ({ ...c, name: str(c.name), image: str(c.image) })),
        cpu: p.Cpu === undefined ? undefined : str(p.Cpu),
        memory: p.Memory === undefined ? undefined : str(p.Memory),
        networkMode: p.NetworkMode === undefined ? undefined : str(p.NetworkMode),
        requiresCompatibilities: p.RequiresCompatibilities as string[] | undefined,
        executionRoleArn: p.ExecutionRoleArn === undefined ? undefined : str(p.ExecutionRoleArn),
        taskRoleArn: p.TaskRoleArn === undefined ? undefined : str(p.TaskRoleArn),
        volumes: camel(p.Volumes ?? []) as unknown[],
        status: 'ACTIVE',
        registeredAt: ctx.world.now(),
        tags: ecsTags([...ctx.tags, ...tagsOf(p.Tags)]),
      });
      return { physicalId: arn, attrs: { TaskDefinitionArn: arn } };
    },
    delete(ctx, cur) {
      const td = ctx.world.taskDefinitions.get(cur.physicalId);
      if (td) td.status = 'INACTIVE';
    },
  },
  'AWS::ECS::Service': {
    durationMs: 1000,
    // the properties the CloudFormation resource reference marks "Update requires: Replacement"
    replaceOn: ['Cluster', 'DeploymentController', 'LaunchType', 'Role', 'SchedulingStrategy', 'ServiceName'],
    create(ctx, p) {
      const w = ctx.world;
      const clusterName = nameFromArnOrName(p.Cluster ?? 'default');
      const clusterArn = w.arn('ecs', `cluster/${clusterName}`);
      if (!w.clusters.has(clusterArn)) throw new Error(`Cluster not found. (Service: Ecs, Status Code: 400)`);
      const tdArn = resolveTaskDef(w, p.TaskDefinition);
      if (!tdArn) throw new Error(`Unable to describe task definition. (Service: Ecs, Status Code: 400)`);
      const enableExecuteCommand = p.EnableExecuteCommand === true || p.EnableExecuteCommand === 'true';
      checkExecRole(w, tdArn, enableExecuteCommand, 'created');
      const name = str(p.ServiceName) || generatedName(ctx, 255);
      const arn = w.arn('ecs', `service/${clusterName}/${name}`);
      const existing = w.services.get(arn);
      if (existing && existing.status === 'ACTIVE') throw new Error(`Creation of service was not idempotent.`);
      const dc = (p.DeploymentConfiguration ?? {}) as Record<string, Record<string, unknown>>;
      const cb = dc.DeploymentCircuitBreaker ?? {};
      const svc: Service = {
        arn,
        name,
        clusterArn,
        status: 'ACTIVE',
        desiredCount: p.DesiredCount === undefined ? 1 : Number(p.DesiredCount),
        taskDefinitionArn: tdArn,
        launchType: str(p.LaunchType, 'FARGATE'),
        createdAt: w.now(),
        deployments: [],
        events: [],
        loadBalancers: ((p.LoadBalancers as Props[] | undefined) ?? []).map((lb) => ({
          targetGroupArn: lb.TargetGroupArn as string | undefined,
          containerName: lb.ContainerName as string | undefined,
          containerPort: lb.ContainerPort === undefined ? undefined : Number(lb.ContainerPort),
        })),
        circuitBreaker: { enable: cb.Enable === true || cb.Enable === 'true', rollback: cb.Rollback === true || cb.Rollback === 'true' },
        ...deploymentPercents(p),
        networkConfiguration: camel(p.NetworkConfiguration),
        serviceRegistries: camel(p.ServiceRegistries ?? []) as unknown[],
        ...(serviceConnectNames(p) ? { serviceConnect: serviceConnectNames(p)! } : {}),
        logicalId: ctx.logicalId,
        tags: ecsTags([...ctx.tags, ...tagsOf(p.Tags)]),
        enableExecuteCommand,
      };
      w.services.set(arn, svc);
      scaleForService(w, p.CapacityProviderStrategy, clusterArn);
      newDeployment(w, svc, tdArn);
      return { physicalId: arn, attrs: { Name: name, ServiceArn: arn }, wait: (done) => rollOut(w, svc, done) };
    },
    update(ctx, p, cur, old) {
      const w = ctx.world;
      const svc = w.services.get(cur.physicalId);
      if (!svc) return cur;
      const tdArn = resolveTaskDef(w, p.TaskDefinition) ?? svc.taskDefinitionArn;
      const enableExecuteCommand = p.EnableExecuteCommand === true || p.EnableExecuteCommand === 'true';
      checkExecRole(w, tdArn, enableExecuteCommand, 'updated');
      svc.enableExecuteCommand = enableExecuteCommand;
      // AWS: an update without DesiredCount keeps the service's current count (autoscaling's)
      const desired = p.DesiredCount === undefined ? svc.desiredCount : Number(p.DesiredCount);
      const dc = (p.DeploymentConfiguration ?? {}) as Record<string, Record<string, unknown>>;
      const cb = dc.DeploymentCircuitBreaker ?? {};
      svc.circuitBreaker = { enable: cb.Enable === true || cb.Enable === 'true', rollback: cb.Rollback === true || cb.Rollback === 'true' };
      Object.assign(svc, deploymentPercents(p));
      const names = serviceConnectNames(p);
      if (names) svc.serviceConnect = names;
      else delete svc.serviceConnect;
      // a Service Connect change is a new deployment too: "Amazon ECS creates a new deployment in the service" (Service Connect components)
      const redeploy =
        tdArn !== svc.taskDefinitionArn ||
        JSON.stringify(p.ForceNewDeployment) !== JSON.stringify(old.ForceNewDeployment) ||
        JSON.stringify(p.ServiceConnectConfiguration) !== JSON.stringify(old.ServiceConnectConfiguration);
      if (!redeploy) {
        if (desired === svc.desiredCount) return cur;
        return { ...cur, wait: (done) => scale(w, svc, desired, done) };
      }
      svc.desiredCount = desired;
      newDeployment(w, svc, tdArn);
      return { ...cur, wait: (done) => rollOut(w, svc, done) };
    },
    delete(ctx, cur) {
      const svc = ctx.world.services.get(cur.physicalId);
      if (!svc) return;
      return { wait: (done) => scaleDownAndDelete(ctx.world, svc, done) };
    },
  },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': {
    durationMs: 20000,
    replaceOn: ['Name', 'Scheme', 'Type'],
    create(ctx, p) {
      const w = ctx.world;
      const type = str(p.Type, 'application') === 'network' ? 'network' : 'application';
      const name = str(p.Name) || generatedName(ctx, 32);
      const hex = w.ids.hex(16);
      const arn = w.arn('elasticloadbalancing', `loadbalancer/${type === 'network' ? 'net' : 'app'}/${name}/${hex}`);
      const scheme = str(p.Scheme, 'internet-facing');
      const prefix = scheme === 'internal' ? 'internal-' : '';
      const dnsName =
        type === 'network'
          ? `${prefix}${name}-${w.ids.hex(16)}.elb.${w.region}.amazonaws.com`
          : `${prefix}${name}-${1_000_000_000 + w.ids.int(999_999_999)}.${w.region}.elb.amazonaws.com`;
      w.loadBalancers.set(arn, {
        arn,
        name,
        dnsName,
        type,
        scheme,
        createdAt: w.now(),
        state: 'provisioning',
        securityGroups: ((p.SecurityGroups as string[] | undefined) ?? []).map(String),
        subnets: ((p.Subnets as string[] | undefined) ?? w.subnets.map((s) => s.id)).map(String),
      });
      return {
        physicalId: arn,
        attrs: {
          DNSName: dnsName,
          LoadBalancerArn: arn,
          LoadBalancerName: name,
          LoadBalancerFullName: `${type === 'network' ? 'net' : 'app'}/${name}/${hex}`,
          CanonicalHostedZoneID: type === 'network' ? 'Z26RNL4JYFTOTI' : 'Z35SXDOTRQ7X7K',
          SecurityGroups: p.SecurityGroups ?? [],
        },
        wait: (done) => {
          const lb = w.loadBalancers.get(arn);
          if (lb) lb.state = 'active';
          done();
        },
      };
    },
    delete(ctx, cur) {
      ctx.world.loadBalancers.delete(cur.physicalId);
      for (const [arn, l] of ctx.world.listeners) if (l.loadBalancerArn === cur.physicalId) ctx.world.listeners.delete(arn);
    },
  },
  'AWS::ElasticLoadBalancingV2::TargetGroup': {
    durationMs: 1000,
    replaceOn: ['Name', 'Port', 'Protocol', 'VpcId', 'TargetType'],
    create(ctx, p) {
      const w = ctx.world;
      const name = str(p.Name) || generatedName(ctx, 32);
      const hex = w.ids.hex(16);
      const arn = w.arn('elasticloadbalancing', `targetgroup/${name}/${hex}`);
      w.targetGroups.set(arn, {
        arn,
        name,
        protocol: str(p.Protocol, 'HTTP'),
        port: Number(p.Port ?? 80),
        targetType: str(p.TargetType, 'instance'),
        loadBalancerArns: [],
        healthCheckPath: p.HealthCheckPath === undefined ? undefined : str(p.HealthCheckPath),
      });
      return { physicalId: arn, attrs: { TargetGroupArn: arn, TargetGroupName: name, TargetGroupFullName: `targetgroup/${name}/${hex}`, LoadBalancerArns: [] } };
    },
    delete(ctx, cur) {
      ctx.world.targetGroups.delete(cur.physicalId);
    },
  },
  'AWS::ElasticLoadBalancingV2::Listener': {
    durationMs: 1000,
    replaceOn: ['LoadBalancerArn'],
    create(ctx, p) {
      const w = ctx.world;
      const lbArn = str(p.LoadBalancerArn);
      const lb = w.loadBalancers.get(lbArn);
      if (!lb) throw new Error(`LoadBalancer '${lbArn}' not found (Service: ElasticLoadBalancingV2, Status Code: 400)`);
      const actions = (p.DefaultActions as Props[] | undefined) ?? [];
      const fwd = actions.find((a) => a.Type === 'forward');
      const tgArn =
        (fwd?.TargetGroupArn as string | undefined) ??
        ((fwd?.ForwardConfig as Props | undefined)?.TargetGroups as Props[] | undefined)?.[0]?.TargetGroupArn as string | undefined;
      const arn = lbArn.replace(':loadbalancer/', ':listener/') + '/' + w.ids.hex(16);
      w.listeners.set(arn, { arn, loadBalancerArn: lbArn, port: Number(p.Port ?? 80), protocol: str(p.Protocol, 'HTTP'), targetGroupArn: tgArn });
      const tg = tgArn ? w.targetGroups.get(tgArn) : undefined;
      if (tg && !tg.loadBalancerArns.includes(lbArn)) tg.loadBalancerArns.push(lbArn);
      return { physicalId: arn, attrs: { ListenerArn: arn } };
    },
    update(ctx, p, cur) {
      const l = ctx.world.listeners.get(cur.physicalId);
      if (l) {
        l.port = Number(p.Port ?? l.port);
        l.protocol = str(p.Protocol, l.protocol);
      }
      return cur;
    },
    delete(ctx, cur) {
      const l = ctx.world.listeners.get(cur.physicalId);
      ctx.world.listeners.delete(cur.physicalId);
      const tg = l?.targetGroupArn ? ctx.world.targetGroups.get(l.targetGroupArn) : undefined;
      if (tg) tg.loadBalancerArns = tg.loadBalancerArns.filter((a) => a !== l!.loadBalancerArn);
    },
  },
  'AWS::EC2::SecurityGroup': {
    durationMs: 3000,
    replaceOn: ['GroupDescription', 'GroupName', 'VpcId'],
    create(ctx, p) {
      const w = ctx.world;
      const id = `sg-0${w.ids.hex(16)}`;
      w.securityGroups.set(id, {
        id,
        name: str(p.GroupName) || generatedName(ctx, 255),
        description: str(p.GroupDescription),
        vpcId: str(p.VpcId, w.vpc.id),
        tags: [...ctx.tags, ...tagsOf(p.Tags)],
        ingress: ((p.SecurityGroupIngress as Props[] | undefined) ?? []).map((r) => ({ ...r })),
      });
      return { physicalId: id, attrs: { GroupId: id, VpcId: str(p.VpcId, w.vpc.id) } };
    },
    update(ctx, p, cur) {
      const g = ctx.world.securityGroups.get(cur.physicalId);
      if (g) g.ingress = ((p.SecurityGroupIngress as Props[] | undefined) ?? []).map((r) => ({ ...r }));
      return cur;
    },
    delete(ctx, cur) {
      ctx.world.securityGroups.delete(cur.physicalId);
    },
  },
  'AWS::EC2::SecurityGroupIngress': {
    durationMs: 1000,
    replaceOn: ['*'],
    create(ctx, p) {
      const g = ctx.world.securityGroups.get(str(p.GroupId));
      const id = `sgr-0${ctx.world.ids.hex(16)}`;
      g?.ingress.push({ ...p, RuleId: id });
      return { physicalId: id, attrs: { Id: id } };
    },
    delete(ctx, cur, p) {
      const g = ctx.world.securityGroups.get(str(p.GroupId));
      if (g) g.ingress = g.ingress.filter((r) => r.RuleId !== cur.physicalId);
    },
  },
  'AWS::CloudFormation::WaitConditionHandle': {
    durationMs: 1000,
    // Ref: a presigned S3 URL; a PUT of {"Status","Reason","UniqueId","Data"} to it signals
    create(ctx) {
      const key = `${ctx.stackId}|${ctx.logicalId}`;
      const host = ctx.world.baseUrl ? `${ctx.world.baseUrl}/cloudformation-waitcondition-${ctx.world.region}` : `https://cloudformation-waitcondition-${ctx.world.region}.s3.amazonaws.com`;
      return { physicalId: `${host}/${encodeURIComponent(key)}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=86399&X-Amz-Signature=sim`, attrs: {} };
    },
  },
  'AWS::CloudFormation::WaitCondition': {
    durationMs: 500,
    replaceOn: ['*'],
    // completes after Count SUCCESS signals on its Handle; a FAILURE signal or the Timeout fails it
    create(ctx, p) {
      const w = ctx.world;
      const url = str(p.Handle);
      const key = decodeURIComponent(url.split('?')[0]!.split('/').pop() ?? '');
      const count = p.Count === undefined ? 1 : Number(p.Count);
      const timeoutMs = Number(p.Timeout ?? 43200) * 1000;
      const id = `arn:aws:cloudformation:${w.region}:${w.account}:stack/${ctx.stackName}/${ctx.logicalId}`;
      return {
        physicalId: id,
        attrs: { Data: '{}' },
        wait: (done) => {
          let over = false;
          const finish = (failure?: string): void => {
            if (over) return;
            over = true;
            w.waitListeners.delete(key);
            done(failure);
          };
          const check = (): void => {
            const signals = w.waitSignals.get(key) ?? [];
            const failed = signals.find((x) => x.status === 'FAILURE');
            if (failed) finish(`WaitCondition received failed message: '${failed.reason}' for uniqueId: ${failed.uniqueId}`);
            else if (signals.length >= count) finish();
          };
          w.waitListeners.set(key, check);
          check();
          w.sched.after(timeoutMs, () => finish(`WaitCondition timed out. Received ${(w.waitSignals.get(key) ?? []).length} conditions when expecting ${count}`));
        },
      };
    },
  },
  'AWS::ApplicationAutoScaling::ScalableTarget': {
    replaceOn: ['ResourceId', 'ScalableDimension', 'ServiceNamespace'],
    // registering a target moves the service's count into [MinCapacity, MaxCapacity] (RegisterScalableTarget)
    create(ctx, p) {
      const id = str(p.ResourceId);
      clampServiceCount(ctx.world, id, Number(p.MinCapacity), Number(p.MaxCapacity));
      return { physicalId: `${id}|${str(p.ScalableDimension)}|${str(p.ServiceNamespace)}`, attrs: {} };
    },
    update(ctx, p, cur) {
      clampServiceCount(ctx.world, str(p.ResourceId), Number(p.MinCapacity), Number(p.MaxCapacity));
      return cur;
    },
  },
  'AWS::IAM::Role': {
    durationMs: 8000,
    replaceOn: ['RoleName', 'Path'],
    create(ctx, p) {
      const name = str(p.RoleName) || generatedName(ctx, 64);
      const arn = `arn:aws:iam::${ctx.world.account}:role/${name}`;
      rememberRole(ctx.world, arn, name, p);
      return { physicalId: name, attrs: { Arn: arn, RoleId: `AROA${ctx.world.ids.alnum(17)}` } };
    },
    update(ctx, p, cur) {
      rememberRole(ctx.world, String(cur.attrs.Arn), cur.physicalId, p);
      return cur;
    },
    delete(ctx, cur) {
      ctx.world.roles.delete(String(cur.attrs.Arn));
    },
  },
  'AWS::SecretsManager::Secret': {
    durationMs: 1000,
    replaceOn: ['Name'],
    create(ctx, p) {
      const w = ctx.world;
      const name = str(p.Name) || `${ctx.logicalId}-${w.ids.alnum(12, false)}`;
      if ([...w.secrets.values()].some((s) => s.name === name && !s.deletedAt)) {
        throw new Error(`The operation failed because the secret ${name} already exists. (Service: SecretsManager, Status Code: 400)`);
      }
      const arn = w.arn('secretsmanager', `secret:${name}-${w.ids.alnum(6, false)}`);
      let value = p.SecretString === undefined ? undefined : str(p.SecretString);
      const gen = p.GenerateSecretString as Props | undefined;
      if (value === undefined && gen) {
        const random = w.ids.alnum(Number(gen.PasswordLength ?? 32), false);
        value = gen.SecretStringTemplate && gen.GenerateStringKey
          ? JSON.stringify({ ...JSON.parse(str(gen.SecretStringTemplate)), [str(gen.GenerateStringKey)]: random })
          : random;
      }
      const now = w.now();
      w.secrets.set(arn, {
        arn,
        name,
        description: p.Description === undefined ? undefined : str(p.Description),
        versions: [{ id: w.ids.uuid(), value, createdAt: now, stages: ['AWSCURRENT'] }],
        createdAt: now,
        lastChangedAt: now,
        tags: [...ctx.tags, ...tagsOf(p.Tags)],
        kmsKeyId: p.KmsKeyId === undefined ? undefined : str(p.KmsKeyId),
      });
      return { physicalId: arn, attrs: { Id: arn } };
    },
    update(ctx, p, cur, old) {
      const s = ctx.world.secrets.get(cur.physicalId);
      if (s && p.SecretString !== undefined && p.SecretString !== old.SecretString) {
        for (const v of s.versions) v.stages = v.stages.filter((x) => x !== 'AWSCURRENT');
        s.versions.push({ id: ctx.world.ids.uuid(), value: str(p.SecretString), createdAt: ctx.world.now(), stages: ['AWSCURRENT'] });
        s.lastChangedAt = ctx.world.now();
      }
      return cur;
    },
    delete(ctx, cur) {
      ctx.world.secrets.delete(cur.physicalId);
    },
  },
  'AWS::EFS::FileSystem': {
    durationMs: 5000,
    replaceOn: ['Encrypted', 'PerformanceMode', 'KmsKeyId'],
    create(ctx, p) {
      const w = ctx.world;
      const id = `fs-0${w.ids.hex(16)}`;
      const arn = w.arn('elasticfilesystem', `file-system/${id}`);
      w.fileSystems.set(id, {
        id,
        arn,
        creationToken: `${ctx.stackName}-${ctx.logicalId}-${w.ids.alnum(12)}`,
        createdAt: w.now(),
        encrypted: p.Encrypted === true || p.Encrypted === 'true',
        performanceMode: str(p.PerformanceMode, 'generalPurpose'),
        throughputMode: str(p.ThroughputMode, 'bursting'),
        tags: [...ctx.tags, ...tagsOf(p.FileSystemTags)],
        lifeCycleState: 'available',
      });
      return { physicalId: id, attrs: { Arn: arn, FileSystemId: id } };
    },
    update(ctx, p, cur) {
      const fs = ctx.world.fileSystems.get(cur.physicalId);
      if (fs) fs.tags = [...ctx.tags, ...tagsOf(p.FileSystemTags)];
      return cur;
    },
    delete(ctx, cur) {
      ctx.world.fileSystems.delete(cur.physicalId);
    },
  },
  'AWS::EFS::MountTarget': {
    durationMs: 10000,
    replaceOn: ['*'],
    create(ctx, p) {
      const w = ctx.world;
      const id = `fsmt-0${w.ids.hex(16)}`;
      const subnet = w.subnets.find((s) => s.id === str(p.SubnetId)) ?? w.subnets[0]!;
      // EFS: one mount target per file system and zone (MountTargetConflict)
      if ([...w.mountTargets.values()].some((m) => m.fileSystemId === str(p.FileSystemId) && m.az === subnet.az)) {
        throw new Error(`mount target already exists in this AZ (Service: Efs, Status Code: 409, Request ID: ${w.ids.uuid()})`);
      }
      const ip = `172.31.${w.subnets.indexOf(subnet) * 16 + 2}.${10 + w.ids.int(200)}`;
      w.mountTargets.set(id, { id, fileSystemId: str(p.FileSystemId), subnetId: subnet.id, ip, az: subnet.az });
      return { physicalId: id, attrs: { Id: id, IpAddress: ip } };
    },
    delete(ctx, cur) {
      ctx.world.mountTargets.delete(cur.physicalId);
    },
  },
  'AWS::EFS::AccessPoint': {
    durationMs: 2000,
    replaceOn: ['*'],
    create(ctx, p) {
      const w = ctx.world;
      const id = `fsap-0${w.ids.hex(16)}`;
      const arn = w.arn('elasticfilesystem', `access-point/${id}`);
      w.accessPoints.set(id, { id, arn, fileSystemId: str(p.FileSystemId), tags: [...ctx.tags, ...tagsOf(p.AccessPointTags)] });
      return { physicalId: id, attrs: { Arn: arn, AccessPointId: id } };
    },
    delete(ctx, cur) {
      ctx.world.accessPoints.delete(cur.physicalId);
    },
  },
  'AWS::AutoScaling::AutoScalingGroup': {
    durationMs: 5000,
    replaceOn: ['AutoScalingGroupName'],
    create(ctx, p) {
      const w = ctx.world;
      const name = str(p.AutoScalingGroupName) || generatedName(ctx, 255);
      const arn = w.arn('autoscaling', `autoScalingGroup:${w.ids.uuid()}:autoScalingGroupName/${name}`);
      const g = { name, arn, minSize: Number(p.MinSize ?? 0), maxSize: Number(p.MaxSize ?? 0), desired: 0, instances: [], tags: tagsOf(p.Tags) };
      w.autoScalingGroups.set(name, g);
      setDesired(w, g, p.DesiredCapacity === undefined ? g.minSize : Number(p.DesiredCapacity));
      return { physicalId: name, attrs: {} };
    },
    update(ctx, p, cur) {
      const g = ctx.world.autoScalingGroups.get(cur.physicalId);
      if (g) {
        g.minSize = Number(p.MinSize ?? 0);
        g.maxSize = Number(p.MaxSize ?? 0);
        setDesired(ctx.world, g, p.DesiredCapacity === undefined ? g.desired : Number(p.DesiredCapacity));
      }
      return cur;
    },
    delete(ctx, cur) {
      const g = ctx.world.autoScalingGroups.get(cur.physicalId);
      if (!g) return;
      return { wait: (done) => deleteGroup(ctx.world, g, done) };
    },
  },
  'AWS::ECS::CapacityProvider': {
    durationMs: 2000,
    replaceOn: ['Name', 'AutoScalingGroupProvider'],
    create(ctx, p) {
      const name = str(p.Name) || generatedName(ctx, 255);
      const asg = str((p.AutoScalingGroupProvider as Props | undefined)?.AutoScalingGroupArn).split('/').pop()!;
      ctx.world.capacityProviders.set(name, { name, asgName: asg });
      return { physicalId: name, attrs: { Arn: ctx.world.arn('ecs', `capacity-provider/${name}`) } };
    },
    delete(ctx, cur) {
      ctx.world.capacityProviders.delete(cur.physicalId);
    },
  },
  'AWS::ECS::ClusterCapacityProviderAssociations': {
    durationMs: 2000,
    replaceOn: ['Cluster'],
    create(ctx, p) {
      const clusterArn = ctx.world.arn('ecs', `cluster/${nameFromArnOrName(p.Cluster)}`);
      for (const name of (p.CapacityProviders as unknown[] | undefined) ?? []) {
        const cp = ctx.world.capacityProviders.get(str(name));
        if (cp) cp.clusterArn = clusterArn;
      }
      return { physicalId: nameFromArnOrName(p.Cluster), attrs: {} };
    },
  },
  'AWS::ServiceDiscovery::PrivateDnsNamespace': {
    durationMs: 10000,
    replaceOn: ['Name', 'Vpc'],
    create(ctx, p) {
      const w = ctx.world;
      const name = str(p.Name);
      const vpcId = str(p.Vpc);
      // Route 53 refuses a second private zone of one name in one VPC (CreateHostedZone: ConflictingDomainExists)
      const dns = (n: string): string => n.replace(/\.$/, '').toLowerCase();
      const taken = [...w.hostedZones.values()].find((z) => dns(z.name) === dns(name) && z.vpcIds.includes(vpcId));
      if (taken) {
        throw new Error(
          `The VPC ${vpcId} in region ${w.region} has already been associated with the hosted zone ${taken.id} with the same domain name. (Service: AmazonRoute53; Status Code: 400; Error Code: ConflictingDomainExists)`,
        );
      }
      const id = `ns-${w.ids.alnum(16, false)}`;
      const hostedZoneId = `Z${w.ids.alnum(20)}`;
      const arn = w.arn('servicediscovery', `namespace/${id}`);
      w.hostedZones.set(hostedZoneId, { id: hostedZoneId, name: `${dns(name)}.`, vpcIds: [vpcId], owningService: 'servicediscovery.amazonaws.com' });
      w.namespaces.set(id, { id, arn, name, vpcId, hostedZoneId, createdAt: w.now() });
      return { physicalId: id, attrs: { Id: id, Arn: arn, HostedZoneId: hostedZoneId } };
    },
    delete(ctx, cur) {
      const ns = ctx.world.namespaces.get(cur.physicalId);
      if (ns) ctx.world.hostedZones.delete(ns.hostedZoneId);
      ctx.world.namespaces.delete(cur.physicalId);
    },
  },
  'AWS::ServiceDiscovery::Service': {
    durationMs: 2000,
    replaceOn: ['Name', 'NamespaceId'],
    create(ctx, p) {
      const id = `srv-${ctx.world.ids.alnum(16, false)}`;
      return { physicalId: id, attrs: { Id: id, Arn: ctx.world.arn('servicediscovery', `service/${id}`), Name: str(p.Name, ctx.logicalId) } };
    },
  },
};

function resolveTaskDef(w: World, v: unknown): string | undefined {
  const s = str(v);
  if (w.taskDefinitions.has(s)) return s;
  const [family, rev] = nameFromArnOrName(s).split(':');
  const matches = [...w.taskDefinitions.values()].filter((t) => t.family === family && (rev === undefined || String(t.revision) === rev));
  return matches.sort((a, b) => b.revision - a.revision)[0]?.arn;
}

const generic: Provider = {
  durationMs: 2000,
  replaceOn: [],
  create(ctx) {
    const id = generatedName(ctx, 128);
    ctx.world.others.set(id, ctx.type);
    const [, svc = 'service', kind = 'resource'] = ctx.type.split('::');
    return { physicalId: id, attrs: { Arn: ctx.world.arn(svc.toLowerCase(), `${kind.toLowerCase()}/${id}`) } };
  },
  delete(ctx, cur) {
    ctx.world.others.delete(cur.physicalId);
  },
};

export function providerFor(type: string): Provider {
  return providers[type] ?? generic;
}

/** `Fn::GetAtt` of an attribute the provider did not set: a plausible value rather than an error. */
export function attribute(res: Provisioned, type: string, attr: string, world: World): unknown {
  if (attr in res.attrs) return res.attrs[attr];
  if (attr === 'Arn') return world.arn(type.split('::')[1]?.toLowerCase() ?? 'service', res.physicalId);
  return `${res.physicalId}.${attr}`;
}
