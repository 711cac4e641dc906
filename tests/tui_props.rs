//! Random key, mouse and resize sequences (sizes 1×1 to 300×100) never panic the TUI, and
//! every frame keeps its frame: the tab bar on row 0, the keys on the last row, and the
//! "terminal too small" screen exactly when the terminal is below the minimum.

mod tui_support;

use distlab::tui::layout::{MIN_HEIGHT, MIN_WIDTH};
use proptest::prelude::*;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use tui_support::Harness;

fn key_code() -> impl Strategy<Value = KeyCode> {
    prop_oneof![
        prop::sample::select(
            "1234?qjkhlgGnpbt[]<>sSwcxXzadDmrR+-=. \u{e9}"
                .chars()
                .collect::<Vec<_>>()
        )
        .prop_map(KeyCode::Char),
        prop::sample::select(vec![
            KeyCode::Up,
            KeyCode::Down,
            KeyCode::Left,
            KeyCode::Right,
            KeyCode::PageUp,
            KeyCode::PageDown,
            KeyCode::Home,
            KeyCode::End,
            KeyCode::Tab,
            KeyCode::BackTab,
            KeyCode::Esc,
            KeyCode::Enter,
        ]),
    ]
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        6 => key_code().prop_filter("q quits, which ends the run early", |k| *k != KeyCode::Char('q'))
            .prop_map(|k| Event::Key(KeyEvent::new(k, KeyModifiers::NONE))),
        2 => (0u16..320, 0u16..110, prop::sample::select(vec![
                MouseEventKind::Down(MouseButton::Left),
                MouseEventKind::ScrollUp,
                MouseEventKind::ScrollDown,
                MouseEventKind::Moved,
            ]))
            .prop_map(|(column, row, kind)| Event::Mouse(MouseEvent { kind, column, row, modifiers: KeyModifiers::NONE })),
        1 => (1u16..=300, 1u16..=100).prop_map(|(w, h)| Event::Resize(w, h)),
    ]
}

/// What must be true of every frame, whatever came before it.
fn check_frame(h: &mut Harness) -> Result<(), TestCaseError> {
    let (width, height) = (h.app.area.width, h.app.area.height);
    let screen = h.screen();
    let rows: Vec<&str> = screen.lines().collect();
    prop_assert_eq!(rows.len(), height as usize);
    let small = width < MIN_WIDTH || height < MIN_HEIGHT;
    if small {
        // Only the "too small" message, wrapped and cut to fit: with the spaces taken
        // out, what is on screen is the start of the whole message.
        let message = format!(
            "Terminal too small need {MIN_WIDTH}×{MIN_HEIGHT}, have {width}×{height} \
             Enlarge the window, or press q to quit."
        );
        let compact = |s: &str| s.split_whitespace().collect::<String>();
        let shown = compact(&screen);
        prop_assert!(
            !shown.is_empty() && compact(&message).starts_with(&shown),
            "below {}×{} only the too-small message (at {}×{}):\n{}",
            MIN_WIDTH,
            MIN_HEIGHT,
            width,
            height,
            screen
        );
    } else {
        prop_assert!(
            !screen.contains("Terminal too small"),
            "no too-small message at {}×{}:\n{}",
            width,
            height,
            screen
        );
    }
    if small {
        return Ok(());
    }
    prop_assert!(
        rows[0]
            .trim_start()
            .starts_with("Day 001 │ 1 Lesson  2 Concepts  3 Lab  4 Quiz"),
        "the tab bar is on row 0 at {}×{}:\n{}",
        width,
        height,
        screen
    );
    let footer = rows[rows.len() - 1];
    prop_assert!(
        !footer.trim().is_empty() && !footer.contains(['│', '└', '┘', '─']),
        "the footer (keys, not a panel) is on the last row at {}×{}:\n{}",
        width,
        height,
        screen
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn random_input_never_panics_and_every_frame_keeps_its_frame(
        start in (1u16..=300, 1u16..=100),
        events in prop::collection::vec(event(), 1..30),
    ) {
        let mut h = Harness::new(start.0, start.1);
        check_frame(&mut h)?;
        for e in events {
            h.event(e);
            check_frame(&mut h)?;
        }
    }
}

#[test]
fn tiny_and_odd_sizes_render() {
    for (w, h) in [
        (1, 1),
        (2, 2),
        (3, 1),
        (79, 24),
        (80, 23),
        (80, 24),
        (139, 40),
        (140, 40),
        (300, 100),
    ] {
        let mut harness = Harness::new(w, h);
        for keys in ["", "2", "3", "4", "?"] {
            harness.keys(keys);
            let screen = harness.screen();
            assert_eq!(screen.lines().count(), h as usize);
        }
    }
}
