// Starts the reference identity backend (devserver/) for a test run, on its own port
// and with a fresh state directory, and stops it afterwards.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SEED_EMAIL = 'demo@example.com';
export const SEED_PASSWORD = 'correct horse battery staple';
export const SEED_NAME = 'Dana Demo';

async function waitFor(url, child, output, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`backend exited (${child.exitCode}):\n${output.join('')}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch { /* not listening yet */ }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`backend not ready at ${url} after ${timeoutMs} ms:\n${output.join('')}`);
}

/** Starts devserver/run.sh; resolves once discovery answers. */
export async function startBackend({ port, frontend, env = {} }) {
  const stateDir = await mkdtemp(path.join(tmpdir(), 'latchkey-idp-'));
  const output = [];
  const child = spawn('bash', [path.join(ROOT, 'devserver/run.sh')], {
    env: { ...process.env, IDP_PORT: String(port), IDP_FRONTEND: frontend, IDP_STATE_DIR: stateDir, SEED_USER: SEED_EMAIL, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => output.push(String(d)));
  child.stderr.on('data', (d) => output.push(String(d)));
  const url = `http://localhost:${port}`;
  await waitFor(`${url}/.well-known/openid-configuration`, child, output, 120_000);
  return {
    url,
    output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

/** The last code the reference backend mailed to `email` (its DEBUG-only test mailbox). */
export async function mailboxCode(backendUrl, email) {
  const response = await fetch(`${backendUrl}/_test/mailbox?email=${encodeURIComponent(email)}`);
  const mail = await response.json();
  if (!mail.data?.code) throw new Error(`no code mailed to ${email}: ${JSON.stringify(mail)}`);
  return mail.data.code;
}
