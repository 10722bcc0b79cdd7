/**
 * IAM roles per service: the task execution role (always: pulls the image, writes logs, reads
 * pull credentials and exactly the service's secrets) and the task role (only when `x-aws-role`
 * or `x-aws-policies` gives the application AWS permissions, or the service mounts EFS volumes;
 * every other service uses the project's ExecTaskRole, ecs-exec.ts). Both kinds of task role
 * carry what ECS Exec's agent needs.
 */
import { UserError } from '../errors.js';
import type { ServiceConfig } from '../compose/model.js';
import type { LogicalId, Value } from '../cloudformation/template.js';
import { factsOf, type ConvertContext } from './context.js';
import { projectTag, serviceTags } from './tags.js';
import { X_AWS_POLICIES, X_AWS_PULL_CREDENTIALS, X_AWS_ROLE } from './extensions.js';
import { readMapping, readString, readStringList } from './extension-values.js';
import type { Fragment } from './fragment.js';
import * as naming from './naming.js';
import { secretPolicyStatements } from './secrets.js';
import { mountsNamedVolumes } from './volumes.js';
import { execAgentPolicy } from './ecs-exec.js';
import { oneShotJobs } from './job-services.js';

const ASSUME_ROLE_BY_ECS_TASKS = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: ['sts:AssumeRole'] }],
};

/** AWS managed policies, in the stack's partition (`arn:aws-cn:` in China, `arn:aws-us-gov:` in GovCloud). */
export const TASK_EXECUTION_MANAGED_POLICIES: readonly Value[] = Object.freeze([
  naming.managedPolicyArn('AmazonEC2ContainerRegistryReadOnly'),
  naming.managedPolicyArn('service-role/AmazonECSTaskExecutionRolePolicy'),
]);

/** Which of the service's task role inputs are set; the task definition needs to know. */
export function hasTaskRole(service: ServiceConfig): boolean {
  return service.extensions[X_AWS_ROLE] !== undefined || service.extensions[X_AWS_POLICIES] !== undefined || mountsNamedVolumes(service);
}

/**
 * The task role the service's tasks run with: its own, else the project's ECS Exec one; none for a
 * one-shot job without a role of its own (no ECS service to exec into, and a changed task
 * definition would run the job again: one-shot.ts).
 */
export function taskRoleOf(ctx: Pick<ConvertContext, 'project'>, service: ServiceConfig): LogicalId | undefined {
  if (hasTaskRole(service)) return naming.taskRole(service.name);
  return oneShotJobs(ctx.project).has(service.name) ? undefined : naming.EXEC_TASK_ROLE;
}

export function convertRoles(ctx: ConvertContext, service: ServiceConfig): Fragment {
  const path = `services.${service.name}`;
  const execution: Record<string, Value> = {
    AssumeRolePolicyDocument: ASSUME_ROLE_BY_ECS_TASKS,
    ManagedPolicyArns: [...TASK_EXECUTION_MANAGED_POLICIES],
    Tags: serviceTags(ctx, service.name),
  };
  const pullCredentials = readString(service.extensions, X_AWS_PULL_CREDENTIALS, path);
  const statements: Value[] = [];
  if (pullCredentials !== undefined) {
    // only the read: ssm:GetParameters and kms:Decrypt on a secret ARN grant nothing (cfn-lint I3510)
    statements.push({ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [pullCredentials] });
  }
  statements.push(...secretPolicyStatements(ctx, service));
  if (statements.length > 0) {
    execution.Policies = [{ PolicyName: naming.secretsAccessPolicyName(service.name), PolicyDocument: { Version: '2012-10-17', Statement: statements } }];
  }
  const resources: NonNullable<Fragment['resources']> = {
    [naming.taskExecutionRole(service.name)]: { Type: 'AWS::IAM::Role', Properties: execution },
  };

  if (hasTaskRole(service)) {
    const task: Record<string, Value> = {
      AssumeRolePolicyDocument: ASSUME_ROLE_BY_ECS_TASKS,
      Tags: serviceTags(ctx, service.name),
    };
    const policies: Value[] = [];
    const document = readMapping(service.extensions, X_AWS_ROLE, path);
    if (document !== undefined) {
      if (!Array.isArray(document.Statement) && (document.Statement === null || typeof document.Statement !== 'object')) {
        throw new UserError(`${path}.${X_AWS_ROLE} must be an IAM policy document with a Statement.`, { where: { path: `${path}.${X_AWS_ROLE}` } });
      }
      policies.push({ PolicyName: naming.taskRolePolicyName(service.name), PolicyDocument: document as Value });
    }
    policies.push(...factsOf(ctx, service).volumes.policies);
    policies.push(execAgentPolicy());
    task.Policies = policies;
    const managed = readStringList(service.extensions, X_AWS_POLICIES, path);
    if (managed !== undefined) task.ManagedPolicyArns = [...managed].sort();
    resources[naming.taskRole(service.name)] = { Type: 'AWS::IAM::Role', Properties: task };
  }
  return { resources };
}

/** The project's shared task role, when some service has no role of its own. */
export function convertExecTaskRole(ctx: ConvertContext): Fragment {
  if (ctx.services.every((s) => taskRoleOf(ctx, s) !== naming.EXEC_TASK_ROLE)) return {};
  return {
    resources: {
      [naming.EXEC_TASK_ROLE]: {
        Type: 'AWS::IAM::Role',
        Properties: { AssumeRolePolicyDocument: ASSUME_ROLE_BY_ECS_TASKS, Policies: [execAgentPolicy()], Tags: [projectTag(ctx)] },
      },
    },
  };
}
