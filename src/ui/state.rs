//! The widget's state and the one reducer that changes it. Like hanko-elements, the
//! backend's pending step names the screen ([`Screen::for_step`]).

use std::rc::Rc;

use latchkey_core::Error;
use yew::Reducible;

use super::account::AccountView;

#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    Login,
    SignUp,
    /// The code mailed after sign-up.
    VerifyEmail,
    /// Passwordless: ask for the address, then for the mailed code.
    LoginCodeRequest,
    LoginCode,
    /// A second factor after the first; `factors` are the ones the account has.
    SecondFactor {
        factors: Vec<String>,
    },
    ForgotPassword,
    /// The mailed reset code and the new password.
    ResetPassword,
    /// Back from the provider: exchanging the code.
    Completing,
    SignedIn {
        name: String,
    },
    /// One section of the signed-in account; `name` is kept for the way back.
    Account {
        name: String,
        view: AccountView,
    },
}

impl Screen {
    /// The screen for a step the backend says is pending; `None` for a step this
    /// version has no screen for.
    pub fn for_step(step: &str, factors: Vec<String>) -> Option<Screen> {
        match step {
            "verify_email" => Some(Screen::VerifyEmail),
            "login_by_code" => Some(Screen::LoginCode),
            "mfa_authenticate" => Some(Screen::SecondFactor { factors }),
            "password_reset_by_code" => Some(Screen::ResetPassword),
            _ => None,
        }
    }
}

/// Something to tell the user that is not an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    CodeResent,
    PasswordChanged,
    SessionExpired,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WidgetState {
    pub screen: Screen,
    /// A request is under way; the form stays as typed but cannot be sent twice.
    pub busy: bool,
    pub error: Option<Error>,
    pub notice: Option<Notice>,
    /// The address typed last, offered again on the next screen that asks for it.
    pub email: String,
}

pub enum Action {
    /// The user followed a link to another screen, maybe with the address typed so far.
    Show(Screen, Option<String>),
    /// A form was sent; `email` is the address it carried, if any.
    Submitted {
        email: Option<String>,
    },
    Failed(Error),
    /// The backend answered; show this screen (and maybe a notice).
    Advanced(Screen, Option<Notice>),
    SignedIn {
        name: String,
    },
    SignedOut,
    /// The backend refused the refresh token: back to the login form, saying why.
    SessionExpired,
}

impl WidgetState {
    pub fn new(screen: Screen) -> Self {
        Self {
            screen,
            busy: false,
            error: None,
            notice: None,
            email: String::new(),
        }
    }
}

impl Reducible for WidgetState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let state = (*self).clone();
        Rc::new(match action {
            Action::Show(screen, email) => WidgetState {
                screen,
                busy: false,
                error: None,
                notice: None,
                email: email.unwrap_or(state.email),
            },
            Action::Submitted { email } => WidgetState {
                busy: true,
                error: None,
                notice: None,
                email: email.unwrap_or(state.email),
                ..state
            },
            // A failed callback lands on the login form, with the reason shown; other
            // failures stay on their screen with everything typed.
            Action::Failed(error) => WidgetState {
                screen: match state.screen {
                    Screen::Completing => Screen::Login,
                    screen => screen,
                },
                busy: false,
                error: Some(error),
                ..state
            },
            Action::Advanced(screen, notice) => WidgetState {
                screen,
                busy: false,
                error: None,
                notice,
                ..state
            },
            Action::SignedIn { name } => WidgetState::new(Screen::SignedIn { name }),
            Action::SignedOut => WidgetState::new(Screen::Login),
            Action::SessionExpired => WidgetState {
                notice: Some(Notice::SessionExpired),
                ..WidgetState::new(Screen::Login)
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    fn reduce(state: WidgetState, action: Action) -> WidgetState {
        (*Rc::new(state).reduce(action)).clone()
    }

    #[wasm_bindgen_test]
    fn backend_steps_name_screens() {
        let factors = vec!["totp".to_string()];
        assert_eq!(
            Screen::for_step("mfa_authenticate", factors.clone()),
            Some(Screen::SecondFactor { factors })
        );
        assert_eq!(
            Screen::for_step("verify_email", vec![]),
            Some(Screen::VerifyEmail)
        );
        assert_eq!(Screen::for_step("mfa_signup_webauthn", vec![]), None);
    }

    #[wasm_bindgen_test]
    fn errors_keep_the_screen_and_the_address_follows_the_user() {
        let state = reduce(
            WidgetState::new(Screen::Login),
            Action::Submitted {
                email: Some("a@b.c".into()),
            },
        );
        assert!(state.busy);
        let state = reduce(state, Action::Failed(Error::InvalidCredentials));
        assert_eq!(state.screen, Screen::Login);
        assert!(!state.busy);
        let state = reduce(state, Action::Show(Screen::ForgotPassword, None));
        assert_eq!((state.error.clone(), state.email.as_str()), (None, "a@b.c"));
        let state = reduce(state, Action::Show(Screen::Login, Some("d@e.f".into())));
        assert_eq!(state.email, "d@e.f");
        let state = reduce(state, Action::Submitted { email: None });
        assert_eq!(
            state.email, "d@e.f",
            "a step without an address keeps the last one"
        );
        let completing = reduce(
            WidgetState::new(Screen::Completing),
            Action::Failed(Error::StateMismatch),
        );
        assert_eq!(completing.screen, Screen::Login);
    }
}
