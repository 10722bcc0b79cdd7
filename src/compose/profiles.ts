/**
 * Pass, profiles: a service without `profiles` is always enabled; one with profiles is enabled
 * when one of them is active (`*` activates all). As in docker compose, an enabled service that
 * requires (depends_on, required: true) a disabled one is an error naming the profiles that
 * would enable it; a dependency with `required: false` on a disabled service is dropped.
 */
import { dict } from './dict.js';
import { UserError } from '../errors.js';
import type { ServiceConfig } from './model.js';

export function isEnabled(service: ServiceConfig, active: readonly string[]): boolean {
  const own = service.profiles ?? [];
  if (own.length === 0) return true;
  return active.includes('*') || own.some((p) => active.includes(p));
}

export function applyProfiles(all: Record<string, ServiceConfig>, active: readonly string[]): { enabled: Record<string, ServiceConfig>; disabled: Record<string, ServiceConfig> } {
  const enabled: Record<string, ServiceConfig> = dict();
  const disabled: Record<string, ServiceConfig> = dict();
  for (const name of Object.keys(all).sort()) (isEnabled(all[name]!, active) ? enabled : disabled)[name] = all[name]!;
  for (const name of Object.keys(enabled)) {
    const svc = enabled[name]!;
    for (const dep of Object.keys(svc.depends_on ?? {}).sort()) {
      const off = disabled[dep];
      if (!off) continue;
      if (!svc.depends_on![dep]!.required) {
        delete svc.depends_on![dep];
        continue;
      }
      const profiles = (off.profiles ?? []).join(', ');
      throw new UserError(`service "${dep}" is required by "${name}" but is disabled; it is enabled by the profile${off.profiles!.length > 1 ? 's' : ''} ${profiles}.`, {
        where: { file: svc.origin.file, line: svc.origin.line, path: `services.${name}.depends_on.${dep}` },
        hint: `Add --profile ${off.profiles![0]} (or COMPOSE_PROFILES=${off.profiles![0]}), or mark the dependency required: false.`,
      });
    }
  }
  return { enabled, disabled };
}
