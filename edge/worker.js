// latchkey edge: the module worker. Everything happens in Rust (pkg/, built by
// scripts/build-edge.sh); this file only hands the runtime's calls to it.
import { initSync, handle, SessionObject as Session, LogoutIndex as Index } from './pkg/latchkey_edge.js';
import module from './pkg/latchkey_edge_bg.wasm';

initSync({ module });

export default {
  fetch: (request, env) => handle(request, env),
};

/** One per session: its tokens, DPoP key and pending login, sealed. */
export class SessionObject {
  constructor(state, env) { this.session = new Session(state, env); }
  fetch(request) { return this.session.fetch(request); }
  alarm() { return this.session.alarm(); }
}

/** One per provider session, user or logout token: back-channel logout's lookups. */
export class LogoutIndex {
  constructor(state) { this.index = new Index(state); }
  fetch(request) { return this.index.fetch(request); }
  alarm() { return this.index.alarm(); }
}
