// The two-service project the end-to-end and reliability tests deploy when the example shop is
// more than they need: web publishes a port (so the stack has a load balancer and web has
// Service Connect names), worker publishes none. Tests that edit the file rely on its exact
// text, e.g. the worker's `"sleep", "infinity"` or the `name:` line.

/** The project's compose.yaml; `name` adds the top-level `name:` line (without it, give `-p`). */
export function webAndWorkerCompose(name?: string): string {
  return `${name ? `name: ${name}\n` : ''}services:
  web:
    image: public.ecr.aws/nginx/nginx:1.27
    ports: ["80:80"]
  worker:
    image: public.ecr.aws/docker/library/busybox:1.36
    command: ["sleep", "infinity"]
`;
}
