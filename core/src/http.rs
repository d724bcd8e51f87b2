//! Plain data for HTTP exchanges: the core builds [`HttpRequest`]s and reads
//! [`HttpResponse`]s; a [`Http`](crate::ports::Http) port carries them, within
//! these limits: a request without an answer after [`REQUEST_TIMEOUT_MS`] fails with
//! `request_timeout`, a body longer than [`MAX_RESPONSE_BYTES`] with
//! `response_too_large` (nothing latchkey reads is near that size).

/// How long a port waits for a response, body included (30 s).
pub const REQUEST_TIMEOUT_MS: u32 = 30_000;
/// The longest response body a port reads (1 MiB).
pub const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// The method named `name` (as fetch upper-cases it).
    pub fn parse(name: &str) -> Option<Method> {
        [
            Method::Get,
            Method::Post,
            Method::Put,
            Method::Patch,
            Method::Delete,
        ]
        .into_iter()
        .find(|method| method.as_str().eq_ignore_ascii_case(name))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<String>,
    /// Send and accept cookies (the backend's own login API); OAuth endpoints go without.
    pub with_cookies: bool,
}

impl HttpRequest {
    pub fn get(url: impl Into<String>) -> Self {
        Self {
            method: Method::Get,
            url: url.into(),
            headers: vec![("accept", "application/json".into())],
            body: None,
            with_cookies: false,
        }
    }

    /// A POST of `application/x-www-form-urlencoded` pairs (OAuth token and revocation endpoints).
    pub fn form(url: impl Into<String>, pairs: &[(&str, &str)]) -> Self {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        let mut request = Self::get(url);
        request.method = Method::Post;
        request
            .headers
            .push(("content-type", "application/x-www-form-urlencoded".into()));
        request.body = Some(body);
        request
    }

    /// A request with a JSON body (or none), cookies included.
    pub fn json_with_cookies(method: Method, url: impl Into<String>, body: Option<String>) -> Self {
        let mut request = Self::get(url);
        request.method = method;
        request.with_cookies = true;
        if body.is_some() {
            request
                .headers
                .push(("content-type", "application/json".into()));
        }
        request.body = body;
        request
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// `Retry-After` in seconds, when it is given as a number (RFC 9110 §10.2.3).
    pub fn retry_after(&self) -> Option<u64> {
        self.header("retry-after")?.trim().parse().ok()
    }
}
