/** Wording shared by the renderers: statuses, resource types, durations. */

/** `CREATE_IN_PROGRESS` -> `create in progress` */
export function statusWords(status: string): string {
  return status.toLowerCase().replace(/_/g, ' ');
}

const SHORT_SERVICE: Record<string, string> = {
  ElasticLoadBalancingV2: 'ELBv2',
  ServiceDiscovery: 'CloudMap',
  ApplicationAutoScaling: 'AppAutoScaling',
  SecretsManager: 'Secrets',
  CloudFormation: 'CFN',
};

/** `AWS::ElasticLoadBalancingV2::Listener` -> `ELBv2::Listener`; just the last part when too long. */
export function shortType(type: string, max = 20): string {
  const parts = type.split('::');
  if (parts.length < 3) return type.slice(0, max);
  const svc = SHORT_SERVICE[parts[1]!] ?? parts[1]!;
  const short = `${svc}::${parts.slice(2).join('::')}`;
  return short.length <= max ? short : parts[parts.length - 1]!.slice(0, max);
}

/** 12s, 1m02s, 1h02m */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** The first sentence of a CloudFormation reason (the rest is usually request IDs and handler noise). */
export function firstSentence(reason: string): string {
  const cut = reason.search(/\.\s+(\(|[A-Z])/);
  return cut >= 0 ? reason.slice(0, cut + 1) : reason;
}

/** `HH:MM:SS` of an ISO timestamp */
export function clockTime(iso: string): string {
  return iso.slice(11, 19);
}

export function operationVerb(op: string | undefined): string {
  return op === 'create' ? 'Creating' : op === 'update' ? 'Updating' : op === 'delete' ? 'Deleting' : 'Deploying';
}
