/**
 * depends_on must form no cycle. Services are visited in name order so the reported cycle is
 * always the same one.
 */
import { UserError } from '../errors.js';
import type { ServiceConfig } from './model.js';

export function checkDependencyCycles(services: Record<string, ServiceConfig>): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): void => {
    const s = state.get(name);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...stack.slice(stack.indexOf(name)), name];
      const first = services[cycle[0]!]!;
      throw new UserError(`services.${cycle[0]} depends on itself through a cycle: ${cycle.join(' -> ')}.`, {
        where: { file: first.origin.file, line: first.origin.line, path: `services.${cycle[0]}.depends_on` },
        hint: 'Remove one of these depends_on entries.',
      });
    }
    state.set(name, 'visiting');
    stack.push(name);
    for (const dep of Object.keys(services[name]?.depends_on ?? {}).sort()) if (services[dep]) visit(dep);
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of Object.keys(services).sort()) visit(name);
}
