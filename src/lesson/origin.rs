//! Whose words a piece of lesson text is: the course's own, or text distlab added.
//!
//! A lesson file holds the course's text unless it says otherwise:
//! - an entry of the reading part lists the fields distlab wrote in `added`
//!   (`added = ["tradeoff"]`), checked against the entry's fields when the file loads;
//! - a question is distlab's unless it has `from_course = true`;
//! - what the course has no place for is always distlab's: each option's `why` (the course
//!   explains only the right answer) and the lab scenarios (titles, notices, captions).

use serde::{Deserialize, Serialize};

use super::model::Question;
use crate::sanitize::Text;

/// Who wrote a piece of text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Origin {
    /// The course's own text.
    #[default]
    Course,
    /// Text distlab added: written for distlab, not found in the course.
    Distlab,
}

/// An entry's `added` field: the names of its fields whose text distlab wrote.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(transparent)]
pub struct Added(Vec<Text>);

impl Added {
    /// Who wrote this entry's field `field`.
    pub fn origin(&self, field: &str) -> Origin {
        if self.0.iter().any(|f| f.as_str() == field) {
            Origin::Distlab
        } else {
            Origin::Course
        }
    }

    /// Distlab's if distlab wrote any of `fields` (for one line that shows several fields).
    pub fn any(&self, fields: &[&str]) -> Origin {
        if fields.iter().any(|f| self.origin(f) == Origin::Distlab) {
            Origin::Distlab
        } else {
            Origin::Course
        }
    }

    /// True when the entry is all the course's.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Question {
    /// Who wrote the question, its options and its explanation (each option's `why` is
    /// always distlab's).
    pub fn origin(&self) -> Origin {
        if self.from_course {
            Origin::Course
        } else {
            Origin::Distlab
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_named_fields_are_distlabs() {
        let added = Added(vec![Text::new("tradeoff"), Text::new("note")]);
        assert_eq!(added.origin("tradeoff"), Origin::Distlab);
        assert_eq!(added.origin("note"), Origin::Distlab);
        assert_eq!(added.origin("intuition"), Origin::Course);
        assert_eq!(added.any(&["label", "note"]), Origin::Distlab);
        assert_eq!(added.any(&["label", "text"]), Origin::Course);
        assert_eq!(Added::default().origin("tradeoff"), Origin::Course);
    }
}
