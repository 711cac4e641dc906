//! Projector mode at 100×30: a one-line title, the cluster in solid glyphs, the caption,
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
    assert!(screen.contains("◷ 1:15 · next: g walkthrough"), "{screen}");
    let title = screen.lines().nth(1).unwrap();
    assert!(
        title.starts_with(" Async replication") && !screen.contains('▀'),
        "one title line, no block letters repeating the tab bar: {screen}"
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
    let digits = distlab::tui::quiz_doc::stage::big_digits("0:20");
    assert!(
        digits.iter().all(|row| screen.contains(row.as_str())),
        "the countdown in block digits: {screen}"
    );
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

#[test]
fn a_classroom_reveal_waits_for_the_class_s_answer() {
    let mut h = projector();
    h.keys("4");
    let progress_before = h.app.progress.clone();
    let screen = h.screen();
    assert!(
        !screen.contains('▸'),
        "no option looks marked before anyone marks one: {screen}"
    );
    // Enter with nothing marked reveals nothing and records nothing.
    h.key(KeyCode::Enter);
    assert!(matches!(h.app.quiz.showing, Showing::Question));
    assert_eq!(h.app.quiz.session.chosen().len(), 0);
    assert_eq!(
        format!("{:?}", h.app.progress),
        format!("{progress_before:?}")
    );
    let screen = h.screen();
    assert!(
        screen.contains("Mark the class's answer first"),
        "the stage says what Enter needs: {screen}"
    );
    // The countdown running out does not pretend an answer was given either.
    h.keys("t");
    h.action(Action::Tick(Duration::from_secs(40)));
    assert!(h.screen().contains("time's up: mark the class's answer"));
    // ↓ marks the first option, ↑ from there the last.
    h.key(KeyCode::Down);
    assert_eq!(h.app.quiz.class_mark, Some(0));
    h.key(KeyCode::Up);
    let last = h.app.quiz.session.current().unwrap().options.len() - 1;
    assert_eq!(h.app.quiz.class_mark, Some(last));
    assert!(
        h.screen()
            .contains(&format!("marked: {})", distlab::doc::letter(last)))
    );
    h.key(KeyCode::Enter);
    match &h.app.quiz.showing {
        Showing::Feedback(f) => assert_eq!(f.chosen, last),
        other => panic!("expected the reveal, got {other:?}"),
    }
    // The next question starts unmarked again.
    h.key(KeyCode::Enter);
    assert_eq!(h.app.quiz.class_mark, None);
}

/// A projector whose terminal draws double-height lines (as xterm does; the app probes).
fn projector_with_double_height() -> Harness {
    let mut h = Harness::with_theme(100, 30, "projector");
    h.app.set_display(Display {
        projector: true,
        double_height: true,
        ..Display::default()
    });
    h
}

#[test]
fn classroom_question_in_double_height_keeps_every_option_on_screen() {
    let mut h = projector_with_double_height();
    h.keys("4");
    let question = h.app.quiz.session.current().unwrap().clone();
    let rows = h.app.double_height_rows();
    assert!(!rows.is_empty(), "the question and options are big");
    h.keys("t");
    let screen = h.screen();
    let lines: Vec<&str> = screen.lines().collect();
    for &row in &rows {
        // A big line is written on both of its rows, in the row's first half.
        let (top, bottom) = (lines[row as usize], lines[row as usize + 1]);
        assert_eq!(top, bottom, "row {row}");
        assert!(top.trim_end().chars().count() <= 50, "half a row: {top:?}");
    }
    // Every option's first word is on screen, lettered; the countdown in block digits.
    for (i, o) in question.options.iter().enumerate() {
        let first = o.text.split_whitespace().next().unwrap();
        let letter = distlab::doc::letter(i);
        assert!(
            lines
                .iter()
                .any(|l| l.contains(&format!("{letter}) {first}"))),
            "option {letter}: {screen}"
        );
    }
    assert!(screen.contains("██"), "a big countdown: {screen}");
    assert!(
        !screen.contains("┌"),
        "no box to be drawn doubled: {screen}"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn classroom_reveal_keeps_every_option_and_strikes_the_wrong_ones() {
    let mut h = projector();
    h.keys("4");
    let question = h.app.quiz.session.current().unwrap().clone();
    let right = question.answer();
    let wrong = (right + 1) % question.options.len();
    h.keys(&distlab::doc::letter(wrong).to_string());
    h.key(KeyCode::Enter);
    let screen = h.screen();
    assert!(
        screen.contains(&format!(
            "the class chose {}); the answer is {})",
            distlab::doc::letter(wrong),
            distlab::doc::letter(right)
        )),
        "{screen}"
    );
    let buffer = h.terminal.backend().buffer().clone();
    for (i, o) in question.options.iter().enumerate() {
        let letter = distlab::doc::letter(i);
        let mark = if i == right { '✓' } else { '✗' };
        let first = o.text.split_whitespace().next().unwrap();
        let needle = format!("{mark} {letter}) {first}");
        let (y, line) = screen
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains(&needle))
            .unwrap_or_else(|| panic!("{needle:?} kept at the reveal: {screen}"));
        // The option's text (after `✗ a) `) is struck through exactly when it is wrong.
        let x = line.chars().position(|c| c == mark).unwrap() + 6;
        let crossed = buffer[(x as u16, y as u16)]
            .modifier
            .contains(ratatui::style::Modifier::CROSSED_OUT);
        assert_eq!(crossed, i != right, "option {letter}: {line}");
    }
    assert!(screen.contains("Why: "), "{screen}");
    assert!(h.app.double_height_rows().is_empty(), "no double rows here");
}

#[test]
fn every_classroom_question_fits_whole_or_falls_back_to_the_scrolling_quiz() {
    let mut h = projector_with_double_height();
    h.keys("4");
    let body_height = 30 - 2;
    let mut big = 0;
    for _ in 0..h.app.quiz.session.len() {
        big += usize::from(!h.app.double_height_rows().is_empty());
        if let Some(stage) = h.app.classroom_stage() {
            let last = stage.lines.last().unwrap();
            let end = last.row + if last.big { 2 } else { 1 };
            assert!(end <= body_height, "cut at the bottom: {stage:?}");
        }
        // Reveal, then on to the next question.
        h.key(KeyCode::Enter);
        if let Some(stage) = h.app.classroom_stage() {
            let last = stage.lines.last().unwrap();
            assert!(last.row < body_height, "reveal cut: {stage:?}");
        }
        h.key(KeyCode::Enter);
    }
    assert!(big >= 10, "most questions are shown big: {big}");
}

#[test]
fn under_ascii_the_arrow_keys_are_named_not_drawn_as_the_scenario_keys() {
    let mut h = projector();
    h.app.display.ascii = true;
    h.keys("3g");
    h.key(KeyCode::Right);
    let screen = h.screen();
    assert!(screen.contains("Right/Space next"), "{screen}");
    assert!(
        !screen.contains(">/Space") && !screen.contains("< back"),
        "`>` and `<` switch scenarios: {screen}"
    );
}
