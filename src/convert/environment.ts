/**
 * Values only AWS knows, looked up by `aws/` at `up` time and handed to the converter. Every
 * field is optional: `convert` runs offline with none of them, and the template then declares
 * Parameters without defaults for `up` to fill.
 */
export interface Environment {
  /** the VPC to deploy into (becomes the VpcId parameter's default unless x-aws-vpc is set) */
  vpcId?: string;
  /** subnets for tasks and the load balancer (SubnetIds parameter default unless x-aws-subnets is set) */
  subnetIds?: string[];
  region?: string;
  /** with x-aws-loadbalancer: the existing load balancer's security group */
  loadBalancerSecurityGroupId?: string;
  /**
   * EFS mount targets: the task subnets (`subnetIds`, or x-aws-subnets) grouped by availability
   * zone, zone name -> subnet ids. EFS allows one mount target per zone, and a task can only mount
   * a file system that has a mount target in its own zone, so the converter puts one mount target
   * in every zone listed here, on the zone's first subnet (by id). `up` fills this whenever the
   * project has a named volume (DescribeSubnets gives each subnet's AvailabilityZone).
   *
   * Without it (plain `convert`, offline), the converter cannot know the zones: it puts one mount
   * target on each subnet it knows (x-aws-subnets or `subnetIds`), or on the first two entries of
   * the SubnetIds parameter when it knows none, which is only right when those subnets are in
   * distinct zones. The preview is for reading; `up` always passes this field.
   */
  subnetsByZone?: Record<string, string[]>;
  /**
   * Compose volume key -> EFS file system id, for file systems kept (DeletionPolicy Retain) by an
   * earlier `up` of this project and no longer owned by a live stack: `up` finds them by the tags
   * com.docker.compose.project=<project> and com.docker.compose.volume=<key>. The converter then
   * re-attaches that file system (mount targets, access point, permissions) instead of creating a
   * new, empty one. Do not list a file system the current stack still manages: the template would
   * drop its resource (CloudFormation keeps it, but it would no longer be part of the stack).
   */
  existingFileSystems?: Record<string, string>;
  /**
   * The image as the task definition names it -> the ports the image's config declares (`EXPOSE`,
   * `ExposedPorts` in the OCI image config), or why they could not be read. A pulled image is keyed
   * by its reference as the service writes it and read from its registry at `up`; a built one by
   * its `<Svc>Image` parameter (context.ts imagePortsKey) and read from the local engine once `up`
   * has built it (with `--no-build`: the pushed image, when the engine or an anonymous registry
   * read has it). Under `docker compose` every service reaches every other by its short name
   * on any port; on ECS a short name exists only for the ports the task definition lists, so the
   * image's own ports are listed too. Absent (plain `convert`, offline): only the ports the file
   * declares get a short name, and the converter says which references that leaves unresolved.
   */
  imagePorts?: Record<string, ImagePortsLookup>;
  /**
   * Every subnet `up` considered (x-aws-subnets, else the VPC's subnets), with its zone and where
   * its 0.0.0.0/0 route goes (its route table's, or the VPC main route table's when it has no
   * association of its own). The load balancer's subnets, the tasks' public IP and the warnings
   * about image pulls without internet egress come from it (subnets.ts, egress.ts). Absent
   * (`convert` offline): the SubnetIds parameter is used as it is and tasks get a public IP, as
   * they need one in the default VPC's public subnets.
   */
  subnets?: SubnetFact[];
}

/** `internet-gateway`: 0.0.0.0/0 to an igw-; `nat`: to a NAT gateway, a NAT instance, a transit gateway or an interface; `none`: no such route. */
export type SubnetEgress = 'internet-gateway' | 'nat' | 'none';

export interface SubnetFact {
  id: string;
  zone: string;
  egress: SubnetEgress;
}

export type ImagePortsLookup = { ports: { port: number; protocol: 'tcp' | 'udp' }[] } | { error: string };

