//! What `update` asks the event loop to do: the I/O that follows from an action. `update`
//! changes state only; the loop carries these out ([`App::carry_out`](super::app::App::carry_out)).

/// A piece of I/O for the event loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Save the progress store (an answer was just recorded in it).
    SaveProgress,
    /// Write a replay file of the lab's session, called `name`, into the replay directory.
    WriteReplay { name: String, text: String },
}
