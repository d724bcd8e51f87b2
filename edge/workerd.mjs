// Runs latchkey edge on workerd, Cloudflare's open-source runtime: writes a
// workerd config (module worker + Durable Objects + sockets) next to copies of
// the built modules. Used by the tests; `workerd serve <dir>/config.capnp`.
//
//   writeWorkerdConfig(dir, {
//     listen: '127.0.0.1:8750',
//     tls: { key, cert },          // PEM files: the socket speaks https (else http)
//     vars: { ISSUER, CLIENT_ID, ... , LATCHKEY_SESSION_SECRET, CLIENT_SECRET },
//     storage: '/path/dir',        // Durable Object storage on disk (else in memory)
//     routes: [{ host: 'id.other.test:9650', address: '127.0.0.1:9650', ca, certificateHost }],
//   })
//
// `routes` send the worker's outgoing requests for a host to a local address
// (test host names have no DNS); without routes, the internet as usual.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const EDGE = path.dirname(fileURLToPath(import.meta.url));
export const COMPATIBILITY_DATE = '2026-11-01';
const MODULES = [
  ['worker.js', 'esModule'],
  ['pkg/latchkey_edge.js', 'esModule'],
  ['pkg/latchkey_edge_bg.wasm', 'wasm'],
];

const text = (value) => JSON.stringify(String(value));

// Sends each request to the service named for its host in ROUTES.
const ROUTER = `export default {
  fetch(request, env) {
    const service = env.ROUTES[new URL(request.url).host];
    return service ? env[service].fetch(request) : new Response('no route', { status: 502 });
  },
};
`;

function externalService(name, route, dir, index) {
  if (!route.ca) return `(name = "${name}", external = (address = ${text(route.address)}, http = ()))`;
  const ca = `ca-${index}.pem`;
  fs.copyFileSync(route.ca, path.join(dir, ca));
  return `(name = "${name}", external = (address = ${text(route.address)}, https = (options = (), ` +
    `tlsOptions = (trustedCertificates = [embed "${ca}"]), certificateHost = ${text(route.certificateHost)})))`;
}

/** Writes `dir/config.capnp` and everything it embeds; returns the config's path. */
export function writeWorkerdConfig(dir, { listen, tls, vars, storage, routes = [] }) {
  fs.mkdirSync(path.join(dir, 'pkg'), { recursive: true });
  for (const [name] of MODULES) fs.copyFileSync(path.join(EDGE, name), path.join(dir, name));
  const services = ['(name = "edge", worker = .edge)'];
  const bindings = Object.entries(vars).map(([name, value]) => `(name = ${text(name)}, text = ${text(value)})`);
  bindings.push('(name = "SESSIONS", durableObjectNamespace = "SessionObject")',
    '(name = "LOGOUT_INDEX", durableObjectNamespace = "LogoutIndex")');
  let outbound = '';
  if (routes.length) {
    fs.writeFileSync(path.join(dir, 'router.js'), ROUTER);
    const table = Object.fromEntries(routes.map((route, i) => [route.host, `r${i}`]));
    const routerBindings = [`(name = "ROUTES", json = ${text(JSON.stringify(table))})`,
      ...routes.map((_, i) => `(name = "r${i}", service = "route-${i}")`)];
    services.push(`(name = "router", worker = (modules = [(name = "router.js", esModule = embed "router.js")], ` +
      `compatibilityDate = "${COMPATIBILITY_DATE}", bindings = [${routerBindings.join(', ')}]))`);
    routes.forEach((route, i) => services.push(externalService(`route-${i}`, route, dir, i)));
    outbound = 'globalOutbound = "router",';
  }
  let durableStorage = '(inMemory = void)';
  if (storage) {
    fs.mkdirSync(storage, { recursive: true });
    services.push(`(name = "do-storage", disk = (path = ${text(path.resolve(storage))}, writable = true))`);
    durableStorage = '(localDisk = "do-storage")';
  }
  let socket = `http = ()`;
  if (tls) {
    fs.copyFileSync(tls.key, path.join(dir, 'key.pem'));
    fs.copyFileSync(tls.cert, path.join(dir, 'cert.pem'));
    socket = 'https = (options = (), tlsOptions = (keypair = (privateKey = embed "key.pem", certificateChain = embed "cert.pem")))';
  }
  const config = `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    ${services.join(',\n    ')}
  ],
  sockets = [(name = "edge", address = ${text(listen)}, ${socket}, service = "edge")],
);

const edge :Workerd.Worker = (
  modules = [${MODULES.map(([name, kind]) => `(name = "${name}", ${kind} = embed "${name}")`).join(', ')}],
  compatibilityDate = "${COMPATIBILITY_DATE}",
  bindings = [
    ${bindings.join(',\n    ')}
  ],
  durableObjectNamespaces = [
    (className = "SessionObject", uniqueKey = "latchkey-edge-sessions"),
    (className = "LogoutIndex", uniqueKey = "latchkey-edge-logout-index"),
  ],
  durableObjectStorage = ${durableStorage},
  ${outbound}
);
`;
  const file = path.join(dir, 'config.capnp');
  fs.writeFileSync(file, config);
  return file;
}
