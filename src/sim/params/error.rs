//! Why a parameter was refused: the key, the value and what would be valid.

use super::{SPECS, Spec};
use crate::sanitize::quote;

/// A parameter that is missing its mark, with the key and what would be valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParamError {
    #[error("unknown parameter `{key}`; valid parameters: {}", valid_keys())]
    UnknownKey { key: String },
    #[error("parameter `{key}` = {value}: {problem}; expected {expected}")]
    BadValue {
        key: String,
        value: String,
        problem: String,
        expected: String,
    },
    /// A rule between parameters: `key`'s value does not fit `other`'s.
    #[error("parameter `{key}` = {value}: {problem}; expected {expected}")]
    Rule {
        key: &'static str,
        other: &'static str,
        value: String,
        problem: String,
        expected: String,
    },
    #[error("`{0}` is not KEY=VALUE (e.g. mode=quorum)")]
    NotAssignment(String),
}

impl ParamError {
    /// The parameter key this error is about, if any (quoted as the message shows it).
    pub fn key(&self) -> Option<&str> {
        match self {
            ParamError::UnknownKey { key } | ParamError::BadValue { key, .. } => Some(key),
            ParamError::Rule { key, .. } => Some(key),
            ParamError::NotAssignment(_) => None,
        }
    }

    /// Every key the error involves: its own, and for a rule the other parameter too.
    pub fn keys(&self) -> Vec<&str> {
        match self {
            ParamError::Rule { key, other, .. } => vec![key, other],
            e => e.key().into_iter().collect(),
        }
    }
}

fn valid_keys() -> String {
    SPECS.iter().map(|s| s.key).collect::<Vec<_>>().join(", ")
}

/// True for an optional sign followed by digits only: a whole number, perhaps too large.
pub(crate) fn is_whole_number(v: &str) -> bool {
    let digits = v.strip_prefix(['-', '+']).unwrap_or(v);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

pub(super) fn spec_of(key: &str) -> Result<&'static Spec, ParamError> {
    SPECS
        .iter()
        .find(|s| s.key == key)
        .ok_or_else(|| ParamError::UnknownKey { key: quote(key) })
}

/// A bad value; the key and the value came from a file or a flag, so both are quoted.
pub(super) fn bad(key: &str, value: &str, problem: &str, expected: &str) -> ParamError {
    ParamError::BadValue {
        key: quote(key),
        value: quote(value),
        problem: problem.to_string(),
        expected: expected.to_string(),
    }
}
