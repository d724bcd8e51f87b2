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
    /// `POST {prefix}/step`: one step of a journey of the widget's screens.
    Step,
    /// `POST {prefix}/passkey-options`: a WebAuthn challenge from the backend.
    PasskeyOptions,
    /// `POST {prefix}/account`: one call to the signed-in account's API.
    Account,
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
            "/step" => fixed("POST", Route::Step),
            "/passkey-options" => fixed("POST", Route::PasskeyOptions),
            "/account" => fixed("POST", Route::Account),
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
            Route::Step => "step",
            Route::PasskeyOptions => "passkey_options",
            Route::Account => "account",
            Route::MethodNotAllowed(_) => "method_not_allowed",
            Route::NotFound => "not_found",
            Route::Shop => "shop",
        }
    }

    /// Routes a cross-site page must not be able to trigger: they read the session,
    /// change it, spend its tokens, or act at the backend in its name.
    pub fn same_origin_only(&self) -> bool {
        matches!(
            self,
            Route::Session
                | Route::Logout
                | Route::Api(_)
                | Route::Step
                | Route::PasskeyOptions
                | Route::Account
        )
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
            ("POST", "/auth/step", Route::Step),
            ("POST", "/auth/passkey-options", Route::PasskeyOptions),
            ("POST", "/auth/account", Route::Account),
            ("GET", "/auth/step", Route::MethodNotAllowed("POST")),
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
    fn only_the_provider_facing_routes_take_cross_site_requests() {
        let guarded: Vec<_> = [
            Route::Login,
            Route::Callback,
            Route::Session,
            Route::Logout,
            Route::Api(String::new()),
            Route::BackchannelLogout,
            Route::Step,
            Route::PasskeyOptions,
            Route::Account,
            Route::Shop,
        ]
        .into_iter()
        .filter(Route::same_origin_only)
        .map(|route| route.name())
        .collect();
        assert_eq!(
            guarded,
            [
                "session",
                "logout",
                "api",
                "step",
                "passkey_options",
                "account"
            ]
        );
    }
}
