// better-auth with the plugins latchkey's journeys need: email + password with email
// verification by code (emailOTP), two-factor (TOTP + backup codes), passkeys, and the
// OAuth 2.1 / OpenID provider (with the jwt plugin, which signs its ID tokens).
import { oauthProvider } from '@better-auth/oauth-provider';
import { passkey } from '@better-auth/passkey';
import { betterAuth } from 'better-auth';
import { emailOTP, jwt, twoFactor } from 'better-auth/plugins';
import Database from 'better-sqlite3';

export const BASE_PATH = '/api/auth';
export const SCOPES = ['openid', 'profile', 'email', 'offline_access'];

// better-auth puts profile and email claims in UserInfo only. The widget shows the
// ID token's claims, so they go into the ID token too, per granted scope, like allauth.
// given_name / family_name come from the firstName / lastName fields when set.
function profileClaims(user, scopes) {
  const claims = {};
  if (scopes.includes('profile')) {
    claims.name = user.name || undefined;
    if (user.firstName) claims.given_name = user.firstName;
    if (user.lastName) claims.family_name = user.lastName;
  }
  if (scopes.includes('email')) {
    claims.email = user.email;
    claims.email_verified = Boolean(user.emailVerified);
  }
  return claims;
}

function plugins(config, mailbox) {
  const frontend = config.frontends[0];
  return [
    emailOTP({
      // Every code better-auth would mail: verification, sign-in, reset, change of address.
      sendVerificationOTP: async ({ email, otp, type }) => mailbox.send(email, type, otp),
      overrideDefaultEmailVerification: true,
      disableSignUp: true, // a sign-in code never creates an account (as in allauth)
      expiresIn: config.otpExpiresIn,
      changeEmail: { enabled: true },
    }),
    twoFactor({ issuer: config.rpName }),
    passkey({ rpID: config.rpID, rpName: config.rpName, origin: config.frontends }),
    jwt({
      jwt: { issuer: config.issuer },
      jwks: { keyPairConfig: { alg: config.jwtAlg } },
      disableSettingJwtHeader: true,
    }),
    oauthProvider({
      loginPage: `${frontend}/login`,
      consentPage: `${frontend}/consent`,
      scopes: SCOPES,
      grantTypes: ['authorization_code', 'refresh_token'],
      customIdTokenClaims: ({ user, scopes }) => profileClaims(user, scopes),
      customUserInfoClaims: ({ user, scopes }) => profileClaims(user, scopes),
    }),
  ];
}

// better-auth's schema check reads SQLite's TEXT as a mismatch for its string[] columns
// (stored as JSON text) and warns at every restart; the schema is right, so that one
// message is dropped. Everything else is logged as better-auth would.
function log(level, message, ...args) {
  if (/Expected string\[\] but got TEXT/.test(message)) return;
  console[level === 'debug' ? 'log' : level](`[better-auth] ${level.toUpperCase()} ${message}`, ...args);
}

export function authOptions(config, mailbox) {
  return {
    appName: config.rpName,
    baseURL: config.baseURL,
    basePath: BASE_PATH,
    secret: config.secret,
    database: new Database(config.database),
    trustedOrigins: config.frontends,
    telemetry: { enabled: false },
    logger: { log },
    rateLimit: { enabled: config.rateLimits, storage: 'memory' },
    advanced: {
      useSecureCookies: config.secureCookies,
      crossSubDomainCookies: config.cookieDomain ? { enabled: true, domain: config.cookieDomain } : undefined,
      // server.mjs sets this header from the socket, so rate limits key on the real peer.
      ipAddress: { ipAddressHeaders: ['x-latchkey-peer'] },
    },
    emailAndPassword: {
      enabled: true,
      requireEmailVerification: true,
      minPasswordLength: 8,
      maxPasswordLength: 256,
      revokeSessionsOnPasswordReset: true,
      onExistingUserSignUp: async ({ user }) => mailbox.send(user.email, 'account-already-exists'),
    },
    emailVerification: { sendOnSignUp: true, sendOnSignIn: true, autoSignInAfterVerification: true },
    user: {
      additionalFields: {
        firstName: { type: 'string', required: false, input: true },
        lastName: { type: 'string', required: false, input: true },
      },
      deleteUser: { enabled: true },
    },
    plugins: plugins(config, mailbox),
  };
}

export function createAuth(config, mailbox) {
  return betterAuth(authOptions(config, mailbox));
}
