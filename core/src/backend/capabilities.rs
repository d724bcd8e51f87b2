//! What a backend's login API can do. The screens offer only what the backend
//! declares: no button leads to a step the backend would refuse.

/// One thing a backend may offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capability {
    /// New accounts with an email address and a password.
    SignUp,
    /// New accounts with an email address and a passkey, no password.
    PasskeySignUp,
    /// Passwordless sign-in with a mailed code.
    LoginByCode,
    /// "Forgot password": a mailed code and a new password.
    PasswordReset,
    /// Sign-in with a passkey (button and autofill).
    PasskeyLogin,
    /// Authenticator-app codes as a second factor.
    Totp,
    /// Single-use recovery codes.
    RecoveryCodes,
    /// Managing passkeys in the account (add, rename, remove).
    Passkeys,
    /// "Trust this browser" after a second factor.
    TrustDevice,
    /// Profile fields (names) read and changed in the account.
    Profile,
    /// Several email addresses per account (add, verify, make primary, remove).
    EmailAddresses,
    /// Changing the password when signed in.
    PasswordChange,
    /// Deleting the account.
    AccountDeletion,
    /// "Continue with …" buttons for social providers.
    SocialLogin,
}

/// A set of [`Capability`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Capabilities(u32);

impl Capabilities {
    pub const NONE: Capabilities = Capabilities(0);

    pub const fn of(all: &[Capability]) -> Capabilities {
        let mut bits = 0;
        let mut i = 0;
        while i < all.len() {
            bits |= 1 << all[i] as u32;
            i += 1;
        }
        Capabilities(bits)
    }

    /// This set without `capability`.
    pub const fn without(self, capability: Capability) -> Capabilities {
        Capabilities(self.0 & !(1 << capability as u32))
    }

    pub const fn has(self, capability: Capability) -> bool {
        self.0 & (1 << capability as u32) != 0
    }

    /// A passkey can be used at all: to sign in, or managed in the account.
    pub const fn any_passkeys(self) -> bool {
        self.has(Capability::PasskeyLogin) || self.has(Capability::Passkeys)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_has_exactly_its_members() {
        let set = Capabilities::of(&[Capability::SignUp, Capability::AccountDeletion]);
        assert!(set.has(Capability::SignUp));
        assert!(set.has(Capability::AccountDeletion));
        assert!(!set.has(Capability::Totp));
        assert!(!Capabilities::NONE.has(Capability::SignUp));
        assert!(!set.any_passkeys());
        let fewer = set.without(Capability::SignUp);
        assert!(!fewer.has(Capability::SignUp));
        assert!(fewer.has(Capability::AccountDeletion));
        assert!(Capabilities::of(&[Capability::Passkeys]).any_passkeys());
    }
}
