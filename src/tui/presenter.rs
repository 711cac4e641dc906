//! `distlab present`: the teacher's screen. It follows a projected distlab over the
//! presenter link (see [`crate::link`]): the current step's caption or question, what comes
//! next, the teacher's notes, the elapsed time; and its keys drive the projected screen.
//! When the projected instance goes away it says so and reconnects once one is back.
//!
//! The state changes only in [`Presenter::apply`]; [`super::presenter_view`] draws it.

use std::io;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ratatui::crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers};

use super::terminal::Msg;
use super::theme::Theme;
use crate::link::client::{self, Sender as LinkSender};
use crate::link::{Command, Hello, Snapshot};

/// Where to find the projected instance.
#[derive(Debug, Clone)]
pub enum Target {
    /// This socket (`--socket PATH`).
    Socket(PathBuf),
    /// The only instance serving a link in this directory.
    Dir(PathBuf),
}

/// News from the connection thread.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkNews {
    Connected(Hello, PathBuf),
    Event(crate::link::Event),
    /// Not connected, and why (shown as the status).
    Waiting(String),
}

/// One presenter key: the keys, how they are shown, what they do.
pub struct Key {
    pub keys: &'static [KeyCode],
    pub label: &'static str,
    pub help: &'static str,
    /// The footer's word.
    pub short: &'static str,
    pub does: Does,
}

/// What a presenter key does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Does {
    Send(Command),
    /// Mark the option whose letter was typed.
    Mark,
    /// Go to the tab whose digit was typed.
    Tab,
    Quit,
}

use KeyCode::{Char as C, Left, Right};

/// The presenter's keys: the footer, the README and the key handling all read this table.
#[rustfmt::skip]
pub const KEYS: &[Key] = &[
    Key { keys: &[Right, C(' '), C('l')], label: "→/Space", help: "next: the walkthrough's next step, the next question after a reveal", short: "next", does: Does::Send(Command::Next) },
    Key { keys: &[Left, C('h')], label: "←", help: "back: the walkthrough's previous step", short: "back", does: Does::Send(Command::Back) },
    Key { keys: &[C('r'), KeyCode::Enter], label: "r/Enter", help: "reveal the quiz answer", short: "reveal", does: Does::Send(Command::Reveal) },
    Key { keys: &[C('t')], label: "t", help: "start / stop the 30 s countdown before the reveal", short: "countdown", does: Does::Send(Command::Countdown) },
    Key { keys: &[C('a'), C('b'), C('c'), C('d'), C('e'), C('f')], label: "a–f", help: "mark the class's answer", short: "mark", does: Does::Mark },
    Key { keys: &[C('p')], label: "p", help: "run / pause the lab", short: "run/pause", does: Does::Send(Command::Pause) },
    Key { keys: &[C('1'), C('2'), C('3'), C('4')], label: "1-4", help: "show a tab on the projector", short: "tab", does: Does::Tab },
    Key { keys: &[C('q'), KeyCode::Esc], label: "q", help: "quit the presenter (the projected distlab runs on)", short: "quit", does: Does::Quit },
];

/// The presenter's state.
pub struct Presenter {
    pub theme: Theme,
    pub ascii: bool,
    /// What the projected instance last sent.
    pub snapshot: Option<Snapshot>,
    /// Who we follow, while connected.
    pub linked: Option<(Hello, PathBuf)>,
    /// Why we are not connected ("waiting for distlab…").
    pub waiting: String,
    /// The projected instance's answer to our last command, when it refused it.
    pub refused: Option<String>,
    pub quit: bool,
}

impl Presenter {
    pub fn new(theme: Theme, ascii: bool) -> Presenter {
        Presenter {
            theme,
            ascii,
            snapshot: None,
            linked: None,
            waiting: "waiting for distlab…".into(),
            refused: None,
            quit: false,
        }
    }

    /// Takes in news from the link; every text in it is sanitized here, once.
    pub fn apply(&mut self, news: LinkNews) {
        match news {
            LinkNews::Connected(hello, path) => {
                self.linked = Some((clean_hello(hello), path));
                self.refused = None;
            }
            LinkNews::Event(crate::link::Event::State(s)) => self.snapshot = Some(clean(*s)),
            LinkNews::Event(crate::link::Event::Error { message }) => {
                self.refused = Some(crate::sanitize::quote(&message));
            }
            LinkNews::Event(crate::link::Event::Hello(h)) => {
                if let Some((old, _)) = &mut self.linked {
                    *old = clean_hello(h);
                }
            }
            LinkNews::Waiting(why) => {
                self.linked = None;
                self.waiting = crate::sanitize::quote(&why);
            }
        }
    }

    /// The command a key asks for (and whether it quits).
    pub fn key(&mut self, event: &Event) -> Option<Command> {
        let Event::Key(key) = event else { return None };
        if key.kind != KeyEventKind::Press {
            return None;
        }
        if key.modifiers.contains(KeyModifiers::CONTROL) {
            if matches!(key.code, C('c') | C('q')) {
                self.quit = true;
            }
            return None;
        }
        let binding = KEYS.iter().find(|k| k.keys.contains(&key.code))?;
        match (binding.does, key.code) {
            (Does::Send(c), _) => Some(c),
            (Does::Mark, C(c)) => Some(Command::Mark {
                option: (c as u8).saturating_sub(b'a'),
            }),
            (Does::Tab, C(d)) => Some(Command::Tab {
                tab: (d as u8).saturating_sub(b'0'),
            }),
            (Does::Quit, _) => {
                self.quit = true;
                None
            }
            _ => None,
        }
    }
}

fn clean_hello(h: Hello) -> Hello {
    Hello {
        lesson: crate::sanitize::one_line(&h.lesson),
        ..h
    }
}

/// `s` with every text sanitized: it came from another process.
fn clean(mut s: Snapshot) -> Snapshot {
    let one = |t: &mut String| *t = crate::sanitize::one_line(t);
    let many = |t: &mut String| *t = crate::sanitize::sanitize(t);
    one(&mut s.tab);
    one(&mut s.lesson);
    s.reading.as_mut().map(one);
    if let Some(lab) = &mut s.lab {
        one(&mut lab.scenario);
        one(&mut lab.title);
        one(&mut lab.time);
        many(&mut lab.notice);
        lab.notes.as_mut().map(many);
        if let Some(w) = &mut lab.walk {
            w.caption.iter_mut().for_each(|l| {
                many(&mut l.text);
                one(&mut l.tone);
            });
            if let Some(n) = &mut w.next {
                one(&mut n.when);
                many(&mut n.caption);
            }
            w.notes.as_mut().map(many);
        }
    }
    if let Some(q) = &mut s.quiz {
        many(&mut q.question);
        q.options.iter_mut().for_each(many);
        one(&mut q.phase);
        q.notes.as_mut().map(many);
        q.score.as_mut().map(one);
    }
    s
}

/// How long to wait before looking for the projected instance again.
const RETRY: Duration = Duration::from_secs(1);

/// Keeps a connection to the projected instance: finds it, reads what it sends, and when it
/// goes away waits for it (or another) to come back. Commands go out through `outbox`.
fn follow(target: &Target, news: &Sender<Msg>, outbox: &Mutex<Option<LinkSender>>) {
    let mut told = String::new();
    loop {
        let found = match target {
            Target::Socket(path) => client::connect(path, crate::link::place::HELLO_WAIT),
            Target::Dir(dir) => {
                let mut all = client::candidates(dir);
                match all.len() {
                    0 => Err("waiting for distlab… (start it on the projector: distlab \
                              --projector)"
                        .to_owned()),
                    1 => client::connect(&all.remove(0).0, crate::link::place::HELLO_WAIT),
                    n => Err(format!(
                        "{n} distlab instances serve a presenter link: quit and choose one \
                         with distlab present --socket PATH"
                    )),
                }
            }
        };
        let mut link = match found {
            Ok(link) => link,
            Err(why) => {
                let why = match target {
                    Target::Socket(_) => format!("waiting for distlab… ({why})"),
                    Target::Dir(_) => why,
                };
                if why != told
                    && news
                        .send(Msg::Link(LinkNews::Waiting(why.clone())))
                        .is_err()
                {
                    return;
                }
                told = why;
                std::thread::sleep(RETRY);
                continue;
            }
        };
        told.clear();
        *outbox.lock().unwrap_or_else(|e| e.into_inner()) = link.sender().ok();
        let hello = link.hello.clone();
        let pid = hello.pid;
        if news
            .send(Msg::Link(LinkNews::Connected(hello, link.path.clone())))
            .is_err()
        {
            return;
        }
        while let Some(event) = link.next_event() {
            if news.send(Msg::Link(LinkNews::Event(event))).is_err() {
                return;
            }
        }
        *outbox.lock().unwrap_or_else(|e| e.into_inner()) = None;
        let gone = format!("distlab (pid {pid}) went away; waiting for distlab…");
        if news
            .send(Msg::Link(LinkNews::Waiting(gone.clone())))
            .is_err()
        {
            return;
        }
        told = gone;
        std::thread::sleep(RETRY);
    }
}

/// Starts following `target` on a thread; what it finds arrives on `news`, and commands
/// go out through the returned outbox.
pub fn start(target: Target, news: Sender<Msg>) -> io::Result<Arc<Mutex<Option<LinkSender>>>> {
    let outbox = Arc::new(Mutex::new(None::<LinkSender>));
    let theirs = Arc::clone(&outbox);
    std::thread::Builder::new()
        .name("presenter-follow".into())
        .spawn(move || follow(&target, &news, &theirs))?;
    Ok(outbox)
}

/// Draws (with `draw`, given the time now), waits (a second at most, for the clock),
/// handles what came; until the teacher quits.
pub fn presenter_loop<B: ratatui::backend::Backend>(
    terminal: &mut ratatui::Terminal<B>,
    p: &mut Presenter,
    events: &Receiver<Msg>,
    outbox: &Mutex<Option<LinkSender>>,
    draw: impl Fn(&Presenter, &mut ratatui::Frame, u64),
) -> io::Result<()>
where
    B::Error: Into<io::Error>,
{
    while !p.quit {
        terminal
            .draw(|f| draw(p, f, crate::link::unix_now()))
            .map_err(Into::into)?;
        match events.recv_timeout(Duration::from_secs(1)) {
            Ok(Msg::Input(event)) => {
                if let Some(command) = p.key(&event) {
                    let mut out = outbox.lock().unwrap_or_else(|e| e.into_inner());
                    p.refused = match out.as_mut().map(|s| s.send(command)) {
                        Some(Ok(())) => None,
                        Some(Err(e)) => Some(format!("not sent: {e}")),
                        None => Some("not sent: no distlab to drive yet".into()),
                    };
                }
            }
            Ok(Msg::Link(news)) => p.apply(news),
            Ok(Msg::Signal) => p.quit = true,
            Ok(Msg::InputError(e)) => return Err(io::Error::other(e)),
            Ok(Msg::Remote(_)) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        }
    }
    Ok(())
}
