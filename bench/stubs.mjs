// Local stand-ins for the vendor calls each widget makes before it can draw its login
// form. Each answers with the smallest response of the documented shape that gets
// the widget to its email/username field; nothing here signs anyone in.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const FLOW_ID = '6f0d2c1e-bench-0000-0000-000000000001';

/** hanko-elements 2.x: the Flow API (POST /login starts a flow in its "preflight" state). */
function hanko({ method, url }) {
  const base = '/api/hanko';
  if (!url.pathname.startsWith(base)) return null;
  const route = url.pathname.slice(base.length);
  const state = (name, actions) => ({ name, status: 200, payload: {}, csrf_token: 'bench-csrf', actions, error: null });
  const action = (name, inputs) => ({ action: name, href: `/login?action=${name}@${FLOW_ID}`, inputs, description: name });
  if (route === '/login' && method === 'POST') {
    if (!url.searchParams.get('action')) {
      return { body: state('preflight', { register_client_capabilities: action('register_client_capabilities', {
        webauthn_available: { name: 'webauthn_available', type: 'boolean', required: true, hidden: true },
        webauthn_conditional_mediation_available: { name: 'webauthn_conditional_mediation_available', type: 'boolean', hidden: true },
        webauthn_platform_authenticator_available: { name: 'webauthn_platform_authenticator_available', type: 'boolean', hidden: true },
      }) }) };
    }
    return { body: state('login_init', {
      continue_with_login_identifier: action('continue_with_login_identifier', {
        email: { name: 'email', type: 'email', required: true, max_length: 100 },
      }),
      continue_to_registration: action('continue_to_registration', {}),
    }) };
  }
  return { status: 404, body: { code: 404, message: 'not found' } };
}

/** okta-signin-widget 7 (Identity Engine): interact, then introspect → the "identify" form. */
function okta({ method, url, origin }) {
  const base = '/api/okta';
  if (!url.pathname.startsWith(base)) return null;
  const route = url.pathname.slice(base.length);
  const issuer = `${origin}${base}/oauth2/default`;
  if (route === '/oauth2/default/.well-known/openid-configuration') {
    return { body: {
      issuer, authorization_endpoint: `${issuer}/v1/authorize`, token_endpoint: `${issuer}/v1/token`,
      userinfo_endpoint: `${issuer}/v1/userinfo`, jwks_uri: `${issuer}/v1/keys`, end_session_endpoint: `${issuer}/v1/logout`,
      revocation_endpoint: `${issuer}/v1/revoke`, introspection_endpoint: `${issuer}/v1/introspect`,
      response_types_supported: ['code'], grant_types_supported: ['authorization_code', 'interaction_code', 'refresh_token'],
      subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256'], scopes_supported: ['openid', 'profile', 'email'],
    } };
  }
  if (route === '/oauth2/default/v1/interact' && method === 'POST') {
    return { body: { interaction_handle: 'bench-interaction-handle' } };
  }
  if (route === '/idp/idx/introspect' && method === 'POST') {
    const stateHandle = 'bench-state-handle';
    return {
      type: 'application/ion+json; okta-version=1.0.0',
      body: {
        version: '1.0.0',
        stateHandle,
        expiresAt: new Date(Date.now() + 600_000).toISOString(),
        intent: 'LOGIN',
        remediation: { type: 'array', value: [{
          rel: ['create-form'], name: 'identify', href: `${origin}${base}/idp/idx/identify`, method: 'POST',
          produces: 'application/ion+json; okta-version=1.0.0',
          value: [
            { name: 'identifier', label: 'Username', required: true },
            { name: 'rememberMe', type: 'boolean', label: 'Remember this device' },
            { name: 'stateHandle', required: true, value: stateHandle, visible: false, mutable: false },
          ],
          accepts: 'application/json; okta-version=1.0.0',
        }] },
        cancel: {
          rel: ['create-form'], name: 'cancel', href: `${origin}${base}/idp/idx/cancel`, method: 'POST',
          produces: 'application/ion+json; okta-version=1.0.0',
          value: [{ name: 'stateHandle', required: true, value: stateHandle, visible: false, mutable: false }],
          accepts: 'application/json; okta-version=1.0.0',
        },
        app: { type: 'object', value: { name: 'oidc_client', label: 'Bench shop', id: '0oabench' } },
      },
    };
  }
  return { status: 404, body: { errorCode: 'E0000022', errorSummary: 'not found' } };
}

/** auth0-lock 14: the client settings script (JSONP: Auth0.setClient(...)) and the English dictionary. */
function auth0({ url, origin }) {
  const base = '/api/auth0';
  if (!url.pathname.startsWith(base)) return null;
  const route = url.pathname.slice(base.length);
  if (route.startsWith('/client/') && route.endsWith('.js')) {
    const clientId = route.slice('/client/'.length, -'.js'.length);
    const settings = {
      id: clientId, tenant: 'bench', subscription: 'free', authorize: `${origin}${base}/authorize`,
      callback: `${origin}/callback`, hasAllowedOrigins: true,
      strategies: [{ name: 'auth0', connections: [{
        name: 'Username-Password-Authentication', forgot_password_url: `${origin}${base}/lo/forgot`,
        signup_url: `${origin}${base}/lo/signup`, showSignup: true, showForgot: true, passwordPolicy: 'good',
        requires_username: false,
      }] }],
    };
    return { type: 'text/javascript', body: `Auth0.setClient(${JSON.stringify(settings)});` };
  }
  const dictionary = route.match(/^\/js\/lock\/[^/]+\/(en)\.js$/);
  if (dictionary) {
    // Lock fetches its dictionary from the CDN even for English: serve the package's own.
    const strings = require('auth0-lock/lib/i18n/en.js').default;
    return { type: 'text/javascript', body: `Auth0.registerLanguageDictionary("en", ${JSON.stringify(strings)});` };
  }
  return { status: 404, body: { error: 'not_found' } };
}

const STUBS = [hanko, okta, auth0];

/** The stand-in answer for a request, or null when it is a file to serve. */
export function answerStub(request) {
  for (const stub of STUBS) {
    const answer = stub(request);
    if (answer) return answer;
  }
  return null;
}
