// The devserver's settings, all from the environment (see README.md, "Run it").
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function flag(value, fallback) {
  if (value === undefined || value === '') return fallback;
  return !['0', 'false', 'no', 'off'].includes(value.toLowerCase());
}

function origins(list) {
  return list.split(/\s+/).filter(Boolean).map((origin) => new URL(origin).origin);
}

// A secret kept in the state directory, so sessions and signed cookies survive a restart.
function stateSecret(stateDir) {
  const file = path.join(stateDir, 'secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    const secret = randomBytes(32).toString('base64url');
    writeFileSync(file, `${secret}\n`, { mode: 0o600 });
    return secret;
  }
}

export function loadConfig(env = process.env) {
  const port = Number(env.BA_PORT || 9200);
  const baseURL = (env.BA_BASE_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  const frontends = origins(env.BA_FRONTEND || 'http://localhost:8080');
  const stateDir = path.resolve(env.BA_STATE_DIR || path.join(HERE, 'state'));
  mkdirSync(stateDir, { recursive: true });
  const jwtAlg = env.BA_JWT_ALG || 'ES256';
  if (!['ES256', 'RS256'].includes(jwtAlg)) throw new Error(`BA_JWT_ALG must be ES256 or RS256, not ${jwtAlg}`);
  return {
    port,
    host: env.BA_HOST || 'localhost',
    baseURL,
    issuer: baseURL,
    frontends,
    stateDir,
    database: path.join(stateDir, 'better-auth.sqlite'),
    secret: env.BA_SECRET || stateSecret(stateDir),
    cookieDomain: env.BA_COOKIE_DOMAIN || undefined,
    secureCookies: baseURL.startsWith('https:'),
    rpID: env.BA_RP_ID || new URL(frontends[0]).hostname,
    rpName: env.BA_RP_NAME || 'latchkey demo',
    jwtAlg,
    otpExpiresIn: Number(env.BA_OTP_EXPIRES_IN || 300),
    rateLimits: flag(env.BA_RATE_LIMITS, false),
    testMailbox: flag(env.BA_TEST_MAILBOX, true),
    seedUser: env.SEED_USER || '',
    clientId: env.BA_CLIENT_ID || 'latchkey-demo',
  };
}
