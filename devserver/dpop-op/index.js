// A standards-focused OpenID Provider for tests of DPoP (RFC 9449) in a browser widget:
// node oidc-provider, public PKCE client "latchkey-demo", DPoP with server nonces,
// refresh-token rotation, RFC 9207 `iss` in the callback, development login pages
// (any user name and password). Keys are generated in memory at each start.
// Started by core/tests/live_dpop.rs; oidc-provider comes from the root devDependencies.
// A confidential client "resource-server" (secret RS_SECRET) may introspect tokens,
// as a resource server checking DPoP binding (cnf.jkt) does.
//   PORT (default 9100)   FRONTEND (default http://localhost:8080)   RS_SECRET
// For latchkey edge (a confidential client on the shop's origin, with back-channel
// logout), over TLS under a test host name:
//   ISSUER (default http://localhost:PORT)   TLS_KEY, TLS_CERT, TLS_CA (PEM files)
//   EDGE_ORIGIN, EDGE_SECRET: register client "latchkey-edge" for that origin
//   ACCESS_TOKEN_TTL (seconds, default 300)
// Every token grant and back-channel logout is printed as one JSON line; with
// PRINT_TOKENS=1 (tests only) a grant's line carries the tokens it issued, so a
// test can look for them where they must never be.
import crypto from "node:crypto";
import fs from "node:fs";
import https from "node:https";
import Provider from "oidc-provider";

const PORT = Number(process.env.PORT || 9100);
const FRONTEND = (process.env.FRONTEND || "http://localhost:8080").replace(/\/$/, "");
const ISSUER = process.env.ISSUER || `http://localhost:${PORT}`;
const EDGE_ORIGIN = process.env.EDGE_ORIGIN;
const tls = process.env.TLS_KEY && {
  key: fs.readFileSync(process.env.TLS_KEY), cert: fs.readFileSync(process.env.TLS_CERT),
  ca: process.env.TLS_CA && fs.readFileSync(process.env.TLS_CA),
};

// The edge's client: confidential, and told when a provider session ends.
const edgeClients = EDGE_ORIGIN ? [{
  client_id: "latchkey-edge",
  client_secret: process.env.EDGE_SECRET,
  token_endpoint_auth_method: "client_secret_basic",
  grant_types: ["authorization_code", "refresh_token"],
  response_types: ["code"],
  redirect_uris: [`${EDGE_ORIGIN}/auth/callback`],
  post_logout_redirect_uris: [`${EDGE_ORIGIN}/`],
  backchannel_logout_uri: `${EDGE_ORIGIN}/auth/backchannel-logout`,
  backchannel_logout_session_required: true,
}] : [];

/** Outgoing requests (the back-channel logout POST): test host names (*.test)
 * resolve to this machine and trust the test CA; oidc-provider's default fetch
 * refuses loopback addresses on purpose. */
function testFetch(url, options) {
  const target = new URL(url);
  if (process.env.PRINT_TOKENS === "1" && options.body instanceof URLSearchParams && options.body.has("logout_token")) {
    console.log(JSON.stringify({ event: "logout_token", logout_token: options.body.get("logout_token") }));
  }
  if (!target.hostname.endsWith(".test")) return fetch(url, options);
  return new Promise((resolve, reject) => {
    const request = https.request(target, {
      method: options.method, headers: Object.fromEntries(new Headers(options.headers)), ca: tls?.ca,
      lookup: (host, opts, callback) => (opts.all ? callback(null, [{ address: "127.0.0.1", family: 4 }]) : callback(null, "127.0.0.1", 4)),
    }, (response) => {
      const chunks = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("end", () => resolve(new Response(Buffer.concat(chunks), { status: response.statusCode })));
    });
    request.on("error", reject);
    request.end(options.body ? String(options.body) : undefined);
  });
}
const signingKey = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });

const provider = new Provider(ISSUER, {
  clients: [{
    client_id: "latchkey-demo",
    token_endpoint_auth_method: "none", // public client: PKCE (S256) is then required
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    redirect_uris: [`${FRONTEND}/callback`, `${FRONTEND}/`],
    post_logout_redirect_uris: [`${FRONTEND}/`],
  }, {
    client_id: "resource-server",
    client_secret: process.env.RS_SECRET || crypto.randomBytes(24).toString("base64url"),
    grant_types: [],
    response_types: [],
    redirect_uris: [],
  }, ...edgeClients],
  jwks: { keys: [{ ...signingKey, kid: crypto.randomUUID(), use: "sig", alg: "RS256" }] },
  cookies: { keys: [crypto.randomBytes(32).toString("base64url")] },
  scopes: ["openid", "offline_access", "profile", "email"],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "picture"] },
  features: {
    devInteractions: { enabled: true }, // built-in login + consent pages, tests only
    dPoP: {
      enabled: true,
      nonceSecret: crypto.randomBytes(32), // server-issued DPoP nonces ...
      requireNonce: () => true, // ... and required: expect one use_dpop_nonce round trip
    },
    revocation: { enabled: true },
    introspection: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    userinfo: { enabled: true },
    backchannelLogout: { enabled: true },
  },
  fetch: testFetch,
  clientBasedCORS: (ctx, origin) => origin === FRONTEND,
  // By default DPoP-bound refresh tokens of public clients rotate only after 70% of their life.
  rotateRefreshToken: true,
  ttl: { AccessToken: Number(process.env.ACCESS_TOKEN_TTL || 300), IdToken: 300, RefreshToken: 86400, Grant: 86400, Session: 86400,
    Interaction: 600, AuthorizationCode: 60 },
  findAccount: async (ctx, id) => ({
    accountId: id,
    // The picture lives on the shop's origin, which its CSP allows for images.
    claims: async () => ({ sub: id, email: `${id}@example.com`, email_verified: true, name: id,
      picture: `${FRONTEND}/assets/logo.svg` }),
  }),
});
provider.on("server_error", (ctx, err) => console.error("server_error", err));
provider.on("grant.success", (ctx) => {
  const { access_token, refresh_token, id_token } = process.env.PRINT_TOKENS === "1" ? ctx.body : {};
  console.log(JSON.stringify({
    event: "grant", grant_type: ctx.oidc.params.grant_type, client_id: ctx.oidc.client.clientId,
    tokens: access_token && { access_token, refresh_token, id_token },
  }));
});
for (const outcome of ["success", "error"]) {
  provider.on(`backchannel.${outcome}`, (ctx, ...rest) => {
    const error = outcome === "error" ? rest.shift().message : undefined;
    console.log(JSON.stringify({ event: `backchannel.${outcome}`, client_id: rest[0].clientId, error }));
  });
}
const ready = () => console.log(`dpop-op: issuer ${ISSUER}, discovery /.well-known/openid-configuration`);
if (tls) https.createServer(tls, provider.callback()).listen(PORT, "127.0.0.1", ready);
else provider.listen(PORT, "localhost", ready);
