import type { CloudFormationEngine } from '../engine/stacks.js';
import type { World } from '../world.js';
import type { IncomingHttpHeaders } from 'node:http';

export interface OperationContext {
  world: World;
  cfn: CloudFormationEngine;
  /** Parsed request parameters (query params nested, or the JSON body). */
  params: Record<string, any>;
  requestId: string;
  headers: IncomingHttpHeaders;
  /** The simulator's own URL, e.g. for S3 TemplateURLs. */
  url: string;
}

export type Handler = (ctx: OperationContext) => unknown;

export const date = (ms: number | undefined): Date | undefined => (ms === undefined ? undefined : new Date(ms));

/** Opaque page tokens: the index to resume from. */
export function page<T>(items: T[], token: unknown, size: number): { items: T[]; next?: string } {
  const start = token ? Number(Buffer.from(String(token), 'base64url').toString()) || 0 : 0;
  const slice = items.slice(start, start + size);
  const next = start + size < items.length ? Buffer.from(String(start + size)).toString('base64url') : undefined;
  return { items: slice, next };
}
