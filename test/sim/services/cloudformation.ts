/** CloudFormation (query protocol): stacks, events, resources, templates, change sets. */
import { SimError, validation } from '../errors.js';
import type { ChangeSet, Stack, StackResource, TemplateInput } from '../engine/stacks.js';
import { list } from '../protocols/query-xml.js';
import { date, page, type Handler, type OperationContext } from './types.js';

function templateInput(ctx: OperationContext, p: Record<string, any>): TemplateInput {
  const input: TemplateInput = {
    templateBody: templateBody(ctx, p),
    parameters: list<any>(p.Parameters).map((x) => ({ ParameterKey: x.ParameterKey, ParameterValue: x.ParameterValue, UsePreviousValue: x.UsePreviousValue })),
    tags: p.Tags === undefined ? undefined : list<any>(p.Tags).map((t) => ({ Key: t.Key, Value: t.Value ?? '' })),
    capabilities: list<string>(p.Capabilities),
  };
  if (input.tags?.some((t) => t.Key === 'com.docker.compose.project')) {
    ctx.world.pluginTemplates.push(input.templateBody);
    ctx.world.onPluginTemplate?.(input.templateBody);
  }
  return input;
}

/** TemplateBody, or TemplateURL read from the simulator's S3 (path or virtual-host style, or the sim's own URL). */
function templateBody(ctx: OperationContext, p: Record<string, any>): string {
  if (typeof p.TemplateBody === 'string') {
    if (Buffer.byteLength(p.TemplateBody) > 51_200) {
      throw validation(`1 validation error detected: Value at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to 51200`);
    }
    return p.TemplateBody;
  }
  if (typeof p.TemplateURL === 'string') {
    let url: URL;
    try {
      url = new URL(p.TemplateURL);
    } catch {
      throw validation('TemplateURL must be a supported URL.');
    }
    let bucket: string | undefined;
    let key: string | undefined;
    const path = decodeURIComponent(url.pathname.replace(/^\//, ''));
    const vhost = /^(.+)\.s3[.-]([a-z0-9-]+\.)?amazonaws\.com$/.exec(url.hostname);
    if (vhost) {
      bucket = vhost[1];
      key = path;
    } else {
      const slash = path.indexOf('/');
      bucket = path.slice(0, slash);
      key = path.slice(slash + 1);
    }
    const obj = bucket ? ctx.world.buckets.get(bucket)?.get(key ?? '') : undefined;
    if (!obj) throw validation(`S3 error: Access Denied\nFor more information check http://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html`);
    return obj.body.toString('utf8');
  }
  throw validation('Either Template URL or Template Body must be specified.');
}

function stackOut(s: Stack): Record<string, unknown> {
  const t = s.template;
  return {
    StackId: s.id,
    StackName: s.name,
    ChangeSetId: s.changeSetId,
    Description: t.Description,
    Parameters: Object.entries(s.params).map(([ParameterKey, ParameterValue]) => ({
      ParameterKey,
      ParameterValue: t.Parameters?.[ParameterKey]?.NoEcho ? '****' : ParameterValue,
    })),
    CreationTime: date(s.creationTime),
    DeletionTime: date(s.deletionTime),
    LastUpdatedTime: date(s.lastUpdatedTime),
    RollbackConfiguration: {},
    StackStatus: s.status,
    StackStatusReason: s.statusReason,
    DisableRollback: s.disableRollback,
    NotificationARNs: [],
    Capabilities: s.capabilities,
    Outputs: s.outputs.length ? s.outputs : undefined,
    Tags: s.tags,
    EnableTerminationProtection: false,
    DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
  };
}

function resourcesOf(ctx: OperationContext, p: Record<string, any>): { stack: Stack; resources: Stack['resources'] } {
  let stack: Stack | undefined;
  if (p.StackName) stack = ctx.cfn.find(p.StackName, String(p.StackName).startsWith('arn:'));
  else if (p.PhysicalResourceId) {
    stack = ctx.cfn.stacks.find((s) => [...s.resources.values()].some((r) => r.physicalId === p.PhysicalResourceId));
  }
  if (!stack) throw validation(`Stack with id ${p.StackName ?? p.PhysicalResourceId} does not exist`);
  return { stack, resources: stack.resources };
}

/** A StackResourceSummary; a StackResourceDetail is the same with the stack and the metadata. */
function resourceSummaryOut(r: StackResource): Record<string, unknown> {
  return {
    LogicalResourceId: r.logicalId,
    PhysicalResourceId: r.physicalId,
    ResourceType: r.type,
    LastUpdatedTimestamp: date(r.timestamp),
    ResourceStatus: r.status,
    ResourceStatusReason: r.statusReason,
    DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
  };
}

function changeSetOut(cs: ChangeSet): Record<string, unknown> {
  return {
    ChangeSetName: cs.name,
    ChangeSetId: cs.id,
    StackId: cs.stackId,
    StackName: cs.stackName,
    Description: cs.description,
    Parameters: cs.paramInput.length ? cs.paramInput : undefined,
    CreationTime: date(cs.creationTime),
    ExecutionStatus: cs.executionStatus,
    Status: cs.status,
    StatusReason: cs.statusReason,
    NotificationARNs: [],
    RollbackConfiguration: {},
    Capabilities: cs.capabilities,
    Tags: cs.tags.length ? cs.tags : undefined,
    Changes: cs.changes.map((c) => ({ Type: 'Resource', ResourceChange: c })),
    IncludeNestedStacks: false,
  };
}

const live = (s: Stack): boolean => s.status !== 'DELETE_COMPLETE';

export const cloudformation: Record<string, Handler> = {
  CreateStack(ctx) {
    const p = ctx.params;
    const stack = ctx.cfn.createStack(p.StackName, templateInput(ctx, p), {
      disableRollback: p.DisableRollback === 'true',
      onFailure: p.OnFailure,
      token: p.ClientRequestToken,
    });
    return { StackId: stack.id };
  },
  UpdateStack(ctx) {
    const p = ctx.params;
    const input = p.UsePreviousTemplate === 'true' ? { ...templateInput(ctx, { ...p, TemplateBody: ctx.cfn.mustFind(p.StackName).templateBody }) } : templateInput(ctx, p);
    const stack = ctx.cfn.updateStack(p.StackName, input, p.ClientRequestToken);
    return { StackId: stack.id };
  },
  DeleteStack(ctx) {
    ctx.cfn.deleteStack(ctx.params.StackName, ctx.params.ClientRequestToken, list<string>(ctx.params.RetainResources));
    return {};
  },
  DescribeStacks(ctx) {
    const name = ctx.params.StackName as string | undefined;
    if (name) {
      const stack = ctx.cfn.find(name, name.startsWith('arn:'));
      if (!stack) throw validation(`Stack with id ${name} does not exist`);
      return { Stacks: [stackOut(stack)] };
    }
    const { items, next } = page(ctx.cfn.stacks.filter(live).reverse(), ctx.params.NextToken, 100);
    return { Stacks: items.map(stackOut), NextToken: next };
  },
  ListStacks(ctx) {
    const filter = list<string>(ctx.params.StackStatusFilter);
    const all = ctx.cfn.stacks.filter((s) => !filter.length || filter.includes(s.status)).reverse();
    const { items, next } = page(all, ctx.params.NextToken, 100);
    return {
      StackSummaries: items.map((s) => ({
        StackId: s.id,
        StackName: s.name,
        TemplateDescription: s.template.Description,
        CreationTime: date(s.creationTime),
        LastUpdatedTime: date(s.lastUpdatedTime),
        DeletionTime: date(s.deletionTime),
        StackStatus: s.status,
        StackStatusReason: s.statusReason,
        DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
      })),
      NextToken: next,
    };
  },
  DescribeStackEvents(ctx) {
    const name = ctx.params.StackName as string;
    const stack = name ? ctx.cfn.find(name, name.startsWith('arn:')) : undefined;
    if (!stack) throw validation(`Stack [${name}] does not exist`);
    const newestFirst = [...stack.events].reverse();
    const { items, next } = page(newestFirst, ctx.params.NextToken, ctx.world.scenario.eventsPageSize ?? 100);
    return { StackEvents: items.map((e) => ({ ...e, Timestamp: date(e.Timestamp) })), NextToken: next };
  },
  DescribeStackResources(ctx) {
    const { stack, resources } = resourcesOf(ctx, ctx.params);
    const rs = [...resources.values()].filter((r) => r.status !== 'NOT_STARTED' && (!ctx.params.LogicalResourceId || r.logicalId === ctx.params.LogicalResourceId));
    return {
      StackResources: rs.map((r) => ({
        StackName: stack.name,
        StackId: stack.id,
        LogicalResourceId: r.logicalId,
        PhysicalResourceId: r.physicalId,
        ResourceType: r.type,
        Timestamp: date(r.timestamp),
        ResourceStatus: r.status,
        ResourceStatusReason: r.statusReason,
        DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
      })),
    };
  },
  DescribeStackResource(ctx) {
    const { stack, resources } = resourcesOf(ctx, ctx.params);
    const r = resources.get(ctx.params.LogicalResourceId);
    if (!r || r.status === 'NOT_STARTED') throw validation(`Resource ${ctx.params.LogicalResourceId} does not exist for stack ${stack.name}`);
    return {
      StackResourceDetail: {
        StackName: stack.name,
        StackId: stack.id,
        ...resourceSummaryOut(r),
        Metadata: r.def.Metadata === undefined ? undefined : JSON.stringify(r.def.Metadata),
      },
    };
  },
  ListStackResources(ctx) {
    const { resources } = resourcesOf(ctx, ctx.params);
    const rs = [...resources.values()].filter((r) => r.status !== 'NOT_STARTED');
    const { items, next } = page(rs, ctx.params.NextToken, 100);
    return {
      StackResourceSummaries: items.map(resourceSummaryOut),
      NextToken: next,
    };
  },
  GetTemplate(ctx) {
    const p = ctx.params;
    if (p.ChangeSetName) {
      const cs = ctx.cfn.findChangeSet(p.ChangeSetName, p.StackName);
      return { TemplateBody: cs.templateBody, StagesAvailable: ['Original', 'Processed'] };
    }
    const stack = ctx.cfn.find(p.StackName, String(p.StackName).startsWith('arn:'));
    if (!stack) throw validation(`Stack with id ${p.StackName} does not exist`);
    return { TemplateBody: stack.templateBody, StagesAvailable: ['Original', 'Processed'] };
  },
  ValidateTemplate(ctx) {
    const body = templateBody(ctx, ctx.params);
    const { template } = ctx.cfn.prepare({ templateBody: body, parameters: [], capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'] }, undefined, true);
    const iam = Object.values(template.Resources).some((r) => r.Type.startsWith('AWS::IAM::'));
    return {
      Parameters: Object.entries(template.Parameters ?? {}).map(([k, v]) => ({
        ParameterKey: k,
        DefaultValue: v.Default === undefined ? undefined : String(v.Default),
        NoEcho: Boolean(v.NoEcho),
        Description: v.Description,
      })),
      Description: template.Description,
      Capabilities: iam ? ['CAPABILITY_IAM'] : [],
      CapabilitiesReason: iam ? 'The following resource(s) require capabilities: [AWS::IAM::Role]' : undefined,
    };
  },
  CreateChangeSet(ctx) {
    const p = ctx.params;
    const type = (p.ChangeSetType ?? 'UPDATE') as 'CREATE' | 'UPDATE';
    if (type !== 'CREATE' && type !== 'UPDATE') throw validation(`ChangeSetType ${type} is not supported by the simulator`);
    if (!/^[a-zA-Z][-a-zA-Z0-9]*$/.test(p.ChangeSetName ?? '')) {
      throw validation(`1 validation error detected: Value '${p.ChangeSetName}' at 'changeSetName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`);
    }
    const usePrevious = p.UsePreviousTemplate === 'true';
    const cs = ctx.cfn.createChangeSet({
      stackName: p.StackName,
      name: p.ChangeSetName,
      type,
      input: usePrevious ? { ...templateInput(ctx, { ...p, TemplateBody: '{"Resources":{"X":{"Type":"X"}}}' }) } : templateInput(ctx, p),
      usePreviousTemplate: usePrevious,
      clientToken: p.ClientToken,
      description: p.Description,
    });
    return { Id: cs.id, StackId: cs.stackId };
  },
  DescribeChangeSet(ctx) {
    const cs = ctx.cfn.findChangeSet(ctx.params.ChangeSetName, ctx.params.StackName);
    const out = changeSetOut(cs);
    const { items, next } = page(cs.changes, ctx.params.NextToken, 100);
    return { ...out, Changes: items.map((c) => ({ Type: 'Resource', ResourceChange: c })), NextToken: next };
  },
  ExecuteChangeSet(ctx) {
    const cs = ctx.cfn.findChangeSet(ctx.params.ChangeSetName, ctx.params.StackName);
    ctx.cfn.executeChangeSet(cs, ctx.params.ClientRequestToken);
    return {};
  },
  DeleteChangeSet(ctx) {
    const cs = ctx.cfn.findChangeSet(ctx.params.ChangeSetName, ctx.params.StackName);
    ctx.cfn.deleteChangeSet(cs);
    return {};
  },
  ListChangeSets(ctx) {
    const stack = ctx.cfn.find(ctx.params.StackName, String(ctx.params.StackName).startsWith('arn:'));
    if (!stack) throw validation(`Stack [${ctx.params.StackName}] does not exist`);
    return {
      Summaries: [...ctx.cfn.changeSets.values()]
        .filter((c) => c.stackId === stack.id)
        .map((c) => ({
          StackId: c.stackId,
          StackName: c.stackName,
          ChangeSetId: c.id,
          ChangeSetName: c.name,
          ExecutionStatus: c.executionStatus,
          Status: c.status,
          StatusReason: c.statusReason,
          CreationTime: date(c.creationTime),
          Description: c.description,
        })),
    };
  },
  CancelUpdateStack(ctx) {
    const stack = ctx.cfn.mustFind(ctx.params.StackName);
    throw new SimError('ValidationError', `CancelUpdateStack cannot be called from current stack status ${stack.status} (not simulated)`);
  },
};
