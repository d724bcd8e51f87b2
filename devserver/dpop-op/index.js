// A standards-focused OpenID Provider for tests of DPoP (RFC 9449) in a browser widget:
// node oidc-provider, public PKCE client "latchkey-demo", DPoP with server nonces,
// refresh-token rotation, RFC 9207 `iss` in the callback, development login pages
// (any user name and password). Keys are generated in memory at each start.
// Started by core/tests/live_dpop.rs; oidc-provider comes from the root devDependencies.
// A confidential client "resource-server" (secret RS_SECRET) may introspect tokens,
// as a resource server checking DPoP binding (cnf.jkt) does.
//   PORT (default 9100)   FRONTEND (default http://localhost:8080)   RS_SECRET
import crypto from "node:crypto";
import Provider from "oidc-provider";

const PORT = Number(process.env.PORT || 9100);
const FRONTEND = (process.env.FRONTEND || "http://localhost:8080").replace(/\/$/, "");
const signingKey = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });

const provider = new Provider(`http://localhost:${PORT}`, {
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
  }],
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
  },
  clientBasedCORS: (ctx, origin) => origin === FRONTEND,
  // By default DPoP-bound refresh tokens of public clients rotate only after 70% of their life.
  rotateRefreshToken: true,
  ttl: { AccessToken: 300, IdToken: 300, RefreshToken: 86400, Grant: 86400, Session: 86400,
    Interaction: 600, AuthorizationCode: 60 },
  findAccount: async (ctx, id) => ({
    accountId: id,
    // The picture lives on the shop's origin, which its CSP allows for images.
    claims: async () => ({ sub: id, email: `${id}@example.com`, email_verified: true, name: id,
      picture: `${FRONTEND}/assets/logo.svg` }),
  }),
});
provider.on("server_error", (ctx, err) => console.error("server_error", err));
provider.listen(PORT, "localhost", () => {
  console.log(`dpop-op: issuer http://localhost:${PORT}, discovery /.well-known/openid-configuration`);
});
