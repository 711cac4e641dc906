//! Under NO_COLOR no colour escape reaches the terminal, and meaning still does. With
//! NO_COLOR set, the app resolves its theme (mono) and draws every tab through ratatui's
//! real crossterm backend into memory; the bytes are read back the way a terminal reads
//! them, and every cell must show the bold, reverse, underline... the app gave it (under
//! NO_COLOR crossterm writes a colour as a bare `ESC[m`, a reset, which would drop them).

use std::sync::Once;
use std::time::Duration;

use distlab::config::{self, Config, Flags};
use distlab::lesson;
use distlab::tui::Options;
use distlab::tui::action::{Action, LabAction, Tab};
use distlab::tui::app::App;
use distlab::tui::terminal::no_color;
use distlab::tui::theme::Theme;
use distlab::tui::ui;
use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::{Terminal, TerminalOptions, Viewport};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;

/// Sets NO_COLOR for this test process, once, before anything is drawn.
fn set_no_color() {
    static SET: Once = Once::new();
    // SAFETY: every test calls this before it draws or spawns anything, and the `Once`
    // makes the write happen once, before any reader of NO_COLOR in this process.
    SET.call_once(|| unsafe { std::env::set_var("NO_COLOR", "1") });
}

/// The app on `tab` at 120×40, with the theme the app itself picks under NO_COLOR.
fn app_on(tab: Tab) -> App {
    set_no_color();
    assert!(no_color(), "NO_COLOR is set for this process");
    let settings = config::resolve(&Flags::default(), &Config::default(), no_color());
    assert_eq!(settings.theme, "mono", "NO_COLOR chooses the mono theme");
    let theme = Theme::builtin(&settings.theme).unwrap();
    let area = Rect::new(0, 0, WIDTH, HEIGHT);
    let mut app = App::new(lesson::builtin().unwrap(), Options::new(theme), area);
    app.update(Action::GoTab(tab));
    if tab == Tab::Lab {
        // Messages in flight, nodes with state: the most styled screen there is.
        app.update(Action::Lab(LabAction::RunPause));
        app.update(Action::Tick(Duration::from_millis(1500)));
    }
    app
}

/// The bytes one frame of `app` sends to the terminal through the crossterm backend.
fn frame_bytes(app: &App) -> Vec<u8> {
    let options = TerminalOptions {
        viewport: Viewport::Fixed(Rect::new(0, 0, WIDTH, HEIGHT)),
    };
    let mut out = Vec::new();
    let mut terminal = Terminal::with_options(CrosstermBackend::new(&mut out), options).unwrap();
    terminal.draw(|f| ui::render(app, f)).unwrap();
    drop(terminal);
    out
}

/// The same frame as cells.
fn frame_cells(app: &App) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
    terminal.draw(|f| ui::render(app, f)).unwrap();
    terminal.backend().buffer().clone()
}

/// The modifiers an SGR sequence can carry.
const SGR_MODIFIERS: Modifier = Modifier::BOLD
    .union(Modifier::DIM)
    .union(Modifier::ITALIC)
    .union(Modifier::UNDERLINED)
    .union(Modifier::SLOW_BLINK)
    .union(Modifier::RAPID_BLINK)
    .union(Modifier::REVERSED)
    .union(Modifier::HIDDEN)
    .union(Modifier::CROSSED_OUT);

/// A screen as a terminal sees it after reading a byte stream: the modifiers in force
/// when each cell was written, and every SGR parameter list that set or reset a colour.
struct Screen {
    modifiers: Vec<Modifier>,
    colours: Vec<String>,
    sgrs: Vec<String>,
}

impl Screen {
    fn read(bytes: &[u8]) -> Screen {
        let text = String::from_utf8(bytes.to_vec()).expect("the frame is UTF-8");
        let mut screen = Screen {
            modifiers: vec![Modifier::empty(); usize::from(WIDTH) * usize::from(HEIGHT)],
            colours: Vec::new(),
            sgrs: Vec::new(),
        };
        let (mut x, mut y, mut current) = (0usize, 0usize, Modifier::empty());
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                if chars.next_if_eq(&'[').is_none() {
                    continue;
                }
                let mut params = String::new();
                let mut end = None;
                for c in chars.by_ref() {
                    if ('\x40'..='\x7e').contains(&c) {
                        end = Some(c);
                        break;
                    }
                    params.push(c);
                }
                match end {
                    Some('H') => {
                        let mut it = params.split(';').map(|p| p.parse::<usize>().unwrap_or(1));
                        y = it.next().unwrap_or(1) - 1;
                        x = it.next().unwrap_or(1) - 1;
                    }
                    Some('m') => {
                        screen.sgr(&params, &mut current);
                        screen.sgrs.push(params);
                    }
                    _ => {}
                }
                continue;
            }
            let width = c.width().unwrap_or(0);
            if width == 0 || x >= usize::from(WIDTH) || y >= usize::from(HEIGHT) {
                continue;
            }
            screen.modifiers[y * usize::from(WIDTH) + x] = current;
            x += width;
        }
        screen
    }

    /// Applies one SGR parameter list to `current`, noting any colour.
    fn sgr(&mut self, params: &str, current: &mut Modifier) {
        let codes: Vec<u32> = params
            .split(';')
            .map(|p| p.split(':').next().unwrap_or("").parse().unwrap_or(0))
            .collect();
        let mut i = 0;
        while i < codes.len() {
            let (on, off) = match codes[i] {
                0 => (Modifier::empty(), SGR_MODIFIERS),
                1 => (Modifier::BOLD, Modifier::empty()),
                2 => (Modifier::DIM, Modifier::empty()),
                3 => (Modifier::ITALIC, Modifier::empty()),
                4 => (Modifier::UNDERLINED, Modifier::empty()),
                5 => (Modifier::SLOW_BLINK, Modifier::empty()),
                6 => (Modifier::RAPID_BLINK, Modifier::empty()),
                7 => (Modifier::REVERSED, Modifier::empty()),
                8 => (Modifier::HIDDEN, Modifier::empty()),
                9 => (Modifier::CROSSED_OUT, Modifier::empty()),
                22 => (Modifier::empty(), Modifier::BOLD | Modifier::DIM),
                23 => (Modifier::empty(), Modifier::ITALIC),
                24 => (Modifier::empty(), Modifier::UNDERLINED),
                25 => (
                    Modifier::empty(),
                    Modifier::SLOW_BLINK | Modifier::RAPID_BLINK,
                ),
                27 => (Modifier::empty(), Modifier::REVERSED),
                28 => (Modifier::empty(), Modifier::HIDDEN),
                29 => (Modifier::empty(), Modifier::CROSSED_OUT),
                code => {
                    if is_colour_code(code) {
                        self.colours.push(params.to_owned());
                    }
                    // 38;5;n and 38;2;r;g;b carry their colour in the codes that follow.
                    if matches!(code, 38 | 48 | 58) {
                        i += match codes.get(i + 1) {
                            Some(5) => 2,
                            Some(2) => 4,
                            _ => 0,
                        };
                    }
                    (Modifier::empty(), Modifier::empty())
                }
            };
            *current = (*current - off) | on;
            i += 1;
        }
    }
}

/// SGR codes that set or reset a colour: 30–39, 40–49, 58, 59, 90–107.
fn is_colour_code(code: u32) -> bool {
    matches!(code, 30..=39 | 40..=49 | 58 | 59 | 90..=107)
}

#[test]
fn the_reader_sees_colours_and_resets() {
    let bytes = b"\x1b[1mA\x1b[38;5;196mB\x1b[48;2;1;2;3mC\x1b[mD\x1b[7;39mE\x1b[91mF";
    let screen = Screen::read(bytes);
    assert_eq!(screen.colours, ["38;5;196", "48;2;1;2;3", "7;39", "91"]);
    let m = &screen.modifiers;
    assert_eq!(m[0], Modifier::BOLD, "A");
    assert_eq!(m[1], Modifier::BOLD, "B: a colour keeps bold");
    assert_eq!(m[3], Modifier::empty(), "D: a bare ESC[m resets everything");
    assert_eq!(m[4], Modifier::REVERSED, "E");
}

#[test]
fn every_tab_under_no_color_has_no_colour_and_every_cell_keeps_its_emphasis() {
    for tab in Tab::ALL {
        let app = app_on(tab);
        let bytes = frame_bytes(&app);
        let screen = Screen::read(&bytes);
        assert!(
            screen.colours.is_empty(),
            "{tab:?}: colour SGR {:?}",
            screen.colours
        );
        let cells = frame_cells(&app);
        let mut wrong = Vec::new();
        for y in 0..HEIGHT {
            let mut after_wide = false;
            for x in 0..WIDTH {
                // The cell under a wide character's second half is never written.
                let skip = std::mem::replace(&mut after_wide, cells[(x, y)].symbol().width() > 1);
                if skip {
                    continue;
                }
                let want = cells[(x, y)].modifier & SGR_MODIFIERS;
                let got = screen.modifiers[usize::from(y) * usize::from(WIDTH) + usize::from(x)];
                if want != got {
                    wrong.push(format!(
                        "({x},{y}) {:?}: {got:?}, not {want:?}",
                        cells[(x, y)].symbol()
                    ));
                }
            }
        }
        assert!(
            wrong.is_empty(),
            "{tab:?}: {} cells lost or gained emphasis, first: {:#?}",
            wrong.len(),
            &wrong[..wrong.len().min(8)]
        );
        // The active tab is drawn reversed and bold (mono's `tab_active`).
        let has = |code: &str| screen.sgrs.iter().any(|p| p.split(';').any(|c| c == code));
        assert!(has("7"), "{tab:?}: no reverse");
        assert!(has("1"), "{tab:?}: no bold");
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            text.contains(tab.title()),
            "{tab:?}: the tab title is drawn"
        );
    }
}

/// The real binary in a pseudo-terminal: every byte it writes, under NO_COLOR or not.
#[cfg(unix)]
mod pty {
    use std::process::Command;
    use std::time::Duration;

    use expectrl::{Eof, Expect, Session};

    use super::Screen;

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

    /// Every SGR parameter list in `bytes`.
    fn sgrs(bytes: &[u8]) -> Screen {
        Screen::read(&String::from_utf8_lossy(bytes).into_owned().into_bytes())
    }

    #[test]
    fn under_no_color_the_binary_writes_no_colour_but_does_write_reverse() {
        let screen = sgrs(&run(true));
        assert!(
            screen.colours.is_empty(),
            "colour SGR reached the terminal: {:?}",
            screen.colours
        );
        let has = |code: &str| screen.sgrs.iter().any(|p| p.split(';').any(|c| c == code));
        assert!(has("7"), "reverse video kept");
        assert!(has("1"), "bold kept");
    }

    #[test]
    fn without_no_color_the_same_run_has_colour() {
        assert!(
            !sgrs(&run(false)).colours.is_empty(),
            "the check above can fail"
        );
    }
}
