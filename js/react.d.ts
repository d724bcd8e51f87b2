// latchkey for React 19: the package's exports, plus `<latchkey-widget>` in
// React.JSX.IntrinsicElements. Pick it up with `import 'latchkey/react'` (it is the
// same module as 'latchkey') or `import type {} from 'latchkey/react'`. React sets
// each option as a property once latchkey is loaded, so objects stay objects, and
// `onlatchkey:login={…}` listens to `latchkey:login`.
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { LatchkeyEventProps, LatchkeyWidget, LatchkeyWidgetOptions } from './index.js';

export * from './index.js';

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'latchkey-widget': DetailedHTMLProps<HTMLAttributes<LatchkeyWidget>, LatchkeyWidget>
        & LatchkeyWidgetOptions & LatchkeyEventProps;
    }
  }
}
