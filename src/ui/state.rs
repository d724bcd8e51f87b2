//! The widget's state and the one reducer that changes it. Like hanko-elements,
//! each step the backend says is pending names one screen ([`Screen::for_step`]).

use std::rc::Rc;

use latchkey_core::backend::{FactorKind, PendingStep};
use latchkey_core::{Error, User};
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
        factors: Vec<FactorKind>,
    },
    /// "Trust this browser?" after the second factor.
    TrustDevice,
    ForgotPassword,
    /// The mailed reset code and the new password.
    ResetPassword,
    /// A passkey sign-up: create the account's first passkey.
    CreatePasskey,
    /// A social sign-up that still needs an email address.
    ProviderSignUp,
    /// Redirect mode: a button (and maybe the address) to the provider's own page.
    RedirectLogin,
    /// Back from the provider: exchanging the code.
    Completing,
    SignedIn {
        user: User,
    },
    /// One section of the signed-in account; `user` is kept for the way back.
    Account {
        user: User,
        view: AccountView,
    },
}

impl Screen {
    /// The screen for a step the backend says is pending.
    pub fn for_step(step: PendingStep) -> Screen {
        match step {
            PendingStep::VerifyEmail => Screen::VerifyEmail,
            PendingStep::LoginCode => Screen::LoginCode,
            PendingStep::SecondFactor { factors } => Screen::SecondFactor { factors },
            PendingStep::TrustDevice => Screen::TrustDevice,
            PendingStep::ResetPassword => Screen::ResetPassword,
            PendingStep::CreatePasskey => Screen::CreatePasskey,
            PendingStep::ProviderSignUp { .. } => Screen::ProviderSignUp,
        }
    }
}

/// Something to tell the user that is not an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    CodeResent,
    PasswordChanged,
    SessionExpired,
    AccountDeleted,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WidgetState {
    /// Where a journey starts and ends: the sign-in (or sign-up) screen, or in
    /// redirect mode the button to the provider.
    pub first: Screen,
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
    SignedIn(User),
    /// Signed out; back to the first screen, maybe saying why.
    SignedOut(Option<Notice>),
}

impl WidgetState {
    pub fn new(first: Screen, screen: Screen) -> Self {
        Self {
            first,
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
                first: state.first,
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
            // A failed callback lands on the first screen, with the reason shown;
            // other failures stay on their screen with everything typed.
            Action::Failed(error) => WidgetState {
                screen: match state.screen {
                    Screen::Completing => state.first.clone(),
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
            Action::SignedIn(user) => WidgetState::new(state.first, Screen::SignedIn { user }),
            Action::SignedOut(notice) => WidgetState {
                notice,
                ..WidgetState::new(state.first.clone(), state.first)
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
    fn every_pending_step_names_its_screen() {
        let factors = vec![FactorKind::Totp];
        let cases = [
            (
                PendingStep::SecondFactor {
                    factors: factors.clone(),
                },
                Screen::SecondFactor { factors },
            ),
            (PendingStep::VerifyEmail, Screen::VerifyEmail),
            (PendingStep::LoginCode, Screen::LoginCode),
            (PendingStep::TrustDevice, Screen::TrustDevice),
            (PendingStep::ResetPassword, Screen::ResetPassword),
            (PendingStep::CreatePasskey, Screen::CreatePasskey),
            (
                PendingStep::ProviderSignUp { email: None },
                Screen::ProviderSignUp,
            ),
        ];
        for (step, screen) in cases {
            assert_eq!(Screen::for_step(step), screen);
        }
    }

    #[wasm_bindgen_test]
    fn errors_keep_the_screen_and_the_address_follows_the_user() {
        let state = reduce(
            WidgetState::new(Screen::Login, Screen::Login),
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
            WidgetState::new(Screen::RedirectLogin, Screen::Completing),
            Action::Failed(Error::StateMismatch),
        );
        assert_eq!(completing.screen, Screen::RedirectLogin);
        let signed_out = reduce(completing, Action::SignedOut(Some(Notice::SessionExpired)));
        assert_eq!(
            (signed_out.screen, signed_out.notice),
            (Screen::RedirectLogin, Some(Notice::SessionExpired))
        );
    }
}
