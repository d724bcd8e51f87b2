//! What a form field must look like before anything is sent: the backend has the
//! last word, these only catch what it would refuse anyway.

use crate::ports::Normalizer;
use crate::Error;

/// `local@domain`, nothing more: the backend has the last word on addresses. No
/// spaces, control or invisible characters (a bidi override could make the
/// address read as another one), and at most 254 bytes (RFC 5321).
pub fn looks_like_email(value: &str) -> bool {
    match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && value.len() <= 254
                && !value
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || is_invisible(c))
        }
        None => false,
    }
}

pub fn require_email(email: &str) -> Result<(), Error> {
    if looks_like_email(email) {
        Ok(())
    } else {
        Err(Error::InvalidInput { field: "email" })
    }
}

pub fn require_code(code: &str) -> Result<(), Error> {
    if code.trim().is_empty() {
        Err(Error::InvalidInput { field: "code" })
    } else {
        Ok(())
    }
}

/// A code as typed or pasted (from a mail, an authenticator app, a password
/// manager): compatibility forms become plain ones (NFKC: full-width digits,
/// typographic dashes), and what cannot be part of a code goes: spaces, line
/// breaks, invisible format characters (zero-width, bidi controls). Dashes stay,
/// as the backend may write codes with them, except in numeric codes
/// (`123-456`), where they only group the digits.
pub fn clean_code(typed: &str, normalizer: &impl Normalizer) -> String {
    let kept: String = normalizer
        .nfkc(typed)
        .chars()
        .map(|c| if is_dash(c) { '-' } else { c })
        .filter(|c| !c.is_whitespace() && !is_invisible(*c))
        .collect();
    let digits: String = kept.chars().filter(|c| *c != '-').collect();
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits
    } else {
        kept
    }
}

/// Hyphens, dashes and minus signs that NFKC leaves as they are.
fn is_dash(c: char) -> bool {
    matches!(
        c,
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{2E3A}' | '\u{2E3B}'
    )
}

/// Format characters (Unicode category Cf) a code may carry from where it was copied.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::native::NativeNormalizer;

    #[test]
    fn addresses_with_hidden_or_control_characters_are_refused() {
        let long_local = format!("{}@example.com", "a".repeat(242));
        for good in [
            "dana@example.com",
            "dañá@exámple.com",
            "🦀@example.com",
            &long_local,
        ] {
            assert!(looks_like_email(good), "{good}");
        }
        let too_long = format!("{}@example.com", "a".repeat(243));
        for bad in [
            too_long.as_str(),
            "dana@example.com\u{0}",
            "dana\u{7}@example.com",
            "dana@exam\nple.com",
            "\u{202E}moc.elpmaxe@anad",
            "dana\u{200B}@example.com",
            "dana@example.com\u{2066}",
            "dana\u{00A0}@example.com",
        ] {
            assert!(!looks_like_email(bad), "{bad:?}");
        }
    }

    #[test]
    fn pasted_codes_lose_what_cannot_be_part_of_them() {
        for (typed, sent) in [
            ("123456", "123456"),
            (" 123 456\n", "123456"),
            ("123-456", "123456"),
            ("123\u{2013}456", "123456"),
            ("\u{FF11}\u{FF12}\u{FF13}\u{FF14}\u{FF15}\u{FF16}", "123456"),
            ("\u{200B}123\u{200B}456\u{FEFF}", "123456"),
            ("\u{202E}654321\u{202C}", "654321"),
            ("\u{2067}123 456\u{2069}", "123456"),
            ("ABCD-EFGH", "ABCD-EFGH"),
            ("abcd efgh", "abcdefgh"),
            ("ABCD\u{2011}EFGH", "ABCD-EFGH"),
            ("wxyz2-lmno3", "wxyz2-lmno3"),
            ("\u{00A0}ab12cd34\u{3000}", "ab12cd34"),
            ("---", "---"),
            ("", ""),
        ] {
            assert_eq!(clean_code(typed, &NativeNormalizer), sent, "{typed:?}");
        }
    }
}
