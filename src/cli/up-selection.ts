/**
 * `up SERVICE...` and `up --scale SERVICE=N`, applied to the loaded project before it is
 * converted: the named services and the services they depend on (as docker compose starts
 * them), and the replicas asked for. Pure: a Project in, a Project out.
 */
import type { Project, ServiceConfig } from '../compose/model.js';
import { UserError } from '../errors.js';

function known(project: Project, name: string, flag: string): ServiceConfig {
  const svc = project.services[name];
  if (svc) return svc;
  if (project.disabledServices[name]) {
    const profiles = project.disabledServices[name]!.profiles ?? [];
    throw new UserError(`${flag}: service "${name}" is disabled by its profiles (${profiles.join(', ')}); add --profile ${profiles[0] ?? 'NAME'}.`);
  }
  throw new UserError(`${flag}: no such service: ${name}; the project's services are ${Object.keys(project.services).join(', ') || 'none'}.`);
}

/** The named services and, transitively, what they depend on; the other services are left out of this deployment. */
export function withServices(project: Project, names: readonly string[]): Project {
  if (names.length === 0) return project;
  const wanted = new Set<string>();
  const visit = (name: string): void => {
    if (wanted.has(name)) return;
    const svc = known(project, name, 'up');
    wanted.add(name);
    for (const dep of Object.keys(svc.depends_on ?? {})) if (project.services[dep]) visit(dep);
  };
  for (const n of names) visit(n);
  const services: Record<string, ServiceConfig> = {};
  const disabled: Record<string, ServiceConfig> = { ...project.disabledServices };
  for (const [name, svc] of Object.entries(project.services)) (wanted.has(name) ? services : disabled)[name] = svc;
  return { ...project, services, disabledServices: disabled };
}

/** `--scale web=3`: the service's replicas for this deployment. */
export function withScale(project: Project, counts: ReadonlyArray<[string, number]>): Project {
  if (counts.length === 0) return project;
  const services = { ...project.services };
  for (const [name, n] of counts) {
    const svc = known(project, name, '--scale');
    services[name] = { ...svc, deploy: { ...(svc.deploy ?? {}), replicas: n } };
  }
  return { ...project, services };
}
