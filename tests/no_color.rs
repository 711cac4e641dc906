//! Under NO_COLOR no colour escape reaches the terminal, and meaning still does: the app is
//! rendered through ratatui's crossterm backend into memory, through the same colour filter
//! the terminal session uses, and the bytes are checked for every tab.

use std::time::Duration;

use distlab::lesson;
use distlab::tui::action::{Action, LabAction, Tab};
use distlab::tui::app::App;
use distlab::tui::terminal::ColourFilter;
use distlab::tui::theme::Theme;
use distlab::tui::ui;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;

/// The bytes one frame of `tab` sends to the terminal, with `theme`, filtered or not.
fn frame_bytes(theme: &str, tab: Tab, filtered: bool) -> Vec<u8> {
    // What the session does under NO_COLOR; without it crossterm writes each colour as a
    // bare `ESC[m` (reset all) when the test itself runs with NO_COLOR set.
    ratatui::crossterm::style::force_color_output(true);
    let area = Rect::new(0, 0, WIDTH, HEIGHT);
    let lesson = lesson::builtin().unwrap();
    let mut app = App::new(lesson, Theme::builtin(theme).unwrap(), area, None);
    app.update(Action::GoTab(tab));
    if tab == Tab::Lab {
        // Messages in flight, nodes with state: the most styled screen there is.
        app.update(Action::Lab(LabAction::RunPause));
        app.update(Action::Tick(Duration::from_millis(1500)));
    }
    let options = TerminalOptions {
        viewport: Viewport::Fixed(area),
    };
    let render = |w: &mut dyn std::io::Write| {
        let mut terminal = Terminal::with_options(CrosstermBackend::new(w), options.clone())
            .expect("a terminal in memory");
        terminal.draw(|f| ui::render(&app, f)).unwrap();
    };
    let mut out = Vec::new();
    if filtered {
        let mut filter = ColourFilter::new(&mut out);
        render(&mut filter);
    } else {
        render(&mut out);
    }
    out
}

/// Every SGR sequence (`ESC [ params m`) in `bytes`, as its parameter text.
fn sgr_params(bytes: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == 0x1b && bytes[i + 1] == b'[' {
            let start = i + 2;
            let mut end = start;
            while end < bytes.len() && (0x20..=0x3f).contains(&bytes[end]) {
                end += 1;
            }
            if bytes.get(end) == Some(&b'm') {
                found.push(String::from_utf8_lossy(&bytes[start..end]).into_owned());
            }
            i = end;
        } else {
            i += 1;
        }
    }
    found
}

/// True when an SGR parameter list sets or resets a colour.
fn is_colour(params: &str) -> bool {
    params.split(';').any(|p| {
        let head = p.split(':').next().unwrap_or("");
        matches!(
            head.parse::<u32>(),
            Ok(30..=39 | 40..=49 | 58 | 59 | 90..=97 | 100..=107)
        )
    })
}

/// True when an SGR parameter list holds the attribute `code`.
fn has_attr(params: &str, code: &str) -> bool {
    params.split(';').any(|p| p == code)
}

#[test]
fn the_raw_backend_writes_colour_so_this_test_can_see_it() {
    let raw = frame_bytes("mono", Tab::Lesson, false);
    assert!(
        sgr_params(&raw).iter().any(|p| is_colour(p)),
        "the backend writes colour resets even for a colourless theme"
    );
}

#[test]
fn mono_on_every_tab_has_no_colour_but_keeps_bold_and_reverse() {
    for tab in Tab::ALL {
        let bytes = frame_bytes("mono", tab, true);
        let sgrs = sgr_params(&bytes);
        let colours: Vec<&String> = sgrs.iter().filter(|p| is_colour(p)).collect();
        assert!(colours.is_empty(), "{tab:?}: colour SGR {colours:?}");
        assert!(
            !sgrs.iter().any(String::is_empty),
            "{tab:?}: no bare ESC[m, which would reset bold and reverse"
        );
        // The active tab is drawn reversed and bold (mono's `tab_active`).
        assert!(sgrs.iter().any(|p| has_attr(p, "7")), "{tab:?}: no reverse");
        assert!(sgrs.iter().any(|p| has_attr(p, "1")), "{tab:?}: no bold");
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            text.contains(tab.title()),
            "{tab:?}: the tab title is drawn"
        );
    }
}

#[test]
fn colour_themes_lose_their_colours_too() {
    for theme in ["dark", "light", "projector"] {
        for tab in Tab::ALL {
            let bytes = frame_bytes(theme, tab, true);
            let colours: Vec<String> = sgr_params(&bytes)
                .into_iter()
                .filter(|p| is_colour(p))
                .collect();
            assert!(
                colours.is_empty(),
                "{theme} {tab:?}: colour SGR {colours:?}"
            );
        }
    }
}

/// The real binary in a pseudo-terminal: every byte it writes, under NO_COLOR or not.
#[cfg(unix)]
mod pty {
    use std::process::Command;
    use std::time::Duration;

    use expectrl::{Eof, Expect, Session};

    use super::{has_attr, is_colour, sgr_params};

    /// Starts distlab, opens the lab and runs it, visits the other tabs, quits; returns
    /// everything written to the terminal.
    fn run(no_color: bool) -> Vec<u8> {
        let dir = tempfile::tempdir().unwrap();
        let bin = assert_cmd::cargo::cargo_bin("distlab");
        let script = format!(
            "stty cols 100 rows 30; '{}' --progress-file '{}'; echo EXIT=$?",
            bin.display(),
            dir.path().join("progress.toml").display()
        );
        let mut cmd = Command::new("sh");
        cmd.arg("-c").arg(script);
        cmd.env("TERM", "xterm-256color")
            .env("DISTLAB_CONFIG", dir.path().join("absent.toml"));
        if no_color {
            cmd.env("NO_COLOR", "1");
        } else {
            cmd.env_remove("NO_COLOR");
        }
        let mut s = Session::spawn(cmd).expect("spawn in a pty");
        s.set_expect_timeout(Some(Duration::from_secs(20)));
        let mut bytes = Vec::new();
        let mut upto = |s: &mut expectrl::session::OsSession, needle: &str| {
            let found = s.expect(needle).unwrap();
            bytes.extend_from_slice(found.before());
            found.matches().for_each(|m| bytes.extend_from_slice(m));
        };
        upto(&mut s, "1 Lesson");
        s.send("3").unwrap();
        upto(&mut s, "Lab");
        s.send(" ").unwrap();
        std::thread::sleep(Duration::from_millis(400));
        s.send("2").unwrap();
        s.send("4").unwrap();
        s.send("q").unwrap();
        upto(&mut s, "EXIT=0");
        let rest = s.expect(Eof).unwrap();
        bytes.extend_from_slice(rest.before());
        bytes
    }

    #[test]
    fn under_no_color_the_binary_writes_no_colour_but_does_write_reverse() {
        let bytes = run(true);
        let sgrs = sgr_params(&bytes);
        let colours: Vec<&String> = sgrs.iter().filter(|p| is_colour(p)).collect();
        assert!(
            colours.is_empty(),
            "colour SGR reached the terminal: {colours:?}"
        );
        assert!(sgrs.iter().any(|p| has_attr(p, "7")), "reverse video kept");
        assert!(sgrs.iter().any(|p| has_attr(p, "1")), "bold kept");
    }

    #[test]
    fn without_no_color_the_same_run_has_colour() {
        let sgrs = sgr_params(&run(false));
        assert!(
            sgrs.iter().any(|p| is_colour(p)),
            "the check above can fail"
        );
    }
}
