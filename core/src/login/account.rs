//! The signed-in account's own API, through the backend adapter.

use super::input::{require_code, require_email};
use super::LoginApi;
use crate::account::{AccountCall, AccountData};
use crate::backend::Backend;
use crate::ports::{DpopKey, Platform};
use crate::Error;

/// Catches what the backend would refuse anyway, before anything is sent.
fn check_input(call: &AccountCall<'_>) -> Result<(), Error> {
    match call {
        AccountCall::Reauthenticate { password } if password.expose().is_empty() => {
            Err(Error::InvalidInput { field: "password" })
        }
        AccountCall::ReauthenticateWithCode { code }
        | AccountCall::ActivateTotp { code }
        | AccountCall::VerifyEmail { code, .. } => require_code(code),
        AccountCall::AddEmail { email } => require_email(email),
        _ => Ok(()),
    }
}

impl<P: Platform, K: DpopKey, B: Backend + ?Sized> LoginApi<P, K, B> {
    /// One call to the account API. [`Error::ReauthenticationRequired`] asks for
    /// [`AccountCall::Reauthenticate`] (or a code, or a passkey) before the same call
    /// is tried again.
    pub async fn account(&self, call: AccountCall<'_>) -> Result<AccountData, Error> {
        check_input(&call)?;
        if let AccountCall::ChangePassword { new, .. } = &call {
            self.check_new_password(new).await?;
        }
        let request = self.backend.account_request(&call, self.platform())?;
        let response = self.platform().send(request).await?;
        let first = self.backend.read_account(&call, &response)?;
        match self
            .backend
            .account_follow_up(&call, &first, self.platform())?
        {
            Some(request) => {
                let response = self.platform().send(request).await?;
                self.backend.read_account_follow_up(&call, first, &response)
            }
            None => Ok(first),
        }
    }
}
