/**
 * Scenario knobs: what the simulated AWS does differently from the happy path. Every knob is
 * optional; `{}` is a healthy account. README.md documents each one with an example.
 */

/** Matches calls by service (`cloudformation`, `ecs`, `logs`, ...) and operation name. */
export interface CallMatch {
  /** Signing name of the service: cloudformation, ec2, elasticloadbalancing, sts, ecs, logs, secretsmanager, s3, elasticfilesystem. Any service when omitted. */
  service?: string;
  /** Operation name, e.g. `DescribeStacks`; `*` or omitted for every operation. */
  operation?: string;
}

export interface CallFault extends CallMatch {
  /** Fault only the first N matching calls (counted from when the scenario was set). */
  first?: number;
  /** Fault every Nth matching call (2 = every other call). */
  everyNth?: number;
  /** Throttling only: allow at most this many matching calls per wall-clock second; the rest are throttled. */
  ratePerSecond?: number;
  /** Fault every matching call after the first N (e.g. credentials that expire mid-watch). */
  after?: number;
}

export interface ServerErrorFault extends CallFault {
  /** HTTP status, default 500. */
  status?: number;
}

export interface ResourceFailure {
  /** Logical id of the resource that fails. Either this or `type`. */
  logicalId?: string;
  /** Resource type that fails, e.g. `AWS::ElasticLoadBalancingV2::LoadBalancer`. */
  type?: string;
  /** Only in this stack. */
  stack?: string;
  /** Which operation fails; default `create`. */
  operation?: 'create' | 'update' | 'delete';
  /** The ResourceStatusReason; a realistic handler message by default. */
  reason?: string;
  /** Only fail this many times (e.g. 1: the first attempt fails, a later deploy succeeds). */
  times?: number;
}

export interface TaskCrash {
  /** ECS service name, service logical id, or container name; every service when omitted. */
  service?: string;
  /** `pull`: CannotPullContainerError, stop code TaskFailedToStart. `exit`: the essential container exits. */
  kind: 'pull' | 'exit';
  /** Replaces the default stopped reason / container reason. */
  reason?: string;
  /** Exit code for `exit`, default 1. */
  exitCode?: number;
  /** How many tasks crash before the next ones run fine; every task when omitted. */
  count?: number;
  /** `exit` only: how long a task runs before it exits (simulated ms), default 5000. */
  runMs?: number;
  /** `exit` only: the last lines the container logs before exiting. */
  lastLines?: string[];
}

export interface SeedStack {
  name: string;
  /**
   * CREATE_COMPLETE: exists with its resources. ROLLBACK_COMPLETE: a failed first create, no
   * resources. UPDATE_IN_PROGRESS: busy; reaches UPDATE_COMPLETE after `finishAfterMs`.
   */
  status: 'CREATE_COMPLETE' | 'ROLLBACK_COMPLETE' | 'UPDATE_IN_PROGRESS';
  /** Template body (JSON or YAML); a one-log-group template by default. */
  template?: string;
  /** UPDATE_IN_PROGRESS only: simulated ms until it completes, default 30000. */
  finishAfterMs?: number;
  tags?: Record<string, string>;
}

export interface ExternalDelete {
  /** Stack name. */
  stack: string;
  /** Simulated ms after the stack's next operation starts (or after the scenario is set, for a stable stack). */
  afterMs: number;
}

export interface OneShotTask {
  /** container name (all when omitted) */
  container?: string;
  /** exit code of that container (default 0) */
  exitCode?: number;
  /** lines it logs before it exits (default "<container> started", "<container> done") */
  lines?: string[];
  /** simulated ms from RUNNING to exit (default 3000) */
  runMs?: number;
  /** only a task whose container command (RunTask's override, words joined by spaces) is this */
  command?: string;
  /** the image cannot be pulled: the task stops before it runs (stopCode TaskFailedToStart) with this reason */
  pullError?: string;
}

export interface Scenario {
  /** Resources that fail with a reason. */
  failResources?: ResourceFailure[];
  /** ECS tasks that crash. */
  taskCrashes?: TaskCrash[];
  /** How standalone tasks (RunTask, one-shot jobs) end; the first entry matching a container name wins. */
  oneShotTasks?: OneShotTask[];
  /** Calls answered with Throttling / ThrottlingException / RequestLimitExceeded (status 400). */
  throttle?: CallFault[];
  /** Calls answered with an HTTP 5xx InternalFailure. */
  serverErrors?: ServerErrorFault[];
  /** Calls whose socket is destroyed before any response. */
  dropConnections?: CallFault[];
  /** Calls answered as if the session credentials had expired: ExpiredToken (query, EC2, S3) / ExpiredTokenException (JSON), 400. */
  expiredCredentials?: CallFault[];
  /** Multiply every resource's duration (2 = twice as slow). Default 1. */
  slowFactor?: number;
  /** Per resource type or logical id: simulated ms a create/update/delete takes. */
  durations?: Record<string, number>;
  /** Stacks that exist before the first call. Applied when the scenario is set. */
  stacks?: SeedStack[];
  /** EFS file systems that exist already (e.g. kept by an earlier `down`). Applied when the scenario is set. */
  fileSystems?: Array<{ id?: string; tags: Record<string, string> }>;
  /**
   * Resources left in the account before the test (a partial `down`, a hand-made resource): a
   * log group, an ACTIVE cluster, a Cloud Map namespace (with its private hosted zone) or a bare
   * private hosted zone in a VPC (default: the default VPC). Stacks that need these names fail as on AWS.
   */
  leftovers?: { logGroups?: string[]; clusters?: string[]; namespaces?: Array<{ name: string; vpcId?: string }>; hostedZones?: Array<{ name: string; vpcId?: string }> };
  /** Someone else deletes a stack while it is watched. */
  externalDeletes?: ExternalDelete[];
  /** Simulated ms between generated log lines of a running container, default 2000. */
  logIntervalMs?: number;
  /** Lines the running containers cycle through (`{container}`, `{task}`, `{n}` are replaced). */
  logLines?: string[];
  /** Failed tasks before the ECS deployment circuit breaker trips; AWS's rule (half the desired count, 3..200) by default. */
  circuitBreakerThreshold?: number;
  /** A service without a circuit breaker that never stabilises fails after this many simulated ms (default 600000). */
  stabilizationTimeoutMs?: number;
  /** Page size of DescribeStackEvents, default 100 (AWS's). */
  eventsPageSize?: number;
  /**
   * A real registry (`http://127.0.0.1:PORT`, e.g. Debian's docker-registry) that plays the
   * account's ECR registry: GetAuthorizationToken's proxyEndpoint and the repository URIs point
   * at it, and DescribeImages / BatchGetImage read it. Without it images are never found.
   */
  registryUrl?: string;
}
