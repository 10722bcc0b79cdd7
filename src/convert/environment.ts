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
}
