//! The presenter link (`distlab present`): a presenter's commands are ordinary actions, so
//! a projected app driven from the laptop ends where the same keys take it; a real listener
//! on a socket answers a real client; bad lines change nothing; the teacher's notes reach
//! the presenter and nobody else; the presenter's screen fits 80×24 in ASCII.

mod tui_support;

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::sync::mpsc;
use std::time::Duration;

use distlab::link::{self, Command, Event, Hello, Snapshot};
use distlab::tui::Display;
use distlab::tui::remote;
use distlab::tui::terminal::Msg;
use ratatui::crossterm::event::KeyCode;
use tui_support::Harness;

fn classroom(width: u16, height: u16) -> Harness {
    let mut h = Harness::new(width, height);
    h.app.set_display(Display {
        projector: true,
        ..Display::default()
    });
    h
}

/// Sends `command` the way the event loop does: mapped on the screen now, then updated.
fn remote(h: &mut Harness, command: Command) -> Result<(), String> {
    let action = remote::action(&h.app, command)?;
    h.action(action);
    Ok(())
}

fn state(h: &Harness) -> Snapshot {
    remote::snapshot(&h.app, 0)
}

#[test]
fn remote_commands_reach_the_same_state_as_keys() {
    let mut by_keys = classroom(100, 30);
    let mut by_link = classroom(100, 30);
    by_keys.lab_on("async-drop").reset(3);
    by_link.lab_on("async-drop").reset(3);
    // g starts the walkthrough; → jumps to each step; ← goes back one.
    by_keys.keys("g");
    for _ in 0..4 {
        by_keys.key(KeyCode::Right);
    }
    by_keys.key(KeyCode::Left);
    for c in [
        Command::Next,
        Command::Next,
        Command::Next,
        Command::Next,
        Command::Next,
    ] {
        remote(&mut by_link, c).unwrap();
    }
    remote(&mut by_link, Command::Back).unwrap();
    let (a, b) = (state(&by_keys), state(&by_link));
    assert_eq!(a, b);
    let walk = b.lab.unwrap().walk.unwrap();
    assert_eq!((walk.step, walk.steps, walk.running_to), (2, 5, false));
    assert_eq!(by_keys.screen(), by_link.screen());

    // The classroom quiz: mark c, count down, reveal, go on.
    by_keys.keys("4ct");
    by_keys.key(KeyCode::Enter);
    by_keys.key(KeyCode::Enter);
    for c in [
        Command::Tab { tab: 4 },
        Command::Mark { option: 2 },
        Command::Countdown,
        Command::Reveal,
        Command::Next,
    ] {
        remote(&mut by_link, c).unwrap();
    }
    assert_eq!(state(&by_keys), state(&by_link));
    assert_eq!(state(&by_link).quiz.unwrap().number, 2);
    assert_eq!(by_keys.screen(), by_link.screen());
}

#[test]
fn the_snapshot_carries_the_projectors_caption_the_next_step_and_the_notes() {
    let mut h = classroom(100, 30);
    h.lab_on("async-drop").reset(3);
    remote(&mut h, Command::Next).unwrap(); // heads for step 1
    remote(&mut h, Command::Next).unwrap(); // there
    let lab = state(&h).lab.unwrap();
    let walk = lab.walk.unwrap();
    let caption: String = walk.caption.iter().map(|l| l.text.as_str()).collect();
    // The caption as the projector shows it, with the run's numbers.
    let screen = h.screen().split_whitespace().collect::<Vec<_>>().join(" ");
    let first_words: String = caption
        .split_whitespace()
        .take(8)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(screen.contains(&first_words), "{first_words}\n{screen}");
    assert!(!caption.contains('{'), "filled in: {caption}");
    let next = walk.next.unwrap();
    assert_eq!((next.step, next.when.as_str()), (2, "at 6000 ms"));
    assert!(next.caption.contains('…') && !next.caption.contains('{'));
    let notes = walk.notes.unwrap();
    assert!(notes.contains("space-time diagram"), "{notes}");
    assert!(
        !screen.contains("space-time diagram: n1"),
        "notes stay off the projector"
    );
    assert!(lab.notes.unwrap().contains("promise"));

    // The quiz: the right answer for the teacher, hidden from the class.
    h.keys("4");
    let q = state(&h).quiz.unwrap();
    assert_eq!((q.phase.as_str(), q.number), ("asking", 1));
    let right = q.answer.unwrap();
    assert!(q.options[right].contains("uncertain message passing"));
    assert!(q.notes.unwrap().contains("more cores"));
    assert!(!h.screen().contains("Listen for"));
}

#[test]
fn commands_that_do_nothing_here_say_why_and_change_nothing() {
    let mut h = classroom(80, 24);
    let before = state(&h);
    for c in [
        Command::Reveal,
        Command::Countdown,
        Command::Mark { option: 0 },
        Command::Tab { tab: 9 },
        Command::Pause,
    ] {
        let why = remote(&mut h, c).unwrap_err();
        assert!(!why.is_empty());
    }
    assert_eq!(state(&h), before);
    h.keys("4");
    let why = remote(&mut h, Command::Next).unwrap_err();
    assert!(why.contains("reveal first"), "{why}");
    let why = remote(&mut h, Command::Mark { option: 5 }).unwrap_err();
    assert!(why.contains("no option f"), "{why}");
    let before = state(&h);
    let why = remote(&mut h, Command::Reveal).unwrap_err();
    assert!(why.contains("mark the class's answer first"), "{why}");
    assert_eq!(state(&h), before, "nobody's answer is recorded");
    assert_eq!(before.quiz.unwrap().marked, None);
}

fn read_event(r: &mut BufReader<UnixStream>) -> Event {
    let mut line = String::new();
    r.read_line(&mut line).unwrap();
    link::parse_event(line.trim_end()).unwrap_or_else(|e| panic!("{e}: {line}"))
}

/// The next state snapshot, skipping error replies (collected into `errors`).
fn next_state(r: &mut BufReader<UnixStream>, errors: &mut Vec<String>) -> Snapshot {
    loop {
        match read_event(r) {
            Event::State(s) => return *s,
            Event::Error { message } => errors.push(message),
            Event::Hello(_) => {}
        }
    }
}

#[test]
fn a_real_listener_serves_a_real_client_and_shrugs_off_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("projector-1.sock");
    let (tx, rx) = mpsc::channel();
    let hello = Hello {
        pid: 1,
        lesson: "Day 001".into(),
        started_unix: 0,
    };
    let server = remote::serve(&path, hello, tx.clone()).unwrap();
    // A second one at the same path is refused while the first answers.
    let again = remote::serve(&path, server.hello().clone(), tx.clone());
    let refused = again.err().unwrap();
    assert!(
        refused.contains("already served") && refused.contains("pid 1"),
        "{refused}"
    );

    let mut h = classroom(100, 30);
    h.lab_on("async-drop").reset(3);
    let client = std::thread::spawn(move || {
        let stream = UnixStream::connect(&path).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let mut writer = stream.try_clone().unwrap();
        let mut reader = BufReader::new(stream);
        assert!(matches!(read_event(&mut reader), Event::Hello(h) if h.pid == 1));
        let mut errors = Vec::new();
        let first = next_state(&mut reader, &mut errors);
        assert_eq!(first.tab, "lab");
        assert!(first.lab.as_ref().unwrap().walk.is_none());
        // Bad lines: far too long, not JSON, an unknown command, another version.
        let long = format!("{}\n", "x".repeat(link::LINE_MAX + 10));
        writer.write_all(long.as_bytes()).unwrap();
        writer.write_all(b"{not json\n").unwrap();
        writer
            .write_all(b"{\"v\":1,\"cmd\":\"format-disk\"}\n")
            .unwrap();
        writer.write_all(b"{\"v\":2,\"cmd\":\"next\"}\n").unwrap();
        writer
            .write_all(link::request_line(Command::Next).as_bytes())
            .unwrap();
        let mut seen = next_state(&mut reader, &mut errors);
        while seen.lab.as_ref().unwrap().walk.is_none() {
            seen = next_state(&mut reader, &mut errors);
        }
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors[0].contains("longer than"), "{errors:?}");
        assert!(errors[1].contains("not JSON"), "{errors:?}");
        assert!(errors[2].contains("unknown variant"), "{errors:?}");
        assert!(errors[3].contains("version 2"), "{errors:?}");
        // Back on the lab's first screen is refused: it says so, to this client.
        writer
            .write_all(link::request_line(Command::Tab { tab: 4 }).as_bytes())
            .unwrap();
        writer
            .write_all(link::request_line(Command::Back).as_bytes())
            .unwrap();
        let quiz = next_state(&mut reader, &mut errors);
        assert_eq!(quiz.tab, "quiz");
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert!(line.contains("does not go back"), "{line}");
        seen
    });
    // The event loop's part, as `tui::event_loop_linked` does it.
    let mut updates = 0;
    while let Ok(msg) = rx.recv_timeout(Duration::from_secs(20)) {
        let Msg::Remote(incoming) = msg else { continue };
        if let link::server::Incoming::Command(id, command) = incoming {
            match remote::action(&h.app, command) {
                Ok(action) => {
                    h.action(action);
                    updates += 1;
                }
                Err(why) => server.reply(id, &why),
            }
        }
        server.publish(&remote::snapshot(&h.app, 0));
        if updates == 2 && h.app.tab == distlab::tui::action::Tab::Quiz {
            // Wait for the refused Back before stopping.
            if let Ok(Msg::Remote(link::server::Incoming::Command(id, c))) =
                rx.recv_timeout(Duration::from_secs(20))
            {
                let why = remote::action(&h.app, c).unwrap_err();
                server.reply(id, &why);
            }
            break;
        }
    }
    let seen = client.join().unwrap();
    let walk = seen.lab.unwrap().walk.unwrap();
    assert_eq!(walk.step, 1);
    drop(server);
    assert!(
        !dir.path().join("projector-1.sock").exists(),
        "removed on drop"
    );
}

#[test]
fn a_stale_socket_from_a_crashed_run_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("projector-2.sock");
    drop(std::os::unix::net::UnixListener::bind(&path).unwrap());
    assert!(path.exists());
    let (tx, _rx) = mpsc::channel();
    let hello = Hello {
        pid: 2,
        lesson: "x".into(),
        started_unix: 0,
    };
    let server = remote::serve(&path, hello, tx).unwrap();
    let link = link::client::connect(&path, Duration::from_secs(5)).unwrap();
    assert_eq!(link.hello.pid, 2);
    drop(server);
}

#[test]
fn notes_never_reach_the_learner() {
    let out = assert_cmd::Command::cargo_bin("distlab")
        .unwrap()
        .args(["print", "--answers", "--width", "100"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lesson = distlab::lesson::builtin().unwrap();
    let mut notes: Vec<String> = lesson
        .questions
        .iter()
        .filter_map(|q| q.notes.as_ref().map(|n| n.to_string()))
        .collect();
    for s in &lesson.scenarios {
        notes.extend(s.notes.iter().map(|n| n.to_string()));
        notes.extend(
            s.steps
                .iter()
                .filter_map(|st| st.notes.as_ref().map(|n| n.to_string())),
        );
    }
    assert!(notes.len() >= 6, "the lesson has notes: {}", notes.len());
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for n in notes {
        let head: String = n.split_whitespace().take(6).collect::<Vec<_>>().join(" ");
        assert!(!flat.contains(&head), "`{head}` is in distlab print");
    }
}

#[test]
fn the_presenter_screen_fits_80x24_in_ascii() {
    use distlab::tui::presenter::{LinkNews, Presenter};
    use distlab::tui::theme::Theme;
    let mut h = classroom(100, 30);
    h.lab_on("async-drop").reset(3);
    h.keys("g");
    h.key(KeyCode::Right);
    let mut p = Presenter::new(Theme::builtin("mono").unwrap(), true);
    p.apply(LinkNews::Connected(
        Hello {
            pid: 42,
            lesson: "Day 001: \u{1b}[2JDistributed Systems Foundations".into(),
            started_unix: 100,
        },
        "/run/x.sock".into(),
    ));
    let mut s = state(&h);
    s.lesson = "Day 001: \u{1b}]52;c;aGk=\u{7}Distributed".into();
    p.apply(LinkNews::Event(Event::State(Box::new(s))));
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|f| distlab::tui::presenter_view::render(&p, f, 100 + 75))
        .unwrap();
    let buffer = terminal.backend().buffer();
    let text: String = (0..24)
        .map(|y| {
            (0..80)
                .map(|x| buffer[(x, y)].symbol().to_owned())
                .collect::<String>()
                + "\n"
        })
        .collect();
    assert!(text.is_ascii(), "{text}");
    assert!(!text.contains('\u{1b}') && !text.contains("52;c"), "{text}");
    for want in [
        "1:15 elapsed",
        "pid 42",
        "step 1 of 5",
        "Next",
        "Notes",
        "q quit",
    ] {
        assert!(text.contains(want), "lacks {want}:\n{text}");
    }
}
