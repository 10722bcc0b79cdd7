/**
 * The `x-aws-cloudformation` overlay: a partial template merged over the generated one.
 *
 * Rules (kept from the old integration, whose users' overlays we must keep honouring):
 * - mappings merge key by key, recursively, so an overlay can set one property of one resource or
 *   add whole new resources, parameters and outputs;
 * - scalars replace;
 * - `null` deletes the key;
 * - sequences replace wholesale (CloudFormation lists have no key to merge items by; the old
 *   integration behaved the same for `Name`/`Type` lists);
 * - an intrinsic function (`{Ref: x}`, `{Fn::GetAtt: ...}`) is a value, not a mapping: on either
 *   side it replaces instead of merging, so `Ref` and `Fn::GetAtt` never end up in one object.
 * The result must still be a template: every resource keeps a string `Type`.
 */
import { UserError } from '../errors.js';
import { isIntrinsic, type Template } from './template.js';

function isPlainMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !isIntrinsic(v);
}

function deepCopy<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** Merges `overlay` over `base` (neither is modified) with the rules above. */
export function mergeOverlay(base: unknown, overlay: unknown): unknown {
  if (!isPlainMapping(base) || !isPlainMapping(overlay)) return deepCopy(overlay);
  const out: Record<string, unknown> = deepCopy(base);
  for (const [key, value] of Object.entries(overlay)) {
    if (value === null) {
      delete out[key];
    } else if (key in out) {
      out[key] = mergeOverlay(out[key], value);
    } else {
      out[key] = deepCopy(value);
    }
  }
  return out;
}

/** Applies an overlay to a template; throws UserError when the overlay is not a mapping or breaks a resource. */
export function applyOverlay(template: Template, overlay: unknown, where?: { file?: string; path?: string }): Template {
  const path = where?.path ?? 'x-aws-cloudformation';
  if (!isPlainMapping(overlay)) {
    throw new UserError(`${path} must be a mapping shaped like a CloudFormation template.`, {
      where: { file: where?.file, path },
      hint: 'Example: x-aws-cloudformation: { Resources: { WebTCP80TargetGroup: { Properties: { HealthCheckPath: /health } } } }',
    });
  }
  const merged = mergeOverlay(template, overlay) as Template;
  if (!isPlainMapping(merged.Resources)) {
    throw new UserError(`${path} leaves the template without a Resources mapping.`, { where: { file: where?.file, path } });
  }
  for (const id of Object.keys(merged.Resources).sort()) {
    const resource = merged.Resources[id] as unknown;
    if (!isPlainMapping(resource) || typeof resource.Type !== 'string') {
      throw new UserError(`${path}: resource ${id} has no Type; a new resource needs one, e.g. Type: AWS::SNS::Topic.`, {
        where: { file: where?.file, path: `${path}.Resources.${id}` },
      });
    }
  }
  return merged;
}
