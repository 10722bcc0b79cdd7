/**
 * One CloudWatch log group per project, `/docker-compose/<project>`. Retention: x-aws-logs_retention
 * days, else 30; `0` keeps the logs forever (CloudWatch's own default, which bills storage without
 * end: "Log events do not expire if they belong to log groups without a retention policy").
 */
import { UserError } from '../errors.js';
import type { ConvertContext } from './context.js';
import { projectTag } from './tags.js';
import { X_AWS_LOGS_RETENTION } from './extensions.js';
import { readInteger } from './extension-values.js';
import type { Fragment } from './fragment.js';
import * as naming from './naming.js';

/** The only retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS: readonly number[] = Object.freeze([
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
]);

/** Days kept when x-aws-logs_retention is absent. */
export const DEFAULT_LOG_RETENTION_DAYS = 30;

export function convertLogGroup(ctx: ConvertContext): Fragment {
  const retention = readInteger(ctx.project.extensions, X_AWS_LOGS_RETENTION, '');
  const properties: Record<string, string | number | ReturnType<typeof projectTag>[]> = {
    LogGroupName: naming.logGroupName(ctx.project.name),
    Tags: [projectTag(ctx)],
  };
  // 0: keep logs forever (no retention policy)
  if (retention === undefined) properties.RetentionInDays = DEFAULT_LOG_RETENTION_DAYS;
  else if (retention !== 0) {
    if (!LOG_RETENTION_DAYS.includes(retention)) {
      throw new UserError(`x-aws-logs_retention is ${retention} days; CloudWatch Logs accepts one of ${LOG_RETENTION_DAYS.join(', ')}, or 0 to keep logs forever.`, {
        where: { path: X_AWS_LOGS_RETENTION },
      });
    }
    properties.RetentionInDays = retention;
  }
  // deleted with the stack on down, said explicitly (EFS file systems are the ones kept)
  return { resources: { [naming.LOG_GROUP]: { Type: 'AWS::Logs::LogGroup', DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete', Properties: properties } } };
}
