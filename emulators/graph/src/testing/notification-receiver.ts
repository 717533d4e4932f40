import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonBody } from './emulator-http';

/** How the receiver answers Graph's validation handshake. */
export type ValidationBehaviour = 'echo' | 'echo-encoded' | 'json' | 'hang';

/**
 * A webhook endpoint for tests: answers the validation handshake as told and records every
 * notification (the items of each POSTed `value` array).
 */
export class NotificationReceiver {
  readonly notifications: JsonBody[] = [];
  validation: ValidationBehaviour = 'echo';
  /** Status for notification POSTs; Graph expects 202 and retries on anything but 2xx. */
  status = 202;
  private waiters: (() => void)[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<NotificationReceiver> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const receiver = new NotificationReceiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`);
    server.on('request', (req, res) => {
      const token = new URL(req.url ?? '/', receiver.url).searchParams.get('validationToken');
      if (token !== null) {
        if (receiver.validation === 'hang') return;
        const json = receiver.validation === 'json';
        res.writeHead(200, { 'content-type': json ? 'application/json' : 'text/plain' });
        res.end(receiver.validation === 'echo-encoded' ? encodeURIComponent(token) : json ? JSON.stringify(token) : token);
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        receiver.notifications.push(...JSON.parse(Buffer.concat(chunks).toString('utf8')).value);
        res.writeHead(receiver.status).end();
        receiver.waiters.forEach((wake) => wake());
      });
    });
    return receiver;
  }

  /**
   * Resolves with the notifications once at least `count` arrived. The bound is generous because it
   * costs nothing when they arrive: a loaded CI machine delivered one after more than 5 s.
   */
  async waitFor(count: number, timeoutMs = 30_000): Promise<JsonBody[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.notifications.length < count) {
      if (Date.now() > deadline) throw new Error(`Expected ${count} notifications, got ${this.notifications.length}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
      this.waiters = [];
    }
    return this.notifications;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }
}
