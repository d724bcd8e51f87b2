// esbuild bundles the JS but does not copy the wasm or the stylesheet: the build copies
// the package's pkg/ and style/ to dist/latchkey/, and `assets` says where they are.
import 'latchkey';
