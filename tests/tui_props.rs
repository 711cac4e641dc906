//! Random key, mouse and resize sequences (sizes 1×1 to 300×100) never panic the TUI, and
//! the app always draws something sensible afterwards.

mod tui_support;

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

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_input_never_panics(
        start in (1u16..=300, 1u16..=100),
        events in prop::collection::vec(event(), 1..60),
    ) {
        let mut h = Harness::new(start.0, start.1);
        for e in events {
            h.event(e);
            let screen = h.screen();
            prop_assert_eq!(screen.lines().count(), h.app.area.height as usize);
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
