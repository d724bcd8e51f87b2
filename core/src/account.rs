//! Managing a signed-in account at the backend: second factors (TOTP, recovery
//! codes, passkeys), email addresses, the password and the profile. Changes to
//! factors and addresses may need a fresh reauthentication first.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::secret::Password;

/// One call to the backend's account API.
#[derive(Debug)]
#[non_exhaustive]
pub enum AccountCall<'a> {
    /// Confirms the password again, for changes that need a recent sign-in.
    Reauthenticate {
        password: &'a Password,
    },
    /// Confirms a second factor again (TOTP or recovery code).
    ReauthenticateWithCode {
        code: &'a str,
    },
    Factors,
    /// A new TOTP secret to scan, or the note that TOTP is already active.
    TotpSetup,
    ActivateTotp {
        code: &'a str,
    },
    DeactivateTotp,
    RecoveryCodes,
    RegenerateRecoveryCodes,
    /// WebAuthn creation options for a new passkey (JSON for the browser).
    PasskeyOptions,
    AddPasskey {
        name: &'a str,
        credential: &'a Value,
    },
    RenamePasskey {
        id: u64,
        name: &'a str,
    },
    RemovePasskey {
        id: u64,
    },
    ChangePassword {
        current: &'a Password,
        new: &'a Password,
    },
    Emails,
    AddEmail {
        email: &'a str,
    },
    /// The code mailed to an added address.
    VerifyEmail {
        code: &'a str,
    },
    MakePrimary {
        email: &'a str,
    },
    RemoveEmail {
        email: &'a str,
    },
    Profile,
    UpdateProfile {
        fields: &'a Map<String, Value>,
    },
}

/// A second factor the account has.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Factor {
    /// `totp`, `recovery_codes` or `webauthn`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Passkeys only: the id to rename or remove it by, and its name.
    pub id: Option<u64>,
    pub name: Option<String>,
    pub created_at: Option<f64>,
    pub last_used_at: Option<f64>,
    /// Recovery codes only.
    pub unused_code_count: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct EmailAddress {
    pub email: String,
    pub verified: bool,
    pub primary: bool,
}

/// What an account call answered.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum AccountData {
    Done,
    Factors(Vec<Factor>),
    /// Scan `uri` (an `otpauth://` URL, shown as a QR code) or type `secret`.
    TotpSetup {
        secret: String,
        uri: String,
    },
    TotpActive,
    /// Shown to the user once to keep; each works once.
    RecoveryCodes(Vec<String>),
    /// The `publicKey` options for `navigator.credentials.create()`.
    PasskeyOptions(Value),
    Emails(Vec<EmailAddress>),
    Profile(Map<String, Value>),
}
