//! What the journey screens share: their props, what they submit (owned, so it can
//! outlive the form while the request runs), and how a submission is sent.

use latchkey_core::backend::PasskeyPurpose;
use latchkey_core::{Error, Password, Progress, Step};
use yew::prelude::*;

use super::i18n::Strings;
use super::state::Screen;
use crate::web::session::BrowserClient;
use crate::web::{self, webauthn};

/// One screen's submission; the app turns it into a core [`latchkey_core::Step`].
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
    MfaCode {
        code: String,
    },
    /// Ask the backend for a challenge and the browser for a passkey.
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
}

impl Submit {
    /// The address this submission carries, remembered for the next screen.
    pub fn email(&self) -> Option<String> {
        match self {
            Submit::Login { email, .. }
            | Submit::SignUp { email, .. }
            | Submit::RequestLoginCode { email }
            | Submit::RequestPasswordReset { email } => Some(email.trim().to_string()),
            _ => None,
        }
    }
}

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
    /// Shortest new password accepted (the host's `passwordMinLength`).
    pub password_min_length: usize,
    /// "Continue with …" buttons: (backend id, name).
    #[prop_or_default]
    pub providers: Vec<(AttrValue, AttrValue)>,
    /// Leaves for the provider with this id.
    pub on_provider: Callback<AttrValue>,
    /// Profile fields sign-up asks for (backend names, e.g. `first_name`).
    #[prop_or_default]
    pub signup_fields: Vec<AttrValue>,
    /// The host's terms of service, when sign-up must accept them.
    #[prop_or_default]
    pub terms_url: Option<AttrValue>,
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

/// A code as typed or pasted: spaces and line breaks are not part of it.
pub fn clean_code(code: &str) -> String {
    code.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Sends one journey step; a passkey step first asks the backend for a challenge and
/// the browser for the assertion.
pub async fn run(client: &BrowserClient, submit: Submit) -> Result<Progress, Error> {
    let return_to = web::current_path();
    let (password, code, email, credential);
    let step = match &submit {
        Submit::Login {
            email: typed,
            password: typed_password,
        } => {
            (email, password) = (typed.trim(), Password::new(typed_password.as_str()));
            Step::Login {
                email,
                password: &password,
            }
        }
        Submit::SignUp {
            email: typed,
            password: typed_password,
            ..
        } => {
            (email, password) = (typed.trim(), Password::new(typed_password.as_str()));
            Step::SignUp {
                email,
                password: &password,
            }
        }
        Submit::VerifyEmail { code: typed } => {
            code = typed.as_str();
            Step::VerifyEmail { code }
        }
        Submit::ResendEmailCode => Step::ResendEmailCode,
        Submit::RequestLoginCode { email: typed } => {
            email = typed.trim();
            Step::RequestLoginCode { email }
        }
        Submit::ConfirmLoginCode { code: typed } => {
            code = typed.as_str();
            Step::ConfirmLoginCode { code }
        }
        Submit::MfaCode { code: typed } => {
            code = typed.as_str();
            Step::MfaCode { code }
        }
        Submit::RequestPasswordReset { email: typed } => {
            email = typed.trim();
            Step::RequestPasswordReset { email }
        }
        Submit::ResetPassword {
            code: typed,
            password: typed_password,
        } => {
            (code, password) = (typed.as_str(), Password::new(typed_password.as_str()));
            Step::ResetPassword {
                code,
                password: &password,
            }
        }
        Submit::Passkey { purpose } => {
            let options = client.passkey_options(*purpose).await?;
            credential = webauthn::get_assertion(&options).await?;
            Step::Passkey {
                purpose: *purpose,
                credential: &credential,
            }
        }
        Submit::PasskeyCredential {
            purpose,
            credential: picked,
        } => Step::Passkey {
            purpose: *purpose,
            credential: picked,
        },
    };
    client.advance(step, &return_to).await
}
