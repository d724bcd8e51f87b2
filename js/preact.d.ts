// latchkey for Preact: the package's exports, plus `<latchkey-widget>` in Preact's
// JSX.IntrinsicElements. Pick it up with `import 'latchkey/preact'` (the same module
// as 'latchkey') or `import type {} from 'latchkey/preact'`. Preact sets each option
// as a property once latchkey is loaded; `onlatchkey:login={…}` listens to
// `latchkey:login`.
import type { HTMLAttributes } from 'preact';
import type { LatchkeyEventProps, LatchkeyWidget, LatchkeyWidgetOptions } from './index.js';

export * from './index.js';

declare module 'preact' {
  namespace JSX {
    interface IntrinsicElements {
      'latchkey-widget': HTMLAttributes<LatchkeyWidget> & LatchkeyWidgetOptions & LatchkeyEventProps;
    }
  }
}
