/**
 * IAM roles per service: the task execution role (always: pulls the image, writes logs, reads
 * pull credentials and exactly the service's secrets) and the task role (only when `x-aws-role`
 * or `x-aws-policies` gives the application AWS permissions, or the service mounts EFS volumes).
 */
import { UserError } from '../errors.js';
import type { ServiceConfig } from '../compose/model.js';
import type { Value } from '../cloudformation/template.js';
import { factsOf, type ConvertContext } from './context.js';
import { serviceTags } from './tags.js';
import { X_AWS_POLICIES, X_AWS_PULL_CREDENTIALS, X_AWS_ROLE } from './extensions.js';
import { readMapping, readString, readStringList } from './extension-values.js';
import type { Fragment } from './fragment.js';
import * as naming from './naming.js';
import { secretPolicyStatements } from './secrets.js';
import { mountsNamedVolumes } from './volumes.js';

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
    if (policies.length > 0) task.Policies = policies;
    const managed = readStringList(service.extensions, X_AWS_POLICIES, path);
    if (managed !== undefined) task.ManagedPolicyArns = [...managed].sort();
    resources[naming.taskRole(service.name)] = { Type: 'AWS::IAM::Role', Properties: task };
  }
  return { resources };
}
