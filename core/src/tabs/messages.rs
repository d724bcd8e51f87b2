//! What tabs say to each other, and the record they check it against. Both come from
//! places any script of the origin can write to (BroadcastChannel, IndexedDB), so
//! both are read as untrusted: bounded in size, parsed into closed types, unknown
//! fields refused.

use serde::{Deserialize, Serialize};

use crate::client::StoredTokens;
use crate::Error;

/// Longest message read from the channel: an ID token (the JWS parser's 32 KiB)
/// and an access token fit with room to spare.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;
/// Session versions stay exact in IndexedDB and JavaScript (2^53 - 1).
pub const MAX_VERSION: u64 = (1 << 53) - 1;

/// Why a session ended everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    Logout,
    /// The provider refused the refresh token.
    Expired,
}

/// A problem the holding tab met while signing out, for the tab that asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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

/// One message between tabs. No message carries a refresh token; access tokens
/// travel only in answer to a request, the ID token with a session announcement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
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

impl TabMessage {
    /// Reads a message; `None` for anything too long, malformed, of an unknown type,
    /// with unknown fields, a bad tab name or a version out of range.
    pub fn decode(text: &str) -> Option<TabMessage> {
        if text.len() > MAX_MESSAGE_BYTES {
            return None;
        }
        let message: TabMessage = serde_json::from_str(text).ok()?;
        message.is_sound().then_some(message)
    }

    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    fn is_sound(&self) -> bool {
        let (tab, version) = match self {
            TabMessage::Hello { from } => (Some(from), 1),
            TabMessage::NoSession { to } => (Some(to), 1),
            TabMessage::Session { to, version, .. } => (to.as_ref(), *version),
            TabMessage::TokenRequest { from, version, .. }
            | TabMessage::LogoutRequest { from, version, .. } => (Some(from), *version),
            TabMessage::Token { to, version, .. }
            | TabMessage::Refused { to, version, .. }
            | TabMessage::LoggedOut { to, version, .. } => (Some(to), *version),
            TabMessage::Rotated { version, .. } | TabMessage::Ended { version, .. } => {
                (None, *version)
            }
        };
        tab.is_none_or(|id| valid_tab_id(id)) && (1..=MAX_VERSION).contains(&version)
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
