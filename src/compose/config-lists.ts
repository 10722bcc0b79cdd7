/**
 * The one-name-a-line answers of `docker compose config --services | --volumes | --networks |
 * --profiles | --images | --models`. Pure, from the loaded project.
 */
import type { Project } from './model.js';

/** Enabled services, each after the services it depends on (ties by name), as compose's ForEachService visits them. */
export function servicesInDependencyOrder(project: Project): string[] {
  const names = Object.keys(project.services).sort();
  const done = new Set<string>();
  const out: string[] = [];
  while (out.length < names.length) {
    const ready = names.filter((n) => !done.has(n) && Object.keys(project.services[n]!.depends_on ?? {}).every((d) => done.has(d) || !project.services[d]));
    // a cycle cannot reach here (the loader refuses it); take the rest by name rather than loop
    const next = ready.length > 0 ? ready : names.filter((n) => !done.has(n));
    for (const n of next) {
      done.add(n);
      out.push(n);
    }
  }
  return out;
}

/** Every profile any service names, enabled or not, sorted. */
export function allProfiles(project: Project): string[] {
  const set = new Set<string>();
  for (const svc of [...Object.values(project.services), ...Object.values(project.disabledServices)]) for (const p of svc.profiles ?? []) set.add(p);
  return [...set].sort();
}

/** The image of each enabled service; one built without `image:` is `<project>-<service>`, as compose names it. */
export function serviceImages(project: Project): string[] {
  return Object.keys(project.services).sort().map((n) => project.services[n]!.image ?? `${project.name}-${n}`);
}

export type ConfigList = 'services' | 'volumes' | 'networks' | 'profiles' | 'images' | 'models';

export function configList(project: Project, which: ConfigList): string[] {
  switch (which) {
    case 'services': return servicesInDependencyOrder(project);
    case 'volumes': return Object.keys(project.volumes).sort();
    case 'networks': return Object.keys(project.networks).sort();
    case 'profiles': return allProfiles(project);
    case 'images': return serviceImages(project);
    case 'models': return Object.keys(project.models).sort();
  }
}
