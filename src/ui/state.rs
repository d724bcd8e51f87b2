//! The widget's state and the one reducer that changes it.

use std::rc::Rc;

use latchkey_core::Error;
use yew::Reducible;

#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    Login,
    /// Back from the provider: exchanging the code.
    Completing,
    SignedIn {
        name: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct WidgetState {
    pub screen: Screen,
    /// A request is under way; the form stays as typed but cannot be sent twice.
    pub busy: bool,
    pub error: Option<Error>,
}

pub enum Action {
    Submitted,
    Failed(Error),
    SignedIn { name: String },
    SignedOut,
}

impl WidgetState {
    pub fn new(screen: Screen) -> Self {
        Self {
            screen,
            busy: false,
            error: None,
        }
    }
}

impl Reducible for WidgetState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(match action {
            Action::Submitted => WidgetState {
                busy: true,
                error: None,
                ..(*self).clone()
            },
            // A failed callback lands on the login form, with the reason shown.
            Action::Failed(error) => {
                let screen = if self.screen == Screen::Completing {
                    Screen::Login
                } else {
                    self.screen.clone()
                };
                WidgetState {
                    screen,
                    busy: false,
                    error: Some(error),
                }
            }
            Action::SignedIn { name } => WidgetState::new(Screen::SignedIn { name }),
            Action::SignedOut => WidgetState::new(Screen::Login),
        })
    }
}
