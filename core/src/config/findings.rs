//! Where the option checks put what they find wrong: every problem in words for the
//! page ([`Problems`]), or only that there was one ([`Refused`]), for a caller that
//! shows none and so need not build the words.

use super::{present, Flag, Named};
use crate::error::ConfigProblem;
use crate::url::HttpUrl;

use super::options::OptionName;

/// What the checks found. The message is only built when it is kept.
pub(super) trait Findings {
    fn add<M: Into<String>>(&mut self, option: OptionName, message: impl FnOnce() -> M);

    fn any(&self) -> bool;

    /// An optional absolute URL.
    fn url(&mut self, option: OptionName, value: &Option<String>) -> Option<HttpUrl> {
        let value = present(value)?;
        HttpUrl::parse(value)
            .map_err(|reason| self.add(option, || format!("{value:?} {reason}")))
            .ok()
    }

    /// A yes/no option; absent means no.
    fn flag(&mut self, option: OptionName, value: &Option<Flag>) -> bool {
        match value {
            None | Some(Flag::Bool(false)) => false,
            Some(Flag::Bool(true)) => true,
            Some(Flag::Text(text)) => match text.trim() {
                "" | "true" => true,
                "false" => false,
                other => {
                    self.add(option, || format!("{other:?} is not true or false"));
                    false
                }
            },
        }
    }

    /// A named choice, or `default` when the option is absent.
    fn named<T: Named>(&mut self, option: OptionName, value: &Option<String>, default: T) -> T {
        match present(value) {
            None => default,
            Some(value) => T::find(value).unwrap_or_else(|| {
                self.add(option, || T::unknown(value));
                default
            }),
        }
    }
}

/// Every problem, with the option it is about and what is wrong.
#[derive(Default)]
pub(super) struct Problems(pub Vec<ConfigProblem>);

impl Problems {
    /// One function for every check's message, not one per call site.
    fn push(&mut self, option: OptionName, message: String) {
        self.0.push(ConfigProblem { option, message });
    }
}

impl Findings for Problems {
    fn add<M: Into<String>>(&mut self, option: OptionName, message: impl FnOnce() -> M) {
        self.push(option, message().into());
    }

    fn any(&self) -> bool {
        !self.0.is_empty()
    }
}

/// Whether anything was wrong.
#[derive(Default)]
pub(super) struct Refused(bool);

impl Findings for Refused {
    fn add<M: Into<String>>(&mut self, _: OptionName, _: impl FnOnce() -> M) {
        self.0 = true;
    }

    fn any(&self) -> bool {
        self.0
    }
}
