/**
 * What `up` must look up in AWS before converting, read from the project with the converter's
 * own readers (extension-values.ts), so the names AWS is asked about are exactly the values the
 * template uses (`x-aws-vpc: "vpc-0abc "` is `vpc-0abc` in both). Pure: `aws/environment.ts`
 * does the lookups.
 */
import type { Project } from '../compose/model.js';
import { X_AWS_CLUSTER, X_AWS_LOADBALANCER, X_AWS_SECURITYGROUP, X_AWS_SUBNETS, X_AWS_VPC } from './extensions.js';
import { idFromArn, readString, readStringList } from './extension-values.js';
import { httpsSettings } from './https.js';

export interface EnvironmentRequest {
  project: string;
  /** x-aws-vpc */
  vpc?: string;
  /** x-aws-subnets */
  subnets?: string[];
  /** x-aws-cluster */
  cluster?: string;
  /** x-aws-loadbalancer (ARN or name) */
  loadBalancer?: string;
  /** x-aws-securitygroup of networks, and external networks */
  securityGroups?: string[];
  /** external secrets (ARNs or names) */
  secrets?: string[];
  /** external volumes' file system IDs */
  fileSystems?: string[];
  /** compose volume names backed by EFS, to find the ones kept by an earlier `down` */
  volumes?: string[];
  /** x-aws-certificate: ACM certificate ARNs to check (exist, ISSUED, in the region) */
  certificates?: string[];
}

/** The lookups a compose project asks for: its x-aws-* keys and its external resources. */
export function environmentRequestOf(project: Project): EnvironmentRequest {
  const ext = project.extensions;
  const req: EnvironmentRequest = { project: project.name };
  const vpc = readString(ext, X_AWS_VPC, '');
  if (vpc) req.vpc = idFromArn(vpc);
  const subnets = readStringList(ext, X_AWS_SUBNETS, '');
  if (subnets?.length) req.subnets = subnets.map(idFromArn);
  const cluster = readString(ext, X_AWS_CLUSTER, '');
  if (cluster) req.cluster = cluster;
  const lb = readString(ext, X_AWS_LOADBALANCER, '');
  if (lb) req.loadBalancer = lb;
  const groups = Object.keys(project.networks)
    .sort()
    .flatMap((k) => {
      const n = project.networks[k]!;
      const sg = readString(n.extensions, X_AWS_SECURITYGROUP, `networks.${k}`);
      return sg ? [sg] : n.external ? [n.name] : [];
    });
  if (groups.length) req.securityGroups = groups;
  const secrets = Object.keys(project.secrets)
    .sort()
    .flatMap((k) => (project.secrets[k]!.external ? [project.secrets[k]!.name] : []));
  if (secrets.length) req.secrets = secrets;
  const volumes = Object.keys(project.volumes).sort();
  const external = volumes.filter((k) => project.volumes[k]!.external).map((k) => project.volumes[k]!.name);
  if (external.length) req.fileSystems = external;
  const owned = volumes.filter((k) => !project.volumes[k]!.external);
  if (owned.length) req.volumes = owned;
  const https = httpsSettings(project);
  if (https) req.certificates = https.certificates;
  return req;
}
