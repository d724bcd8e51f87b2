// Vite copies the wasm and the stylesheet by itself: nothing to configure.
import 'latchkey';
