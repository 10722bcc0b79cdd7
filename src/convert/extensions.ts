/**
 * Every `x-aws-*` key the converter reads, with the level it sits at. Names and shapes are the old
 * Docker ECS integration's, so existing compose files keep working.
 * (style.md puts these in compose/extensions.ts; that folder belongs to the loader's author, and
 * only convert/ reads them (aws/ gets its lookups from convert/environment-request.ts), so they
 * live here.)
 */

// top level
export const X_AWS_CLUSTER = 'x-aws-cluster';
export const X_AWS_VPC = 'x-aws-vpc';
export const X_AWS_SUBNETS = 'x-aws-subnets';
export const X_AWS_LOADBALANCER = 'x-aws-loadbalancer';
export const X_AWS_LOGS_RETENTION = 'x-aws-logs_retention';
export const X_AWS_CLOUDFORMATION = 'x-aws-cloudformation';
/** ours: one ACM certificate ARN, or a list (the first is the default, the others SNI): the load balancer serves HTTPS */
export const X_AWS_CERTIFICATE = 'x-aws-certificate';
/** ours: `internet-facing` (default) or `internal` */
export const X_AWS_LOADBALANCER_SCHEME = 'x-aws-loadbalancer_scheme';
/** ours: the image of the init containers that write secrets and files (default: BusyBox from ECR Public) */
export const X_AWS_INIT_IMAGE = 'x-aws-init_image';

// service level
export const X_AWS_PULL_CREDENTIALS = 'x-aws-pull_credentials';
export const X_AWS_ROLE = 'x-aws-role';
export const X_AWS_POLICIES = 'x-aws-policies';
/** ours: `spot`, `on-demand` (default) or `{spot: N, on-demand: M, base: B}`: the Fargate capacity providers */
export const X_AWS_CAPACITY = 'x-aws-capacity';
/** ours: `true` / `false` overrides whether the tasks get a public IP (default: when their subnets route to an internet gateway) */
export const X_AWS_PUBLIC_IP = 'x-aws-public_ip';

// service deploy level: { min, max, cpu | memory }
export const X_AWS_AUTOSCALING = 'x-aws-autoscaling';
// deploy.update_config level
export const X_AWS_MIN_PERCENT = 'x-aws-min_percent';
export const X_AWS_MAX_PERCENT = 'x-aws-max_percent';

// port level
export const X_AWS_PROTOCOL = 'x-aws-protocol';

// top-level network level (deprecated: an external network named by its security group id)
export const X_AWS_SECURITYGROUP = 'x-aws-securitygroup';

// top-level secret level
/** JSON keys of the secret to write as files under /run/secrets/<target>/ (string or list) */
export const X_AWS_KEYS = 'x-aws-keys';
/**
 * Ours, not the old integration's: the KMS key (ARN) the secret is encrypted with. A created secret
 * is encrypted with it, and the execution roles that read the secret may kms:Decrypt with it.
 */
export const X_AWS_KMS_KEY_ID = 'x-aws-kms_key_id';

export const SECRET_EXTENSIONS: readonly string[] = Object.freeze([X_AWS_KEYS, X_AWS_KMS_KEY_ID]);

export const TOP_LEVEL_EXTENSIONS: readonly string[] = Object.freeze([
  X_AWS_CLUSTER,
  X_AWS_VPC,
  X_AWS_SUBNETS,
  X_AWS_LOADBALANCER,
  X_AWS_LOGS_RETENTION,
  X_AWS_CLOUDFORMATION,
  X_AWS_CERTIFICATE,
  X_AWS_LOADBALANCER_SCHEME,
  X_AWS_INIT_IMAGE,
]);

export const SERVICE_EXTENSIONS: readonly string[] = Object.freeze([X_AWS_PULL_CREDENTIALS, X_AWS_ROLE, X_AWS_POLICIES, X_AWS_CAPACITY, X_AWS_PUBLIC_IP]);
/** the service's `deploy:` level */
export const DEPLOY_EXTENSIONS: readonly string[] = Object.freeze([X_AWS_AUTOSCALING]);
/** `deploy.update_config:` */
export const UPDATE_CONFIG_EXTENSIONS: readonly string[] = Object.freeze([X_AWS_MIN_PERCENT, X_AWS_MAX_PERCENT]);
/** each entry of `ports:` */
export const PORT_EXTENSIONS: readonly string[] = Object.freeze([X_AWS_PROTOCOL]);
