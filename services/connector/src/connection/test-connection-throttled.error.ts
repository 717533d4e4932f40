import type { ConnectorTestConnectionReply, ConnectorTestConnectionThrottled } from '@roster/contracts';

/** An admin Test Connection asked for while the job's last one still holds the slot. */
export class TestConnectionThrottledError extends Error {
  override readonly name = 'TestConnectionThrottledError';

  constructor(
    readonly retryAfterMs: number,
    private readonly last: ConnectorTestConnectionReply | undefined,
  ) {
    super(`a Test Connection of this job ran less than its interval ago; try again in ${Math.ceil(retryAfterMs / 1000)} s`);
  }

  /** The answer both transports give: HTTP 429's body, and the error of the RPC call. */
  get reply(): ConnectorTestConnectionThrottled {
    return {
      error: 'test-connection-throttled',
      message: this.message,
      retryAfterSeconds: Math.max(1, Math.ceil(this.retryAfterMs / 1000)),
      ...(this.last ? { last: this.last } : {}),
    };
  }
}
