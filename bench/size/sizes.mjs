// Prints raw / gzip -9 / brotli 11 bytes of each file given, one line each:
//   node bench/size/sizes.mjs FILE...
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

for (const file of process.argv.slice(2)) {
  const data = readFileSync(file);
  const brotli = brotliCompressSync(data, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
  }).length;
  console.log(`${file}\traw ${data.length}\tgzip ${gzipSync(data, { level: 9 }).length}\tbrotli ${brotli}`);
}
