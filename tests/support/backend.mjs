// Starts a reference identity backend for a test run, on its own port and with a fresh
// state directory, and stops it afterwards: django-allauth (devserver/) or better-auth
// (devserver/better-auth/). Both seed SEED_EMAIL and keep a test mailbox.
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

// Runs a backend's start script with a fresh state directory; resolves once discovery answers.
async function startServer({ script, port, env, stateEnv, prefix }) {
  const stateDir = await mkdtemp(path.join(tmpdir(), prefix));
  const output = [];
  const child = spawn('bash', [path.join(ROOT, script)], {
    env: { ...process.env, [stateEnv]: stateDir, SEED_USER: SEED_EMAIL, ...env },
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

/** Starts devserver/run.sh (django-allauth); resolves once discovery answers. */
export function startBackend({ port, frontend, env = {} }) {
  return startServer({
    script: 'devserver/run.sh', port, stateEnv: 'IDP_STATE_DIR', prefix: 'latchkey-idp-',
    env: { IDP_PORT: String(port), IDP_FRONTEND: frontend, ...env },
  });
}

/** Starts devserver/better-auth/run.sh. The issuer is `url`; better-auth's own API is
 * under `api` (`${url}/api/auth`). `frontend` may list several origins, space-separated. */
export async function startBetterAuth({ port, frontend, env = {} }) {
  const server = await startServer({
    script: 'devserver/better-auth/run.sh', port, stateEnv: 'BA_STATE_DIR', prefix: 'latchkey-ba-',
    env: { BA_PORT: String(port), BA_FRONTEND: frontend, ...env },
  });
  return { ...server, issuer: server.url, api: `${server.url}/api/auth` };
}

/** The last code either reference backend mailed to `email` (its dev-only test mailbox). */
export async function mailboxCode(backendUrl, email) {
  const response = await fetch(`${backendUrl}/_test/mailbox?email=${encodeURIComponent(email)}`);
  const mail = await response.json();
  if (!mail.data?.code) throw new Error(`no code mailed to ${email}: ${JSON.stringify(mail)}`);
  return mail.data.code;
}
