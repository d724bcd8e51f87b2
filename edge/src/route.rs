//! Which edge route a request is for. Everything outside the prefix belongs to the
//! shop and is passed through; inside it, only these routes exist.

/// A request's route, from its method and path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `GET {prefix}/login`: start a redirect login.
    Login,
    /// `GET {prefix}/callback`: the provider's redirect back.
    Callback,
    /// `GET {prefix}/session`: the signed-in user's claims.
    Session,
    /// `POST {prefix}/logout`: revoke, forget, and hand out the end-session URL.
    Logout,
    /// `{prefix}/api/<path>`: a request for an API origin, with the access token.
    Api(String),
    /// `POST {prefix}/backchannel-logout`: the provider ends sessions.
    BackchannelLogout,
    /// A known route with another method.
    MethodNotAllowed(&'static str),
    /// Under the prefix, but no such route.
    NotFound,
    /// Not under the prefix: the shop's own origin answers.
    Shop,
}

impl Route {
    pub fn parse(method: &str, path: &str, prefix: &str) -> Route {
        let Some(rest) = path.strip_prefix(prefix) else {
            return Route::Shop;
        };
        if !rest.is_empty() && !rest.starts_with('/') {
            return Route::Shop; // "/authors" is not under "/auth"
        }
        let fixed = |allowed: &'static str, route: Route| {
            if method.eq_ignore_ascii_case(allowed) {
                route
            } else {
                Route::MethodNotAllowed(allowed)
            }
        };
        match rest {
            "/login" => fixed("GET", Route::Login),
            "/callback" => fixed("GET", Route::Callback),
            "/session" => fixed("GET", Route::Session),
            "/logout" => fixed("POST", Route::Logout),
            "/backchannel-logout" => fixed("POST", Route::BackchannelLogout),
            _ => match rest.strip_prefix("/api/") {
                Some(api_path) => Route::Api(api_path.to_string()),
                None => Route::NotFound,
            },
        }
    }

    /// The route's name in log lines.
    pub fn name(&self) -> &'static str {
        match self {
            Route::Login => "login",
            Route::Callback => "callback",
            Route::Session => "session",
            Route::Logout => "logout",
            Route::Api(_) => "api",
            Route::BackchannelLogout => "backchannel_logout",
            Route::MethodNotAllowed(_) => "method_not_allowed",
            Route::NotFound => "not_found",
            Route::Shop => "shop",
        }
    }

    /// Routes a cross-site page must not be able to trigger: they read the session,
    /// change it, or spend its tokens.
    pub fn same_origin_only(&self) -> bool {
        matches!(self, Route::Session | Route::Logout | Route::Api(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_under_the_prefix_only() {
        let cases = [
            ("GET", "/auth/login", Route::Login),
            ("GET", "/auth/callback", Route::Callback),
            ("GET", "/auth/session", Route::Session),
            ("POST", "/auth/logout", Route::Logout),
            ("POST", "/auth/backchannel-logout", Route::BackchannelLogout),
            (
                "DELETE",
                "/auth/api/orders/7",
                Route::Api("orders/7".into()),
            ),
            ("GET", "/auth/logout", Route::MethodNotAllowed("POST")),
            ("POST", "/auth/login", Route::MethodNotAllowed("GET")),
            ("GET", "/auth/api", Route::NotFound),
            ("GET", "/auth/", Route::NotFound),
            ("GET", "/auth", Route::NotFound),
            ("GET", "/authors", Route::Shop),
            ("GET", "/", Route::Shop),
            ("POST", "/cart", Route::Shop),
        ];
        for (method, path, route) in cases {
            assert_eq!(
                Route::parse(method, path, "/auth"),
                route,
                "{method} {path}"
            );
        }
        assert_eq!(Route::parse("GET", "/bff/login", "/bff"), Route::Login);
    }

    #[test]
    fn session_logout_and_api_are_same_origin_only() {
        let guarded: Vec<_> = [
            Route::Login,
            Route::Callback,
            Route::Session,
            Route::Logout,
            Route::Api(String::new()),
            Route::BackchannelLogout,
            Route::Shop,
        ]
        .into_iter()
        .filter(Route::same_origin_only)
        .map(|route| route.name())
        .collect();
        assert_eq!(guarded, ["session", "logout", "api"]);
    }
}
