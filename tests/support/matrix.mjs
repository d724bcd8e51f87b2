// Which journey runs where: every journey of tests/journeys/ in every engine, against
// every reference backend that has what it needs (its `needs`), where the engine's
// driver can do what it uses (its `driver`). The rest is registered as skipped, with
// the reason, so that each run lists it. `node tests/support/matrix.mjs` prints the
// table (the one in README's Tests).
import { fileURLToPath } from 'node:url';

import { JOURNEYS } from '../journeys/index.mjs';
import { BACKENDS, lacking } from './backends.mjs';
import { DRIVER_LACKS } from './engines.mjs';

const ENGINES = ['chromium', 'firefox', 'webkit'];
const ENGINE_NAMES = { chromium: 'Chromium', firefox: 'Firefox', webkit: 'WebKit' };

/** Why `journey` is not run in `engine` against `backend`; undefined when it is. */
export function skipReason(engine, backend, journey) {
  const byBackend = lacking(backend, journey.needs);
  if (byBackend) return byBackend;
  const missing = (journey.driver ?? []).map((feature) => DRIVER_LACKS[engine][feature]).filter(Boolean);
  return missing.length ? `${ENGINE_NAMES[engine]}: ${missing.join('; ')}` : undefined;
}

/** The journey × backend table as Markdown: the engines each runs in, or why not. */
export function markdown() {
  const rows = JOURNEYS.map((journey) => {
    const cells = BACKENDS.map((backend) => {
      const runs = ENGINES.filter((engine) => !skipReason(engine, backend, journey));
      return runs.length ? runs.map((engine) => ENGINE_NAMES[engine]).join(', ')
        : `skipped: ${lacking(backend, journey.needs) ?? 'no engine can drive it'}`;
    });
    return `| ${journey.title} | ${cells.join(' | ')} |`;
  });
  return [`| journey | ${BACKENDS.map((b) => `\`${b.name}\``).join(' | ')} |`,
    `|---|${BACKENDS.map(() => '---').join('|')}|`, ...rows].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(markdown());
