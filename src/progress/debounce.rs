//! When to save a value that changes often, such as the TUI's reading position: soon after it
//! stops changing, at most once every [`MIN_GAP`], and at least every [`MIN_GAP`] while it
//! keeps changing. So a crash (`kill -9`) loses a couple of seconds of it at most, and
//! scrolling through a lesson does not rewrite the file on every line.
//!
//! The rule is pure and takes the time as an argument, so tests drive it with a made-up
//! clock; the caller does the saving.

use std::time::{Duration, Instant};

/// The shortest time between two saves.
pub const MIN_GAP: Duration = Duration::from_secs(2);

/// How long the value must stay put to count as settled (scrolling has stopped).
pub const SETTLE: Duration = Duration::from_secs(1);

/// The debounce state for values of type `T`.
#[derive(Debug, Clone)]
pub struct Debounce<T> {
    /// The value last saved (or tried), or the starting value.
    saved: Option<T>,
    /// The value last seen, when it differs from `saved`.
    unsaved: Option<T>,
    /// When the value first differed from `saved`.
    first_change: Option<Instant>,
    /// When the value last changed.
    last_change: Option<Instant>,
    /// When the last save was made.
    last_save: Option<Instant>,
}

impl<T> Default for Debounce<T> {
    fn default() -> Self {
        Self {
            saved: None,
            unsaved: None,
            first_change: None,
            last_change: None,
            last_save: None,
        }
    }
}

impl<T: Clone + PartialEq> Debounce<T> {
    /// A debounce whose value starts as `value` (already saved: nothing to do until it
    /// changes).
    pub fn new(value: T) -> Self {
        Self {
            saved: Some(value),
            ..Self::default()
        }
    }

    /// Notes the value as it is at `now`.
    pub fn observe(&mut self, value: &T, now: Instant) {
        if self.saved.is_none() {
            self.saved = Some(value.clone());
            return;
        }
        if self.saved.as_ref() == Some(value) {
            self.unsaved = None;
            self.first_change = None;
            return;
        }
        if self.unsaved.as_ref() != Some(value) {
            self.unsaved = Some(value.clone());
            self.last_change = Some(now);
            self.first_change.get_or_insert(now);
        }
    }

    /// The value to save now, if a save is due: it differs from the saved one, the last save
    /// was at least [`MIN_GAP`] ago, and it has settled for [`SETTLE`] or has been waiting
    /// for [`MIN_GAP`]. Call [`saved`](Self::saved) after saving it (even if that failed:
    /// the next try comes when the value changes again, not in a loop).
    pub fn due(&self, now: Instant) -> Option<&T> {
        let value = self.unsaved.as_ref()?;
        (self.wait(now)? == Duration::ZERO).then_some(value)
    }

    /// How long from `now` until a save may be due, if the value stays as it is; `None`
    /// when nothing waits to be saved.
    pub fn wait(&self, now: Instant) -> Option<Duration> {
        self.unsaved.as_ref()?;
        let since =
            |t: Option<Instant>| t.map_or(Duration::MAX, |t| now.saturating_duration_since(t));
        let gap_left = MIN_GAP.saturating_sub(since(self.last_save));
        let settle_left = SETTLE.saturating_sub(since(self.last_change));
        let waited_left = MIN_GAP.saturating_sub(since(self.first_change));
        Some(gap_left.max(settle_left.min(waited_left)))
    }

    /// The value last saved (or tried), or the starting value.
    pub fn last_saved(&self) -> Option<&T> {
        self.saved.as_ref()
    }

    /// Records that `value` was saved (or a save of it was tried) at `now`.
    pub fn saved(&mut self, value: T, now: Instant) {
        if self.unsaved.as_ref() == Some(&value) {
            self.unsaved = None;
            self.first_change = None;
        }
        self.saved = Some(value);
        self.last_save = Some(now);
    }
}
