//! Carrying out what `update` asked for: the app's only writes to disk while it runs
//! (besides the reading position, see [`reading`](super::reading)).

use super::App;
use crate::progress::ProgressStore;
use crate::tui::effect::Effect;

impl App {
    /// Does `effect`, and tells the learner how it went when there is something to say.
    pub fn carry_out(&mut self, effect: Effect) {
        match effect {
            Effect::SaveProgress => {
                if let Some(message) = self.progress.as_mut().and_then(save) {
                    self.status = Some(message);
                }
            }
            Effect::WriteReplay { name, text } => {
                let path = self.replay_dir.join(&name);
                // Where it went, in full: the learner may not know the directory they
                // started in (a path is shown sanitised, like every name from outside).
                let shown = std::path::absolute(&path).unwrap_or_else(|_| path.clone());
                let shown = crate::sanitize::one_line(&shown.to_string_lossy());
                // In compare the file is run A's; B is the same with its one setting.
                let which = (self.lab.as_ref().and_then(|l| l.compare.as_ref())).map(|c| {
                    (
                        format!("run A ({}) ", c.left_label()),
                        format!("; run B is that with --set {}", c.right_label()),
                    )
                });
                let (run, b) = which.unwrap_or_default();
                // Saved mid-run, the replay ends there the way every headless run ends: the
                // messages then in flight still land, so its numbers can run a little on.
                let ends =
                    (self.lab.as_ref())
                        .filter(|l| !l.finished())
                        .map_or(String::new(), |l| {
                            format!(
                                " (it ends the run at t={}: what is in flight then still lands)",
                                crate::sim::time::secs(l.sim.now_us() as i64)
                            )
                        });
                let note = match crate::progress::write_atomic(&path, text.as_bytes()) {
                    Ok(()) => format!(
                        "saved {run}{shown}: replay with `distlab sim --replay {name}`{ends}{b}"
                    ),
                    Err(e) => format!("could not save {shown}: {e}"),
                };
                if let Some(lab) = &mut self.lab {
                    lab.note = Some(note);
                }
            }
        }
    }
}

/// Saves `store`; a message if the save failed or warned.
pub(super) fn save(store: &mut ProgressStore) -> Option<String> {
    match store.save() {
        Ok(warning) => warning.map(|w| w.to_string()),
        Err(e) => Some(format!("could not save progress: {e}")),
    }
}
