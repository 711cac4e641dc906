//! The terminal session: raw mode, alternate screen and mouse capture on the way in, and
//! all of it undone on every way out: normal return, error, panic, and every terminating
//! signal a process can catch (SIGTERM, SIGHUP, SIGINT, SIGQUIT, ...).
//!
//! With `NO_COLOR` set (non-empty) the app draws in the mono theme, which sets no colour,
//! so crossterm writes no colour escape while bold, underline and reverse still reach the
//! terminal (tests/no_color.rs reads the bytes back to check).
//!
//! Input arrives on a channel from two threads: one blocking in `event::read`, one waiting
//! for signals. The main loop blocks on that channel, so it uses no CPU while idle, and a
//! signal becomes an ordinary quit that saves progress on the way out.

use std::io::{self, BufWriter, Stdout, stdout};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};

/// What wakes the main loop.
#[derive(Debug)]
pub enum Msg {
    Input(Event),
    /// SIGTERM, SIGHUP, SIGINT, SIGQUIT or another terminating signal ([`QUIT_SIGNALS`]):
    /// leave as if the learner pressed q.
    Signal,
    /// Reading input failed: the terminal is gone.
    InputError(String),
    /// From the presenter link (`distlab present`): a presenter joined, or sent a command.
    Remote(crate::link::server::Incoming),
    /// To the presenter (`distlab present`): what its link found.
    Link(super::presenter::LinkNews),
}

/// True when the `NO_COLOR` convention (<https://no-color.org>) asks for no colour: the
/// variable is set and not empty.
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// True on the Linux console (`TERM=linux`), whose font draws little beyond ASCII and box
/// lines: the app then draws in ASCII (see [`super::glyphs`]).
pub fn linux_console() -> bool {
    std::env::var_os("TERM").is_some_and(|t| t == "linux")
}

/// Asks the terminal whether it draws double-height lines (DEC DECDWL/DECDHL, as xterm,
/// Konsole, mintty, WezTerm and Windows Terminal do; tmux and many others do not): on a
/// double-width row, `width / 2 + 1` characters no longer fit, so the cursor wraps (or
/// stops at the row's end), while a terminal that ignores line sizes leaves it one column
/// further on the same row. Call on the alternate screen before the input thread starts
/// (it reads the cursor report); the row is put back as it was. No answer means no.
pub fn probe_double_height(width: u16) -> bool {
    use ratatui::crossterm::cursor::{MoveTo, position};
    use ratatui::crossterm::style::Print;
    use ratatui::crossterm::terminal::{Clear, ClearType};
    let probe = (width / 2 + 1) as usize;
    if width < 8
        || execute!(
            stdout(),
            MoveTo(0, 0),
            Print("\x1b#6"),
            Print(" ".repeat(probe))
        )
        .is_err()
    {
        return false;
    }
    let at = position();
    let _ = execute!(
        stdout(),
        MoveTo(0, 0),
        Print("\x1b#5"),
        Clear(ClearType::All)
    );
    // Wrapped to the next row, or stopped short of where the cells would end.
    matches!(at, Ok((column, row)) if row > 0 || column < probe as u16)
}

/// A backend that can set the size of whole rows: double-height rows for the classroom
/// quiz (see [`super::quiz_doc::stage`]).
pub trait LineSizes {
    /// Makes the rows of `single` (and the row under each) ordinary again, and each row of
    /// `double` the top half of a double-height line, the row under it the bottom half.
    fn set_line_sizes(&mut self, single: &[u16], double: &[u16]) -> io::Result<()>;
}

impl<W: io::Write> LineSizes for CrosstermBackend<W> {
    fn set_line_sizes(&mut self, single: &[u16], double: &[u16]) -> io::Result<()> {
        use ratatui::crossterm::cursor::MoveTo;
        use ratatui::crossterm::queue;
        use ratatui::crossterm::style::Print;
        for &row in single {
            queue!(self, MoveTo(0, row), Print("\x1b#5"))?;
            queue!(self, MoveTo(0, row + 1), Print("\x1b#5"))?;
        }
        for &row in double {
            queue!(self, MoveTo(0, row), Print("\x1b#3"))?;
            queue!(self, MoveTo(0, row + 1), Print("\x1b#4"))?;
        }
        io::Write::flush(self)
    }
}

/// Tests draw into a buffer, which has no row sizes.
impl LineSizes for ratatui::backend::TestBackend {
    fn set_line_sizes(&mut self, _: &[u16], _: &[u16]) -> io::Result<()> {
        Ok(())
    }
}

/// The terminal in TUI mode; restores it when dropped.
pub struct Session {
    /// Buffered so that a frame reaches the terminal in one write (ratatui flushes after
    /// each), not in the pieces of stdout's line buffer.
    pub terminal: Terminal<CrosstermBackend<BufWriter<Stdout>>>,
}

/// Room for a whole frame of a large terminal, escape sequences included.
const FRAME_BYTES: usize = 64 * 1024;

impl Session {
    /// Enters raw mode and the alternate screen and captures the mouse. Built by hand rather
    /// than with `ratatui::try_init` so that the panic hook also releases the mouse.
    pub fn start() -> io::Result<Session> {
        // Like ratatui's own hook, plus mouse capture, which ratatui does not restore.
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // Only while the TUI owns the terminal: a later panic prints on a normal screen.
            if ACTIVE.swap(false, Ordering::SeqCst) {
                restore();
            }
            previous(info);
        }));
        ACTIVE.store(true, Ordering::SeqCst);
        enable_raw_mode()?;
        let started = execute!(stdout(), EnterAlternateScreen, EnableMouseCapture).and_then(|()| {
            let out = BufWriter::with_capacity(FRAME_BYTES, stdout());
            Terminal::new(CrosstermBackend::new(out))
        });
        match started {
            Ok(terminal) => Ok(Session { terminal }),
            Err(e) => {
                ACTIVE.store(false, Ordering::SeqCst);
                restore();
                Err(e)
            }
        }
    }
}

/// Releases the mouse, leaves raw mode and the alternate screen. Safe to call twice.
fn restore() {
    let _ = execute!(stdout(), DisableMouseCapture);
    ratatui::restore();
}

impl Drop for Session {
    fn drop(&mut self) {
        ACTIVE.store(false, Ordering::SeqCst);
        restore();
    }
}

/// The name of the environment variable that makes the app panic right after its first
/// frame: a test hook, so a test can check that a panic inside the TUI restores the
/// terminal. It has no other effect and is not documented for users.
pub const TEST_PANIC_VAR: &str = "DISTLAB_TEST_PANIC_AFTER_FIRST_FRAME";

/// Panics (after drawing one frame) when [`TEST_PANIC_VAR`] is set.
pub fn panic_if_asked<B: ratatui::backend::Backend>(terminal: &mut Terminal<B>) {
    if std::env::var_os(TEST_PANIC_VAR).is_some() {
        let _ = terminal.draw(|f| {
            f.render_widget(ratatui::widgets::Paragraph::new("about to panic"), f.area())
        });
        panic!("{TEST_PANIC_VAR} is set: panicking inside the TUI");
    }
}

/// True while a [`Session`] holds the terminal in raw mode.
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Starts the input and signal threads and returns the channel they feed, and a sender
/// for other sources (the presenter link) to feed it too.
pub fn spawn_event_sources() -> io::Result<(Sender<Msg>, Receiver<Msg>)> {
    let (sources, rx) = event_sources()?;
    Ok((sources.start()?, rx))
}

/// The channel the input and signal threads will feed, and those sources ready to start:
/// the quit signals are caught from now on (one that arrives before its thread runs waits
/// for it), and [`EventSources::start`] starts the threads, which the first frame does not
/// need (keys typed meanwhile wait in the terminal).
pub fn event_sources() -> io::Result<(EventSources, Receiver<Msg>)> {
    let (tx, rx) = mpsc::channel();
    #[cfg(unix)]
    let signals = signal_hook::iterator::Signals::new(QUIT_SIGNALS)?;
    Ok((
        EventSources {
            tx,
            #[cfg(unix)]
            signals,
        },
        rx,
    ))
}

/// See [`event_sources`].
pub struct EventSources {
    tx: Sender<Msg>,
    #[cfg(unix)]
    signals: signal_hook::iterator::Signals,
}

impl EventSources {
    /// Starts the input and signal threads; returns a sender for other sources (the
    /// presenter link) to feed the same channel.
    pub fn start(self) -> io::Result<Sender<Msg>> {
        #[cfg(unix)]
        spawn_signal_thread(self.signals, self.tx.clone())?;
        let input = self.tx.clone();
        thread::Builder::new()
            .name("input".into())
            .spawn(move || read_input(&input))?;
        Ok(self.tx)
    }
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

/// Every signal whose default action ends the process and that a process may catch: each
/// becomes an ordinary quit, so the terminal is restored and progress saved. (SIGKILL and
/// SIGSTOP cannot be caught; SIGSEGV and friends are not signals to recover from; SIGPIPE
/// is ignored by the Rust runtime, so a closed pipe is an error, not a death.)
#[cfg(unix)]
pub const QUIT_SIGNALS: &[i32] = {
    use signal_hook::consts::*;
    &[
        SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU,
        SIGXFSZ,
    ]
};

#[cfg(unix)]
fn spawn_signal_thread(
    mut signals: signal_hook::iterator::Signals,
    tx: Sender<Msg>,
) -> io::Result<()> {
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
