import { GraphEmulator } from '../graph-emulator';
import type { GraphEmulatorOptions } from '../emulator-options';

/** Parsed JSON of an emulator answer; specs assert on its shape, so it stays loosely typed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonBody = any;

export interface HttpResult {
  status: number;
  headers: Headers;
  body: JsonBody;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Bearer token; default: one minted for the first client. `null` sends none. */
  token?: string | null;
}

/**
 * A started emulator plus an authenticated raw-HTTP caller, for specs that check wire shapes
 * (and for other packages' tests that want a Graph to talk to).
 */
export class EmulatorHttp {
  private constructor(
    readonly emulator: GraphEmulator,
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  static async start(options: GraphEmulatorOptions = {}): Promise<EmulatorHttp> {
    const emulator = new GraphEmulator(options);
    const baseUrl = await emulator.start(0);
    return new EmulatorHttp(emulator, baseUrl, emulator.issueAccessToken());
  }

  /** `pathOrUrl` is relative to the base URL unless absolute (a nextLink or deltaLink). */
  async request(method: string, pathOrUrl: string, { body, headers = {}, token }: RequestOptions = {}): Promise<HttpResult> {
    const bearer = token === undefined ? this.token : token;
    const response = await fetch(/^https?:/.test(pathOrUrl) ? pathOrUrl : `${this.baseUrl}${pathOrUrl}`, {
      method,
      headers: {
        ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }

  get(pathOrUrl: string, options?: Omit<RequestOptions, 'body'>): Promise<HttpResult> {
    return this.request('GET', pathOrUrl, options);
  }

  /** Follows `@odata.nextLink` and returns every page body, the last one included. */
  async followPages(pathOrUrl: string, options?: Omit<RequestOptions, 'body'>): Promise<JsonBody[]> {
    const pages: JsonBody[] = [];
    for (let next: string | undefined = pathOrUrl; next; ) {
      const { status, body } = await this.get(next, options);
      if (status !== 200) throw new Error(`GET ${next} answered ${status}: ${JSON.stringify(body)}`);
      pages.push(body);
      next = body['@odata.nextLink'];
    }
    return pages;
  }

  stop(): Promise<void> {
    return this.emulator.stop();
  }
}
