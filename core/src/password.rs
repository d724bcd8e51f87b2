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
    /// third party's outage must not stop sign-ups; the backend still checks), but
    /// it is not silent either: `Ok(Some(problem))` lets the password through with
    /// a [`Error::BreachCheckFailed`] to report.
    pub async fn check(
        &self,
        http: &impl Http,
        password: &Password,
    ) -> Result<Option<Error>, Error> {
        check_length(password, self.min_length)?;
        let Some(range_url) = &self.breached_check else {
            return Ok(None);
        };
        let query = range_query(range_url, password);
        let count = http
            .send(query.request.clone())
            .await
            .and_then(|response| query.breach_count(&response));
        match count {
            Ok(0) => Ok(None),
            Ok(count) => Err(Error::PasswordBreached { count }),
            Err(error) => Ok(Some(Error::BreachCheckFailed(format!(
                "{error} ({})",
                error.code()
            )))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::fake::Fake;

    #[test]
    fn a_breach_check_that_fails_lets_the_password_through_and_says_so() {
        let policy = PasswordPolicy {
            min_length: 15,
            breached_check: Some(HttpUrl::parse("http://localhost:9000/range/").unwrap()),
        };
        let password = Password::new("correct horse battery staple");
        let check = |fake: &Fake| pollster::block_on(policy.check(fake, &password));
        let fake = Fake::default();
        // No answer at all (offline, refused by the page's CSP): "no route" here.
        let failed = check(&fake).unwrap().unwrap();
        assert_eq!(failed.code(), "breach_check_failed");
        assert!(failed.to_string().contains("network_error"), "{failed}");
        for (status, body) in [(503, ""), (200, "<html>maintenance</html>")] {
            fake.answers.borrow_mut().insert(
                "GET /range/ABF7A".into(),
                crate::http::HttpResponse {
                    status,
                    headers: vec![],
                    body: body.into(),
                },
            );
            let outcome = check(&fake);
            if status == 200 {
                assert_eq!(outcome, Ok(None), "no suffix matched: not breached");
            } else {
                assert_eq!(outcome.unwrap().unwrap().code(), "breach_check_failed");
            }
        }
        let sent = fake.sent.borrow();
        assert!(
            sent.iter().all(|r| r.url.ends_with("/range/ABF7A")),
            "5 hex digits only"
        );
    }

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
