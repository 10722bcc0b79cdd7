/** The compose tags every resource carries: the project, and the service for per-service resources. */
import type { Tag } from '../cloudformation/template.js';
import type { ConvertContext } from './context.js';
import { TAG_PROJECT, TAG_SERVICE } from './naming.js';

export function projectTag(ctx: Pick<ConvertContext, 'project'>): Tag {
  return { Key: TAG_PROJECT, Value: ctx.project.name };
}

export function serviceTags(ctx: Pick<ConvertContext, 'project'>, service: string): Tag[] {
  return [projectTag(ctx), { Key: TAG_SERVICE, Value: service }];
}
