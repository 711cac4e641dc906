//! Styled snapshots: every tab at 120×40 in the default theme, each row's text and under it
//! the row's cell styles (foreground, background, modifiers) as runs, so a lost highlight
//! or a wrong colour fails as surely as a wrong word.

mod tui_support;

use std::time::Duration;

use distlab::tui::action::{Action, LabAction};
use tui_support::Harness;

fn harness() -> Harness {
    Harness::new(120, 40)
}

#[test]
fn lesson_tab_120x40() {
    insta::assert_snapshot!(harness().styled_screen());
}

#[test]
fn concepts_tab_120x40() {
    insta::assert_snapshot!(harness().keys("2").styled_screen());
}

#[test]
fn lab_tab_120x40_after_running() {
    let mut h = harness();
    h.keys("3")
        .action(Action::Lab(LabAction::RunPause))
        .action(Action::Tick(Duration::from_millis(1500)))
        .action(Action::Lab(LabAction::RunPause));
    insta::assert_snapshot!(h.styled_screen());
}

#[test]
fn quiz_tab_120x40() {
    insta::assert_snapshot!(harness().keys("4").styled_screen());
}
