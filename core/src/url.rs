//! A strict, small parser for the absolute `http(s)` URLs the widget is configured with
//! and the endpoints a provider announces. It accepts less than a browser does on
//! purpose (no user info, no fragment, ASCII host names only) and says exactly what
//! it rejected. The full `url` crate would add its IDNA tables to the wasm for hosts
//! that must be given in ASCII (punycode) anyway.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUrl {
    /// The URL as given, with scheme and host lower-cased.
    text: String,
    /// Byte index where the path starts (after `scheme://host[:port]`).
    path_start: usize,
    /// Byte index of `?`, if there is a query.
    query_start: Option<usize>,
}

impl HttpUrl {
    /// Parses an absolute `https:` URL, or an `http:` one on a loopback host.
    pub fn parse(input: &str) -> Result<Self, String> {
        let input = input.trim();
        if input.is_empty() {
            return Err("is empty".into());
        }
        if let Some(c) = input
            .chars()
            .find(|c| c.is_control() || c.is_whitespace() || !c.is_ascii())
        {
            return Err(format!(
                "contains {c:?}: encode it, or use the punycode form of the host"
            ));
        }
        let (scheme, rest) = input
            .split_once("://")
            .ok_or("is not an absolute URL (expected https://…)")?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "https" && scheme != "http" {
            return Err(format!(
                "has scheme {scheme:?}: only https (or http on localhost) is allowed"
            ));
        }
        if rest.contains('#') {
            return Err("has a #fragment, which is not allowed here".into());
        }
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(authority_end);
        if authority.contains('@') {
            return Err("contains user info (user@host), which is not allowed".into());
        }
        let host = parse_authority(authority)?;
        if scheme == "http" && !is_loopback(&host) {
            return Err(
                "uses http on a public host: use https (http is only for localhost)".into(),
            );
        }
        let tail = if tail.is_empty() || tail.starts_with('?') {
            format!("/{tail}")
        } else {
            tail.to_string()
        };
        let text = format!("{scheme}://{}{tail}", authority.to_ascii_lowercase());
        let path_start = scheme.len() + 3 + authority.len();
        let query_start = text[path_start..].find('?').map(|i| i + path_start);
        Ok(Self {
            text,
            path_start,
            query_start,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// `scheme://host[:port]`.
    pub fn origin(&self) -> &str {
        &self.text[..self.path_start]
    }

    /// The host name (or IP literal), without the port.
    pub fn host(&self) -> &str {
        let authority = &self.text[self.text.find("://").map_or(0, |i| i + 3)..self.path_start];
        match authority.strip_prefix('[') {
            Some(_) => &authority[..=authority.find(']').unwrap_or(authority.len() - 1)],
            None => authority
                .rsplit_once(':')
                .map_or(authority, |(host, _)| host),
        }
    }

    /// The scheme and registrable domain: what browsers compare to tell a site's own
    /// cookies from third-party ones (ports do not count). Without the public suffix
    /// list, the registrable domain is the last two labels, or three under a two-letter
    /// country domain whose second level is a common public one (`shop.co.uk`).
    pub fn site(&self) -> String {
        let scheme = &self.text[..self.text.find("://").unwrap_or(0)];
        let host = self.host().trim_end_matches('.');
        let labels: Vec<&str> = host.split('.').collect();
        let is_ip = host.starts_with('[') || labels.iter().all(|l| l.parse::<u8>().is_ok());
        let keep = match labels.as_slice() {
            _ if is_ip => labels.len(),
            [.., second, top]
                if top.len() == 2 && PUBLIC_SECOND_LEVEL.contains(second) && labels.len() > 2 =>
            {
                3
            }
            _ => 2,
        };
        let registrable = labels[labels.len().saturating_sub(keep)..].join(".");
        format!("{scheme}://{registrable}")
    }

    /// The path, always starting with `/`.
    pub fn path(&self) -> &str {
        &self.text[self.path_start..self.query_start.unwrap_or(self.text.len())]
    }

    /// The URL without query: what a redirect must match, and what DPoP's `htu` is.
    pub fn without_query(&self) -> &str {
        &self.text[..self.query_start.unwrap_or(self.text.len())]
    }

    /// This URL with a path appended to its own (no doubled `/`), query dropped.
    pub fn join_path(&self, suffix: &str) -> String {
        format!(
            "{}/{}",
            self.without_query().trim_end_matches('/'),
            suffix.trim_start_matches('/')
        )
    }

    /// This URL with `pairs` appended to its query, form-encoded.
    pub fn with_query(&self, pairs: &[(&str, &str)]) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.extend_pairs(pairs);
        let separator = match self.query_start {
            None => "?",
            Some(i) if i + 1 == self.text.len() => "",
            Some(_) => "&",
        };
        format!("{}{separator}{}", self.text, query.finish())
    }
}

impl fmt::Display for HttpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Checks `host[:port]` and returns the host.
fn parse_authority(authority: &str) -> Result<String, String> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (inside, after) = rest.split_once(']').ok_or("has an unclosed [IPv6] host")?;
        if inside.is_empty()
            || !inside
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return Err("has an invalid IPv6 host".into());
        }
        let port = match after {
            "" => None,
            _ => Some(
                after
                    .strip_prefix(':')
                    .ok_or("has characters after the IPv6 host")?,
            ),
        };
        (format!("[{inside}]"), port)
    } else {
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        if host.is_empty() {
            return Err("has no host".into());
        }
        let labels_ok = host.split('.').enumerate().all(|(i, label)| {
            (!label.is_empty() || (i > 0 && host.ends_with('.'))) && label.len() <= 63
        });
        if !labels_ok
            || !host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        {
            return Err(format!("has an invalid host {host:?}"));
        }
        (host.to_ascii_lowercase(), port)
    };
    if let Some(port) = port {
        let valid = !port.is_empty()
            && port.len() <= 5
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u32>().is_ok_and(|p| (1..=65535).contains(&p));
        if !valid {
            return Err(format!("has an invalid port {port:?}"));
        }
    }
    Ok(host)
}

/// Second-level labels that country domains commonly sell names under.
const PUBLIC_SECOND_LEVEL: [&str; 12] = [
    "co", "com", "net", "org", "ac", "gov", "edu", "ne", "or", "go", "gob", "ltd",
];

/// `localhost`, a name under it, `[::1]` or an IPv4 address in 127.0.0.0/8 (four
/// numbers: `127.evil.example` is a public name).
fn is_loopback(host: &str) -> bool {
    let ipv4_loopback = || {
        let parts: Vec<&str> = host.split('.').collect();
        parts.len() == 4 && parts[0] == "127" && parts.iter().all(|p| p.parse::<u8>().is_ok())
    };
    host == "localhost" || host.ends_with(".localhost") || host == "[::1]" || ipv4_loopback()
}

/// All `name=value` pairs of a URL's query, decoded, in order. The fragment is ignored.
pub fn query_pairs(url: &str) -> Vec<(String, String)> {
    let without_fragment = url.split('#').next().unwrap_or_default();
    match without_fragment.split_once('?') {
        Some((_, query)) => form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect(),
        None => Vec::new(),
    }
}

/// All `name=value` pairs of a URL's fragment (`response_mode=fragment`), decoded.
pub fn fragment_pairs(url: &str) -> Vec<(String, String)> {
    match url.split_once('#') {
        Some((_, fragment)) => form_urlencoded::parse(fragment.as_bytes())
            .into_owned()
            .collect(),
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_normalises() {
        let url = HttpUrl::parse(" HTTPS://Shop.Example.COM:8443/a/b?x=1 ").unwrap();
        assert_eq!(url.as_str(), "https://shop.example.com:8443/a/b?x=1");
        assert_eq!(url.origin(), "https://shop.example.com:8443");
        assert_eq!(url.path(), "/a/b");
        assert_eq!(url.without_query(), "https://shop.example.com:8443/a/b");
        assert_eq!(
            HttpUrl::parse("http://localhost:9000").unwrap().as_str(),
            "http://localhost:9000/"
        );
        assert_eq!(
            HttpUrl::parse("http://127.0.0.1:9000/x").unwrap().path(),
            "/x"
        );
        assert_eq!(
            HttpUrl::parse("http://[::1]:80/").unwrap().origin(),
            "http://[::1]:80"
        );
    }

    #[test]
    fn rejects_with_a_specific_reason() {
        let cases = [
            ("", "is empty"),
            ("localhost:9000", "not an absolute URL"),
            ("ftp://example.com", "scheme \"ftp\""),
            ("javascript://alert(1)", "scheme \"javascript\""),
            ("http://example.com", "http on a public host"),
            ("http://127.evil.example", "http on a public host"),
            ("http://127.0.0.1.evil.example", "http on a public host"),
            ("http://127.0.0.256", "http on a public host"),
            ("https://user:pw@example.com", "user info"),
            ("https://example.com/#frag", "fragment"),
            ("https://exa mple.com", "contains ' '"),
            ("https://exämple.com", "punycode"),
            ("https://", "no host"),
            ("https://:443", "no host"),
            ("https://exa_mple.com", "invalid host"),
            ("https://example..com", "invalid host"),
            ("https://example.com:0", "invalid port"),
            ("https://example.com:99999", "invalid port"),
            ("https://example.com:8a", "invalid port"),
            ("https://[::1", "unclosed"),
            ("https://[zz]", "invalid IPv6"),
        ];
        for (input, expected) in cases {
            let error = HttpUrl::parse(input).expect_err(input);
            assert!(
                error.contains(expected),
                "{input:?}: {error:?} should mention {expected:?}"
            );
        }
    }

    #[test]
    fn hosts_and_sites() {
        let site = |url: &str| HttpUrl::parse(url).unwrap().site();
        let host = |url: &str| HttpUrl::parse(url).unwrap().host().to_string();
        assert_eq!(host("https://id.example.test:9443/x"), "id.example.test");
        assert_eq!(host("http://[::1]:80/"), "[::1]");
        assert_eq!(host("http://localhost/"), "localhost");
        let same = [
            (
                "https://shop.example.test:8443/",
                "https://id.example.test:9443/",
            ),
            ("http://localhost:8080/", "http://localhost:9000/"),
            ("https://www.shop.co.uk/", "https://id.shop.co.uk/"),
            ("https://example.com/", "https://a.b.example.com/"),
        ];
        for (a, b) in same {
            assert_eq!(site(a), site(b), "{a} and {b} are one site");
        }
        let other = [
            ("https://shop.example.test/", "https://id.other.test/"),
            ("https://shop.co.uk/", "https://other.co.uk/"),
            ("http://localhost:8080/", "http://127.0.0.1:9000/"),
            ("https://127.0.0.1/", "https://127.0.0.2/"),
        ];
        for (a, b) in other {
            assert_ne!(site(a), site(b), "{a} and {b} are different sites");
        }
    }

    #[test]
    fn joins_and_adds_query() {
        let base = HttpUrl::parse("http://localhost:9000/").unwrap();
        assert_eq!(
            base.join_path("/.well-known/openid-configuration"),
            "http://localhost:9000/.well-known/openid-configuration"
        );
        let endpoint = HttpUrl::parse("https://id.example/authorize?tenant=a").unwrap();
        assert_eq!(
            endpoint.with_query(&[("q", "a b&c")]),
            "https://id.example/authorize?tenant=a&q=a+b%26c"
        );
        assert_eq!(base.with_query(&[("x", "1")]), "http://localhost:9000/?x=1");
    }

    #[test]
    fn reads_query_pairs_in_order_with_duplicates() {
        let pairs =
            query_pairs("http://localhost:8080/callback?code=a%2Fb&state=s&state=t#code=ignored");
        assert_eq!(
            pairs,
            [
                ("code".into(), "a/b".into()),
                ("state".into(), "s".into()),
                ("state".into(), "t".into())
            ]
        );
        assert!(query_pairs("http://localhost/").is_empty());
        assert_eq!(
            fragment_pairs("http://localhost/cb?x=1#code=a&state=b"),
            [("code".into(), "a".into()), ("state".into(), "b".into())]
        );
    }
}
