// latchkey for Solid: the package's exports, plus `<latchkey-widget>` in Solid's
// JSX.IntrinsicElements. Pick it up with `import 'latchkey/solid'` (the same module
// as 'latchkey') or `import type {} from 'latchkey/solid'`. Solid sets the options of
// a custom element as properties. An event name with a colon cannot follow Solid's
// `on:`, so listen in a `ref` (see the README).
import type { LatchkeyWidget, LatchkeyWidgetOptions } from './index.js';

export * from './index.js';

declare module 'solid-js' {
  namespace JSX {
    interface IntrinsicElements {
      'latchkey-widget': JSX.HTMLAttributes<LatchkeyWidget> & LatchkeyWidgetOptions;
    }
  }
}
