// Start-up work that must be idempotent: the schema, the widget's OAuth client, and
// the optional demo user.
import { getMigrations } from 'better-auth/db/migration';
import { SCOPES } from './auth.mjs';

export const SEED_PASSWORD = 'correct horse battery staple';
export const SEED_NAME = 'Dana Demo';

export async function migrate(auth) {
  const { toBeCreated, toBeAdded, runMigrations } = await getMigrations(auth.options);
  await runMigrations();
  return { tables: toBeCreated.length, columns: toBeAdded.length };
}

function clientRecord(config) {
  const redirectUris = config.frontends.flatMap((origin) => [`${origin}/callback`, `${origin}/`]);
  return {
    name: 'latchkey demo shop',
    redirectUris,
    postLogoutRedirectUris: config.frontends.map((origin) => `${origin}/`),
    tokenEndpointAuthMethod: 'none', // a public client: PKCE, no secret
    grantTypes: ['authorization_code', 'refresh_token'],
    responseTypes: ['code'],
    scopes: SCOPES,
    applicationType: 'web',
    requirePKCE: true,
    skipConsent: true, // first-party: no consent screen
    enableEndSession: true,
    disabled: false,
    updatedAt: new Date(),
  };
}

/** Creates the public client, or brings an existing one back to this configuration. */
export async function ensureClient(auth, config) {
  const { adapter } = await auth.$context;
  const where = [{ field: 'clientId', value: config.clientId }];
  const record = clientRecord(config);
  const existing = await adapter.findOne({ model: 'oauthClient', where });
  if (existing) await adapter.update({ model: 'oauthClient', where, update: record });
  else await adapter.create({ model: 'oauthClient', data: { clientId: config.clientId, createdAt: new Date(), ...record } });
  return existing ? 'updated' : 'created';
}

/** A verified user with the seed password and name, created or reset. */
export async function ensureUser(auth, email) {
  const ctx = await auth.$context;
  const hash = await ctx.password.hash(SEED_PASSWORD);
  const found = await ctx.internalAdapter.findUserByEmail(email.toLowerCase(), { includeAccounts: true });
  if (!found) {
    const user = await ctx.internalAdapter.createUser({ email: email.toLowerCase(), name: SEED_NAME, emailVerified: true });
    await ctx.internalAdapter.linkAccount({ userId: user.id, providerId: 'credential', accountId: user.id, password: hash });
    return 'created';
  }
  await ctx.internalAdapter.updateUser(found.user.id, { name: SEED_NAME, emailVerified: true });
  if (found.accounts.some((account) => account.providerId === 'credential')) {
    await ctx.internalAdapter.updatePassword(found.user.id, hash);
  } else {
    await ctx.internalAdapter.linkAccount({ userId: found.user.id, providerId: 'credential', accountId: found.user.id, password: hash });
  }
  return 'reset';
}
