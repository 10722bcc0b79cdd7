/**
 * `up` and `down`: their inputs, dependencies and results. The caller hands in the clients, the
 * convert step, a sink for events, and an AbortSignal that Ctrl-C / SIGTERM fires. Aborting only
 * stops watching: nothing is cancelled, rolled back or deleted in AWS (the old integration
 * deleted the whole application). The steps are in up.ts and down.ts; what they share in
 * operation.ts (context, endings), stack.ts (the stack as found), watch.ts (one event stream),
 * outcome.ts (the conclusion from the events) and endpoints.ts.
 */
import type { Template } from '../cloudformation/template.js';
import type { ImagePortsLookup } from '../convert/environment.js';
import type { AwsClients } from './clients.js';
import type { ImagesRequest } from './build-images.js';
import type { EnvironmentRequest, ResolvedEnvironment } from './environment.js';
import type { PlannedChange } from './events.js';
import type { PollInterval, Timing } from './timing.js';

export { up } from './up.js';
export { down } from './down.js';
export { followHints } from './operation.js';

/** What the converter produced for the resolved environment. */
export interface ConvertedTemplate {
  /** the rendered template (JSON) */
  body: string;
  /** parameter values (VPC, subnets, ...) */
  parameters: Record<string, string>;
  /** the same template as data, for grouping, plans and endpoints */
  template: Template;
  /** the converter's warnings, shown as notices before the deployment starts */
  warnings?: string[];
}

export interface UpInput {
  project: string;
  /** what to look up before converting; `project` is filled in from `project` when absent */
  environment?: Omit<EnvironmentRequest, 'project'>;
  /**
   * Values of NoEcho parameters that carry file-based secrets (parameter name -> value). They are
   * sent to CloudFormation only, never emitted, logged or written to the template.
   */
  secretValues?: Record<string, string>;
  detach?: boolean;
  dryRun?: boolean;
}

export interface DownInput {
  project: string;
}

export interface DeployDeps {
  clients: AwsClients;
  /** fired by Ctrl-C / SIGTERM: stop watching */
  signal?: AbortSignal;
  timing?: Timing;
  /** stack events and rollout polling */
  interval?: PollInterval;
  /** how often a busy stack is checked */
  busyInterval?: PollInterval;
  /** ids for client tokens, change set names and S3 keys */
  newId?: () => string;
  /** replaced in tests that are about something else */
  resolveEnvironment?: (clients: AwsClients, req: EnvironmentRequest) => Promise<ResolvedEnvironment>;
}

/**
 * `up` converts once it knows the environment: the convert step is handed in, so `aws/` does not
 * depend on the converter's internals. With services to build it converts again once they are
 * built, with the ports each built image declares (`<Svc>Image` parameter -> ports, or why not).
 */
export interface UpDeps extends DeployDeps {
  convert: (environment: ResolvedEnvironment, builtImagePorts?: Record<string, ImagePortsLookup>) => ConvertedTemplate | Promise<ConvertedTemplate>;
  /** the services with build: built and pushed before any stack change (build-images.ts) */
  images?: ImagesRequest;
}

export type UpResult =
  | { kind: 'succeeded'; operation: 'create' | 'update'; endpoints: string[] }
  | { kind: 'no-changes'; endpoints: string[] }
  | { kind: 'detached'; operation: 'create' | 'update'; follow: string[] }
  | { kind: 'dry-run'; plan: PlannedChange[] };

export type DownResult =
  | { kind: 'deleted'; retained: { logicalId: string; resourceType: string; physicalId?: string }[] }
  | { kind: 'not-found' };