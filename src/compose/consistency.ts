/**
 * Cross-reference checks on the enabled services (as compose-go, after profiles): every name a
 * service refers to (depends_on, networks, named volumes, secrets, configs, network_mode
 * service:) is defined, and every service has an image, a build or a provider.
 */
import type { Binder } from './bind.js';
import type { Project, ServiceConfig } from './model.js';
import { closest } from './suggest.js';

type Defined = Pick<Project, 'networks' | 'volumes' | 'secrets' | 'configs'>;

function unknownRef(b: Binder, path: (string | number)[], what: string, name: string, known: string[], topLevel: string): never {
  const guess = closest(name, known);
  return b.fail(path, `refers to ${what} "${name}", which is not defined${guess ? `; did you mean "${guess}"?` : ''}`, guess ? undefined : `Declare it under the top-level ${topLevel} key.`);
}

/** `allServiceNames`: every service of the project, enabled or not (what depends_on may name). */
export function checkConsistency(b: Binder, services: Record<string, ServiceConfig>, allServiceNames: readonly string[], defined: Defined): void {
  const serviceNames = [...allServiceNames].sort();
  const known = new Set(serviceNames);
  for (const name of Object.keys(services).sort()) {
    const svc = services[name]!;
    const at = (...rest: (string | number)[]) => ['services', name, ...rest];
    if (svc.image === undefined && svc.build === undefined && svc.provider === undefined) {
      b.fail(at(), 'has neither an image nor a build context', 'Add image: (or build:) to the service.');
    }
    for (const dep of Object.keys(svc.depends_on ?? {}).sort()) {
      if (!known.has(dep)) unknownRef(b, at('depends_on', dep), 'service', dep, serviceNames, 'services');
    }
    for (const net of Object.keys(svc.networks ?? {}).sort()) {
      if (net !== 'default' && !defined.networks[net]) unknownRef(b, at('networks', net), 'network', net, Object.keys(defined.networks), 'networks');
    }
    const mode = svc.network_mode;
    if (mode?.startsWith('service:') && !known.has(mode.slice('service:'.length))) {
      unknownRef(b, at('network_mode'), 'service', mode.slice('service:'.length), serviceNames, 'services');
    }
    (svc.volumes ?? []).forEach((v, i) => {
      if (v.type === 'volume' && v.source && !defined.volumes[v.source]) unknownRef(b, at('volumes', i), 'volume', v.source, Object.keys(defined.volumes), 'volumes');
    });
    (svc.secrets ?? []).forEach((s, i) => {
      if (!defined.secrets[s.source]) unknownRef(b, at('secrets', i), 'secret', s.source, Object.keys(defined.secrets), 'secrets');
    });
    (svc.configs ?? []).forEach((c, i) => {
      if (!defined.configs[c.source]) unknownRef(b, at('configs', i), 'config', c.source, Object.keys(defined.configs), 'configs');
    });
  }
}
