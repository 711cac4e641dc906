//! The reading position: restored at start, and saved by the event loop (soon after
//! scrolling stops, and when the app ends). Saving is I/O, so `update` never does it.

use std::time::{Duration, Instant};

use super::App;
use crate::progress::ReadingPosition;
use crate::tui::layout;

impl App {
    /// Scrolls the lesson to where the learner stopped last time.
    pub(super) fn restore_reading_position(&mut self) {
        let Some(pos) = self
            .progress
            .as_ref()
            .and_then(|p| p.lesson(&self.lesson.id))
            .and_then(|l| l.reading.clone())
        else {
            return;
        };
        // The Lesson tab's page, whichever tab opens first.
        let page =
            layout::text_height(layout::areas(self.area, false, self.display.projector).body)
                .max(1);
        self.lesson_tab.restore(&pos, page as usize);
    }

    /// Where the learner is reading: a section and a line within it, so that it survives a
    /// different terminal width.
    pub fn reading_position(&self) -> ReadingPosition {
        self.lesson_tab.reading_position()
    }

    /// Remembers the reading position, if it moved since it was last saved, and saves
    /// progress. Called when the app ends.
    pub fn save_progress(&mut self) -> Option<String> {
        let position = self.reading_position();
        let moved = self.reading_saves.last_saved() != Some(&position);
        self.save_reading(moved.then_some(position))
    }

    /// Saves the reading position if the learner moved and the debounce rule
    /// ([`debounce`](crate::progress::debounce)) says it is time: soon after scrolling
    /// stops, at most once every two seconds. The event loop calls it after every update (it
    /// does I/O, so it is an effect the loop carries out, not part of `update` or render);
    /// `now` is the loop's clock. Returns how long until it should be called again if
    /// nothing else happens, and whether the status line got a message (a save that failed
    /// or warned), so that the screen needs drawing.
    pub fn autosave_reading(&mut self, now: Instant) -> (Option<Duration>, bool) {
        if self.progress.is_none() {
            return (None, false);
        }
        let position = self.reading_position();
        self.reading_saves.observe(&position, now);
        let Some(due) = self.reading_saves.due(now).cloned() else {
            return (self.reading_saves.wait(now), false);
        };
        let message = self.save_reading(Some(due.clone()));
        self.reading_saves.saved(due, now);
        let told = message.is_some();
        if told {
            self.status = message;
        }
        (self.reading_saves.wait(now), told)
    }

    /// Records `position` (if any) and saves; a message if the save failed or warned.
    fn save_reading(&mut self, position: Option<ReadingPosition>) -> Option<String> {
        let id = self.lesson.id.to_string();
        let store = self.progress.as_mut()?;
        if let Some(p) = position {
            store.lesson_mut(&id).set_reading(p.section, p.line);
        }
        super::effects::save(store)
    }
}
