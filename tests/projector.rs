//! Projector mode at 100×30: block-letter title, the cluster in solid glyphs, the caption,
//! key numbers, the presenter's clock and next hint; and the classroom quiz that hides the
//! answer until the presenter reveals it.

mod tui_support;

use std::time::Duration;

use distlab::tui::Display;
use distlab::tui::action::Action;
use distlab::tui::quiz_tab::Showing;
use ratatui::crossterm::event::KeyCode;
use tui_support::Harness;

fn projector() -> Harness {
    let mut h = Harness::with_theme(100, 30, "projector");
    h.app.set_display(Display {
        projector: true,
        ..Display::default()
    });
    h
}

#[test]
fn projector_lab_100x30() {
    let mut h = projector();
    h.keys("3");
    h.app.lab.as_mut().unwrap().run_to(1_800_000);
    h.action(Action::Tick(Duration::from_secs(75)));
    let screen = h.screen();
    assert!(screen.contains("1:15 elapsed"), "{screen}");
    assert!(screen.contains("next: g: guided walkthrough"), "{screen}");
    assert!(
        screen.contains("█"),
        "solid glyphs or block letters: {screen}"
    );
    assert!(
        !screen.contains("Space-time"),
        "fewer panels on a projector"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn projector_walkthrough_shows_step_and_next_hint() {
    let mut h = projector();
    h.keys("3g");
    h.key(KeyCode::Right);
    let screen = h.screen();
    assert!(screen.contains("Step 1/"), "{screen}");
    assert!(screen.contains("next: → step 2"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn classroom_quiz_hides_the_answer_until_enter() {
    let mut h = projector();
    h.keys("4");
    assert!(h.app.quiz.classroom);
    let right = h.app.quiz.session.current().unwrap().answer();
    h.keys(&distlab::doc::letter(right).to_string());
    assert!(
        matches!(h.app.quiz.showing, Showing::Question),
        "a letter only marks the class's answer"
    );
    assert_eq!(h.app.quiz.selected, right);
    h.keys("t");
    h.action(Action::Tick(Duration::from_secs(10)));
    let screen = h.screen();
    assert!(screen.contains("0:20"), "{screen}");
    assert!(!screen.contains("Right"), "nothing revealed yet: {screen}");
    insta::assert_snapshot!(screen);
    h.action(Action::Tick(Duration::from_secs(25)));
    assert!(h.screen().contains("time's up"));
    h.key(KeyCode::Enter);
    match &h.app.quiz.showing {
        Showing::Feedback(f) => assert!(f.correct && f.chosen == right),
        other => panic!("expected the reveal, got {other:?}"),
    }
    assert!(h.app.quiz.countdown.is_none());
}
