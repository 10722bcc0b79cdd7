/**
 * EC2 capacity for GPU services: Auto Scaling groups, the ECS capacity providers over them, and the
 * container instances their instances register in a cluster. Enough to show the teardown problem
 * AWS has: a cluster cannot be deleted while container instances are registered in it ("The
 * Cluster cannot be deleted while Container Instances are active or draining"), and an instance
 * leaves the cluster a while after it terminates, so a stack delete that removes the Auto Scaling
 * group just before the cluster fails (containers-roadmap#631; AWS Support's workaround: scale the
 * group to 0 first, then delete the stack).
 */
import type { World } from '../world.js';

/** Simulated ms from an instance's termination to its container instance leaving the cluster. */
export const DEREGISTER_LAG_MS = 90_000;
/** Simulated ms an instance takes to terminate. */
export const TERMINATE_MS = 30_000;

export interface AutoScalingGroup {
  name: string;
  arn: string;
  minSize: number;
  maxSize: number;
  desired: number;
  instances: Array<{ id: string; state: 'InService' | 'Terminating'; clusterArn?: string }>;
  tags: Array<{ Key: string; Value: string }>;
}

export interface CapacityProvider {
  name: string;
  asgName: string;
  clusterArn?: string;
}

/** Sets the group's desired count: new instances register in `clusterArn`, extra ones terminate. */
export function setDesired(w: World, g: AutoScalingGroup, desired: number, clusterArn?: string): void {
  g.desired = Math.max(g.minSize, Math.min(g.maxSize, desired));
  const live = g.instances.filter((i) => i.state === 'InService');
  for (let n = live.length; n < g.desired; n++) {
    const id = `i-0${w.ids.hex(16)}`;
    const cluster = clusterArn ?? clusterOf(w, g);
    g.instances.push({ id, state: 'InService', ...(cluster ? { clusterArn: cluster } : {}) });
    if (cluster) w.clusters.get(cluster)?.containerInstances.push(id);
  }
  for (const i of live.slice(g.desired)) terminate(w, g, i);
}

function clusterOf(w: World, g: AutoScalingGroup): string | undefined {
  return [...w.capacityProviders.values()].find((cp) => cp.asgName === g.name)?.clusterArn;
}

function terminate(w: World, g: AutoScalingGroup, i: AutoScalingGroup['instances'][number]): void {
  i.state = 'Terminating';
  w.sched.after(TERMINATE_MS, () => {
    g.instances = g.instances.filter((x) => x !== i);
  });
  if (i.clusterArn) {
    const arn = i.clusterArn;
    w.sched.after(TERMINATE_MS + DEREGISTER_LAG_MS, () => {
      const c = w.clusters.get(arn);
      if (c) c.containerInstances = c.containerInstances.filter((x) => x !== i.id);
    });
  }
}

/**
 * ECS managed scaling, reduced to what matters here: a service placed on a capacity provider gets
 * one instance in the provider's group (within its MaxSize) in the service's cluster.
 */
export function scaleForService(w: World, strategy: unknown, clusterArn: string): void {
  for (const item of Array.isArray(strategy) ? (strategy as Array<{ CapacityProvider?: unknown }>) : []) {
    const cp = w.capacityProviders.get(String(item.CapacityProvider ?? ''));
    const g = cp && w.autoScalingGroups.get(cp.asgName);
    if (g && g.instances.filter((i) => i.state === 'InService').length === 0) setDesired(w, g, Math.max(g.desired, 1), clusterArn);
  }
}

/** The group is deleted once its instances have terminated. */
export function deleteGroup(w: World, g: AutoScalingGroup, done: () => void): void {
  g.minSize = 0;
  setDesired(w, g, 0);
  const check = (): void => {
    if (g.instances.length === 0) {
      w.autoScalingGroups.delete(g.name);
      done();
    } else w.sched.after(5000, check);
  };
  check();
}
