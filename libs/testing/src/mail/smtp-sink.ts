import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The authenticated user the mail was sent as, if any. */
  user?: string;
  headers: Record<string, string>;
  subject: string;
  /** The text body, transfer encoding undone, line ends as \n. */
  text: string;
}

/** Undoes a single-part body's Content-Transfer-Encoding (what nodemailer writes for a text mail). */
function decodeBody(body: string, encoding: string | undefined): string {
  if (encoding === 'base64') return Buffer.from(body, 'base64').toString('utf8');
  if (encoding !== 'quoted-printable') return body;
  // Soft line breaks go; a literal % is escaped before =XX becomes %XX, so the bytes decode as UTF-8.
  return decodeURIComponent(body.replace(/=\r?\n/g, '').replace(/%/g, '%25').replace(/=([0-9A-F]{2})/gi, '%$1'));
}

function parse(raw: string): Pick<ReceivedMail, 'headers' | 'subject' | 'text'> {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers = Object.fromEntries(
    head.split('\r\n').map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
    }),
  );
  const text = decodeBody(raw.slice(split + 4), headers['content-transfer-encoding']).replace(/\r\n/g, '\n');
  return { headers, subject: headers['subject'] ?? '', text };
}

/**
 * A real SMTP server for tests (the `smtp-server` package), without TLS, that keeps every mail it
 * is given. With `user`, it asks for that user and password, and refuses any other.
 */
export class SmtpSink {
  readonly mails: ReceivedMail[] = [];
  /** Every AUTH attempt: who, and whether the password was right. */
  readonly logins: { user: string; accepted: boolean }[] = [];
  private server!: SMTPServer;
  port = 0;

  static async start(credentials?: { user: string; password: string }): Promise<SmtpSink> {
    const sink = new SmtpSink();
    sink.server = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS', ...(credentials ? [] : ['AUTH'])],
      authOptional: !credentials,
      allowInsecureAuth: true,
      logger: false,
      onAuth(auth, _session, done) {
        const accepted = auth.username === credentials?.user && auth.password === credentials?.password;
        sink.logins.push({ user: auth.username ?? '', accepted });
        if (accepted) done(null, { user: auth.username });
        else done(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      },
      onData(stream, session, done) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          sink.mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            user: typeof session.user === 'string' ? session.user : undefined,
            ...parse(Buffer.concat(chunks).toString('utf8')),
          });
          done();
        });
      },
    });
    await new Promise<void>((resolve) => sink.server.listen(0, '127.0.0.1', resolve));
    sink.port = (sink.server.server.address() as AddressInfo).port;
    return sink;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
