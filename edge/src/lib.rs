//! latchkey edge: the protocol core as a token handler (the OAuth browser-based
//! apps BCP's backend-for-frontend) on the shop's own origin. The browser holds one
//! HttpOnly cookie with a random session id; tokens, the DPoP key and the pending
//! login live in a Durable Object per session, encrypted at rest.
//!
//! The pure parts (routes, cookies, the cross-site guard, header rules, config,
//! client authentication) are tested natively; the rest needs workerd.

pub mod client_auth;
pub mod config;
pub mod cookie;
pub mod forward;
pub mod guard;
pub mod route;
