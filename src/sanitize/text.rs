//! [`Text`]: a string read from a lesson file, sanitized on the way in and remembering where
//! in the file it came from, so checks after parsing can point at the offending place.

use std::fmt;
use std::ops::{Deref, Range};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::sanitize_owned;

/// A sanitized string from a lesson file plus its byte span in that file.
///
/// Deserializing a `Text` strips control characters, escape sequences and bidi overrides
/// (see [`sanitize`]), so nothing a lesson author writes can drive the terminal.
#[derive(Clone, Default)]
pub struct Text {
    value: String,
    span: Range<usize>,
}

impl Text {
    /// A text with no position in any file (built in code, e.g. in tests).
    pub fn new(value: impl Into<String>) -> Self {
        Self {
            value: sanitize_owned(value.into()),
            span: 0..0,
        }
    }

    /// The byte range of this value in its source file (`0..0` when not from a file).
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// True when the text holds nothing but whitespace.
    pub fn is_blank(&self) -> bool {
        self.value.trim().is_empty()
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.value
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.value
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}
impl Eq for Text {}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.value == other
    }
}
impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.value == *other
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.value, f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = toml::Spanned::<String>::deserialize(deserializer)?;
        let span = spanned.span();
        Ok(Self {
            value: sanitize_owned(spanned.into_inner()),
            span,
        })
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.value)
    }
}

/// Deserializes a field written either as one text or as a list of texts
/// (`scenario = "a"` or `scenario = ["a", "b"]`) into a list, each item keeping its span.
pub fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Text>, D::Error> {
    // The outer span is the single text's own; a list's items carry theirs.
    let spanned = toml::Spanned::<OneOrMany>::deserialize(deserializer)?;
    let span = spanned.span();
    Ok(match spanned.into_inner() {
        OneOrMany::One(value) => vec![Text {
            value: sanitize_owned(value),
            span,
        }],
        OneOrMany::Many(items) => items,
    })
}

enum OneOrMany {
    One(String),
    Many(Vec<Text>),
}

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("text or a list of text")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany::One(v.to_owned()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<OneOrMany, A::Error> {
                let mut items = Vec::new();
                while let Some(t) = seq.next_element::<Text>()? {
                    items.push(t);
                }
                Ok(OneOrMany::Many(items))
            }
        }
        deserializer.deserialize_any(Visit)
    }
}
