// auth0-lock's npm package ships CommonJS sources only (its browser bundle lives on
// Auth0's CDN): bundle and minify it once, as a shop's build would, into .build/.
import { build } from 'esbuild';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(BENCH, '.build/auth0-lock.js');

export async function bundleAuth0Lock() {
  // Rebuilt whenever npm installed the package after the bundle was made.
  const installed = statSync(path.join(BENCH, 'node_modules/auth0-lock/package.json')).mtimeMs;
  if (existsSync(OUT) && statSync(OUT).mtimeMs > installed) return OUT;
  await build({
    stdin: { contents: "import Auth0Lock from 'auth0-lock'; window.Auth0Lock = Auth0Lock;", resolveDir: BENCH },
    bundle: true, minify: true, format: 'iife', target: 'es2019', outfile: OUT, logLevel: 'error',
    // auth0-js's "main" is a UMD file in a "type": "module" package: take its ES module build.
    plugins: [{
      name: 'auth0-js-esm',
      setup(b) {
        b.onResolve({ filter: /^auth0-js$/ }, () => ({ path: path.join(BENCH, 'node_modules/auth0-js/dist/auth0.min.esm.js') }));
      },
    }],
    define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
  });
  return OUT;
}
