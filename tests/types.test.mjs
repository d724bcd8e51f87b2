// The package's TypeScript types: the README's examples and the JSX of React, Preact
// and Solid compile in strict mode (tests/types/), misuses do not, and the types say
// what js/index.js, js/options.js and the README's error table say.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

import { OPTIONS } from '../js/options.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const read = (file) => readFileSync(path.join(ROOT, file), 'utf8');
const TYPES = read('js/index.d.ts');

function tsc(project) {
  const started = Date.now();
  const result = spawnSync(path.join(ROOT, 'node_modules/.bin/tsc'), ['-p', project, '--pretty', 'false'],
    { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr, ms: Date.now() - started };
}

test('the README examples and the React, Preact and Solid JSX compile in strict TypeScript', () => {
  const { status, output, ms } = tsc('tests/types/tsconfig.json');
  console.log(`tsc --noEmit over tests/types: ${ms} ms`);
  assert.equal(status, 0, output);
});

test('misuses fail to compile, each with its expected error and nothing else', () => {
  const { status, output } = tsc('tests/types/tsconfig.must-fail.json');
  assert.notEqual(status, 0, 'the misuses compiled');
  const expected = [];
  for (const file of ['tests/types/must-fail.ts', 'tests/types/must-fail.tsx']) {
    read(file).split('\n').forEach((line, i) => {
      const marked = line.match(/\/\/ error (TS\d+)$/);
      if (marked) expected.push(`${file}:${i + 1} ${marked[1]}`);
    });
  }
  const actual = [...output.matchAll(/^(\S+)\((\d+),\d+\): error (TS\d+)/gm)].map(([, file, line, code]) => `${file}:${line} ${code}`);
  assert.ok(expected.length >= 10, 'the misuse files are marked');
  assert.deepEqual(actual.sort(), expected.sort(), output);
});

test('LatchkeyErrorCode lists exactly the codes of the README table', () => {
  const union = TYPES.match(/export type LatchkeyErrorCode =([^;]+);/)[1];
  const typed = [...union.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]);
  const section = read('README.md').split('### Error codes')[1].split('\n### ')[0];
  const documented = [...section.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]);
  assert.ok(documented.length > 40, 'the README table was found');
  assert.deepEqual([...typed].sort(), [...documented].sort());
});

test('LatchkeyConfig has exactly the options of js/options.js', () => {
  const body = TYPES.match(/export interface LatchkeyConfig \{\n([\s\S]*?)\n\}/)[1];
  const typed = [...body.matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1]);
  assert.deepEqual([...typed].sort(), OPTIONS.map((entry) => entry.property).sort());
});

test('index.d.ts declares exactly the values js/index.js exports', () => {
  const exported = (source) => [...source.matchAll(/^export (?:declare )?(?:async )?(?:function|class|const) (\w+)/gm)]
    .map((m) => m[1]).sort();
  assert.deepEqual(exported(TYPES), exported(read('js/index.js')));
});
