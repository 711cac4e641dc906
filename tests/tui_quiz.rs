//! The Quiz tab as a learner uses it: answer by letter, by arrows and Enter, by mouse; see
//! feedback; reach the summary; retry the missed ones; progress saved as you go.

mod tui_support;

use distlab::lesson;
use distlab::progress::ProgressStore;
use distlab::tui::Options;
use distlab::tui::action::Tab;
use distlab::tui::app::App;
use distlab::tui::quiz_tab::Showing;
use distlab::tui::theme::Theme;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::Rect;
use tui_support::Harness;

fn quiz(width: u16, height: u16) -> Harness {
    let mut h = Harness::new(width, height);
    h.keys("4");
    h
}

/// The letter of the right option of the current question.
fn right_letter(h: &Harness) -> char {
    let q = h.app.quiz.session.current().unwrap();
    (b'a' + q.answer() as u8) as char
}

fn wrong_letter(h: &Harness) -> char {
    let q = h.app.quiz.session.current().unwrap();
    (b'a' + ((q.answer() + 1) % q.options.len()) as u8) as char
}

/// Answers the current question right or wrong as a learner would: with a letter, or on an
/// estimate question with the arrows, moving the guess to the answer its runs computed (or
/// to the far end of the scale), then Enter.
fn answer(h: &mut Harness, right: bool) {
    let q = h.app.quiz.session.current().unwrap().clone();
    let Some(spec) = &q.estimate else {
        let letter = if right {
            right_letter(h)
        } else {
            wrong_letter(h)
        };
        h.keys(&letter.to_string());
        return;
    };
    let Some((_, Ok(runs))) = &h.app.quiz.estimate else {
        panic!("{}: the runs are made when the question shows", q.id)
    };
    let answer = runs.answer;
    let mid = (spec.min + spec.max) as f64 / 2.0;
    let target = match (right, answer > mid) {
        (true, _) => answer,
        (false, true) => spec.min as f64,
        (false, false) => spec.max as f64,
    };
    let (one, ten) = (spec.step as f64, spec.step as f64 * 10.0);
    let guess = |h: &Harness| h.app.quiz.selected as f64;
    while guess(h) + ten <= target {
        h.key(KeyCode::Up);
    }
    while guess(h) - ten >= target {
        h.key(KeyCode::Down);
    }
    while guess(h) + one / 2.0 < target {
        h.key(KeyCode::Right);
    }
    while guess(h) - one / 2.0 > target {
        h.key(KeyCode::Left);
    }
    h.key(KeyCode::Enter);
}

#[test]
fn question_80x24() {
    insta::assert_snapshot!(quiz(80, 24).screen());
}

#[test]
fn feedback_on_a_wrong_answer_80x24() {
    let mut h = quiz(80, 24);
    let wrong = wrong_letter(&h);
    h.keys(&wrong.to_string());
    let screen = h.screen();
    assert!(screen.contains("✗ Not quite: you chose"), "{screen}");
    let right = distlab::doc::letter(
        h.app
            .quiz
            .session
            .summary(std::time::Duration::ZERO)
            .results[0]
            .right,
    );
    assert!(
        screen.contains(&format!("The right answer: {right})")),
        "{screen}"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn summary_after_every_question_160x48() {
    let mut h = quiz(160, 48);
    let n = h.app.quiz.session.len();
    for i in 0..n {
        answer(&mut h, i % 4 != 1);
        h.key(KeyCode::Enter);
    }
    assert!(matches!(h.app.quiz.showing, Showing::Summary(_)));
    let screen = h.screen();
    assert!(screen.contains("Quiz complete"), "{screen}");
    let missed = (0..n).filter(|i| i % 4 == 1).count();
    assert!(
        screen.contains(&format!("Score: {}/{n}", n - missed)),
        "{screen}"
    );
    assert!(screen.contains(&format!("Missed ({missed}):")), "{screen}");
    insta::assert_snapshot!(
        screen
            .replace(char::is_numeric, "#")
            .lines()
            .filter(|l| !l.contains("Score:"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    // r retries only the missed questions.
    h.keys("r");
    assert_eq!(h.app.quiz.session.len(), missed);
    assert!(matches!(h.app.quiz.showing, Showing::Question));
}

#[test]
fn arrows_and_enter_answer_the_highlighted_option() {
    let mut h = quiz(80, 24);
    let right = h.app.quiz.session.current().unwrap().answer();
    for _ in 0..right {
        h.key(KeyCode::Down);
    }
    h.key(KeyCode::Enter);
    match &h.app.quiz.showing {
        Showing::Feedback(f) => assert!(f.correct),
        other => panic!("expected feedback, got {other:?}"),
    }
    assert_eq!(h.app.quiz.session.score().right, 1);
}

#[test]
fn clicking_an_option_answers_it() {
    let mut h = quiz(80, 24);
    let screen = h.screen();
    let row = screen
        .lines()
        .position(|l| l.contains(") It coordinates"))
        .unwrap() as u16;
    let click = MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: 10,
        row,
        modifiers: KeyModifiers::NONE,
    };
    h.event(Event::Mouse(click));
    match &h.app.quiz.showing {
        Showing::Feedback(f) => assert!(f.correct && f.chosen == f.right),
        other => panic!("expected feedback, got {other:?}"),
    }
}

#[test]
fn letters_outside_the_options_do_nothing_and_digits_stay_tab_keys() {
    let mut h = quiz(80, 24);
    h.keys("f");
    assert!(matches!(h.app.quiz.showing, Showing::Question));
    assert_eq!(h.app.quiz.session.answered(), 0);
    h.keys("1");
    assert_eq!(h.app.tab, Tab::Lesson);
}

#[test]
fn exam_mode_gives_no_feedback_until_the_end() {
    let mut h = quiz(80, 24);
    h.keys("m");
    let wrong = wrong_letter(&h);
    h.keys(&wrong.to_string());
    assert!(matches!(h.app.quiz.showing, Showing::Question));
    assert_eq!(h.app.quiz.session.number(), 2);
    assert!(h.screen().contains("Exam · feedback at the end"));
}

#[test]
fn o_opens_the_concept_the_question_checks() {
    let mut h = quiz(80, 24);
    h.key(KeyCode::Enter); // answer a (wrong) on q1, which checks concept 1
    h.key(KeyCode::Enter); // q2 checks replication
    h.keys("o");
    assert_eq!(h.app.tab, Tab::Concepts);
    assert_eq!(h.app.concepts.current, 1);
}

#[test]
fn answers_and_reading_position_are_saved_and_restored() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.toml");
    let lesson = lesson::builtin().unwrap();
    let area = Rect::new(0, 0, 80, 24);
    let theme = Theme::builtin("dark").unwrap();
    let (store, _) = ProgressStore::open(&path).unwrap();
    let mut h = Harness {
        app: App::new(
            lesson.clone(),
            Options {
                progress: Some(store),
                ..Options::new(theme.clone())
            },
            area,
        ),
        terminal: Harness::new(80, 24).terminal,
    };
    h.keys("]]]jj"); // three sections down, two lines into "Learning Objectives"
    let offset = h.app.lesson_tab.pos.offset;
    h.keys("4");
    let right = distlab::doc::letter(h.app.quiz.session.current().unwrap().answer());
    h.keys(&right.to_string());
    assert!(h.app.save_progress().is_none());
    let (store, warning) = ProgressStore::open(&path).unwrap();
    assert!(warning.is_none());
    let day = store.lesson("day001").unwrap();
    assert_eq!(day.questions["q1"].right, 1);
    let reading = day.reading.clone().unwrap();
    assert_eq!((reading.section.as_str(), reading.line), ("objectives", 2));
    // A new run at a different width resumes in the same section.
    let app = App::new(
        lesson,
        Options {
            progress: Some(store),
            ..Options::new(theme)
        },
        Rect::new(0, 0, 120, 40),
    );
    let doc = app.lesson_doc();
    let objectives = doc
        .anchors
        .iter()
        .find(|a| a.id == "objectives")
        .unwrap()
        .line;
    assert_eq!(app.lesson_tab.pos.offset, objectives + 2);
    assert!(offset > 0);
}

/// Answers (rightly) until the current question is of `kind`.
fn skip_to(h: &mut Harness, kind: distlab::lesson::QuestionKind) {
    while h.app.quiz.session.current().is_some_and(|q| q.kind != kind) {
        let right = right_letter(h);
        h.keys(&right.to_string()).key(KeyCode::Enter);
    }
}

#[test]
fn a_diagnose_question_shows_only_the_observers_view_then_the_truth() {
    use distlab::lesson::QuestionKind;
    let mut h = quiz(100, 40);
    skip_to(&mut h, QuestionKind::Diagnose);
    let q = h.app.quiz.session.current().unwrap().clone();
    let screen = h.screen();
    let observer = q.observer.as_deref().unwrap();
    assert!(
        screen.contains(&format!("All {observer} knows")),
        "{screen}"
    );
    assert!(screen.contains('▮'), "the heartbeat bar: {screen}");
    assert!(
        !screen.contains("The truth"),
        "nothing revealed before answering"
    );
    insta::assert_snapshot!(screen);
    let right = right_letter(&h);
    h.keys(&right.to_string());
    let screen = h.screen();
    assert!(
        screen.contains("The simulator ran `failure-detector`"),
        "{screen}"
    );
    assert!(screen.contains("The truth:"), "{screen}");
    assert!(
        screen.contains("(expected: "),
        "the claim with the computed value: {screen}"
    );
}

#[test]
fn a_predict_question_shows_the_computed_outcome_and_p_runs_it_in_the_lab() {
    use distlab::lesson::QuestionKind;
    let mut h = quiz(100, 40);
    skip_to(&mut h, QuestionKind::Predict);
    let q = h.app.quiz.session.current().unwrap().clone();
    assert!(h.screen().contains("Predict, then see"));
    let wrong = wrong_letter(&h);
    h.keys(&wrong.to_string());
    let screen = h.screen();
    assert!(screen.contains("The simulator ran"), "{screen}");
    assert!(screen.contains('✓'), "the claim holds: {screen}");
    h.keys("p");
    assert_eq!(h.app.tab, Tab::Lab, "narrow: the run opens on the Lab tab");
    let lab = h.app.lab.as_ref().unwrap();
    assert_eq!(Some(lab.scenario().id.as_str()), q.scenario.as_deref());
    assert!(lab.running);
    assert_eq!(lab.seed(), q.seed.unwrap_or(1));
}

#[test]
fn p_is_refused_before_the_question_is_answered() {
    use distlab::lesson::QuestionKind;
    let mut h = quiz(100, 40);
    skip_to(&mut h, QuestionKind::Predict);
    assert!(
        !h.screen().contains("p run in lab"),
        "no p key offered before answering"
    );
    h.keys("p");
    assert_eq!(h.app.tab, Tab::Quiz, "the lab does not open");
    assert!(h.screen().contains("answer first"), "{}", h.screen());
}

#[test]
fn a_question_run_stops_at_its_until_ms_with_a_marker() {
    let lesson = distlab::lesson::builtin().unwrap();
    let q = lesson
        .questions
        .iter()
        .find(|q| q.until_ms.is_some())
        .expect("a question with until_ms");
    let index = lesson
        .scenarios
        .iter()
        .position(|s| Some(s.id.as_str()) == q.scenario.as_deref())
        .unwrap();
    let mut lab = distlab::tui::lab::Lab::new(&lesson.scenarios, 0, 1).unwrap();
    lab.until_us = q.until_ms.map(|ms| ms * 1000);
    lab.load_with(
        &lesson.scenarios,
        index,
        q.seed.unwrap_or(1),
        q.set.clone().into_iter().collect(),
    );
    lab.run_to(60_000_000);
    assert_eq!(lab.sim.now_us(), q.until_ms.unwrap() * 1000);
    assert!(lab.finished());
    assert!(
        lab.note
            .as_deref()
            .unwrap_or("")
            .contains("the question's run ends here"),
        "{:?}",
        lab.note
    );
}

#[test]
fn the_quiz_tab_shows_last_and_best_score_and_a_trend_of_past_attempts() {
    use distlab::progress::Attempt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.toml");
    let (mut store, _) = ProgressStore::open(&path).unwrap();
    let day = store.lesson_mut("day001");
    for (right, at) in [(13, 100), (9, 200)] {
        day.record_attempt(Attempt {
            right,
            total: 15,
            elapsed_secs: 60,
            finished_at: at,
        });
    }
    day.record_answer("q4", false);
    store.save().unwrap();
    let mut h = with_progress(&path);
    h.keys("4");
    let screen = h.screen();
    assert!(
        screen.contains("Attempts 2 · last 9/15 · best 13/15 · trend ▇▅"),
        "{screen}"
    );
    assert!(screen.contains("Question 1 of"), "{screen}");
}

#[test]
fn switching_mode_really_starts_over_in_lesson_order() {
    use distlab::quiz::{Mode, Order};
    use distlab::tui::quiz_tab::QuizTab;
    let mut h = quiz(100, 30);
    let lesson = lesson::builtin().unwrap();
    h.app.quiz = QuizTab::new(&lesson, Order::Review, Mode::Practice, None);
    let right = distlab::doc::letter(h.app.quiz.session.current().unwrap().answer());
    h.keys(&right.to_string());
    assert_eq!(h.app.quiz.session.answered(), 1);
    h.keys("m");
    assert_eq!(h.app.quiz.session.mode(), Mode::Exam);
    assert_eq!(
        h.app.quiz.order,
        Order::Lesson,
        "the review order does not carry over"
    );
    assert_eq!(h.app.quiz.session.answered(), 0);
}

#[test]
fn an_unfinished_attempt_is_resumed_after_a_restart_with_its_answers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.toml");
    let open = with_progress;
    let mut h = open(&path);
    h.keys("4");
    for _ in 0..3 {
        let q = h.app.quiz.session.current().unwrap().clone();
        h.keys(&distlab::doc::letter(q.answer()).to_string())
            .key(KeyCode::Enter);
    }
    let fourth = h.app.quiz.session.current().unwrap().clone();
    assert!(h.app.save_progress().is_none());
    drop(h);
    // A new run: the same attempt, three answers kept, the fourth question next with its
    // options in the same order.
    let mut h = open(&path);
    h.keys("4");
    let s = &h.app.quiz.session;
    assert_eq!(s.answered(), 3);
    assert_eq!(s.score().right, 3);
    let now = s.current().unwrap();
    assert_eq!(now.id, fourth.id);
    let texts: Vec<String> = now.options.iter().map(|o| o.text.to_string()).collect();
    let before: Vec<String> = fourth.options.iter().map(|o| o.text.to_string()).collect();
    assert_eq!(texts, before);
    assert!(
        h.screen()
            .contains("Resumed your unfinished attempt: 3 answered so far"),
        "{}",
        h.screen()
    );
    // Starting over really starts over, and the next run does not resume.
    h.keys("R");
    assert_eq!(h.app.quiz.session.answered(), 0);
    assert!(h.app.save_progress().is_none());
    drop(h);
    let mut h = open(&path);
    h.keys("4");
    assert_eq!(h.app.quiz.session.answered(), 0);
}

/// The app at 100x30 on the progress file at `path`.
fn with_progress(path: &std::path::Path) -> Harness {
    let (store, _) = ProgressStore::open(path).unwrap();
    Harness {
        app: App::new(
            lesson::builtin().unwrap(),
            Options {
                progress: Some(store),
                ..Options::new(Theme::builtin("dark").unwrap())
            },
            Rect::new(0, 0, 100, 30),
        ),
        terminal: Harness::new(100, 30).terminal,
    }
}

/// The Quiz tab on the shuffle of seed 42, whose second question (e2) asks for a number.
fn on_an_estimate(width: u16, height: u16) -> Harness {
    use distlab::quiz::{Mode, Order};
    use distlab::tui::quiz_tab::QuizTab;
    let mut h = quiz(width, height);
    let lesson = lesson::builtin().unwrap();
    h.app.quiz = QuizTab::new(&lesson, Order::Shuffled(42), Mode::Practice, None);
    answer(&mut h, true);
    h.key(KeyCode::Enter);
    assert_eq!(h.app.quiz.session.current().unwrap().id, "e2");
    h
}

#[test]
fn an_estimate_is_a_guess_on_a_scale_and_its_answer_stays_hidden_until_given() {
    let mut h = on_an_estimate(100, 30);
    let spec = h
        .app
        .quiz
        .session
        .current()
        .unwrap()
        .estimate
        .clone()
        .unwrap();
    let start = distlab::quiz::estimate::start(&spec) as usize;
    assert_eq!(h.app.quiz.selected, start, "the guess starts mid-scale");
    let before = h.screen();
    assert!(
        before.contains("Your estimate: 1500\u{a0}ms") || before.contains("Your estimate: 1500 ms"),
        "{before}"
    );
    let Some((_, Ok(runs))) = &h.app.quiz.estimate else {
        panic!("no runs")
    };
    let answer = format!("{}", runs.answer.round());
    for hidden in [
        "the runs say",
        "◀ median",
        "Off by",
        "Close:",
        answer.as_str(),
    ] {
        assert!(
            !before.contains(hidden),
            "{hidden:?} shows before the answer:\n{before}"
        );
    }
    // Letters name options, and an estimate has none; the arrows move the guess.
    h.keys("abc");
    assert_eq!(h.app.quiz.session.answered(), 1);
    let step = spec.step as usize;
    h.key(KeyCode::Right);
    assert_eq!(h.app.quiz.selected, start + step);
    h.key(KeyCode::Left).key(KeyCode::Left);
    assert_eq!(h.app.quiz.selected, start - step);
    h.key(KeyCode::Up);
    assert_eq!(h.app.quiz.selected, start + 9 * step);
    for _ in 0..100 {
        h.key(KeyCode::Up);
    }
    assert_eq!(
        h.app.quiz.selected as u64, spec.max,
        "the guess stays on the scale"
    );
    // `p` waits for the answer too.
    h.keys("p");
    assert_eq!(h.app.tab, Tab::Quiz);
    h.key(KeyCode::Enter);
    assert_eq!(h.app.quiz.session.answered(), 2);
    let after = h.screen();
    assert!(after.contains("✗ Off by"), "{after}");
    assert!(after.contains("◀ median"), "{after}");
    assert!(after.contains("▲ your guess 3000"), "{after}");
    assert!(after.contains(&answer), "{after}");
    insta::assert_snapshot!("estimate_feedback_100x30", after);
}

#[test]
fn an_estimate_close_to_the_answer_scores() {
    let mut h = on_an_estimate(120, 40);
    answer(&mut h, true);
    assert_eq!(h.app.quiz.session.score().right, 2);
    assert!(h.screen().contains("✓ Close: "), "{}", h.screen());
}
