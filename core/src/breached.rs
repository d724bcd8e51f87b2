//! Checking a new password against a breached-password corpus by k-anonymity
//! (the "Pwned Passwords" range API): only the first 5 hex digits of its SHA-1 leave
//! the browser, and the answer lists every known suffix under that prefix.

use sha1::{Digest, Sha1};

use crate::http::{HttpRequest, HttpResponse};
use crate::secret::Password;
use crate::url::HttpUrl;
use crate::Error;

/// What the range query found for one password.
pub struct RangeQuery {
    pub request: HttpRequest,
    /// The 35 hex digits that stay here and are looked for in the answer.
    suffix: String,
}

/// `GET <range_url><PREFIX>`, padded so the answer's size does not hint at the prefix.
pub fn range_query(range_url: &HttpUrl, password: &Password) -> RangeQuery {
    let digest = Sha1::digest(password.expose().as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02X}")).collect();
    let (prefix, suffix) = hex.split_at(5);
    RangeQuery {
        request: HttpRequest::get(format!("{}{prefix}", range_url.as_str()))
            .header("add-padding", "true"),
        suffix: suffix.to_string(),
    }
}

impl RangeQuery {
    /// How often the password appears in the corpus (0: not found; padding lines
    /// carry a count of 0 too).
    pub fn breach_count(&self, response: &HttpResponse) -> Result<u64, Error> {
        if response.status != 200 {
            return Err(Error::Network(format!(
                "breached-password check answered HTTP {}",
                response.status
            )));
        }
        for line in response.body.lines() {
            let Some((suffix, count)) = line.trim().split_once(':') else {
                continue;
            };
            if suffix.eq_ignore_ascii_case(&self.suffix) {
                return Ok(count.trim().parse().unwrap_or(0));
            }
        }
        Ok(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(body: &str) -> HttpResponse {
        HttpResponse {
            status: 200,
            headers: vec![],
            body: body.into(),
        }
    }

    #[test]
    fn only_the_prefix_is_sent_and_the_suffix_is_matched() {
        // SHA-1("password") = 5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8
        let url = HttpUrl::parse("https://pwned.example/range/").unwrap();
        let query = range_query(&url, &Password::new("password"));
        assert_eq!(query.request.url, "https://pwned.example/range/5BAA6");
        assert!(!query
            .request
            .url
            .contains("1E4C9B93F3F0682250B6CF8331B7EE68FD8"));
        assert!(query
            .request
            .headers
            .contains(&("add-padding", "true".into())));
        let found = "0018A45C4D1DEF81644B54AB7F969B88D65:1\r\n1E4C9B93F3F0682250B6CF8331B7EE68FD8:9659365\r\n";
        assert_eq!(query.breach_count(&answer(found)), Ok(9_659_365));
        let lowercase = "1e4c9b93f3f0682250b6cf8331b7ee68fd8:3";
        assert_eq!(query.breach_count(&answer(lowercase)), Ok(3));
        let padded = "1E4C9B93F3F0682250B6CF8331B7EE68FD8:0\nnot a line\n:\n";
        assert_eq!(query.breach_count(&answer(padded)), Ok(0));
        assert_eq!(query.breach_count(&answer("")), Ok(0));
        let down = HttpResponse {
            status: 503,
            ..answer("")
        };
        assert!(matches!(query.breach_count(&down), Err(Error::Network(_))));
    }
}
