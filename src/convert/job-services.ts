/**
 * Which compose services are one-shot jobs (convert/one-shot.ts says what that means): read from
 * the project alone, in a file of its own so that the task definition and IAM modules can ask
 * without importing one-shot.ts, which imports them.
 */
import type { Project, ServiceConfig } from '../compose/model.js';

export function oneShotRestart(service: ServiceConfig): boolean {
  return service.restart === 'no';
}

/** Services that are one-shot jobs, sorted, with why. */
export function oneShotJobs(project: Project): Map<string, 'completion' | 'restart'> {
  const awaited = new Set<string>();
  const dependedOn = new Set<string>();
  for (const s of Object.values(project.services)) {
    for (const [name, dep] of Object.entries(s.depends_on ?? {})) {
      if (!(name in project.services)) continue;
      dependedOn.add(name);
      if (dep.condition === 'service_completed_successfully') awaited.add(name);
    }
  }
  const out = new Map<string, 'completion' | 'restart'>();
  for (const name of Object.keys(project.services).sort()) {
    if (awaited.has(name)) out.set(name, 'completion');
    else if (!dependedOn.has(name) && oneShotRestart(project.services[name]!)) out.set(name, 'restart');
  }
  return out;
}
