/**
 * ECS Exec (`docker ecs compose exec`): every ECS service is deployed with EnableExecuteCommand,
 * and its task role carries what the ECS Exec agent in the task needs to open its channels to
 * Systems Manager (Amazon ECS Developer Guide, "Monitor Amazon ECS containers with ECS Exec",
 * required task IAM role permissions): ssmmessages Create/Open Control/Data Channel. ECS refuses
 * EnableExecuteCommand on a task definition without a task role, so every service has one: its
 * own when it has one for other reasons (iam.ts), else the project's ExecTaskRole, one resource
 * per project rather than one per service (the 500-resource stack limit, the account's IAM roles).
 *
 * No opt-out: who may open a session is decided by the caller's `ecs:ExecuteCommand` permission
 * (deny it in IAM to forbid exec), and these four actions let the task reach nothing but its own
 * session channels.
 */
import type { Value } from '../cloudformation/template.js';

export const EXEC_POLICY_NAME = 'EcsExecChannels';

export const EXEC_AGENT_ACTIONS: readonly string[] = Object.freeze([
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
]);

/** The task role's inline policy for the ECS Exec agent (the channel actions take no resource ARN). */
export function execAgentPolicy(): Value {
  return {
    PolicyName: EXEC_POLICY_NAME,
    PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: [...EXEC_AGENT_ACTIONS], Resource: '*' }] },
  };
}

