//! The policy for new passwords (NIST SP 800-63B-4 §3.1.1.2): a length range counted
//! in characters, no composition rules, optionally no password known from breaches.
//! The backend checks the rest (e.g. common passwords).

use crate::breached::range_query;
use crate::ports::Http;
use crate::secret::Password;
use crate::url::HttpUrl;
use crate::Error;

/// Longest password accepted: well above the 64 that NIST asks to allow, and bounded
/// so that hashing cannot be abused.
pub const MAX_CHARS: usize = 256;

/// What a new password must satisfy before it is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordPolicy {
    /// Shortest new password accepted, in characters.
    pub min_length: usize,
    /// A k-anonymity range API (`<url><first 5 hex of SHA-1>`); off unless given.
    pub breached_check: Option<HttpUrl>,
}

pub fn check_length(password: &Password, min: usize) -> Result<(), Error> {
    let length = password.expose().chars().count();
    if (min..=MAX_CHARS).contains(&length) {
        Ok(())
    } else {
        Err(Error::PasswordLength {
            min,
            max: MAX_CHARS,
        })
    }
}

impl PasswordPolicy {
    /// Length first; then, when the host configured a range API, the breach corpus.
    /// An unreachable breach service does not block anyone (it is advice, and a
    /// third party's outage must not stop sign-ups); the backend still checks.
    pub async fn check(&self, http: &impl Http, password: &Password) -> Result<(), Error> {
        check_length(password, self.min_length)?;
        let Some(range_url) = &self.breached_check else {
            return Ok(());
        };
        let query = range_query(range_url, password);
        let count = match http.send(query.request.clone()).await {
            Ok(response) => query.breach_count(&response).unwrap_or(0),
            Err(_) => 0,
        };
        if count > 0 {
            Err(Error::PasswordBreached { count })
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_counted_in_characters_without_composition_rules() {
        let accepted = [
            "correct horse battery staple",
            "aaaaaaaaaaaaaaa", // one letter 15 times: no composition rule
            "äöüßéèêëïîôœùûç", // 15 characters, 30 bytes
            "パスワードはとても長いのでだいじょうぶ", // Japanese, 19 characters
        ];
        for password in accepted {
            assert_eq!(
                check_length(&Password::new(password), 15),
                Ok(()),
                "{password}"
            );
        }
        let refused = ["", "fourteen chars", &"x".repeat(MAX_CHARS + 1)];
        for password in refused {
            assert_eq!(
                check_length(&Password::new(password), 15),
                Err(Error::PasswordLength { min: 15, max: 256 })
            );
        }
        assert_eq!(
            check_length(&Password::new("x".repeat(MAX_CHARS)), 15),
            Ok(())
        );
        assert_eq!(check_length(&Password::new("8 chars!"), 8), Ok(()));
    }
}
