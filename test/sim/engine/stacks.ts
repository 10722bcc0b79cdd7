/**
 * The CloudFormation engine: stacks, change sets and the operations that move them, played from
 * the templates received. See README.md "CloudFormation" for the behaviour contract.
 */
import { SimError, validation } from '../errors.js';
import type { ResourceFailure } from '../scenario.js';
import { checkStackName, checkTemplateLimits, resourceViolation } from './aws-rules.js';
import type { World } from '../world.js';
import { attribute, DeleteRefused, providerFor, type Props, type ProviderContext, type Provisioned, type Tag } from './resources.js';
import {
  dependencyGraph,
  evaluate,
  evaluateConditions,
  parseTemplate,
  references,
  referenceSites,
  topoOrder,
  type EvalContext,
  type ResourceDef,
  type Template,
} from './template.js';

export interface StackResource {
  logicalId: string;
  type: string;
  physicalId?: string;
  attrs: Record<string, unknown>;
  props: Props;
  def: ResourceDef;
  status: string;
  statusReason?: string;
  timestamp: number;
  /** Physical resources replaced by an update, deleted at cleanup. */
  replaced?: Provisioned & { props: Props };
}

export interface StackEvent {
  EventId: string;
  StackId: string;
  StackName: string;
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceType: string;
  Timestamp: number;
  ResourceStatus: string;
  ResourceStatusReason?: string;
  ResourceProperties?: string;
  ClientRequestToken?: string;
}

export interface Output {
  OutputKey: string;
  OutputValue: string;
  Description?: string;
  ExportName?: string;
}

export interface Stack {
  id: string;
  name: string;
  status: string;
  statusReason?: string;
  creationTime: number;
  lastUpdatedTime?: number;
  deletionTime?: number;
  templateBody: string;
  template: Template;
  params: Record<string, string>;
  tags: Tag[];
  capabilities: string[];
  resources: Map<string, StackResource>;
  events: StackEvent[];
  outputs: Output[];
  disableRollback: boolean;
  onFailure: 'ROLLBACK' | 'DO_NOTHING' | 'DELETE';
  changeSetId?: string;
  /** Changes on every operation start; callbacks of an older operation see a different token and stop. */
  opToken: number;
  clientRequestToken?: string;
  lastTokens: Set<string>;
}

export interface ResourceChange {
  Action: 'Add' | 'Modify' | 'Remove';
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceType: string;
  Replacement?: 'True' | 'False' | 'Conditional';
  PolicyAction?: string;
  Scope: string[];
  Details: Array<{
    Target: { Attribute: string; Name?: string; RequiresRecreation: 'Never' | 'Conditionally' | 'Always' };
    Evaluation: 'Static' | 'Dynamic';
    ChangeSource: string;
    CausingEntity?: string;
  }>;
}

export interface ChangeSet {
  id: string;
  name: string;
  stackId: string;
  stackName: string;
  type: 'CREATE' | 'UPDATE';
  status: string;
  statusReason?: string;
  executionStatus: string;
  creationTime: number;
  templateBody: string;
  template: Template;
  params: Record<string, string>;
  paramInput: Array<{ ParameterKey: string; ParameterValue?: string }>;
  tags: Tag[];
  capabilities: string[];
  changes: ResourceChange[];
  clientToken?: string;
  description?: string;
}

export interface TemplateInput {
  templateBody: string;
  parameters: Array<{ ParameterKey: string; ParameterValue?: string; UsePreviousValue?: boolean | string }>;
  tags?: Tag[];
  capabilities: string[];
}

export const NO_CHANGES_REASON = "The submitted information didn't contain changes. Submit different information to create a change set.";

const IAM_TYPES: Record<string, string> = {
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::Policy': '',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::IAM::User': 'UserName',
  'AWS::IAM::Group': 'GroupName',
  'AWS::IAM::InstanceProfile': 'InstanceProfileName',
  'AWS::IAM::AccessKey': '',
};

const UPDATABLE = ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'IMPORT_COMPLETE', 'IMPORT_ROLLBACK_COMPLETE'];

interface Step {
  logicalId: string;
  action: 'create' | 'update' | 'delete';
  deps: Set<string>;
  /** For update rollback: revert to these props / this physical resource. */
  revert?: { props: Props; physical?: Provisioned };
  /** Delete of a replaced (old) physical resource rather than the current one. */
  old?: Provisioned & { props: Props };
}

type Failure = { logicalId: string; reason: string };

export class CloudFormationEngine {
  readonly stacks: Stack[] = [];
  readonly changeSets = new Map<string, ChangeSet>();
  private failureUses = new WeakMap<ResourceFailure, number>();
  private scheduledDeletes = new WeakSet<object>();

  constructor(private readonly world: World) {}

  // --- lookups --------------------------------------------------------------------------------

  find(nameOrId: string, includeDeleted = false): Stack | undefined {
    if (nameOrId.startsWith('arn:')) return this.stacks.find((s) => s.id === nameOrId);
    for (let i = this.stacks.length - 1; i >= 0; i--) {
      const s = this.stacks[i]!;
      if (s.name === nameOrId && (includeDeleted || s.status !== 'DELETE_COMPLETE')) return s;
    }
    return undefined;
  }

  mustFind(nameOrId: string): Stack {
    const s = this.find(nameOrId);
    if (!s) throw validation(`Stack with id ${nameOrId} does not exist`);
    return s;
  }

  findChangeSet(nameOrArn: string, stackName?: string): ChangeSet {
    let cs: ChangeSet | undefined;
    if (nameOrArn.startsWith('arn:')) cs = this.changeSets.get(nameOrArn);
    else {
      if (!stackName) throw validation('StackName must be specified if ChangeSetName is not specified as an ARN.');
      const stack = this.find(stackName);
      if (!stack) throw validation(`Stack [${stackName}] does not exist`);
      cs = [...this.changeSets.values()].find((c) => c.stackId === stack.id && c.name === nameOrArn);
    }
    if (!cs) throw new SimError('ChangeSetNotFound', `ChangeSet [${nameOrArn}] does not exist`, 404);
    return cs;
  }

  // --- templates ------------------------------------------------------------------------------

  /** Parse and check a template and its parameters: the errors CloudFormation gives up front. */
  prepare(input: TemplateInput, previous?: Stack, validateOnly = false): { template: Template; params: Record<string, string> } {
    if (Buffer.byteLength(input.templateBody) > 1_000_000) {
      throw validation(`Template may not exceed 1000000 bytes in size.`);
    }
    const template = parseTemplate(input.templateBody);
    checkTemplateLimits(Object.keys(template.Resources ?? {}).length);
    const declared = template.Parameters ?? {};
    const params: Record<string, string> = {};
    const unknown = input.parameters.filter((p) => !(p.ParameterKey in declared)).map((p) => p.ParameterKey);
    if (unknown.length) throw validation(`Parameters: [${unknown.join(', ')}] do not exist in the template`);
    const missing: string[] = [];
    for (const [key, decl] of Object.entries(declared)) {
      const given = input.parameters.find((p) => p.ParameterKey === key);
      if (given && (given.UsePreviousValue === true || given.UsePreviousValue === 'true')) {
        if (!previous || !(key in previous.params)) throw validation(`Invalid input for parameter key ${key}. Cannot specify usePreviousValue as true for a parameter key not in the previous template`);
        params[key] = previous.params[key]!;
      } else if (given && given.ParameterValue !== undefined) params[key] = given.ParameterValue;
      else if (decl.Default !== undefined) params[key] = String(decl.Default);
      else missing.push(key);
    }
    if (missing.length && !validateOnly) throw validation(`Parameters: [${missing.join(', ')}] must have values`);
    // Structure: unresolved references and cycles.
    dependencyGraph(template, new Set(Object.keys(template.Resources)));
    for (const r of Object.values(template.Resources)) {
      for (const ref of references(r.Properties ?? {})) {
        if (!ref.startsWith('AWS::') && !(ref in declared) && !(ref in template.Resources)) {
          throw validation(`Template format error: Unresolved resource dependencies [${ref}] in the Resources block of the template`);
        }
      }
    }
    if (validateOnly) return { template, params };
    const needs = new Set<string>();
    for (const r of Object.values(template.Resources)) {
      if (r.Type in IAM_TYPES) {
        const nameProp = IAM_TYPES[r.Type]!;
        needs.add(nameProp && r.Properties?.[nameProp] !== undefined ? 'CAPABILITY_NAMED_IAM' : 'CAPABILITY_IAM');
      }
    }
    const caps = input.capabilities;
    if (needs.has('CAPABILITY_NAMED_IAM') && !caps.includes('CAPABILITY_NAMED_IAM')) {
      throw new SimError('InsufficientCapabilitiesException', 'Requires capabilities : [CAPABILITY_NAMED_IAM]');
    }
    if (needs.has('CAPABILITY_IAM') && !caps.includes('CAPABILITY_IAM') && !caps.includes('CAPABILITY_NAMED_IAM')) {
      throw new SimError('InsufficientCapabilitiesException', 'Requires capabilities : [CAPABILITY_IAM]');
    }
    return { template, params };
  }

  private pseudo(stack: { id: string; name: string }): Record<string, unknown> {
    return {
      'AWS::Region': this.world.region,
      'AWS::AccountId': this.world.account,
      'AWS::StackName': stack.name,
      'AWS::StackId': stack.id,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::NotificationARNs': [],
    };
  }

  private paramValues(template: Template, params: Record<string, string>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(params)) {
      const type = template.Parameters?.[k]?.Type ?? 'String';
      out[k] = type === 'CommaDelimitedList' || type.startsWith('List<') ? v.split(',').map((s) => s.trim()) : v;
    }
    return out;
  }

  private evalContext(stack: Stack, template: Template, params: Record<string, string>): EvalContext {
    const base = {
      params: this.paramValues(template, params),
      pseudo: this.pseudo(stack),
      mappings: template.Mappings,
      azs: this.world.azs,
      ref: (id: string): unknown => {
        const r = stack.resources.get(id);
        if (!r?.physicalId) throw validation(`Template error: unresolved resource reference ${id}`);
        return r.physicalId;
      },
      getAtt: (id: string, attr: string): unknown => {
        const r = stack.resources.get(id);
        if (!r?.physicalId) throw validation(`Template error: instance of Fn::GetAtt references undefined resource ${id}`);
        return attribute({ physicalId: r.physicalId, attrs: r.attrs }, r.type, attr, this.world);
      },
    };
    const conditions = evaluateConditions(template, base);
    return { ...base, conditions };
  }

  private activeIds(template: Template, conditions: Record<string, boolean>): Set<string> {
    return new Set(Object.entries(template.Resources).filter(([, r]) => !r.Condition || conditions[r.Condition]).map(([id]) => id));
  }

  // --- events ---------------------------------------------------------------------------------

  private event(stack: Stack, e: Omit<StackEvent, 'EventId' | 'StackId' | 'StackName' | 'Timestamp'>): void {
    const ts = this.world.now();
    const iso = new Date(ts).toISOString();
    let id = e.LogicalResourceId === stack.name && e.ResourceType === 'AWS::CloudFormation::Stack' ? this.world.ids.uuid() : `${e.LogicalResourceId}-${e.ResourceStatus}-${iso}`;
    if (stack.events.some((x) => x.EventId === id)) id += `-${this.world.ids.seq()}`;
    stack.events.push({
      EventId: id,
      StackId: stack.id,
      StackName: stack.name,
      Timestamp: ts,
      ...(stack.clientRequestToken ? { ClientRequestToken: stack.clientRequestToken } : {}),
      ...e,
    });
  }

  private stackStatus(stack: Stack, status: string, reason?: string): void {
    stack.status = status;
    stack.statusReason = reason;
    this.event(stack, {
      LogicalResourceId: stack.name,
      PhysicalResourceId: stack.id,
      ResourceType: 'AWS::CloudFormation::Stack',
      ResourceStatus: status,
      ResourceStatusReason: reason,
    });
  }

  private resourceStatus(stack: Stack, r: StackResource, status: string, reason?: string, extra: Partial<StackEvent> = {}): void {
    r.status = status;
    r.statusReason = reason;
    r.timestamp = this.world.now();
    this.event(stack, {
      LogicalResourceId: r.logicalId,
      PhysicalResourceId: r.physicalId ?? '',
      ResourceType: r.type,
      ResourceStatus: status,
      ResourceStatusReason: reason,
      ...extra,
    });
  }

  // --- operations -----------------------------------------------------------------------------

  newStack(name: string, input: TemplateInput, prepared: { template: Template; params: Record<string, string> }, opts: { disableRollback?: boolean; onFailure?: string } = {}): Stack {
    const stack: Stack = {
      id: this.world.arn('cloudformation', `stack/${name}/${this.world.ids.uuid()}`),
      name,
      status: 'REVIEW_IN_PROGRESS',
      creationTime: this.world.now(),
      templateBody: input.templateBody,
      template: prepared.template,
      params: prepared.params,
      tags: input.tags ?? [],
      capabilities: input.capabilities,
      resources: new Map(),
      events: [],
      outputs: [],
      disableRollback: opts.disableRollback ?? false,
      onFailure: opts.disableRollback ? 'DO_NOTHING' : ((opts.onFailure as Stack['onFailure']) ?? 'ROLLBACK'),
      opToken: 0,
      lastTokens: new Set(),
    };
    this.stacks.push(stack);
    return stack;
  }

  createStack(name: string, input: TemplateInput, opts: { disableRollback?: boolean; onFailure?: string; token?: string }): Stack {
    const existing = this.find(name);
    if (existing) {
      if (opts.token && existing.lastTokens.has(opts.token)) return existing;
      throw new SimError('AlreadyExistsException', `Stack [${name}] already exists`);
    }
    checkStackName(name);
    const prepared = this.prepare(input);
    const stack = this.newStack(name, input, prepared, opts);
    this.startCreate(stack, opts.token);
    return stack;
  }

  private begin(stack: Stack, token?: string): number {
    stack.clientRequestToken = token;
    if (token) stack.lastTokens.add(token);
    stack.opToken++;
    const my = stack.opToken;
    this.scheduleExternalDeletes(stack);
    return my;
  }

  /** CREATE_IN_PROGRESS → resources in dependency order → CREATE_COMPLETE, or rollback. */
  startCreate(stack: Stack, token?: string, onDone?: (ok: boolean) => void): void {
    const my = this.begin(stack, token);
    this.stackStatus(stack, 'CREATE_IN_PROGRESS', 'User Initiated');
    const ctx = this.evalContext(stack, stack.template, stack.params);
    const active = this.activeIds(stack.template, ctx.conditions);
    const graph = dependencyGraph(stack.template, active);
    for (const id of topoOrder(graph)) {
      const def = stack.template.Resources[id]!;
      stack.resources.set(id, { logicalId: id, type: def.Type, attrs: {}, props: {}, def, status: 'NOT_STARTED', timestamp: this.world.now() });
    }
    const steps = [...graph].map(([id, deps]) => ({ logicalId: id, action: 'create' as const, deps: new Set(deps) }));
    this.run(stack, my, steps, 'create', (failure, failedIds) => {
      if (!failure) {
        this.after(stack, my, 500, () => {
          this.computeOutputs(stack);
          this.stackStatus(stack, 'CREATE_COMPLETE');
          onDone?.(true);
        });
        return;
      }
      const reason = `The following resource(s) failed to create: [${failedIds.join(', ')}]. `;
      if (stack.onFailure === 'DO_NOTHING') {
        this.after(stack, my, 500, () => {
          this.stackStatus(stack, 'CREATE_FAILED', reason);
          onDone?.(false);
        });
        return;
      }
      this.after(stack, my, 500, () => {
        this.stackStatus(stack, 'ROLLBACK_IN_PROGRESS', reason + 'Rollback requested by user.');
        this.deleteAll(stack, my, 'rollback', () => {
          this.stackStatus(stack, 'ROLLBACK_COMPLETE');
          onDone?.(false);
          if (stack.onFailure === 'DELETE') this.deleteStack(stack.id);
        });
      });
    });
  }

  private after(stack: Stack, my: number, ms: number, fn: () => void): void {
    this.world.sched.after(this.scaled(ms), () => {
      if (stack.opToken === my) fn();
    });
  }

  private scaled(ms: number): number {
    return Math.round(ms * (this.world.scenario.slowFactor ?? 1));
  }

  private duration(r: { logicalId: string; type: string }, base: number | undefined): number {
    const d = this.world.scenario.durations;
    const v = d?.[r.logicalId] ?? d?.[r.type] ?? base ?? 2000;
    return this.scaled(v);
  }

  private scenarioFailure(stack: Stack, r: StackResource, op: 'create' | 'update' | 'delete'): string | undefined {
    for (const f of this.world.scenario.failResources ?? []) {
      if ((f.operation ?? 'create') !== op) continue;
      if (f.stack && f.stack !== stack.name) continue;
      if (f.logicalId && f.logicalId !== r.logicalId) continue;
      if (f.type && f.type !== r.type) continue;
      if (!f.logicalId && !f.type) continue;
      const used = this.failureUses.get(f) ?? 0;
      if (f.times !== undefined && used >= f.times) continue;
      this.failureUses.set(f, used + 1);
      return (
        f.reason ??
        `Resource handler returned message: "Simulated ${op} failure of ${r.logicalId} (${r.type})" (RequestToken: ${this.world.ids.uuid()}, HandlerErrorCode: InvalidRequest)`
      );
    }
    return undefined;
  }

  private handlerMessage(message: string, code = 'InvalidRequest'): string {
    return `Resource handler returned message: "${message}" (RequestToken: ${this.world.ids.uuid()}, HandlerErrorCode: ${code})`;
  }

  private providerCtx(stack: Stack, r: StackResource): ProviderContext {
    return {
      world: this.world,
      stackName: stack.name,
      stackId: stack.id,
      logicalId: r.logicalId,
      type: r.type,
      tags: [
        ...stack.tags,
        { Key: 'aws:cloudformation:stack-name', Value: stack.name },
        { Key: 'aws:cloudformation:stack-id', Value: stack.id },
        { Key: 'aws:cloudformation:logical-id', Value: r.logicalId },
      ],
    };
  }

  /**
   * Run steps as their dependencies complete. On the first failure, the steps in progress are
   * cancelled, no new step starts, and `done` gets the failure and every failed/cancelled id.
   */
  private run(stack: Stack, my: number, steps: Step[], kind: 'create' | 'update' | 'delete' | 'rollback', done: (failure: Failure | undefined, failedIds: string[]) => void): void {
    const pending = new Map(steps.map((s) => [s.logicalId + (s.old ? '#old' : ''), s]));
    const inFlight = new Map<string, StackResource>();
    const finished = new Set<string>();
    let failure: Failure | undefined;
    const failedIds: string[] = [];
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      done(failure, failedIds);
    };
    const fail = (r: StackResource, status: string, reason: string): void => {
      this.resourceStatus(stack, r, status, reason);
      failure = { logicalId: r.logicalId, reason };
      failedIds.push(r.logicalId);
      for (const [key, other] of inFlight) {
        if (other === r) continue;
        const cancelStatus = other.status.replace('IN_PROGRESS', 'FAILED');
        const what = cancelStatus.startsWith('CREATE') ? 'creation' : cancelStatus.startsWith('DELETE') ? 'deletion' : 'update';
        this.resourceStatus(stack, other, cancelStatus, `Resource ${what} cancelled`);
        failedIds.push(other.logicalId);
        inFlight.delete(key);
      }
      inFlight.clear();
      pending.clear();
      this.after(stack, my, 0, end);
    };
    const startReady = (): void => {
      if (failure || ended) return;
      for (const [key, step] of [...pending]) {
        if ([...step.deps].some((d) => !finished.has(d))) continue;
        pending.delete(key);
        this.startStep(stack, my, step, kind, inFlight, key, {
          ok: () => {
            inFlight.delete(key);
            if (!step.old) finished.add(step.logicalId);
            else finished.add(key);
            if (pending.size === 0 && inFlight.size === 0) this.after(stack, my, 0, end);
            else startReady();
          },
          fail,
          isCancelled: () => failure !== undefined || ended,
        });
      }
      if (pending.size > 0 && inFlight.size === 0 && ![...pending.values()].some((s) => [...s.deps].every((d) => finished.has(d)))) {
        // Dependencies on steps that never run (outside the plan): treat as satisfied.
        for (const s of pending.values()) for (const d of s.deps) finished.add(d);
        startReady();
      }
    };
    if (pending.size === 0) {
      this.after(stack, my, 0, end);
      return;
    }
    startReady();
  }

  private startStep(
    stack: Stack,
    my: number,
    step: Step,
    kind: 'create' | 'update' | 'delete' | 'rollback',
    inFlight: Map<string, StackResource>,
    key: string,
    cb: { ok: () => void; fail: (r: StackResource, status: string, reason: string) => void; isCancelled: () => boolean },
  ): void {
    const r = stack.resources.get(step.logicalId);
    if (!r) {
      cb.ok();
      return;
    }
    const provider = providerFor(r.type);
    const guard = (fn: () => void) => () => {
      if (stack.opToken === my && !cb.isCancelled()) fn();
    };
    const later = (ms: number, fn: () => void): void => this.world.sched.after(ms, guard(fn));

    if (step.action === 'delete') {
      const target = step.old ?? (r.physicalId ? { physicalId: r.physicalId, attrs: r.attrs, props: r.props } : undefined);
      const retain = !step.old && (r.def.DeletionPolicy === 'Retain' || (r.def.DeletionPolicy === 'RetainExceptOnCreate' && kind !== 'rollback'));
      if (retain && r.physicalId) {
        this.resourceStatus(stack, r, 'DELETE_SKIPPED');
        cb.ok();
        return;
      }
      if (!target) {
        if (r.status !== 'DELETE_COMPLETE' && r.status !== 'NOT_STARTED') this.resourceStatus(stack, r, 'DELETE_COMPLETE');
        cb.ok();
        return;
      }
      inFlight.set(key, r);
      const evPhys = target.physicalId;
      const mark = (status: string): void => {
        if (!step.old) {
          this.resourceStatus(stack, r, status);
          return;
        }
        this.event(stack, { LogicalResourceId: r.logicalId, PhysicalResourceId: evPhys, ResourceType: r.type, ResourceStatus: status });
      };
      mark('DELETE_IN_PROGRESS');
      const failReason = kind === 'delete' ? this.scenarioFailure(stack, r, 'delete') : undefined;
      const d = this.duration(r, (provider.durationMs ?? 2000) / 2);
      later(d, () => {
        if (failReason) {
          cb.fail(r, 'DELETE_FAILED', failReason);
          return;
        }
        const finish = (): void => {
          mark('DELETE_COMPLETE');
          if (step.old) r.replaced = undefined;
          inFlight.delete(key);
          cb.ok();
        };
        let res: { wait?: (done: () => void) => void } | void = undefined;
        try {
          res = provider.delete?.(this.providerCtx(stack, r), target, target.props);
        } catch (e) {
          if (e instanceof DeleteRefused) {
            cb.fail(r, 'DELETE_FAILED', e.message);
            return;
          }
          /* deleting something already gone succeeds */
        }
        if (res?.wait) res.wait(guard(finish));
        else finish();
      });
      return;
    }

    // create or update
    const ctx = this.evalContext(stack, stack.template, stack.params);
    let props: Props;
    try {
      props = step.revert ? step.revert.props : ((evaluate(r.def.Properties ?? {}, ctx) as Props) ?? {});
    } catch (e) {
      const st = step.action === 'create' ? 'CREATE_FAILED' : 'UPDATE_FAILED';
      inFlight.set(key, r);
      cb.fail(r, st, (e as Error).message);
      return;
    }
    const pctx = this.providerCtx(stack, r);
    const isNew = step.action === 'create' || !r.physicalId;

    if (!isNew && !step.revert && (step as { dynamicOnly?: boolean }).dynamicOnly && changedKeys(r.props, props).length === 0) {
      // A referenced resource was not replaced after all: nothing to do.
      cb.ok();
      return;
    }
    const replaceKeys = provider.replaceOn ?? [];
    const changedProps = isNew ? [] : changedKeys(r.props, props);
    const replace =
      !isNew &&
      (r.type !== r.def.Type ||
        (step.revert ? Boolean(step.revert.physical) : changedProps.some((k) => replaceKeys.includes('*') || replaceKeys.includes(k))));

    const prefix = isNew ? 'CREATE' : 'UPDATE';
    inFlight.set(key, r);
    const failReason = this.scenarioFailure(stack, r, isNew ? 'create' : 'update');
    const d = this.duration(r, provider.durationMs);

    if (isNew) {
      r.physicalId = undefined;
      this.resourceStatus(stack, r, 'CREATE_IN_PROGRESS', undefined, { ResourceProperties: JSON.stringify(props) });
    } else if (replace && !step.revert) {
      this.resourceStatus(stack, r, 'UPDATE_IN_PROGRESS', 'Requested update requires the creation of a new physical resource; hence creating one.', {
        ResourceProperties: JSON.stringify(props),
      });
    } else {
      this.resourceStatus(stack, r, 'UPDATE_IN_PROGRESS', undefined, { ResourceProperties: JSON.stringify(props) });
    }

    later(Math.min(300, Math.floor(d / 4)), () => {
      let result: Provisioned;
      try {
        const violation = step.revert ? undefined : resourceViolation({ ...pctx, type: r.def.Type }, props, isNew || replace);
        if (violation) throw new Error(violation);
        if (isNew || (replace && !step.revert)) {
          if (replace) r.replaced = { physicalId: r.physicalId!, attrs: r.attrs, props: r.props };
          result = provider.create(pctx, props);
        } else if (step.revert?.physical) {
          // Rolling back a replacement: the old physical resource comes back; the new one is cleaned up.
          r.replaced = { physicalId: r.physicalId!, attrs: r.attrs, props: r.props };
          result = step.revert.physical;
        } else {
          const current = { physicalId: r.physicalId!, attrs: r.attrs };
          result = provider.update ? provider.update(pctx, props, current, r.props) : current;
        }
      } catch (e) {
        later(Math.max(0, d - 300), () => cb.fail(r, `${prefix}_FAILED`, this.handlerMessage((e as Error).message)));
        return;
      }
      r.physicalId = result.physicalId;
      r.attrs = result.attrs;
      r.props = props;
      r.type = r.def.Type;
      if (isNew || replace) this.resourceStatus(stack, r, `${prefix}_IN_PROGRESS`, 'Resource creation Initiated');
      let timeUp = false;
      let settled: { failure?: string } | undefined = result.wait ? undefined : {};
      const maybeFinish = (): void => {
        if (!timeUp || !settled) return;
        if (failReason) cb.fail(r, `${prefix}_FAILED`, failReason);
        // native resources (wait conditions) report their own message, not a resource handler's
        else if (settled.failure) cb.fail(r, `${prefix}_FAILED`, settled.failure.startsWith('WaitCondition ') ? settled.failure : this.handlerMessage(settled.failure, 'GeneralServiceException'));
        else {
          this.resourceStatus(stack, r, `${prefix}_COMPLETE`);
          inFlight.delete(key);
          cb.ok();
        }
      };
      if (result.wait && !failReason) {
        result.wait((failure?: string) => {
          if (stack.opToken !== my || cb.isCancelled()) return;
          settled = { failure };
          maybeFinish();
        });
      } else settled = {};
      later(Math.max(0, d - Math.min(300, Math.floor(d / 4))), () => {
        timeUp = true;
        maybeFinish();
      });
    });
  }

  /** Delete every resource that exists, dependents first. */
  private deleteAll(stack: Stack, my: number, kind: 'rollback' | 'delete', done: (failure?: Failure, failedIds?: string[]) => void): void {
    const ids = [...stack.resources.values()].filter((r) => r.status !== 'NOT_STARTED' && r.status !== 'DELETE_COMPLETE' && r.status !== 'DELETE_SKIPPED').map((r) => r.logicalId);
    const steps = this.reverseSteps(stack, ids);
    this.run(stack, my, steps, kind, (failure, failedIds) => {
      for (const r of stack.resources.values()) if (r.status === 'NOT_STARTED') stack.resources.delete(r.logicalId);
      done(failure, failedIds);
    });
  }

  /** Delete steps: a resource waits for every resource (among `ids`) that refers to it. */
  private reverseSteps(stack: Stack, ids: string[], old = false): Step[] {
    const steps: Step[] = [];
    for (const id of ids) {
      const dependents = new Set<string>();
      for (const other of ids) {
        if (other === id) continue;
        const def = stack.resources.get(other)!.def;
        const refs = references(def.Properties ?? {});
        const dependsOn = def.DependsOn === undefined ? [] : Array.isArray(def.DependsOn) ? def.DependsOn : [def.DependsOn];
        if (refs.has(id) || dependsOn.includes(id)) dependents.add(old ? other + '#old' : other);
      }
      const r = stack.resources.get(id)!;
      steps.push({ logicalId: id, action: 'delete', deps: dependents, ...(old && r.replaced ? { old: r.replaced } : {}) });
    }
    return steps;
  }

  // --- updates --------------------------------------------------------------------------------

  /** Partially resolve for comparison: parameters and pseudo parameters only. */
  private comparable(stack: Stack, template: Template, params: Record<string, string>, def: ResourceDef): string {
    const values = { ...this.paramValues(template, params), ...this.pseudo(stack) };
    const walk = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object') {
        const e = Object.entries(v);
        if (e.length === 1 && e[0]![0] === 'Ref' && typeof e[0]![1] === 'string' && e[0]![1] in values) return values[e[0]![1] as string];
        return Object.fromEntries(e.map(([k, x]) => [k, walk(x)]));
      }
      return v;
    };
    return JSON.stringify({ Type: def.Type, Properties: walk(def.Properties ?? {}), DependsOn: def.DependsOn, DeletionPolicy: def.DeletionPolicy, Metadata: def.Metadata });
  }

  /** The change set's Changes: Add / Modify (with Replacement) / Remove. */
  diff(stack: Stack | undefined, template: Template, params: Record<string, string>): ResourceChange[] {
    const changes: ResourceChange[] = [];
    const fakeStack = stack ?? ({ id: '', name: '', resources: new Map() } as unknown as Stack);
    const ctxParams = { params: this.paramValues(template, params), pseudo: this.pseudo(fakeStack), mappings: template.Mappings, azs: this.world.azs, ref: () => '', getAtt: () => '' };
    const conditions = evaluateConditions(template, ctxParams);
    const active = this.activeIds(template, conditions);
    const live = new Map([...(stack?.resources ?? new Map<string, StackResource>())].filter(([, r]) => r.physicalId && !['DELETE_COMPLETE', 'NOT_STARTED'].includes(r.status)));
    const replaced = new Set<string>();
    for (const id of active) {
      const def = template.Resources[id]!;
      const cur = live.get(id);
      if (!cur) {
        changes.push({ Action: 'Add', LogicalResourceId: id, ResourceType: def.Type, Scope: [], Details: [] });
        continue;
      }
      const before = this.comparable(fakeStack, stack!.template, stack!.params, cur.def);
      const after = this.comparable(fakeStack, template, params, def);
      if (before === after) continue;
      const oldP = (JSON.parse(before) as { Properties: Props }).Properties;
      const newP = (JSON.parse(after) as { Properties: Props }).Properties;
      const keys = changedKeys(oldP, newP);
      const replaceOn = providerFor(def.Type).replaceOn ?? [];
      const details: ResourceChange['Details'] = keys.map((k) => {
        const needs = replaceOn.includes('*') || replaceOn.includes(k);
        // Conditional when the value refers to a resource whose physical id is not known yet.
        const dynamic = [...references(newP[k])].some((ref) => template.Resources[ref] && !live.has(ref));
        return {
          Target: { Attribute: 'Properties', Name: k, RequiresRecreation: needs ? (dynamic ? 'Conditionally' : 'Always') : 'Never' },
          Evaluation: 'Static',
          ChangeSource: 'DirectModification',
        };
      });
      let replacement: 'True' | 'False' | 'Conditional' = 'False';
      if (cur.type !== def.Type || details.some((d) => d.Target.RequiresRecreation === 'Always')) replacement = 'True';
      else if (details.some((d) => d.Target.RequiresRecreation === 'Conditionally')) replacement = 'Conditional';
      if (replacement !== 'False') replaced.add(id);
      changes.push({
        Action: 'Modify',
        LogicalResourceId: id,
        PhysicalResourceId: cur.physicalId,
        ResourceType: def.Type,
        Replacement: replacement,
        Scope: keys.length ? ['Properties'] : [],
        Details: details,
      });
    }
    // Resources that reference a replaced resource change too (Dynamic, ResourceReference).
    for (let round = 0; round < 10; round++) {
      let grew = false;
      for (const id of active) {
        const cur = live.get(id);
        if (!cur || changes.some((c) => c.LogicalResourceId === id && c.Action === 'Modify' && c.Details.some((d) => d.Evaluation === 'Dynamic'))) continue;
        const def = template.Resources[id]!;
        const replaceOn = providerFor(def.Type).replaceOn ?? [];
        const details: ResourceChange['Details'] = [];
        for (const [k, v] of Object.entries(def.Properties ?? {})) {
          const seen = new Set<string>();
          for (const site of referenceSites(v)) {
            const entity = site.attr ? `${site.id}.${site.attr}` : site.id;
            if (!replaced.has(site.id) || seen.has(entity)) continue;
            seen.add(entity);
            details.push({
              Target: { Attribute: 'Properties', Name: k, RequiresRecreation: replaceOn.includes('*') || replaceOn.includes(k) ? 'Conditionally' : 'Never' },
              Evaluation: 'Dynamic',
              ChangeSource: site.attr ? 'ResourceAttribute' : 'ResourceReference',
              CausingEntity: entity,
            });
          }
        }
        if (!details.length) continue;
        let change = changes.find((c) => c.LogicalResourceId === id);
        if (!change) {
          change = { Action: 'Modify', LogicalResourceId: id, PhysicalResourceId: cur.physicalId, ResourceType: def.Type, Replacement: 'False', Scope: ['Properties'], Details: [] };
          changes.push(change);
        }
        change.Details.push(...details);
        if (change.Replacement === 'False' && details.some((d) => d.Target.RequiresRecreation === 'Conditionally')) {
          change.Replacement = 'Conditional';
          if (!replaced.has(id)) {
            replaced.add(id);
            grew = true;
          }
        }
      }
      if (!grew) break;
    }
    for (const [id, cur] of live) {
      if (active.has(id)) continue;
      changes.push({
        Action: 'Remove',
        LogicalResourceId: id,
        PhysicalResourceId: cur.physicalId,
        ResourceType: cur.type,
        PolicyAction: cur.def.DeletionPolicy === 'Retain' ? 'Retain' : 'Delete',
        Scope: [],
        Details: [],
      });
    }
    return changes;
  }

  /** True when nothing at all differs: no change set can be made ("didn't contain changes"). */
  unchanged(stack: Stack, template: Template, params: Record<string, string>, tags: Tag[] | undefined, changes: ResourceChange[]): boolean {
    if (changes.length) return false;
    if (JSON.stringify(template.Outputs ?? {}) !== JSON.stringify(stack.template.Outputs ?? {})) return false;
    if (JSON.stringify(params) !== JSON.stringify(stack.params)) return false;
    if (tags && JSON.stringify(tags) !== JSON.stringify(stack.tags)) return false;
    return true;
  }

  checkUpdatable(stack: Stack): void {
    if (!UPDATABLE.includes(stack.status)) throw validation(`Stack:${stack.id} is in ${stack.status} state and can not be updated.`);
  }

  updateStack(nameOrId: string, input: TemplateInput, token?: string): Stack {
    const stack = this.mustFind(nameOrId);
    if (token && stack.lastTokens.has(token)) return stack;
    this.checkUpdatable(stack);
    const prepared = this.prepare(input, stack);
    const changes = this.diff(stack, prepared.template, prepared.params);
    if (this.unchanged(stack, prepared.template, prepared.params, input.tags, changes)) throw validation('No updates are to be performed.');
    this.startUpdate(stack, input, prepared, changes, token);
    return stack;
  }

  startUpdate(stack: Stack, input: TemplateInput, prepared: { template: Template; params: Record<string, string> }, changes: ResourceChange[], token?: string, onDone?: (ok: boolean) => void): void {
    const my = this.begin(stack, token);
    const old = { template: stack.template, templateBody: stack.templateBody, params: stack.params, tags: stack.tags, outputs: stack.outputs };
    const oldResources = new Map([...stack.resources].map(([k, r]) => [k, { ...r }]));
    stack.template = prepared.template;
    stack.templateBody = input.templateBody;
    stack.params = prepared.params;
    if (input.tags) stack.tags = input.tags;
    stack.capabilities = input.capabilities;
    stack.lastUpdatedTime = this.world.now();
    this.stackStatus(stack, 'UPDATE_IN_PROGRESS', 'User Initiated');

    const ctx = this.evalContext(stack, stack.template, stack.params);
    const active = this.activeIds(stack.template, ctx.conditions);
    const graph = dependencyGraph(stack.template, active);
    const planned = new Map(changes.filter((c) => c.Action !== 'Remove').map((c) => [c.LogicalResourceId, c]));
    const steps: Step[] = [];
    for (const id of topoOrder(graph)) {
      const change = planned.get(id);
      if (!change) {
        // Unchanged resources keep their definition (DependsOn, etc. may have moved).
        const r = stack.resources.get(id);
        if (r) r.def = stack.template.Resources[id]!;
        continue;
      }
      const def = stack.template.Resources[id]!;
      if (change.Action === 'Add') stack.resources.set(id, { logicalId: id, type: def.Type, attrs: {}, props: {}, def, status: 'NOT_STARTED', timestamp: this.world.now() });
      else stack.resources.get(id)!.def = def;
      const step: Step & { dynamicOnly?: boolean } = { logicalId: id, action: change.Action === 'Add' ? 'create' : 'update', deps: new Set([...graph.get(id)!].filter((d) => planned.has(d))) };
      if (change.Action === 'Modify' && change.Details.every((d) => d.Evaluation === 'Dynamic')) step.dynamicOnly = true;
      steps.push(step);
    }
    const removed = changes.filter((c) => c.Action === 'Remove').map((c) => c.LogicalResourceId);

    this.run(stack, my, steps, 'update', (failure, failedIds) => {
      if (!failure) {
        this.after(stack, my, 500, () => {
          this.computeOutputs(stack);
          this.stackStatus(stack, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
          this.cleanup(stack, my, removed, old.template, () => {
            this.stackStatus(stack, 'UPDATE_COMPLETE');
            onDone?.(true);
          });
        });
        return;
      }
      const verb = failedIds.some((id) => !oldResources.has(id)) && failedIds.every((id) => !oldResources.has(id)) ? 'create' : 'update';
      this.after(stack, my, 500, () => {
        this.stackStatus(stack, 'UPDATE_ROLLBACK_IN_PROGRESS', `The following resource(s) failed to ${verb}: [${failedIds.join(', ')}]. `);
        stack.template = old.template;
        stack.templateBody = old.templateBody;
        stack.params = old.params;
        stack.tags = old.tags;
        // Revert what was touched, in the old template's order.
        const oldCtx = this.evalContext(stack, old.template, old.params);
        const oldGraph = dependencyGraph(old.template, this.activeIds(old.template, oldCtx.conditions));
        const touched = new Set(steps.map((s) => s.logicalId).filter((id) => oldResources.has(id)));
        const revertSteps: Step[] = [];
        for (const id of topoOrder(oldGraph)) {
          if (!touched.has(id)) continue;
          const before = oldResources.get(id)!;
          const r = stack.resources.get(id)!;
          r.def = before.def;
          if (r.status === 'NOT_STARTED' || r.status === before.status && r.physicalId === before.physicalId && JSON.stringify(r.props) === JSON.stringify(before.props)) {
            Object.assign(r, before);
            continue;
          }
          const physical = r.physicalId !== before.physicalId ? { physicalId: before.physicalId!, attrs: before.attrs } : undefined;
          revertSteps.push({ logicalId: id, action: 'update', deps: new Set([...oldGraph.get(id)!].filter((d) => touched.has(d))), revert: { props: before.props, physical } });
        }
        this.run(stack, my, revertSteps, 'update', () => {
          this.after(stack, my, 500, () => {
            this.stackStatus(stack, 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
            const added = [...stack.resources.keys()].filter((id) => !oldResources.has(id));
            this.cleanup(stack, my, added, prepared.template, () => {
              for (const id of added) stack.resources.delete(id);
              stack.outputs = old.outputs;
              this.stackStatus(stack, 'UPDATE_ROLLBACK_COMPLETE');
              onDone?.(false);
            });
          });
        });
      });
    });
  }

  /**
   * Delete removed resources and the physical resources left behind by replacements, in one
   * reverse dependency order over the definitions they were made with (`prior` for the ones left
   * behind): an old service goes before the removed cluster it ran in, a removed listener before
   * the old target group it forwarded to.
   */
  private cleanup(stack: Stack, my: number, removed: string[], prior: Template, done: () => void): void {
    const gone = removed.filter((id) => stack.resources.get(id)?.physicalId && stack.resources.get(id)?.status !== 'NOT_STARTED');
    const olds = [...stack.resources.values()].filter((r) => r.replaced).map((r) => r.logicalId);
    const nodes = [
      ...gone.map((id) => ({ id, key: id, def: stack.resources.get(id)!.def, old: false })),
      ...olds.map((id) => ({ id, key: `${id}#old`, def: prior.Resources[id] ?? stack.resources.get(id)!.def, old: true })),
    ];
    const refersTo = (def: ResourceDef, id: string): boolean => {
      const dependsOn = def.DependsOn === undefined ? [] : Array.isArray(def.DependsOn) ? def.DependsOn : [def.DependsOn];
      return references(def.Properties ?? {}).has(id) || dependsOn.includes(id);
    };
    const steps: Step[] = nodes.map((n) => ({
      logicalId: n.id,
      action: 'delete',
      deps: new Set(nodes.filter((m) => m !== n && refersTo(m.def, n.id)).map((m) => m.key)),
      ...(n.old ? { old: stack.resources.get(n.id)!.replaced! } : {}),
    }));
    this.run(stack, my, steps, 'update', () => {
      for (const id of removed) if (!stack.template.Resources[id] || stack.resources.get(id)?.status === 'DELETE_COMPLETE') stack.resources.delete(id);
      this.after(stack, my, 300, done);
    });
  }

  private computeOutputs(stack: Stack): void {
    try {
      const ctx = this.evalContext(stack, stack.template, stack.params);
      stack.outputs = Object.entries(stack.template.Outputs ?? {})
        .filter(([, o]) => !o.Condition || ctx.conditions[o.Condition])
        .map(([key, o]) => {
          const v = evaluate(o.Value, ctx);
          return {
            OutputKey: key,
            OutputValue: Array.isArray(v) ? v.join(',') : String(v),
            ...(o.Description ? { Description: o.Description } : {}),
            ...(o.Export ? { ExportName: String(evaluate(o.Export.Name, ctx)) } : {}),
          };
        });
    } catch {
      stack.outputs = [];
    }
  }

  // --- delete ---------------------------------------------------------------------------------

  deleteStack(nameOrId: string, token?: string, retain: string[] = []): void {
    const stack = this.find(nameOrId, nameOrId.startsWith('arn:'));
    if (!stack || stack.status === 'DELETE_COMPLETE' || stack.status === 'DELETE_IN_PROGRESS') return;
    if (token && stack.lastTokens.has(token)) return;
    if (stack.status.endsWith('_IN_PROGRESS') && stack.status !== 'REVIEW_IN_PROGRESS' && !stack.status.startsWith('DELETE')) {
      // CloudFormation refuses; the external-delete scenario uses `forceDelete`.
      throw validation(`Stack [${stack.name}] cannot be deleted while in status ${stack.status}`);
    }
    this.startDelete(stack, token, retain);
  }

  /** Someone else deletes the stack: any operation in flight is abandoned. */
  forceDelete(stack: Stack): void {
    if (stack.status === 'DELETE_COMPLETE' || stack.status === 'DELETE_IN_PROGRESS') return;
    this.startDelete(stack, undefined, []);
  }

  private startDelete(stack: Stack, token: string | undefined, retain: string[]): void {
    const my = this.begin(stack, token);
    for (const id of retain) {
      const r = stack.resources.get(id);
      if (r) r.def = { ...r.def, DeletionPolicy: 'Retain' };
    }
    this.stackStatus(stack, 'DELETE_IN_PROGRESS', 'User Initiated');
    for (const cs of [...this.changeSets.values()]) if (cs.stackId === stack.id) this.changeSets.delete(cs.id);
    this.deleteAll(stack, my, 'delete', (failure, failedIds) => {
      if (failure) {
        this.after(stack, my, 300, () => this.stackStatus(stack, 'DELETE_FAILED', `The following resource(s) failed to delete: [${(failedIds ?? []).join(', ')}]. `));
        return;
      }
      this.after(stack, my, 300, () => {
        stack.deletionTime = this.world.now();
        this.stackStatus(stack, 'DELETE_COMPLETE');
      });
    });
  }

  private scheduleExternalDeletes(stack: Stack): void {
    for (const x of this.world.scenario.externalDeletes ?? []) {
      if (x.stack !== stack.name || this.scheduledDeletes.has(x)) continue;
      this.scheduledDeletes.add(x);
      this.world.sched.after(x.afterMs, () => this.forceDelete(stack));
    }
  }

  /** Apply scenario-level stack facts: seeded stacks and external deletes of stable stacks. */
  applyScenario(): void {
    this.failureUses = new WeakMap();
    this.world.crashUses = new WeakMap();
    for (const seed of this.world.scenario.stacks ?? []) {
      if (this.find(seed.name)) continue;
      const templateBody = seed.template ?? JSON.stringify({ Resources: { LogGroup: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: `/sim/${seed.name}` } } } });
      const input: TemplateInput = { templateBody, parameters: [], tags: Object.entries(seed.tags ?? {}).map(([Key, Value]) => ({ Key, Value })), capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'] };
      const prepared = this.prepare(input);
      const stack = this.newStack(seed.name, input, prepared);
      this.seed(stack, seed.status, seed.finishAfterMs ?? 30_000);
    }
    for (const x of this.world.scenario.externalDeletes ?? []) {
      const stack = this.find(x.stack);
      if (stack && !stack.status.endsWith('_IN_PROGRESS')) {
        this.scheduledDeletes.add(x);
        this.world.sched.after(x.afterMs, () => this.forceDelete(stack));
      }
    }
  }

  /** Put a stack straight into a status, with the events it would have. */
  private seed(stack: Stack, status: string, finishAfterMs: number): void {
    const ctx = this.evalContext(stack, stack.template, stack.params);
    const order = topoOrder(dependencyGraph(stack.template, this.activeIds(stack.template, ctx.conditions)));
    this.stackStatus(stack, 'CREATE_IN_PROGRESS', 'User Initiated');
    if (status === 'ROLLBACK_COMPLETE') {
      const first = order[0]!;
      const def = stack.template.Resources[first]!;
      const r: StackResource = { logicalId: first, type: def.Type, attrs: {}, props: {}, def, status: 'NOT_STARTED', timestamp: this.world.now() };
      stack.resources.set(first, r);
      this.resourceStatus(stack, r, 'CREATE_IN_PROGRESS');
      const reason = this.handlerMessage(`Simulated failure of ${first} in an earlier deployment`);
      this.resourceStatus(stack, r, 'CREATE_FAILED', reason);
      this.stackStatus(stack, 'ROLLBACK_IN_PROGRESS', `The following resource(s) failed to create: [${first}]. Rollback requested by user.`);
      this.resourceStatus(stack, r, 'DELETE_COMPLETE');
      this.stackStatus(stack, 'ROLLBACK_COMPLETE');
      return;
    }
    for (const id of order) {
      const def = stack.template.Resources[id]!;
      const r: StackResource = { logicalId: id, type: def.Type, attrs: {}, props: {}, def, status: 'NOT_STARTED', timestamp: this.world.now() };
      stack.resources.set(id, r);
      const props = (evaluate(def.Properties ?? {}, ctx) as Props) ?? {};
      this.resourceStatus(stack, r, 'CREATE_IN_PROGRESS');
      const res = providerFor(def.Type).create(this.providerCtx(stack, r), props);
      res.wait?.(() => undefined);
      Object.assign(r, { physicalId: res.physicalId, attrs: res.attrs, props });
      this.resourceStatus(stack, r, 'CREATE_COMPLETE');
    }
    this.computeOutputs(stack);
    this.stackStatus(stack, 'CREATE_COMPLETE');
    if (status === 'UPDATE_IN_PROGRESS') {
      const my = this.begin(stack);
      stack.lastUpdatedTime = this.world.now();
      this.stackStatus(stack, 'UPDATE_IN_PROGRESS', 'User Initiated');
      this.world.sched.after(finishAfterMs, () => {
        if (stack.opToken !== my) return;
        this.stackStatus(stack, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
        this.stackStatus(stack, 'UPDATE_COMPLETE');
      });
    }
  }

  // --- change sets ----------------------------------------------------------------------------

  createChangeSet(args: {
    stackName: string;
    name: string;
    type: 'CREATE' | 'UPDATE';
    input: TemplateInput;
    usePreviousTemplate?: boolean;
    clientToken?: string;
    description?: string;
  }): ChangeSet {
    let stack = this.find(args.stackName);
    if (stack) {
      const same = [...this.changeSets.values()].find((c) => c.stackId === stack!.id && c.name === args.name);
      if (same) {
        if (args.clientToken && same.clientToken === args.clientToken) return same;
        throw new SimError('AlreadyExistsException', `ChangeSet ${args.name} already exists`);
      }
    }
    if (args.type === 'CREATE') {
      if (!stack) checkStackName(args.stackName);
      if (stack && stack.status !== 'REVIEW_IN_PROGRESS') throw validation(`Stack [${args.stackName}] already exists and cannot be created again with the changeSet [${args.name}].`);
    } else {
      if (!stack) throw validation(`Stack [${args.stackName}] does not exist`);
      this.checkUpdatable(stack);
    }
    if (args.usePreviousTemplate) {
      if (!stack) throw validation('UsePreviousTemplate is not supported for a stack that does not exist');
      args.input.templateBody = stack.templateBody;
    }
    const prepared = this.prepare(args.input, stack);
    if (!stack) {
      stack = this.newStack(args.stackName, args.input, prepared);
      this.stackStatus(stack, 'REVIEW_IN_PROGRESS', 'User Initiated');
    }
    const cs: ChangeSet = {
      id: this.world.arn('cloudformation', `changeSet/${args.name}/${this.world.ids.uuid()}`),
      name: args.name,
      stackId: stack.id,
      stackName: stack.name,
      type: args.type,
      status: 'CREATE_PENDING',
      executionStatus: 'UNAVAILABLE',
      creationTime: this.world.now(),
      templateBody: args.input.templateBody,
      template: prepared.template,
      params: prepared.params,
      paramInput: Object.entries(prepared.params).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
      tags: args.input.tags ?? (args.type === 'UPDATE' ? stack.tags : []),
      capabilities: args.input.capabilities,
      changes: [],
      clientToken: args.clientToken,
      description: args.description,
    };
    this.changeSets.set(cs.id, cs);
    const target = stack;
    this.world.sched.after(this.scaled(500), () => {
      if (cs.status === 'CREATE_PENDING') cs.status = 'CREATE_IN_PROGRESS';
    });
    this.world.sched.after(this.scaled(2000), () => {
      if (cs.status !== 'CREATE_IN_PROGRESS' && cs.status !== 'CREATE_PENDING') return;
      const changes = this.diff(cs.type === 'CREATE' ? undefined : target, cs.template, cs.params);
      if (cs.type === 'UPDATE' && this.unchanged(target, cs.template, cs.params, args.input.tags, changes)) {
        cs.status = 'FAILED';
        cs.statusReason = NO_CHANGES_REASON;
        cs.executionStatus = 'UNAVAILABLE';
        return;
      }
      cs.changes = changes;
      cs.status = 'CREATE_COMPLETE';
      cs.executionStatus = 'AVAILABLE';
    });
    return cs;
  }

  executeChangeSet(cs: ChangeSet, token?: string): void {
    const stack = this.find(cs.stackId, true)!;
    if (token && stack.lastTokens.has(token) && cs.executionStatus !== 'AVAILABLE') return;
    if (cs.executionStatus !== 'AVAILABLE') {
      throw new SimError('InvalidChangeSetStatus', `ChangeSet [${cs.id}] cannot be executed in its current status of [${cs.status}]`);
    }
    if (cs.type === 'UPDATE') this.checkUpdatable(stack);
    cs.executionStatus = 'EXECUTE_IN_PROGRESS';
    stack.changeSetId = cs.id;
    for (const other of [...this.changeSets.values()]) if (other.stackId === stack.id && other !== cs) this.changeSets.delete(other.id);
    const input: TemplateInput = { templateBody: cs.templateBody, parameters: cs.paramInput, tags: cs.tags, capabilities: cs.capabilities };
    const finish = (ok: boolean): void => {
      cs.executionStatus = ok ? 'EXECUTE_COMPLETE' : 'EXECUTE_FAILED';
    };
    if (cs.type === 'CREATE') {
      stack.template = cs.template;
      stack.templateBody = cs.templateBody;
      stack.params = cs.params;
      stack.tags = cs.tags;
      stack.capabilities = cs.capabilities;
      this.startCreate(stack, token, finish);
    } else {
      const changes = this.diff(stack, cs.template, cs.params);
      this.startUpdate(stack, input, { template: cs.template, params: cs.params }, changes, token, finish);
    }
  }

  deleteChangeSet(cs: ChangeSet): void {
    if (cs.executionStatus === 'EXECUTE_IN_PROGRESS') {
      throw new SimError('InvalidChangeSetStatus', `Cannot delete ChangeSet [${cs.id}] while it is in EXECUTE_IN_PROGRESS status`);
    }
    this.changeSets.delete(cs.id);
  }
}


function changedKeys(a: Props, b: Props): string[] {
  const keys = new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})]);
  return [...keys].filter((k) => JSON.stringify(a?.[k]) !== JSON.stringify(b?.[k]));
}
