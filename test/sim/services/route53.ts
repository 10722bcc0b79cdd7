/**
 * Route 53 (REST-XML under `/2013-04-01/`): only ListHostedZonesByVPC, which `up` asks before a
 * new stack to find a private zone that would make its Cloud Map namespace fail.
 */
import { SimError } from '../errors.js';
import type { World } from '../world.js';

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const XMLNS = 'https://route53.amazonaws.com/doc/2013-04-01/';

export interface Route53Route {
  operation: string;
  run(world: World): { status: number; body: string };
}

export function route53Route(method: string, path: string, query: URLSearchParams): Route53Route | undefined {
  if (method === 'GET' && path === '/2013-04-01/hostedzonesbyvpc') {
    return {
      operation: 'ListHostedZonesByVPC',
      run(world) {
        const vpcId = query.get('vpcid');
        const region = query.get('vpcregion');
        if (!vpcId || !region) throw new SimError('InvalidInput', 'VPCId and VPCRegion are required.');
        const zones = [...world.hostedZones.values()].filter((z) => z.vpcIds.includes(vpcId) && region === world.region);
        const items = zones
          .map(
            (z) =>
              `<HostedZoneSummary><HostedZoneId>${escape(z.id)}</HostedZoneId><Name>${escape(z.name)}</Name><Owner>${
                z.owningService ? `<OwningService>${escape(z.owningService)}</OwningService>` : `<OwningAccount>${world.account}</OwningAccount>`
              }</Owner></HostedZoneSummary>`,
          )
          .join('');
        return {
          status: 200,
          body: `<?xml version="1.0" encoding="UTF-8"?>\n<ListHostedZonesByVPCResponse xmlns="${XMLNS}"><HostedZoneSummaries>${items}</HostedZoneSummaries><MaxItems>100</MaxItems></ListHostedZonesByVPCResponse>`,
        };
      },
    };
  }
  return undefined;
}

export function renderRoute53Error(err: SimError, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>${escape(err.code)}</Code><Message>${escape(err.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}
