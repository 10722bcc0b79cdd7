/**
 * The image of the init containers (secrets.ts writes /run/secrets, task-storage.ts delivers files
 * and sets tmpfs modes): BusyBox from ECR Public by default, or `x-aws-init_image` at the top level.
 *
 * ECR Public has no VPC endpoint ("VPC endpoints currently don't support Amazon ECR public
 * repositories", ECR User Guide, interface VPC endpoints), so tasks in private subnets without a
 * NAT route cannot pull the default. Name a copy in your private ECR (or an ECR pull-through cache
 * of public.ecr.aws) instead; it needs `sh`, `mkdir`, `printf`, `chmod`, `chown` and `base64`.
 */
import type { Project } from '../compose/model.js';
import { X_AWS_INIT_IMAGE } from './extensions.js';
import { readString } from './extension-values.js';

/**
 * The init container's image: BusyBox from the Docker official images mirrored on Amazon ECR
 * Public (no Docker Hub pull limits, no helper image of ours), pinned by tag AND digest so the
 * tag cannot be re-pointed under a running deployment. It needs only `sh`, `mkdir`, `printf`,
 * `chmod` and `chown`.
 *
 * VERIFY BEFORE RELEASE: the digest is the multi-platform index digest of busybox:1.36.1 as
 * published sources record it (the same index on Docker Hub and on public.ecr.aws/docker/library);
 * it was not checked against the registry from this machine, which has no internet access. Check
 * with `docker buildx imagetools inspect public.ecr.aws/docker/library/busybox:1.36.1`.
 */
export const SECRETS_INIT_IMAGE =
  'public.ecr.aws/docker/library/busybox:1.36.1@sha256:73aaf090f3d85aa34ee199857f03fa3a95c8ede2ffd4cc2cdb5b94e566b11662';

/** x-aws-init_image, else the default. */
export function initImageOf(project: Project): string {
  return readString(project.extensions, X_AWS_INIT_IMAGE, '') ?? SECRETS_INIT_IMAGE;
}
