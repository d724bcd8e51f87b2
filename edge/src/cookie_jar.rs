//! The identity backend's cookies, kept by the edge for one session: its login API
//! (allauth's session and CSRF cookies) answers the edge, never the browser. The jar
//! serves one origin, the login API's, so it keeps names and values with their
//! expiry and nothing else; it is sealed with the rest of the session's state.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CookieJar {
    cookies: BTreeMap<String, Kept>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Kept {
    value: String,
    /// Seconds since the Unix epoch; `None` for a session cookie (kept as long as
    /// the edge session).
    expires: Option<u64>,
}

impl CookieJar {
    /// Takes one `Set-Cookie` header: a new value, or a deletion (an expiry in the
    /// past, or an empty value, as frameworks delete cookies).
    pub fn store(&mut self, set_cookie: &str, now: u64) {
        let mut parts = set_cookie.split(';');
        let Some((name, value)) = parts.next().and_then(|pair| pair.split_once('=')) else {
            return;
        };
        let (name, value) = (name.trim(), value.trim().trim_matches('"'));
        if name.is_empty() {
            return;
        }
        let mut max_age = None;
        let mut expires = None;
        for attribute in parts {
            let (key, setting) = attribute.split_once('=').unwrap_or((attribute, ""));
            match key.trim().to_ascii_lowercase().as_str() {
                "max-age" => max_age = setting.trim().parse::<i64>().ok(),
                "expires" => expires = http_date(setting.trim()),
                _ => {}
            }
        }
        // Max-Age wins over Expires (RFC 6265 §5.3, step 3).
        let expires = match max_age {
            Some(seconds) if seconds <= 0 => Some(0),
            Some(seconds) => Some(now.saturating_add(seconds as u64)),
            None => expires,
        };
        if value.is_empty() || expires.is_some_and(|at| at <= now) {
            self.cookies.remove(name);
        } else {
            let kept = Kept {
                value: value.to_string(),
                expires,
            };
            self.cookies.insert(name.to_string(), kept);
        }
    }

    pub fn get(&self, name: &str, now: u64) -> Option<&str> {
        self.cookies
            .get(name)
            .filter(|kept| kept.live(now))
            .map(|kept| kept.value.as_str())
    }

    /// The `Cookie` header for the login API; `None` when there is nothing to send.
    pub fn header(&self, now: u64) -> Option<String> {
        let pairs: Vec<String> = self
            .cookies
            .iter()
            .filter(|(_, kept)| kept.live(now))
            .map(|(name, kept)| format!("{name}={}", kept.value))
            .collect();
        (!pairs.is_empty()).then(|| pairs.join("; "))
    }

    pub fn is_empty(&self) -> bool {
        self.cookies.is_empty()
    }
}

impl Kept {
    fn live(&self, now: u64) -> bool {
        self.expires.is_none_or(|at| at > now)
    }
}

/// An IMF-fixdate (`Thu, 01 Jan 1970 00:00:00 GMT`, RFC 9110 §5.6.7) in seconds
/// since the epoch; `None` for anything else.
fn http_date(text: &str) -> Option<u64> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let mut words = text.split_whitespace().skip(1);
    let day: u64 = words.next()?.parse().ok()?;
    let month = words.next()?.to_ascii_lowercase();
    let month = MONTHS.iter().position(|m| *m == month)? as u64 + 1;
    let year: u64 = words.next()?.parse().ok()?;
    let mut clock = words.next()?.split(':').map(|n| n.parse::<u64>().ok());
    let (hours, minutes, seconds) = (clock.next()??, clock.next()??, clock.next()??);
    Some(days_from_civil(year, month, day)? * 86_400 + hours * 3600 + minutes * 60 + seconds)
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (H. Hinnant's
/// `days_from_civil`), for years from 1970.
fn days_from_civil(year: u64, month: u64, day: u64) -> Option<u64> {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year / 400;
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    (era * 146_097 + day_of_era).checked_sub(719_468)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_800_000_000;

    #[test]
    fn keeps_what_the_backend_sets_and_sends_it_back() {
        let mut jar = CookieJar::default();
        jar.store(
            "csrftoken=abc; expires=Wed, 01 Jan 2031 00:00:00 GMT; Max-Age=31449600; Path=/; SameSite=Lax",
            NOW,
        );
        jar.store("sessionid=s1; HttpOnly; Path=/; SameSite=Lax", NOW);
        assert_eq!(jar.get("csrftoken", NOW), Some("abc"));
        assert_eq!(
            jar.header(NOW).as_deref(),
            Some("csrftoken=abc; sessionid=s1")
        );
        jar.store("sessionid=s2; Path=/", NOW);
        assert_eq!(
            jar.get("sessionid", NOW),
            Some("s2"),
            "a new value replaces"
        );
        assert_eq!(
            jar.get("csrftoken", NOW + 31_449_600),
            None,
            "expired by Max-Age"
        );
    }

    #[test]
    fn deletions_as_frameworks_send_them() {
        let mut jar = CookieJar::default();
        jar.store("sessionid=s1", NOW);
        // Django's delete_cookie.
        jar.store(
            "sessionid=\"\"; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/",
            NOW,
        );
        assert!(jar.is_empty());
        jar.store("a=1", NOW);
        jar.store("a=2; Expires=Thu, 01 Jan 1970 00:00:00 GMT", NOW);
        assert_eq!(jar.get("a", NOW), None, "an Expires in the past deletes");
        jar.store("garbage", NOW);
        jar.store("=nameless", NOW);
        assert_eq!(jar.header(NOW), None);
    }

    #[test]
    fn reads_http_dates() {
        assert_eq!(http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(
            http_date("Sat, 29 Feb 2020 12:00:00 GMT"),
            Some(1_582_977_600)
        );
        assert_eq!(http_date("yesterday"), None);
    }

    #[test]
    fn the_jar_survives_sealing() {
        let mut jar = CookieJar::default();
        jar.store("csrftoken=abc; Max-Age=60", NOW);
        let json = serde_json::to_string(&jar).unwrap();
        assert_eq!(serde_json::from_str::<CookieJar>(&json).unwrap(), jar);
    }
}
