//! Managing a signed-in account at the backend, in neutral words: second factors
//! (TOTP, recovery codes, passkeys), email addresses, the password, the profile and
//! the account itself. Changes may need a fresh reauthentication first.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::backend::FactorKind;
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
    /// Confirms with a passkey: an assertion for the backend's reauthentication options.
    ReauthenticateWithPasskey {
        credential: &'a Value,
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
        id: &'a str,
        name: &'a str,
    },
    RemovePasskey {
        id: &'a str,
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
        email: &'a str,
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
    /// Deletes the account for good.
    DeleteAccount,
}

/// A second factor the account has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Factor {
    pub kind: FactorKind,
    /// Passkeys only: the id to rename or remove it by, and its name.
    pub id: Option<String>,
    pub name: Option<String>,
    /// Seconds since the Unix epoch.
    pub created_at: Option<f64>,
    pub last_used_at: Option<f64>,
    /// Recovery codes only.
    pub unused_code_count: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailAddress {
    pub email: String,
    pub verified: bool,
    pub primary: bool,
}

/// What an account call answered. Serialized by its name: `"done"`,
/// `{"recovery_codes": […]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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
    /// Profile fields by their neutral names (`first_name`, `last_name`, `display_name`).
    Profile(Map<String, Value>),
}
