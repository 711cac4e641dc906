//! The terminal session: raw mode, alternate screen and mouse capture on the way in, and
//! all of it undone on every way out: normal return, error, panic, SIGTERM and SIGHUP.
//!
//! Input arrives on a channel from two threads: one blocking in `event::read`, one waiting
//! for signals. The main loop blocks on that channel, so it uses no CPU while idle, and a
//! signal becomes an ordinary quit that saves progress on the way out.

use std::io::{self, stdout};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use ratatui::crossterm::execute;

/// What wakes the main loop.
#[derive(Debug)]
pub enum Msg {
    Input(Event),
    /// SIGTERM, SIGHUP or SIGINT: leave as if the learner pressed q.
    Signal,
    /// Reading input failed: the terminal is gone.
    InputError(String),
}

/// The terminal in TUI mode; restores it when dropped.
pub struct Session {
    pub terminal: DefaultTerminal,
}

impl Session {
    /// Enters raw mode and the alternate screen and captures the mouse.
    pub fn start() -> io::Result<Session> {
        let terminal = ratatui::try_init()?;
        // ratatui's panic hook restores raw mode and the screen but not mouse capture.
        let restore_screen = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = execute!(stdout(), DisableMouseCapture);
            restore_screen(info);
        }));
        let session = Session { terminal };
        execute!(stdout(), EnableMouseCapture)?;
        Ok(session)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = execute!(stdout(), DisableMouseCapture);
        ratatui::restore();
    }
}

/// Starts the input and signal threads and returns the channel they feed.
pub fn spawn_event_sources() -> io::Result<Receiver<Msg>> {
    let (tx, rx) = mpsc::channel();
    spawn_signal_thread(tx.clone())?;
    thread::Builder::new()
        .name("input".into())
        .spawn(move || read_input(&tx))?;
    Ok(rx)
}

fn read_input(tx: &Sender<Msg>) {
    loop {
        let msg = match event::read() {
            Ok(ev) => Msg::Input(ev),
            Err(e) => Msg::InputError(e.to_string()),
        };
        let failed = matches!(msg, Msg::InputError(_));
        if tx.send(msg).is_err() || failed {
            return;
        }
    }
}

#[cfg(unix)]
fn spawn_signal_thread(tx: Sender<Msg>) -> io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT])?;
    thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            for _ in signals.forever() {
                if tx.send(Msg::Signal).is_err() {
                    return;
                }
            }
        })?;
    Ok(())
}

#[cfg(not(unix))]
fn spawn_signal_thread(_tx: Sender<Msg>) -> io::Result<()> {
    Ok(())
}
