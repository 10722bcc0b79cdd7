/**
 * What `docker compose version` answers on an ECS context. Tools probe it to learn which compose
 * CLI they talk to, so the first number is the docker compose v2 release whose flags, file
 * format (compose-go v2.9) and outputs docker-ecs follows; docker-ecs's own version follows it.
 */
export const COMPOSE_CLI_LEVEL = '2.40.0';

export type VersionFormat = 'pretty' | 'json';

export function renderComposeVersion(o: { format: VersionFormat; short: boolean; pluginVersion: string }): string {
  if (o.short) return `${COMPOSE_CLI_LEVEL}\n`;
  if (o.format === 'json') return `${JSON.stringify({ version: `v${COMPOSE_CLI_LEVEL}`, dockerEcs: o.pluginVersion })}\n`;
  return `Docker Compose version v${COMPOSE_CLI_LEVEL} (docker-ecs ${o.pluginVersion}, Amazon ECS)\n`;
}
