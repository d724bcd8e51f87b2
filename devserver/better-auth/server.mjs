// The better-auth reference backend for latchkey (see README.md). Started by run.sh.
import http from 'node:http';
import { createAuth } from './src/auth.mjs';
import { loadConfig } from './src/config.mjs';
import { createHandler } from './src/http.mjs';
import { createMailbox } from './src/mailbox.mjs';
import { ensureClient, ensureUser, migrate } from './src/seed.mjs';

const config = loadConfig();
const mailbox = createMailbox();
const auth = createAuth(config, mailbox);

const schema = await migrate(auth);
console.log(`[server] schema ready (${schema.tables} tables created, ${schema.columns} columns added) in ${config.database}`);
console.log(`[server] client ${config.clientId} ${await ensureClient(auth, config)}`);
if (config.seedUser) console.log(`[server] user ${config.seedUser} ${await ensureUser(auth, config.seedUser)}`);

const server = http.createServer(createHandler({ auth, config, mailbox }));
server.listen(config.port, config.host, () => {
  console.log(`[server] serving ${config.baseURL} (issuer; API under ${config.baseURL}/api/auth) for ${config.frontends.join(' ')}`);
  console.log(`[server] rate limits ${config.rateLimits ? 'on' : 'off'}, test mailbox ${config.testMailbox ? 'on' : 'off'}`);
});

function stop() {
  server.close(() => process.exit(0));
  server.closeAllConnections();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
