//! The projected instance's end of the presenter link (`distlab present`): what the
//! presenter is shown ([`snapshot`], built from the same functions the screen draws from),
//! and what a presenter's command means on the screen now ([`action`]: an ordinary
//! [`Action`], carried out by `App::update` exactly as a key press is).

use std::sync::Arc;
use std::sync::mpsc::Sender;

use super::action::{Action, LabAction, QuizAction, Scroll, Tab};
use super::app::App;
use super::lab_layout::{Tone, caption_lines};
use super::quiz_tab::Showing;
use super::terminal::Msg;
use crate::link::server::{Incoming, Server};
use crate::link::{self, CaptionLine, Command, Hello, LabState, NextStep, QuizState, Snapshot};

/// Starts serving the presenter link in the private socket directory (see
/// [`link::place`]), under this process's id. An error says why there is no link; the app
/// runs on without one.
pub fn listen(app: &App, events: Sender<Msg>) -> Result<Server, String> {
    let dir = link::place::default_dir();
    link::place::private_dir(&dir).map_err(|e| e.to_string())?;
    link::place::sweep(&dir);
    let pid = std::process::id();
    let hello = Hello {
        pid,
        lesson: app.lesson.title.to_string(),
        started_unix: link::unix_now(),
    };
    serve(&link::place::socket_path(&dir, pid), hello, events)
}

/// Serves the presenter link at `path`, handing what arrives to the event loop on `events`.
pub fn serve(path: &std::path::Path, hello: Hello, events: Sender<Msg>) -> Result<Server, String> {
    let events = std::sync::Mutex::new(events);
    let on = move |incoming: Incoming| {
        events
            .lock()
            .is_ok_and(|tx| tx.send(Msg::Remote(incoming)).is_ok())
    };
    Server::bind(path, hello, Arc::new(on)).map_err(|e| e.to_string())
}

/// What a presenter's command does on the screen now, or why it does nothing here.
pub fn action(app: &App, command: Command) -> Result<Action, String> {
    let walk = app.lab.as_ref().is_some_and(|l| l.walk.is_some());
    let quiz = &app.quiz;
    let asking = matches!(quiz.showing, Showing::Question) && !quiz.session.is_finished();
    let on_quiz = |a: Action| {
        if app.tab == Tab::Quiz {
            Ok(a)
        } else {
            Err("the quiz is not on screen: 4 shows it".to_owned())
        }
    };
    match command {
        Command::Tab { tab } => match tab {
            1..=4 => Ok(Action::GoTab(Tab::ALL[usize::from(tab) - 1])),
            _ => Err(format!("there is no tab {tab}; expected 1 to 4")),
        },
        Command::Next => match app.tab {
            Tab::Lesson => Ok(Action::Scroll(Scroll::NextSection)),
            Tab::Concepts => Ok(Action::NextConcept),
            Tab::Lab if app.lab.is_none() => Err("this lesson has no lab".into()),
            Tab::Lab if walk => Ok(Action::Lab(LabAction::WalkNext)),
            Tab::Lab => Ok(Action::Lab(LabAction::Walkthrough)),
            Tab::Quiz => match quiz.showing {
                Showing::Feedback(_) => Ok(Action::Quiz(QuizAction::Confirm)),
                Showing::Question => Err("reveal first (r); the next question follows".into()),
                Showing::Summary(_) => Err("the quiz is over".into()),
            },
        },
        Command::Back => match app.tab {
            Tab::Lesson => Ok(Action::Scroll(Scroll::PrevSection)),
            Tab::Concepts => Ok(Action::PrevConcept),
            Tab::Lab if walk => Ok(Action::Lab(LabAction::WalkBack)),
            Tab::Lab => Err("no walkthrough runs: → starts one".into()),
            Tab::Quiz => Err("the quiz does not go back".into()),
        },
        Command::Pause => match app.tab {
            Tab::Lab if app.lab.is_some() => Ok(Action::Lab(LabAction::RunPause)),
            _ => Err("run / pause is for the lab: 3 shows it".into()),
        },
        Command::Reveal
            if asking
                && quiz.classroom
                && quiz.class_mark.is_none()
                && quiz.asking_estimate().is_none() =>
        {
            Err("mark the class's answer first: nobody's answer is marked".into())
        }
        Command::Reveal if asking => on_quiz(Action::Quiz(QuizAction::Confirm)),
        Command::Reveal => Err("no question is waiting for its reveal".into()),
        Command::Countdown if !quiz.classroom => {
            Err("the countdown is for the classroom quiz (distlab --projector)".into())
        }
        Command::Countdown if asking => on_quiz(Action::Quiz(QuizAction::Countdown)),
        Command::Countdown => Err("no question is waiting for its reveal".into()),
        Command::Mark { .. } if !quiz.classroom => {
            Err("marking the class's answer is for the classroom quiz (--projector)".into())
        }
        Command::Mark { option } => {
            let n = quiz.session.current().map_or(0, |q| q.options.len());
            if asking && usize::from(option) < n {
                on_quiz(Action::Quiz(QuizAction::Answer(usize::from(option))))
            } else {
                Err(format!(
                    "no option {} to mark",
                    crate::lesson::letter(option.into())
                ))
            }
        }
    }
}

/// Everything the presenter shows, as the projected screen stands now.
pub fn snapshot(app: &App, started_unix: u64) -> Snapshot {
    Snapshot {
        tab: app.tab.title().to_lowercase(),
        lesson: app.lesson.title.to_string(),
        started_unix,
        reading: reading(app),
        lab: app.lab.as_ref().map(|_| lab_state(app)),
        quiz: Some(quiz_state(app)),
    }
}

/// Where the Lesson or Concepts tab is.
fn reading(app: &App) -> Option<String> {
    match app.tab {
        Tab::Lesson => {
            let id = app.lesson_tab.reading_position().section;
            let title = crate::lesson::SECTIONS.iter().find(|(s, _)| *s == id);
            Some(title.map_or(id.clone(), |(_, t)| (*t).to_owned()))
        }
        Tab::Concepts => {
            (app.lesson.concepts.get(app.concepts.current)).map(|c| format!("Concept: {}", c.title))
        }
        _ => None,
    }
}

fn lab_state(app: &App) -> LabState {
    let Some(lab) = &app.lab else {
        return LabState::default();
    };
    let scenario = lab.scenario();
    let walk = lab.walk.as_ref().map(|w| {
        let step = w.heading.or(w.reached).map_or(1, |s| s + 1);
        // The caption exactly as the projector draws it, one paragraph a line (the
        // presenter wraps it at its own width).
        let caption = caption_lines(lab, u16::MAX)
            .into_iter()
            .map(|(text, tone)| CaptionLine {
                text,
                tone: match tone {
                    Tone::Text => "text",
                    Tone::Event => "event",
                    Tone::Warning => "warning",
                }
                .to_owned(),
            })
            .collect();
        let next = w.heading.unwrap_or_else(|| w.reached.map_or(0, |r| r + 1));
        let next = (lab.story().and_then(|s| s.steps.get(next)))
            .zip(scenario.steps.get(next))
            .map(|(plan, spec)| NextStep {
                step: next + 1,
                when: spec.when(),
                caption: plan.caption.preview(),
            });
        let notes = (w.reached.filter(|_| w.heading.is_none()))
            .and_then(|r| scenario.steps.get(r)?.notes.as_ref())
            .map(ToString::to_string);
        link::WalkState {
            step,
            steps: lab.steps(),
            running_to: w.heading.is_some(),
            caption,
            next,
            notes,
        }
    });
    LabState {
        scenario: scenario.id.to_string(),
        title: scenario.title.to_string(),
        seed: lab.seed(),
        running: lab.running,
        // Tenths of a second: enough for the teacher, and a running lab does not send a
        // snapshot every frame.
        time: format!("{:.1}s", lab.sim.now_us() as f64 / 1e6),
        notice: scenario.notice.to_string(),
        notes: scenario.notes.as_ref().map(ToString::to_string),
        walk,
    }
}

fn quiz_state(app: &App) -> QuizState {
    let q = &app.quiz;
    let session = &q.session;
    let base = QuizState {
        number: session.number(),
        total: session.len(),
        ..QuizState::default()
    };
    match &q.showing {
        Showing::Question => {
            let Some(question) = session.current() else {
                return QuizState {
                    phase: "finished".into(),
                    score: Some(session.score().to_string()),
                    ..base
                };
            };
            let left = q.countdown.map(|deadline| {
                (deadline
                    .saturating_sub(app.elapsed)
                    .as_millis()
                    .div_ceil(1000)) as u64
            });
            let estimate = question.estimate.is_some();
            QuizState {
                question: question.text.to_string(),
                options: question
                    .options
                    .iter()
                    .map(|o| o.text.to_string())
                    .collect(),
                phase: if left.is_some() {
                    "countdown"
                } else {
                    "asking"
                }
                .into(),
                seconds_left: left,
                marked: q.class_mark.filter(|_| q.classroom && !estimate),
                answer: (!estimate).then(|| question.answer()),
                notes: question.notes.as_ref().map(ToString::to_string),
                ..base
            }
        }
        Showing::Feedback(f) => {
            let lesson_q = app.lesson.questions.get(f.lesson_index);
            // The options in the order the class saw them.
            let slot = session.slots().into_iter().nth(f.number.saturating_sub(1));
            let options = match (lesson_q, slot) {
                (Some(lq), Some(slot)) => (slot.options.iter())
                    .filter_map(|&o| lq.options.get(o).map(|x| x.text.to_string()))
                    .collect(),
                _ => Vec::new(),
            };
            let estimate = f.estimate.is_some();
            QuizState {
                number: f.number,
                question: f.text.clone(),
                options,
                phase: "revealed".into(),
                marked: (!estimate).then_some(f.chosen),
                answer: (!estimate).then_some(f.right),
                notes: lesson_q.and_then(|lq| lq.notes.as_ref().map(ToString::to_string)),
                score: Some(session.score().to_string()),
                ..base
            }
        }
        Showing::Summary(s) => QuizState {
            phase: "finished".into(),
            score: Some(s.score.to_string()),
            ..base
        },
    }
}
