//! The lesson: its model, loading with validation, and sanitizing of untrusted text.

pub mod cues;
pub mod lab_run;
mod load;
pub mod locate;
mod model;
mod origin;
pub mod schema;
pub use crate::sanitize;
pub mod story;
mod validate;

pub use crate::sanitize::Text;
pub use crate::sim::{Scenario, ScenarioEvent, Step};
pub use load::{
    BUILTIN_NAME, BUILTIN_SOURCE, LessonError, LineIndex, PROBLEMS_SHOWN, Problem, builtin,
    load_file, load_file_with_source, parse, problems_at,
};
pub use model::*;
pub use origin::{Added, Origin};
pub use validate::sweeps::{along, parse_rows};
pub use validate::{LAB_EVENTS_MAX, OPTIONS_MAX, OPTIONS_MIN};

/// The letter that names option `index` (0 → `a`). Past `z` the letters repeat the last.
pub fn letter(index: usize) -> char {
    char::from(b'a' + u8::try_from(index.min(25)).unwrap_or(25))
}
