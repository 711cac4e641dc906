//! Snapshots of every screen at 80×24 and 160×48, and the behaviour a learner relies on.

mod tui_support;

use ratatui::crossterm::event::KeyModifiers;
use ratatui::crossterm::event::{Event, KeyCode, MouseButton, MouseEvent, MouseEventKind};
use tui_support::Harness;

use distlab::tui::action::Tab;

#[test]
fn lesson_screen_80x24() {
    insta::assert_snapshot!(Harness::new(80, 24).screen());
}

#[test]
fn lesson_screen_160x48() {
    insta::assert_snapshot!(Harness::new(160, 48).screen());
}

#[test]
fn concepts_screen_80x24() {
    insta::assert_snapshot!(Harness::new(80, 24).keys("2").screen());
}

#[test]
fn concepts_screen_160x48() {
    insta::assert_snapshot!(Harness::new(160, 48).keys("2l").screen());
}

#[test]
fn help_overlay_80x24() {
    insta::assert_snapshot!(Harness::new(80, 24).keys("?").screen());
}

#[test]
fn too_small_then_recovers() {
    let mut h = Harness::new(80, 24);
    h.event(Event::Resize(60, 20));
    let small = h.screen();
    assert!(small.contains("Terminal too small"), "{small}");
    assert!(small.contains("need 80×24, have 60×20"), "{small}");
    h.event(Event::Resize(80, 24));
    assert!(h.screen().contains("1 Lesson"));
}

#[test]
fn tab_bar_shows_day_001_and_keys_switch_tabs() {
    let mut h = Harness::new(80, 24);
    assert!(h.screen().lines().next().unwrap().contains("Day 001"));
    h.keys("2");
    assert_eq!(h.app.tab, Tab::Concepts);
    h.key(KeyCode::Tab);
    assert_eq!(h.app.tab, Tab::Lab);
    h.key(KeyCode::BackTab).key(KeyCode::BackTab);
    assert_eq!(h.app.tab, Tab::Lesson);
    h.keys("4");
    assert_eq!(h.app.tab, Tab::Quiz);
}

#[test]
fn clicking_a_tab_switches_to_it() {
    let mut h = Harness::new(80, 24);
    let top = h.screen().lines().next().unwrap().to_owned();
    let column = top.find("Concepts").unwrap() as u16 - 2; // inside " 2 Concepts ", ASCII before it
    let click = MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column,
        row: 0,
        modifiers: KeyModifiers::NONE,
    };
    h.event(Event::Mouse(click));
    assert_eq!(h.app.tab, Tab::Concepts);
}

#[test]
fn section_jumps_and_scrolling_move_the_reading_position() {
    let mut h = Harness::new(80, 24);
    h.keys("]");
    assert!(h.screen().contains("Today's \"Aha!\" Moment"));
    let aha = h.app.lesson_tab.pos.offset;
    assert!(aha > 0);
    h.keys("]]");
    let objectives = h.screen();
    assert!(
        objectives
            .lines()
            .nth(1)
            .unwrap()
            .contains("Learning Objectives"),
        "{objectives}"
    );
    h.keys("[");
    assert!(h.app.lesson_tab.pos.offset < objectives.len() && h.app.lesson_tab.pos.offset > aha);
    h.keys("G");
    let bottom = h.screen();
    assert!(bottom.contains("100%"), "{bottom}");
    h.keys("g");
    assert_eq!(h.app.lesson_tab.pos.offset, 0);
    h.keys("jjj");
    assert_eq!(h.app.lesson_tab.pos.offset, 3);
}

#[test]
fn help_scrolls_and_escape_closes_it() {
    let mut h = Harness::new(80, 24);
    h.keys("?");
    assert!(h.app.help.open);
    h.key(KeyCode::Down).key(KeyCode::Down);
    assert_eq!(h.app.help.scroll, 2);
    h.keys("c"); // lab keys do nothing behind the overlay
    assert!(h.app.help.open);
    h.key(KeyCode::Esc);
    assert!(!h.app.help.open);
}

#[test]
fn q_and_ctrl_c_quit() {
    let mut h = Harness::new(80, 24);
    h.keys("q");
    assert!(h.app.quit);
    let mut h = Harness::new(80, 24);
    h.event(Event::Key(ratatui::crossterm::event::KeyEvent::new(
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
    )));
    assert!(h.app.quit);
}

#[test]
fn lab_screen_80x24_paused_at_t0() {
    let screen = Harness::new(80, 24).keys("3").screen();
    assert!(
        screen.contains("seed 1"),
        "the seed is always on screen: {screen}"
    );
    assert!(screen.contains("‖ paused"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn lab_screen_160x48_after_running() {
    let mut h = Harness::new(160, 48);
    h.keys("3");
    h.app.lab.as_mut().unwrap().run_to(2_000_000);
    insta::assert_snapshot!(h.screen());
}

#[test]
fn mono_theme_carries_meaning_without_colour_80x24() {
    let mut h = Harness::with_theme(80, 24, "mono");
    h.keys("4a");
    let screen = h.screen();
    assert!(
        screen.contains("✗ Not quite"),
        "symbols carry right/wrong: {screen}"
    );
    let buffer = h.terminal.backend().buffer().clone();
    for cell in buffer.content() {
        assert_eq!(cell.fg, ratatui::style::Color::Reset, "mono sets no colour");
        assert_eq!(cell.bg, ratatui::style::Color::Reset, "mono sets no colour");
    }
    // The snapshot records the styles too: bold, reverse and underline do the work of colour.
    insta::assert_debug_snapshot!(buffer);
}
