//! The lesson: its model, loading with validation, and sanitizing of untrusted text.

mod load;
mod model;
pub use crate::sanitize;
mod text;
mod validate;

pub use load::{LessonError, Problem, builtin, load_file, parse};
pub use model::*;
pub use text::Text;
