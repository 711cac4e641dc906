//! Shared helpers for TUI tests: an app on a `TestBackend`, fed the same way the event loop
//! feeds it (terminal event → keymap → update → render).

#![allow(dead_code)]

use distlab::lesson;
use distlab::tui::Options;
use distlab::tui::action::Action;
use distlab::tui::app::App;
use distlab::tui::keymap;
use distlab::tui::theme::Theme;
use distlab::tui::ui;
use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, TestBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::layout::{Position, Size};

pub struct Harness {
    pub app: App,
    pub terminal: Terminal<TestBackend>,
}

impl Harness {
    pub fn new(width: u16, height: u16) -> Harness {
        Harness::with_theme(width, height, "dark")
    }

    pub fn with_theme(width: u16, height: u16, theme: &str) -> Harness {
        let lesson = lesson::builtin().unwrap();
        let options = Options::new(Theme::builtin(theme).unwrap());
        let mut app = App::new(lesson, options, Rect::new(0, 0, width, height));
        // `S` saves replay files; keep them out of the source tree.
        app.replay_dir = std::env::temp_dir();
        let terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        Harness { app, terminal }
    }

    pub fn event(&mut self, event: Event) -> &mut Self {
        if let Event::Resize(w, h) = event {
            self.terminal.backend_mut().resize(w, h);
        }
        if let Some(action) = keymap::map_event(&event, self.app.key_context()) {
            self.action(action);
        }
        self
    }

    pub fn keys(&mut self, keys: &str) -> &mut Self {
        for c in keys.chars() {
            self.key(KeyCode::Char(c));
        }
        self
    }

    pub fn key(&mut self, code: KeyCode) -> &mut Self {
        self.event(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    /// Updates the app and carries out what the update asks for, as the event loop does.
    pub fn action(&mut self, action: Action) -> &mut Self {
        for effect in self.app.update(action) {
            self.app.carry_out(effect);
        }
        self
    }

    /// Renders and returns the screen as text, one line per row.
    /// Opens the Lab tab on the scenario called `id` (paused at t=0).
    pub fn lab_on(&mut self, id: &str) -> &mut distlab::tui::lab::Lab {
        self.keys("3");
        let scenarios = &self.app.lesson.scenarios;
        let index = (scenarios.iter())
            .position(|s| s.id == id)
            .unwrap_or_else(|| panic!("no scenario `{id}`"));
        let lab = self.app.lab.as_mut().expect("the lesson has a lab");
        lab.load(scenarios, index);
        lab
    }

    pub fn screen(&mut self) -> String {
        let app = &self.app;
        self.terminal.draw(|f| ui::render(app, f)).unwrap();
        text_of(self.terminal.backend().buffer())
    }

    /// Renders and returns the screen with its styles: a legend naming each style found
    /// (fg, bg, modifiers) by a letter, then each row's text and, under it, the row's
    /// styles as runs (`a7 _1 b12`: seven cells of `a`, one default, twelve of `b`).
    pub fn styled_screen(&mut self) -> String {
        let app = &self.app;
        self.terminal.draw(|f| ui::render(app, f)).unwrap();
        styled(self.terminal.backend().buffer())
    }
}

/// A drawn buffer as text, one line per row, each without its trailing blanks.
pub fn text_of(buffer: &ratatui::buffer::Buffer) -> String {
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut line = String::new();
        for x in 0..buffer.area.width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// See [`Harness::styled_screen`].
pub fn styled(buffer: &ratatui::buffer::Buffer) -> String {
    use ratatui::style::{Color, Modifier};
    const KEYS: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let plain = (Color::Reset, Color::Reset, Modifier::empty());
    let mut styles: Vec<(Color, Color, Modifier)> = Vec::new();
    let mut rows = String::new();
    for y in 0..buffer.area.height {
        let mut text = String::new();
        let mut runs: Vec<(char, usize)> = Vec::new();
        for x in 0..buffer.area.width {
            let cell = &buffer[(x, y)];
            text.push_str(cell.symbol());
            let style = (cell.fg, cell.bg, cell.modifier);
            let k = if style == plain {
                '_'
            } else {
                let i = styles.iter().position(|s| *s == style).unwrap_or_else(|| {
                    styles.push(style);
                    styles.len() - 1
                });
                KEYS.chars().nth(i).unwrap_or('?')
            };
            match runs.last_mut() {
                Some((last, n)) if *last == k => *n += 1,
                _ => runs.push((k, 1)),
            }
        }
        if runs.last().is_some_and(|(k, _)| *k == '_') {
            runs.pop();
        }
        let runs: Vec<String> = runs.iter().map(|(k, n)| format!("{k}{n}")).collect();
        rows.push_str(&format!("{}\n    {}\n", text.trim_end(), runs.join(" ")));
    }
    let mut out = String::from("styles:\n");
    for (i, (fg, bg, modifier)) in styles.iter().enumerate() {
        let mut parts = Vec::new();
        if *fg != Color::Reset {
            parts.push(format!("fg {fg}"));
        }
        if *bg != Color::Reset {
            parts.push(format!("bg {bg}"));
        }
        let names: Vec<&str> = modifier.iter_names().map(|(name, _)| name).collect();
        if !names.is_empty() {
            parts.push(names.join(" ").to_lowercase());
        }
        let k = KEYS.chars().nth(i).unwrap_or('?');
        out.push_str(&format!("  {k} {}\n", parts.join(", ")));
    }
    out.push_str("rows:\n");
    out + &rows
}

/// A `TestBackend` whose errors are `io::Error`, as the event loop wants.
pub struct IoBackend(pub TestBackend);

/// A buffer has no row sizes.
impl distlab::tui::terminal::LineSizes for IoBackend {
    fn set_line_sizes(&mut self, _: &[u16], _: &[u16]) -> std::io::Result<()> {
        Ok(())
    }
}

fn io<T>(r: Result<T, std::convert::Infallible>) -> std::io::Result<T> {
    Ok(r.unwrap_or_else(|never| match never {}))
}

impl Backend for IoBackend {
    type Error = std::io::Error;

    fn draw<'a, I>(&mut self, content: I) -> std::io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        io(self.0.draw(content))
    }
    fn hide_cursor(&mut self) -> std::io::Result<()> {
        io(self.0.hide_cursor())
    }
    fn show_cursor(&mut self) -> std::io::Result<()> {
        io(self.0.show_cursor())
    }
    fn get_cursor_position(&mut self) -> std::io::Result<Position> {
        io(self.0.get_cursor_position())
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> std::io::Result<()> {
        io(self.0.set_cursor_position(position))
    }
    fn clear(&mut self) -> std::io::Result<()> {
        io(self.0.clear())
    }
    fn clear_region(&mut self, clear_type: ClearType) -> std::io::Result<()> {
        io(self.0.clear_region(clear_type))
    }
    fn size(&self) -> std::io::Result<Size> {
        io(self.0.size())
    }
    fn window_size(&mut self) -> std::io::Result<WindowSize> {
        io(self.0.window_size())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        io(self.0.flush())
    }
}
