//! The terminal app: state ([`app`] and one module per screen: [`lesson_tab`],
//! [`concepts_tab`], [`quiz_tab`], [`lab`], [`help`]), input ([`keymap`]), geometry that
//! update and render share ([`layout`], [`lab_layout`], [`quiz_doc`]), drawing ([`ui`] and
//! one view per screen), and the event loop that joins them and carries out the
//! [`effect`]s `update` returns. State modules never import views (tests/layers.rs). The
//! loop is generic over the ratatui backend, so tests drive the same code on a
//! `TestBackend`.

pub mod action;
pub mod app;
pub mod cells;
pub mod concepts_tab;
mod concepts_view;
pub mod course;
mod course_view;
pub mod effect;
pub mod glyphs;
pub mod help;
pub mod keymap;
pub mod lab;
pub mod lab_layout;
pub mod lab_view;
pub mod layout;
pub mod lesson_tab;
mod lesson_view;
pub mod presenter;
pub mod presenter_view;
pub mod quiz_doc;
mod quiz_history;
pub mod quiz_tab;
mod quiz_view;
pub mod remote;
pub mod scroll;
pub mod styled_doc;
pub mod terminal;
pub mod theme;
pub mod tradeoffs;
mod tradeoffs_view;
pub mod ui;

use std::io;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::layout::Rect;

use self::action::{Action, Tab};
use self::app::App;
use self::terminal::Msg;
use self::theme::Theme;
use crate::course::Course;
use crate::lesson::Lesson;
use crate::progress::ProgressStore;
use crate::quiz::{Mode, Order};

/// The lab a `distlab lab` run opens on.
#[derive(Debug, Clone, Default)]
pub struct LabStart {
    /// Index into the lesson's scenarios.
    pub scenario: usize,
    pub seed: u64,
    pub walkthrough: bool,
    /// Compare two runs from the start: the parameter, its value in run A and in run B.
    pub compare: Option<(String, String, String)>,
}

/// How the TUI starts.
pub struct Options {
    pub theme: Theme,
    pub tab: Tab,
    /// Where progress is kept; `None` runs without saving.
    pub progress: Option<ProgressStore>,
    /// The quiz's question order and mode.
    pub quiz: (Order, Mode),
    /// Open the lab on this scenario and seed.
    pub lab: Option<LabStart>,
    /// A warning to show at start (e.g. a corrupt progress file was moved aside).
    pub warning: Option<String>,
    /// How the screen looks and moves.
    pub display: Display,
}

impl Options {
    /// The defaults in `theme`: the Lesson tab, no progress file, the quiz in lesson order
    /// for practice, the lab on its first scenario with seed 1.
    pub fn new(theme: Theme) -> Options {
        Options {
            theme,
            tab: Tab::Lesson,
            progress: None,
            quiz: (Order::Lesson, Mode::Practice),
            lab: None,
            warning: None,
            display: Display::default(),
        }
    }
}

/// Display preferences: from flags, the config file, or defaults.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Display {
    /// Classroom projector layout: large quiz text, solid glyphs, fewer panels, captions.
    pub projector: bool,
    /// No moving messages: each appears at its destination with a marker.
    pub reduced_motion: bool,
    /// Draw with ASCII alone (see [`glyphs`]): `--ascii`, or the Linux console.
    pub ascii: bool,
    /// Index into [`lab::SPEEDS`] the lab starts at.
    pub speed_index: usize,
    /// The terminal draws double-height lines (probed at start in projector mode): the
    /// classroom quiz uses them for the question and its options.
    pub double_height: bool,
}

impl Default for Display {
    fn default() -> Display {
        Display {
            projector: false,
            reduced_motion: false,
            ascii: false,
            speed_index: lab::DEFAULT_SPEED,
            double_height: false,
        }
    }
}

/// Runs the TUI until the learner quits. The terminal is restored on every way out.
/// Returns a warning to print once the screen is back (a progress save that failed).
pub fn run(lesson: Lesson, options: Options) -> io::Result<Option<String>> {
    let mut session = terminal::Session::start()?;
    let size = session.terminal.size()?;
    let area = Rect::new(0, 0, size.width, size.height);
    let mut options = options;
    // Only a projector's classroom quiz uses double-height lines; ask the terminal before
    // the input thread would swallow its answer.
    options.display.double_height = options.display.projector
        && !options.display.ascii
        && terminal::probe_double_height(size.width);
    let mut app = App::new(lesson, options, area);
    let (sources, events) = terminal::event_sources()?;
    terminal::panic_if_asked(&mut session.terminal);
    let result = event_loop_linked(&mut session.terminal, &mut app, &events, Some(sources));
    drop(session);
    result.map(|()| app.save_progress())
}

/// How a course's start screen opens (`distlab --course DIR`).
pub struct CourseOptions {
    pub theme: Theme,
    /// Where progress is kept; `None` runs without saving.
    pub progress: Option<ProgressStore>,
    /// A warning to show at start (e.g. a corrupt progress file was moved aside).
    pub warning: Option<String>,
    pub display: Display,
}

/// Runs a course's start screen, and the lessons opened from it, until the learner quits.
/// The terminal is restored on every way out. Returns a warning to print once the screen is
/// back (a progress save that failed).
pub fn run_course(course: &Course, options: CourseOptions) -> io::Result<Option<String>> {
    let mut session = terminal::Session::start()?;
    let (_sender, events) = terminal::spawn_event_sources()?;
    terminal::panic_if_asked(&mut session.terminal);
    let result = course_loop(&mut session.terminal, course, options, &events);
    drop(session);
    result
}

/// The course screen's loop: draws the list, opens the lesson chosen in a lesson app on the
/// same terminal, and comes back when the learner leaves it (q); Ctrl-C or a quit signal
/// leaves everything. Progress moves from lesson to lesson and is saved as each is left.
pub fn course_loop<B: Backend + terminal::LineSizes>(
    terminal: &mut Terminal<B>,
    course: &Course,
    options: CourseOptions,
    events: &Receiver<Msg>,
) -> io::Result<Option<String>>
where
    B::Error: Into<io::Error>,
{
    use self::course::CourseAction;
    let CourseOptions {
        theme,
        mut progress,
        warning,
        display,
    } = options;
    let mut screen = course::CourseScreen::new(course, progress.as_ref().map(|p| p.progress()));
    screen.note = warning;
    let mut failed_save = None;
    loop {
        terminal
            .draw(|frame| course_view::render(&screen, &theme, display.ascii, frame))
            .map_err(Into::into)?;
        let action = match events.recv() {
            Ok(Msg::Input(event)) => course::map_event(&event),
            Ok(Msg::Signal) => Some(CourseAction::Quit),
            Ok(Msg::InputError(e)) => return Err(io::Error::other(e)),
            Ok(_) => None,
            Err(_) => break,
        };
        let Some(action) = action else { continue };
        if action == CourseAction::Quit {
            break;
        }
        let Some(i) = screen.update(action) else {
            continue;
        };
        let size = terminal.size().map_err(Into::into)?;
        let options = Options {
            progress: progress.take(),
            display,
            ..Options::new(theme.clone())
        };
        let area = Rect::new(0, 0, size.width, size.height);
        let mut app = App::new(course.lessons[i].lesson.clone(), options, area);
        app.in_course = true;
        let ran = event_loop(terminal, &mut app, events);
        failed_save = app.save_progress().or(failed_save);
        progress = app.progress.take();
        ran?;
        if app.quit_all {
            break;
        }
        screen.refresh(course, progress.as_ref().map(|p| p.progress()));
        screen.returned_from(i);
        if let Some(w) = &failed_save {
            screen.note = Some(w.clone());
        }
    }
    Ok(failed_save)
}

/// Draws, waits for input (or the next animation frame), updates; until quit.
pub fn event_loop<B: Backend + terminal::LineSizes>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    events: &Receiver<Msg>,
) -> io::Result<()>
where
    B::Error: Into<io::Error>,
{
    event_loop_linked(terminal, app, events, None)
}

/// [`event_loop`], serving a presenter link: a presenter's command is carried out like a
/// key press, and every presenter is sent what changed. Once the first frame is on screen
/// (which needs neither), `sources` are started and the link is opened on their channel;
/// without a link the app runs the same, and says why once.
pub fn event_loop_linked<B: Backend + terminal::LineSizes>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    events: &Receiver<Msg>,
    mut sources: Option<terminal::EventSources>,
) -> io::Result<()>
where
    B::Error: Into<io::Error>,
{
    let mut dirty = true;
    let mut last_frame = Instant::now();
    // The rows the terminal draws double-height now (the top row of each pair).
    let mut big_rows: Vec<u16> = Vec::new();
    let mut link: Option<crate::link::server::Server> = None;
    while !app.quit {
        let now = Instant::now();
        if app.animating() || app.clock_visible() {
            update(app, Action::Tick(now - last_frame));
            // The simulation keeps running off screen; redraw only when something shown moved.
            dirty |= app.lab_on_screen() || app.clock_visible();
        }
        last_frame = now;
        if dirty {
            // Lay out for the size the frame will really have, even if a resize event was
            // coalesced away.
            let size = terminal.size().map_err(Into::into)?;
            let resized = (size.width, size.height) != (app.area.width, app.area.height);
            if resized {
                update(
                    app,
                    Action::Resize {
                        width: size.width,
                        height: size.height,
                    },
                );
            }
            // Row sizes change the meaning of what is on screen: reset the old ones and
            // redraw everything, then size the new rows over what was drawn.
            let rows = app.double_height_rows();
            let resize_rows = rows != big_rows || (resized && !rows.is_empty());
            if resize_rows && !big_rows.is_empty() {
                terminal.backend_mut().set_line_sizes(&big_rows, &[])?;
                // Everything must be written again: what a double row held past its half
                // was off screen and comes back with the row's normal width. (Not
                // `Terminal::clear`, which waits for a cursor report the input thread reads.)
                terminal
                    .draw(|frame| blank_every_cell(frame.buffer_mut()))
                    .map_err(Into::into)?;
            }
            terminal
                .draw(|frame| ui::render(app, frame))
                .map_err(Into::into)?;
            if resize_rows {
                terminal.backend_mut().set_line_sizes(&[], &rows)?;
                big_rows = rows;
            }
            dirty = false;
        }
        // A presenter (`distlab present`) may follow this screen.
        if let Some(sources) = sources.take() {
            match remote::listen(app, sources.start()?) {
                Ok(server) => link = Some(server),
                Err(why) => {
                    app.status = Some(format!("no presenter link: {why}"));
                    dirty = true;
                    continue;
                }
            }
        }
        // Saving is the loop's job (update and render do no I/O).
        let (autosave_in, told) = app.autosave_reading(Instant::now());
        if told {
            dirty = true;
            continue;
        }
        let wake_in = match (next_frame_in(app), autosave_in) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        // Time spent waiting while nothing animates (paused, reading a caption) is not
        // simulated time: the next tick counts from when the wait ends.
        let idle = !(app.animating() || app.clock_visible());
        let msg = match wake_in {
            Some(timeout) => match events.recv_timeout(timeout) {
                Ok(msg) => Some(msg),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            },
            None => match events.recv() {
                Ok(msg) => Some(msg),
                Err(_) => return Ok(()),
            },
        };
        if idle {
            last_frame = Instant::now();
        }
        match msg {
            Some(Msg::Input(event)) => {
                if let Some(action) = keymap::map_event(&event, app.key_context()) {
                    update(app, action);
                    dirty = true;
                }
            }
            Some(Msg::Signal) => update(app, Action::QuitAll),
            Some(Msg::InputError(e)) => return Err(io::Error::other(e)),
            Some(Msg::Remote(incoming)) => dirty |= remote_command(app, incoming, link.as_ref()),
            Some(Msg::Link(_)) | None => {}
        }
        if let Some(link) = link.as_ref().filter(|l| l.has_clients()) {
            link.publish(&remote::snapshot(app, link.hello().started_unix));
        }
    }
    Ok(())
}

/// Carries out a presenter's command as the key that means it here would be, or tells
/// that presenter why it does nothing; true when the screen may have changed.
fn remote_command(
    app: &mut App,
    incoming: crate::link::server::Incoming,
    link: Option<&crate::link::server::Server>,
) -> bool {
    use crate::link::server::Incoming;
    let Incoming::Command(client, command) = incoming else {
        return false; // a presenter joined: the state is sent below
    };
    match remote::action(app, command) {
        Ok(action) => {
            update(app, action);
            true
        }
        Err(why) => {
            if let Some(link) = link {
                link.reply(client, &why);
            }
            false
        }
    }
}

/// A frame that differs from every real one in every cell (a hidden blank), so the frame
/// after it is written whole.
fn blank_every_cell(buf: &mut ratatui::buffer::Buffer) {
    let hidden = ratatui::style::Style::new().add_modifier(ratatui::style::Modifier::HIDDEN);
    let area = buf.area;
    buf.set_style(area, hidden);
}

/// Updates `app` and carries out the effects the update asks for.
fn update(app: &mut App, action: Action) {
    for effect in app.update(action) {
        app.carry_out(effect);
    }
}

/// Frames per second while something moves.
pub const FPS: u32 = 30;

/// How long until the next animation frame is due, or `None` when nothing moves (the loop
/// then sleeps until input arrives: no CPU is used between key presses).
fn next_frame_in(app: &App) -> Option<Duration> {
    if app.animating() {
        Some(Duration::from_secs(1) / FPS)
    } else if app.clock_visible() {
        Some(Duration::from_secs(1))
    } else {
        None
    }
}

/// `distlab present`: the presenter's screen, following the projected distlab at `target`,
/// until the teacher quits. The terminal is restored on every way out.
pub fn present(target: presenter::Target, theme: Theme, ascii: bool) -> io::Result<()> {
    let mut session = terminal::Session::start()?;
    let (sender, events) = terminal::spawn_event_sources()?;
    let outbox = presenter::start(target, sender)?;
    let mut p = presenter::Presenter::new(theme, ascii);
    presenter::presenter_loop(
        &mut session.terminal,
        &mut p,
        &events,
        &outbox,
        presenter_view::render,
    )
}
