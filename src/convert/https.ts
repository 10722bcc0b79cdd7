/**
 * HTTPS (`x-aws-certificate` at the top level: one ACM certificate ARN, or a list whose first entry
 * is the default certificate and the others are served by SNI).
 *
 * On an Application Load Balancer, with a certificate:
 * - a service port published as 80 is served as HTTPS on 443, and port 80 becomes a listener that
 *   redirects every request to `https://#{host}:443/#{path}?#{query}` with a 301;
 * - a port published as 443 is HTTPS on 443 (a service that publishes both 80 and 443 keeps its 443
 *   target; its 80 only redirects);
 * - every other published HTTP port (`x-aws-protocol: http`, container port 80 or 443 published
 *   elsewhere) becomes HTTPS on its own port with the same certificates: a load balancer with a
 *   certificate serves no plain HTTP, except the redirect on 80.
 * Listeners use the TLS policy below; the target groups stay HTTP (HTTPS for container port 443: the
 * load balancer does not check the container's certificate).
 *
 * On a Network Load Balancer (some published port is not HTTP), a certificate makes the listener on
 * 443 a TLS listener (TLS ends at the load balancer, the target gets TCP); other ports are unchanged.
 *
 * Without a certificate, a port published as 443 that would be a plain-HTTP listener (on an ALB) is
 * refused: browsers would speak TLS to a listener that does not.
 *
 * TLS policy: `ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09`, the console's default for new HTTPS
 * listeners ("Security policies for your Application Load Balancer"); CloudFormation's own default
 * is still ELBSecurityPolicy-2016-08, which allows TLS 1.0.
 */
import { UserError } from '../errors.js';
import type { Project } from '../compose/model.js';
import { X_AWS_CERTIFICATE, X_AWS_PROTOCOL } from './extensions.js';
import type { PublishedPort } from './ports.js';
import { topLevelWhere } from './extension-values.js';

export const TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09';
export const HTTPS_PORT = 443;
export const HTTP_PORT = 80;

/** `arn:<partition>:acm:<region>:<account>:certificate/<id>` */
const ACM_ARN = /^arn:aws(?:-[a-z]+)*:acm:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:certificate\/[A-Za-z0-9-]+$/;

export interface HttpsSettings {
  /** ACM certificate ARNs: the first is the listeners' default certificate, the others SNI */
  certificates: string[];
}

/** x-aws-certificate, checked: undefined without one. */
export function httpsSettings(project: Project): HttpsSettings | undefined {
  const v = project.extensions[X_AWS_CERTIFICATE];
  if (v === undefined || v === null) return undefined;
  const where = topLevelWhere(project, X_AWS_CERTIFICATE);
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list) || list.length === 0 || !list.every((c) => typeof c === 'string')) {
    throw new UserError(`${X_AWS_CERTIFICATE} must be the ARN of an ACM certificate, or a list of them, got ${JSON.stringify(v)}.`, { where });
  }
  const certificates = (list as string[]).map((c) => c.trim());
  for (const c of certificates) {
    if (!ACM_ARN.test(c)) {
      throw new UserError(`${X_AWS_CERTIFICATE} lists ${JSON.stringify(c)}, which is not the ARN of an ACM certificate (arn:aws:acm:<region>:<account>:certificate/<id>).`, {
        where,
        hint: 'Copy the ARN from the ACM console or `aws acm list-certificates`; the certificate must be in the region of the Docker context.',
      });
    }
  }
  const twice = certificates.find((c, i) => certificates.indexOf(c) !== i);
  if (twice) throw new UserError(`${X_AWS_CERTIFICATE} lists ${twice} twice.`, { where });
  return { certificates };
}

/** The region part of an ACM certificate ARN. */
export function certificateRegion(arn: string): string {
  return arn.split(':')[3] ?? '';
}

/** How one published port is served: its listener port and protocol, and whether it only redirects. */
export interface ServedPort {
  published: PublishedPort;
  /** the port clients connect to (443 for a port 80 served as HTTPS) */
  listenerPort: number;
  /** HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP */
  protocol: string;
  /** the target group's protocol */
  targetProtocol: string;
  /** the certificates of an HTTPS or TLS listener */
  certificates?: string[];
  /** port 80 with a certificate: a redirect to HTTPS, and also (unless `redirectOnly`) the source of the HTTPS listener on 443 */
  redirect?: boolean;
  /** a port 80 whose service also publishes 443: only the redirect, no target */
  redirectOnly?: boolean;
}

function plainProtocol(lbType: 'application' | 'network', p: PublishedPort): string {
  if (lbType === 'application') return 'HTTP';
  return p.protocol === 'tcp_udp' ? 'TCP_UDP' : p.protocol.toUpperCase();
}

/** How the load balancer serves each published port of one service (sorted by published port). */
export function servedPorts(lbType: 'application' | 'network', https: HttpsSettings | undefined, ports: readonly PublishedPort[]): ServedPort[] {
  const has443 = ports.some((p) => p.port === HTTPS_PORT);
  return ports.map((p) => {
    const protocol = plainProtocol(lbType, p);
    if (!https) return { published: p, listenerPort: p.port, protocol, targetProtocol: protocol };
    if (lbType === 'network') {
      if (p.port === HTTPS_PORT && p.protocol === 'tcp') return { published: p, listenerPort: p.port, protocol: 'TLS', targetProtocol: 'TCP', certificates: https.certificates };
      return { published: p, listenerPort: p.port, protocol, targetProtocol: protocol };
    }
    const targetProtocol = p.target === HTTPS_PORT ? 'HTTPS' : 'HTTP';
    if (p.port === HTTP_PORT) {
      return { published: p, listenerPort: HTTPS_PORT, protocol: 'HTTPS', targetProtocol, certificates: https.certificates, redirect: true, ...(has443 ? { redirectOnly: true } : {}) };
    }
    return { published: p, listenerPort: p.port, protocol: 'HTTPS', targetProtocol, certificates: https.certificates };
  });
}

/**
 * The project-wide HTTPS checks over every published port: 443 without a certificate on an ALB,
 * and, with one, port 80 of one service turning into 443 where another service publishes 443.
 */
export function checkHttpsPorts(project: Project, lbType: 'application' | 'network', https: HttpsSettings | undefined, all: readonly PublishedPort[]): void {
  if (lbType !== 'application') return;
  if (!https) {
    const plain443 = all.find((p) => p.port === HTTPS_PORT);
    if (plain443) {
      const service = project.services[plain443.service];
      const o = service?.origin.entries?.ports ?? service?.origin;
      throw new UserError(
        `Service ${plain443.service} publishes port 443, which the Application Load Balancer would serve as plain HTTP without a certificate; name an ACM certificate with ${X_AWS_CERTIFICATE} at the top level to serve HTTPS.`,
        {
          where: { ...(o ? { file: o.file, line: o.line } : {}), path: `services.${plain443.service}.ports` },
          hint: `Add ${X_AWS_CERTIFICATE}, publish another port, or set ${X_AWS_PROTOCOL}: tcp on it to pass TLS through to the container.`,
        },
      );
    }
    return;
  }
  const on80 = all.filter((p) => p.port === HTTP_PORT);
  const on443 = all.find((p) => p.port === HTTPS_PORT);
  for (const p of on80) {
    if (on443 && on443.service !== p.service) {
      throw new UserError(
        `Services ${p.service} and ${on443.service} publish ports 80 and 443; with ${X_AWS_CERTIFICATE}, port 80 only redirects to HTTPS on 443, which ${on443.service} serves, so ${p.service} would get no traffic.`,
        { where: { path: `services.${p.service}.ports` }, hint: `Publish ${p.service} on another port (it is then HTTPS there), or publish only one of them on 80 or 443.` },
      );
    }
  }
}
