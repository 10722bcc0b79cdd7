/** An AWS-shaped error thrown by an operation handler; the protocol codec renders it. */
export class SimError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly fault: 'Sender' | 'Receiver' = status >= 500 ? 'Receiver' : 'Sender',
  ) {
    super(message);
  }
}

export const validation = (message: string): SimError => new SimError('ValidationError', message);
