/**
 * Encrypts a secret for Roster's configuration (ENTRA_CLIENT_SECRET, GOTO_CLIENT_SECRET,
 * GOTO_ADMIN_PASSWORD, …), so deployment files hold only `enc:v1:…`:
 *
 *   npm run secret -- key                                  # a new ROSTER_SECRET_KEY
 *   npm run secret -- token                                # a new ROSTER_INTERNAL_TOKEN
 *   printf %s "$SECRET" | ROSTER_SECRET_KEY=… npm run secret -- encrypt
 *
 * The secret is read from standard input, never from the command line (which shows in `ps`).
 */
import { randomBytes } from 'node:crypto';
import { SECRET_KEY_VARIABLE, SecretBox } from '@roster/platform';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

async function main(): Promise<void> {
  const [command] = process.argv.slice(2);
  if (command === 'key') {
    console.log(SecretBox.generateKey());
    return;
  }
  if (command === 'token') {
    console.log(randomBytes(32).toString('base64url'));
    return;
  }
  if (command !== 'encrypt') throw new Error('usage: secret key | secret token | secret encrypt (secret on standard input)');
  const key = process.env[SECRET_KEY_VARIABLE];
  if (!key) throw new Error(`${SECRET_KEY_VARIABLE} must be set (make one with: npm run secret -- key)`);
  const secret = await readStdin();
  if (secret === '') throw new Error('nothing to encrypt on standard input');
  console.log(new SecretBox(key).encrypt(secret));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 2;
});
