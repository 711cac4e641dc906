//! The TUI saves the reading position while it runs, not only when it quits, so a `kill -9`
//! loses a couple of seconds of it at most: soon after scrolling stops, and at most once
//! every two seconds while it goes on. The rule itself is in `progress_debounce.rs`.

use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

mod tui_support;

use distlab::lesson;
use distlab::progress::ProgressStore;
use distlab::tui::Options;
use distlab::tui::action::{Action, Scroll};
use distlab::tui::app::App;
use distlab::tui::terminal::Msg;
use distlab::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use tui_support::IoBackend;

fn app_on(path: &Path) -> App {
    let (store, warning) = ProgressStore::open(path).unwrap();
    assert!(warning.is_none());
    App::new(
        lesson::builtin().unwrap(),
        Options {
            progress: Some(store),
            ..Options::new(Theme::builtin("dark").unwrap())
        },
        Rect::new(0, 0, 80, 24),
    )
}

/// The reading position in the file, as another process would see it now.
fn on_disk(path: &Path) -> Option<(String, u32)> {
    let (store, _) = ProgressStore::open(path).unwrap();
    let r = store.lesson("day001")?.reading.clone()?;
    Some((r.section, r.line))
}

fn to_objectives_line_2(app: &mut App) {
    for _ in 0..3 {
        app.update(Action::Scroll(Scroll::NextSection));
    }
    app.update(Action::Scroll(Scroll::Down));
    app.update(Action::Scroll(Scroll::Down));
}

#[test]
fn the_reading_position_is_saved_a_second_after_scrolling_stops() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.toml");
    let mut app = app_on(&path);
    let t0 = Instant::now();
    assert_eq!(app.autosave_reading(t0), (None, false), "nothing to save");
    to_objectives_line_2(&mut app);

    let (wait, _) = app.autosave_reading(t0);
    assert_eq!(wait, Some(Duration::from_secs(1)));
    app.autosave_reading(t0 + Duration::from_millis(999));
    assert!(!path.exists(), "not while it may still be moving");
    let (wait, told) = app.autosave_reading(t0 + Duration::from_secs(1));
    assert_eq!((wait, told), (None, false), "saved; nothing waits");
    assert_eq!(on_disk(&path), Some(("objectives".into(), 2)));
}

#[test]
fn while_scrolling_goes_on_it_is_saved_every_two_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.toml");
    let mut app = app_on(&path);
    let t0 = Instant::now();
    let mut saved_at = Vec::new();
    let mut last = None;
    // One line every 100 ms for 5 s, never settling.
    for tick in 0..50u64 {
        app.update(Action::Scroll(Scroll::Down));
        let now = t0 + Duration::from_millis(100 * tick);
        app.autosave_reading(now);
        let disk = on_disk(&path);
        if disk != last {
            saved_at.push(100 * tick);
            last = disk;
        }
    }
    // Saved at 2 s, then two seconds after the first change that followed (at 2.1 s).
    assert_eq!(saved_at, [2000, 4100], "every two seconds");
    // When it stops (last line at 4.9 s), the final position follows once it has settled
    // and two seconds have passed since the last save.
    let (wait, _) = app.autosave_reading(t0 + ms(4900));
    assert_eq!(wait, Some(ms(1200)));
    app.autosave_reading(t0 + ms(6099));
    assert_ne!(on_disk(&path), Some(position(&app)));
    app.autosave_reading(t0 + ms(6100));
    assert_eq!(on_disk(&path), Some(position(&app)));
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[test]
fn the_position_saved_from_the_wider_lab_tab_is_the_lessons() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.toml");
    let (store, _) = ProgressStore::open(&path).unwrap();
    let mut app = App::new(
        lesson::builtin().unwrap(),
        Options {
            progress: Some(store),
            ..Options::new(Theme::builtin("dark").unwrap())
        },
        Rect::new(0, 0, 150, 50),
    );
    to_objectives_line_2(&mut app);
    let reading = position(&app);
    assert_eq!(reading, ("objectives".into(), 2));
    app.update(Action::GoTab(distlab::tui::action::Tab::Lab));
    assert_eq!(position(&app), reading);
    assert!(app.save_progress().is_none());
    assert_eq!(on_disk(&path), Some(reading));
}

fn position(app: &App) -> (String, u32) {
    let r = app.reading_position();
    (r.section, r.line)
}

#[test]
fn the_event_loop_saves_the_position_before_the_app_quits() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.toml");
    let mut app = app_on(&path);
    let mut terminal = Terminal::new(IoBackend(TestBackend::new(80, 24))).unwrap();
    let (tx, rx) = mpsc::channel();
    let key = |c| {
        Msg::Input(Event::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )))
    };
    let watcher = {
        let path = path.clone();
        std::thread::spawn(move || {
            for c in "]]]jj".chars() {
                tx.send(key(c)).unwrap();
            }
            // The app is still running: what would a kill -9 now leave in the file?
            let deadline = Instant::now() + Duration::from_secs(5);
            let mut seen = None;
            while Instant::now() < deadline && seen.is_none() {
                std::thread::sleep(Duration::from_millis(50));
                seen = path.exists().then(|| on_disk(&path)).flatten();
            }
            tx.send(key('q')).unwrap();
            seen
        })
    };
    distlab::tui::event_loop(&mut terminal, &mut app, &rx).unwrap();
    let seen = watcher.join().unwrap();
    assert_eq!(seen, Some(("objectives".into(), 2)), "saved while running");
}
