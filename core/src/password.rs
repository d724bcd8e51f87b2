//! The policy for new passwords (NIST SP 800-63B-4 §3.1.1.2): a length range counted
//! in characters, no composition rules; the backend checks the rest (common or
//! breached passwords).

use crate::secret::Password;
use crate::Error;

/// Shortest password accepted when it is the only factor.
pub const MIN_CHARS: usize = 15;
/// Longest password accepted: well above the 64 that NIST asks to allow, and bounded
/// so that hashing cannot be abused.
pub const MAX_CHARS: usize = 256;

pub fn check_new_password(password: &Password) -> Result<(), Error> {
    let length = password.expose().chars().count();
    if (MIN_CHARS..=MAX_CHARS).contains(&length) {
        Ok(())
    } else {
        Err(Error::PasswordLength {
            min: MIN_CHARS,
            max: MAX_CHARS,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_counted_in_characters_without_composition_rules() {
        let accepted = [
            "correct horse battery staple",
            "aaaaaaaaaaaaaaa", // 15 of one letter: no composition rule
            "äöüßéèêëïîôœùûç", // 15 characters, 30 bytes
            "パスワードはとても長いのでだいじょうぶ", // Japanese, 19 characters
        ];
        for password in accepted {
            assert_eq!(
                check_new_password(&Password::new(password)),
                Ok(()),
                "{password}"
            );
        }
        let refused = ["", "fourteen chars", &"x".repeat(MAX_CHARS + 1)];
        for password in refused {
            assert_eq!(
                check_new_password(&Password::new(password)),
                Err(Error::PasswordLength { min: 15, max: 256 })
            );
        }
        assert_eq!(
            check_new_password(&Password::new("x".repeat(MAX_CHARS))),
            Ok(())
        );
    }
}
