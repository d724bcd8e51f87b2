//! What a form field must look like before anything is sent: the backend has the
//! last word, these only catch what it would refuse anyway.

use crate::Error;

/// `local@domain`, nothing more: the backend has the last word on addresses.
pub fn looks_like_email(value: &str) -> bool {
    match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && value.len() <= 254
                && !value.chars().any(char::is_whitespace)
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
