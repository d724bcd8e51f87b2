// JSX misuses the React types must refuse (see must-fail.ts).
import 'latchkey/react';

export const wrongType = <latchkey-widget strings="Log in" />; // error TS2322
export const wrongDetail = <latchkey-widget onlatchkey:login={(event) => event.detail.code} />; // error TS2339
export const wrongOption = <latchkey-widget theme="blue" />; // error TS2322
