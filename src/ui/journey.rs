//! What the journey screens share: their props, what they submit (owned, so it can
//! outlive the form while the request runs), and how a submission is sent.

use latchkey_core::backend::{FactorKind, PasskeyPurpose, Step};
use latchkey_core::http::HttpResponse;
use latchkey_core::login::Progress;
use latchkey_core::{Error, Password};
use yew::prelude::*;

use super::context::BrowserLogin;
use super::i18n::Strings;
use super::state::Screen;
use crate::web::{self, webauthn};

/// One screen's submission; [`run`] turns it into a core [`Step`].
#[derive(Debug, Clone, PartialEq)]
pub enum Submit {
    Login {
        email: String,
        password: String,
    },
    SignUp {
        email: String,
        password: String,
        /// Profile fields the shop asked for, saved once the account is signed in.
        profile: Vec<(String, String)>,
    },
    /// A sign-up with a passkey instead of a password.
    PasskeySignUp {
        email: String,
        profile: Vec<(String, String)>,
    },
    VerifyEmail {
        code: String,
    },
    ResendEmailCode,
    RequestLoginCode {
        email: String,
    },
    ConfirmLoginCode {
        code: String,
    },
    SecondFactorCode {
        kind: FactorKind,
        code: String,
    },
    TrustDevice {
        trust: bool,
    },
    /// Ask the backend for a challenge, and the browser for a passkey (or, to sign
    /// up, for a new one).
    Passkey {
        purpose: PasskeyPurpose,
    },
    /// A passkey the user already picked (from autofill).
    PasskeyCredential {
        purpose: PasskeyPurpose,
        credential: serde_json::Value,
    },
    RequestPasswordReset {
        email: String,
    },
    ResetPassword {
        code: String,
        password: String,
    },
    ProviderSignUp {
        email: String,
    },
    /// A sign-in the first form's build sent: its answer, to conclude.
    Answered {
        email: String,
        password: String,
        answer: HttpResponse,
    },
}

impl Submit {
    /// The address this submission carries, remembered for the next screen.
    pub fn email(&self) -> Option<String> {
        match self {
            Submit::Login { email, .. }
            | Submit::Answered { email, .. }
            | Submit::SignUp { email, .. }
            | Submit::PasskeySignUp { email, .. }
            | Submit::RequestLoginCode { email }
            | Submit::RequestPasswordReset { email }
            | Submit::ProviderSignUp { email } => Some(email.trim().to_string()),
            _ => None,
        }
    }

    /// Profile fields typed at sign-up, to save once signed in.
    pub fn profile(&self) -> Option<&[(String, String)]> {
        match self {
            Submit::SignUp { profile, .. } | Submit::PasskeySignUp { profile, .. } => Some(profile),
            _ => None,
        }
    }
}

/// What every journey screen takes.
#[derive(Properties, PartialEq, Clone)]
pub struct ScreenProps {
    pub strings: &'static Strings,
    pub busy: bool,
    pub error: Option<Error>,
    #[prop_or_default]
    pub notice: Option<String>,
    /// The address typed last (prefills email fields; named in "we sent a code to").
    pub email: String,
    pub on_submit: Callback<Submit>,
    /// Goes to another screen, passing on the address typed so far, if any.
    pub on_show: Callback<(Screen, Option<String>)>,
}

/// A text the user typed, kept in the screen's state through every error.
#[hook]
pub fn use_text(initial: &str) -> (UseStateHandle<String>, Callback<String>) {
    let text = use_state(|| initial.to_string());
    let on_change = {
        let text = text.clone();
        Callback::from(move |value: String| text.set(value))
    };
    (text, on_change)
}

/// A code as typed or pasted, cleaned by the core's rules.
pub fn clean_code(code: &str) -> String {
    latchkey_core::login::clean_code(code, &crate::web::Browser)
}

/// Sends one journey step; `email` is the address of the journey so far. A passkey
/// step first asks the backend for a challenge and the browser for the credential.
pub async fn run(login: &BrowserLogin, submit: Submit, email: &str) -> Result<Progress, Error> {
    let return_to = web::current_path();
    if let Submit::Answered {
        email,
        password,
        answer,
    } = &submit
    {
        let password = Password::new(password.as_str());
        let step = Step::Login {
            email: email.trim(),
            password: &password,
        };
        return login.conclude(&step, answer, &return_to).await;
    }
    let (password, credential);
    let step = match &submit {
        Submit::Login {
            email,
            password: typed,
        } => {
            password = Password::typed(typed, &crate::web::Browser);
            Step::Login {
                email: email.trim(),
                password: &password,
            }
        }
        Submit::SignUp {
            email,
            password: typed,
            ..
        } => {
            password = Password::typed(typed, &crate::web::Browser);
            Step::SignUp {
                email: email.trim(),
                password: &password,
            }
        }
        Submit::PasskeySignUp { email, .. } => Step::PasskeySignUp {
            email: email.trim(),
        },
        Submit::VerifyEmail { code } => Step::VerifyEmail { email, code },
        Submit::ResendEmailCode => Step::ResendEmailCode { email },
        Submit::RequestLoginCode { email } => Step::RequestLoginCode {
            email: email.trim(),
        },
        Submit::ConfirmLoginCode { code } => Step::ConfirmLoginCode { email, code },
        Submit::SecondFactorCode { kind, code } => Step::SecondFactorCode { kind: *kind, code },
        Submit::TrustDevice { trust } => Step::TrustDevice { trust: *trust },
        Submit::RequestPasswordReset { email } => Step::RequestPasswordReset {
            email: email.trim(),
        },
        Submit::ResetPassword {
            code,
            password: typed,
        } => {
            password = Password::typed(typed, &crate::web::Browser);
            Step::ResetPassword {
                email,
                code,
                password: &password,
            }
        }
        Submit::ProviderSignUp { email } => Step::ProviderSignUp {
            email: email.trim(),
        },
        Submit::Passkey { purpose } => {
            let options = login.passkey_options(*purpose).await?;
            credential = if purpose.creates() {
                webauthn::create_credential(&options).await?
            } else {
                webauthn::get_assertion(&options).await?
            };
            Step::Passkey {
                purpose: *purpose,
                credential: &credential,
            }
        }
        Submit::PasskeyCredential {
            purpose,
            credential,
        } => Step::Passkey {
            purpose: *purpose,
            credential,
        },
        Submit::Answered { .. } => unreachable!("concluded above"),
    };
    login.advance(step, &return_to).await
}
