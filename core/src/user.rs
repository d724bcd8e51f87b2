//! The signed-in user as the session hands it out: who, what to call them, and every
//! claim the provider vouched for.

use serde_json::{Map, Value};

use crate::id_token::IdTokenClaims;

#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub sub: String,
    pub name: Option<String>,
    pub email: Option<String>,
    /// A URL of the user's picture (`picture` claim).
    pub picture: Option<String>,
    /// Every claim, for the host page.
    pub claims: Map<String, Value>,
}

impl User {
    /// What to call the user: the name, else the address, else the subject.
    pub fn display_name(&self) -> &str {
        self.name
            .as_deref()
            .or(self.email.as_deref())
            .unwrap_or(&self.sub)
    }

    /// A user from claims that were checked where they came from (an ID token, or a
    /// session another tab verified); `None` without a `sub`.
    pub fn from_claims(claims: Map<String, Value>) -> Option<User> {
        let text = |name: &str| claims.get(name).and_then(Value::as_str).map(String::from);
        Some(User {
            sub: text("sub")?,
            name: text("name"),
            email: text("email"),
            picture: text("picture"),
            claims,
        })
    }
}

impl From<IdTokenClaims> for User {
    fn from(claims: IdTokenClaims) -> User {
        let picture = claims
            .all
            .get("picture")
            .and_then(Value::as_str)
            .map(String::from);
        User {
            sub: claims.sub,
            name: claims.name,
            email: claims.email,
            picture,
            claims: claims.all,
        }
    }
}
