//! What tabs say to each other, and the record they check it against. Both come from
//! places any script of the origin can write to (BroadcastChannel, IndexedDB), so
//! both are read as untrusted: bounded in size, parsed into closed types, unknown
//! fields refused.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::client::StoredTokens;
use crate::Error;

/// Longest message read from the channel: an ID token (the JWS parser's 32 KiB)
/// and an access token fit with room to spare.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;
/// Session versions stay exact in IndexedDB and JavaScript (2^53 - 1).
pub const MAX_VERSION: u64 = (1 << 53) - 1;

/// Why a session ended everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndReason {
    Logout,
    /// The provider refused the refresh token.
    Expired,
}

impl EndReason {
    fn name(self) -> &'static str {
        match self {
            EndReason::Logout => "logout",
            EndReason::Expired => "expired",
        }
    }
}

/// A problem the holding tab met while signing out, for the tab that asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub code: String,
    pub message: String,
}

impl From<&Error> for Problem {
    fn from(error: &Error) -> Self {
        Problem {
            code: error.code().into(),
            message: error.to_string(),
        }
    }
}

/// One message between tabs, as JSON: `{"<kind>": {fields}}`. No message carries a
/// refresh token; access tokens travel only in answer to a request, the ID token
/// with a session announcement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TabMessage {
    /// A tab that just opened asks the holding tab for the session.
    Hello { from: String },
    /// A session: after a login or a restore (to every tab), or to a hello (`to`).
    /// `jkt`: the thumbprint of the DPoP key its tokens are bound to.
    Session {
        to: Option<String>,
        version: u64,
        id_token: String,
        jkt: Option<String>,
    },
    /// The answer to a hello when the holding tab has no session (any more).
    NoSession { to: String },
    /// An access token for a target, from the holding tab. `rejected`: the
    /// fingerprint of a token an API refused, which does not count as fresh.
    TokenRequest {
        from: String,
        id: u32,
        version: u64,
        audience: Option<String>,
        scope: Option<String>,
        rejected: Option<String>,
    },
    Token {
        to: String,
        id: u32,
        version: u64,
        /// How many times the holding tab has refreshed this session.
        rotation: u64,
        access_token: String,
        expires_at: Option<u64>,
    },
    /// The holding tab could not get a token: its error, by code.
    Refused {
        to: String,
        id: u32,
        version: u64,
        problem: Problem,
    },
    /// The holding tab refreshed: tokens handed out before may be revoked.
    Rotated { version: u64, rotation: u64 },
    /// A tab asks the holding tab to revoke the session and end it everywhere.
    LogoutRequest { from: String, id: u32, version: u64 },
    LoggedOut {
        to: String,
        id: u32,
        version: u64,
        problems: Vec<Problem>,
    },
    /// The session is over in every tab.
    Ended { version: u64, reason: EndReason },
}

fn valid_tab_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
}

/// Reads a message's fields: each wanted one of the right type, no other.
struct Fields(Map<String, Value>);

impl Fields {
    fn take(&mut self, name: &str) -> Option<Value> {
        self.0.remove(name)
    }

    fn text(&mut self, name: &str) -> Option<String> {
        match self.take(name)? {
            Value::String(text) => Some(text),
            _ => None,
        }
    }

    fn tab(&mut self, name: &str) -> Option<String> {
        self.text(name).filter(|id| valid_tab_id(id))
    }

    /// `null` or text; `Some(None)` for null, `None` for anything else.
    fn optional_text(&mut self, name: &str) -> Option<Option<String>> {
        match self.take(name)? {
            Value::Null => Some(None),
            Value::String(text) => Some(Some(text)),
            _ => None,
        }
    }

    fn number(&mut self, name: &str) -> Option<u64> {
        self.take(name)?.as_u64()
    }

    fn version(&mut self) -> Option<u64> {
        self.number("version")
            .filter(|v| (1..=MAX_VERSION).contains(v))
    }

    fn id(&mut self) -> Option<u32> {
        u32::try_from(self.number("id")?).ok()
    }

    fn problem(value: Value) -> Option<Problem> {
        let Value::Object(fields) = value else {
            return None;
        };
        let mut fields = Fields(fields);
        let problem = Problem {
            code: fields.text("code")?,
            message: fields.text("message")?,
        };
        fields.done(problem)
    }

    /// The message, when no field is left unread.
    fn done<T>(self, value: T) -> Option<T> {
        self.0.is_empty().then_some(value)
    }
}

impl TabMessage {
    /// Reads a message; `None` for anything too long, malformed, of an unknown kind,
    /// with missing, mistyped or unknown fields, a bad tab name, or a version out of
    /// range.
    pub fn decode(text: &str) -> Option<TabMessage> {
        if text.len() > MAX_MESSAGE_BYTES {
            return None;
        }
        let Value::Object(outer) = serde_json::from_str::<Value>(text).ok()? else {
            return None;
        };
        if outer.len() != 1 {
            return None;
        }
        let (kind, body) = outer.into_iter().next()?;
        let Value::Object(fields) = body else {
            return None;
        };
        let mut f = Fields(fields);
        let message = match kind.as_str() {
            "hello" => TabMessage::Hello {
                from: f.tab("from")?,
            },
            "session" => TabMessage::Session {
                to: match f.optional_text("to")? {
                    Some(to) => Some(to).filter(|id| valid_tab_id(id)).map(Some)?,
                    None => None,
                },
                version: f.version()?,
                id_token: f.text("id_token")?,
                jkt: f.optional_text("jkt")?,
            },
            "no_session" => TabMessage::NoSession { to: f.tab("to")? },
            "token_request" => TabMessage::TokenRequest {
                from: f.tab("from")?,
                id: f.id()?,
                version: f.version()?,
                audience: f.optional_text("audience")?,
                scope: f.optional_text("scope")?,
                rejected: f.optional_text("rejected")?,
            },
            "token" => TabMessage::Token {
                to: f.tab("to")?,
                id: f.id()?,
                version: f.version()?,
                rotation: f.number("rotation")?,
                access_token: f.text("access_token")?,
                expires_at: match f.take("expires_at")? {
                    Value::Null => None,
                    other => Some(other.as_u64()?),
                },
            },
            "refused" => TabMessage::Refused {
                to: f.tab("to")?,
                id: f.id()?,
                version: f.version()?,
                problem: Fields::problem(f.take("problem")?)?,
            },
            "rotated" => TabMessage::Rotated {
                version: f.version()?,
                rotation: f.number("rotation")?,
            },
            "logout_request" => TabMessage::LogoutRequest {
                from: f.tab("from")?,
                id: f.id()?,
                version: f.version()?,
            },
            "logged_out" => TabMessage::LoggedOut {
                to: f.tab("to")?,
                id: f.id()?,
                version: f.version()?,
                problems: match f.take("problems")? {
                    Value::Array(items) => items
                        .into_iter()
                        .map(Fields::problem)
                        .collect::<Option<Vec<_>>>()?,
                    _ => return None,
                },
            },
            "ended" => TabMessage::Ended {
                version: f.version()?,
                reason: match f.text("reason")?.as_str() {
                    "logout" => EndReason::Logout,
                    "expired" => EndReason::Expired,
                    _ => return None,
                },
            },
            _ => return None,
        };
        f.done(message)
    }

    pub fn encode(&self) -> String {
        let problem = |p: &Problem| json!({"code": p.code, "message": p.message});
        let (kind, body) = match self {
            TabMessage::Hello { from } => ("hello", json!({ "from": from })),
            TabMessage::Session {
                to,
                version,
                id_token,
                jkt,
            } => (
                "session",
                json!({"to": to, "version": version, "id_token": id_token, "jkt": jkt}),
            ),
            TabMessage::NoSession { to } => ("no_session", json!({ "to": to })),
            TabMessage::TokenRequest {
                from,
                id,
                version,
                audience,
                scope,
                rejected,
            } => (
                "token_request",
                json!({"from": from, "id": id, "version": version, "audience": audience,
                       "scope": scope, "rejected": rejected}),
            ),
            TabMessage::Token {
                to,
                id,
                version,
                rotation,
                access_token,
                expires_at,
            } => (
                "token",
                json!({"to": to, "id": id, "version": version, "rotation": rotation,
                       "access_token": access_token, "expires_at": expires_at}),
            ),
            TabMessage::Refused {
                to,
                id,
                version,
                problem: p,
            } => (
                "refused",
                json!({"to": to, "id": id, "version": version, "problem": problem(p)}),
            ),
            TabMessage::Rotated { version, rotation } => {
                ("rotated", json!({"version": version, "rotation": rotation}))
            }
            TabMessage::LogoutRequest { from, id, version } => (
                "logout_request",
                json!({"from": from, "id": id, "version": version}),
            ),
            TabMessage::LoggedOut {
                to,
                id,
                version,
                problems,
            } => (
                "logged_out",
                json!({"to": to, "id": id, "version": version,
                       "problems": problems.iter().map(problem).collect::<Vec<_>>()}),
            ),
            TabMessage::Ended { version, reason } => (
                "ended",
                json!({"version": version, "reason": reason.name()}),
            ),
        };
        json!({ kind: body }).to_string()
    }
}

/// The origin's record of this client's session, written before tabs are told of a
/// change, so that what a tab hears must agree with it: the version of the newest
/// session, whose user it is while signed in, and (opted in) its tokens.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharedRecord {
    pub version: u64,
    /// `None` once the session ended.
    pub sub: Option<String>,
    #[serde(default)]
    pub tokens: Option<StoredTokens>,
}

impl SharedRecord {
    /// Reads the stored record; what cannot be read, or names a version out of
    /// range, is an error (and counts as no session).
    pub fn parse(text: &str) -> Result<SharedRecord, Error> {
        if text.len() > MAX_MESSAGE_BYTES {
            return Err(Error::SharedSessionInvalid(
                "the stored session is too long".into(),
            ));
        }
        let record: SharedRecord = serde_json::from_str(text)
            .map_err(|e| Error::SharedSessionInvalid(format!("stored session: {e}")))?;
        if record.version > MAX_VERSION {
            return Err(Error::SharedSessionInvalid(format!(
                "stored session version {} out of range",
                record.version
            )));
        }
        Ok(record)
    }

    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The version of the next login: one more, never wrapping.
    pub fn next_version(&self) -> Option<u64> {
        self.version.checked_add(1).filter(|v| *v <= MAX_VERSION)
    }
}
