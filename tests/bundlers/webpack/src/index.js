// webpack 5 emits the wasm and the stylesheet as assets by itself: no config needed
// (`npx webpack --mode production` builds dist/main.js).
import 'latchkey';
