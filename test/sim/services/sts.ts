/** STS (query protocol). */
import type { Handler } from './types.js';

export const sts: Record<string, Handler> = {
  GetCallerIdentity({ world, headers }) {
    const auth = String(headers.authorization ?? '');
    const key = /Credential=([^/]+)\//.exec(auth)?.[1] ?? 'AKIDSIM';
    return { UserId: key, Account: world.account, Arn: `arn:aws:iam::${world.account}:user/sim` };
  },
};
