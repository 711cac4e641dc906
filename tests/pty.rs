//! One end-to-end run in a real pseudo-terminal: start the app, switch tabs, quit; the exit
//! status is 0 and the terminal is back in cooked mode with the mouse released.

#![cfg(unix)]

use std::process::Command;
use std::time::Duration;

use expectrl::session::OsSession;
use expectrl::{Eof, Expect, Session};

fn session(script: &str) -> OsSession {
    session_with(script, &[])
}

/// [`session`] with extra environment variables for the shell and the app.
fn session_with(script: &str, env: &[(&str, &str)]) -> OsSession {
    let bin = assert_cmd::cargo::cargo_bin("distlab");
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(script.replace("DISTLAB", &bin.display().to_string()));
    cmd.env("TERM", "xterm-256color").env_remove("NO_COLOR");
    cmd.envs(env.iter().copied());
    let mut s = Session::spawn(cmd).expect("spawn in a pty");
    s.set_expect_timeout(Some(Duration::from_secs(20)));
    s
}

/// Everything the pty prints until it closes.
fn rest(s: &mut OsSession) -> String {
    let out = s.expect(Eof).unwrap();
    let mut bytes = out.before().to_vec();
    out.matches().for_each(|m| bytes.extend_from_slice(m));
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The terminal the shell sees after the app exits.
const AFTER: &str =
    "echo \"EXIT=$?\"; [ \"$(stty -g)\" = \"$before\" ] && echo TTY-RESTORED; echo END";
/// Records the terminal settings before the app starts.
const BEFORE: &str = "stty cols 100 rows 30; before=$(stty -g)";

#[test]
fn start_switch_tabs_quit_restores_the_terminal() {
    let mut s = session(&format!("{BEFORE}; DISTLAB; {AFTER}"));
    s.expect("1 Lesson").unwrap();
    s.expect("Distributed Systems Foundations").unwrap();
    s.send("2").unwrap();
    s.expect("Concept 1 of 3").unwrap();
    s.send("4").unwrap();
    s.send("q").unwrap();
    let text = rest(&mut s);
    assert!(text.contains("EXIT=0"), "{text}");
    assert!(
        text.contains("TTY-RESTORED"),
        "cooked mode restored: {text}"
    );
    assert!(text.contains("\u{1b}[?1049l"), "left the alternate screen");
    assert!(text.contains("\u{1b}[?1000l"), "mouse capture released");
}

#[test]
fn sigterm_sigquit_and_other_terminating_signals_restore_the_terminal() {
    for signal in ["TERM", "QUIT", "USR1", "ALRM"] {
        let mut s = session(&format!(
            "{BEFORE}; DISTLAB & pid=$!; sleep 1; kill -{signal} $pid; wait $pid; {AFTER}"
        ));
        let text = rest(&mut s);
        assert!(text.contains("EXIT=0"), "SIG{signal}: quit cleanly: {text}");
        assert!(
            text.contains("TTY-RESTORED"),
            "SIG{signal}: cooked mode restored: {text}"
        );
        assert!(
            text.contains("\u{1b}[?1000l"),
            "SIG{signal}: mouse capture released"
        );
        assert!(
            text.contains("\u{1b}[?1049l"),
            "SIG{signal}: left the alternate screen"
        );
    }
}

#[test]
fn a_panic_inside_the_tui_restores_the_terminal_and_says_what_happened() {
    let var = distlab::tui::terminal::TEST_PANIC_VAR;
    let mut s = session_with(&format!("{BEFORE}; DISTLAB; {AFTER}"), &[(var, "1")]);
    let text = rest(&mut s);
    assert!(text.contains("about"), "the TUI drew a frame: {text}");
    assert!(
        text.contains("\u{1b}[?25h"),
        "the cursor is shown again: {text}"
    );
    assert!(text.contains("EXIT=101"), "a panic's exit status: {text}");
    assert!(
        text.contains("TTY-RESTORED"),
        "cooked mode restored: {text}"
    );
    assert!(text.contains("\u{1b}[?1000l"), "mouse capture released");
    let after = text
        .split_once("\u{1b}[?1049l")
        .map_or("", |(_, after)| after);
    assert!(
        after.contains("panicking inside the TUI"),
        "the panic message is printed on the normal screen: {text}"
    );
}

#[test]
fn on_the_linux_console_the_app_draws_ascii_alone() {
    let mut s = session_with(
        &format!("{BEFORE}; DISTLAB lab async-drop; {AFTER}"),
        &[("TERM", "linux")],
    );
    // The first frame, up to the Nodes panel's title (after the tabs and the cluster's).
    let m = s.expect("Nodes").unwrap();
    let mut drawn = m.before().to_vec();
    m.matches().for_each(|x| drawn.extend_from_slice(x));
    s.send(" ").unwrap();
    std::thread::sleep(Duration::from_millis(600));
    s.send("q").unwrap();
    let text = String::from_utf8_lossy(&drawn).into_owned() + &rest(&mut s);
    assert!(text.contains("EXIT=0"), "{text}");
    assert!(text.contains("Cluster"), "the lab was drawn: {text}");
    let other: String = text.chars().filter(|c| !c.is_ascii()).collect();
    assert!(other.is_empty(), "non-ASCII on the Linux console: {other}");
    // The stand-ins are there: `=` for paused, `x` for the speed's ×.
    assert!(
        text.contains("= paused") && text.contains("x0.25"),
        "{text}"
    );
}

#[test]
fn a_presenter_in_a_second_terminal_drives_the_projected_one_and_restores_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().display().to_string();
    let progress = dir.path().join("p.json").display().to_string();
    let env = [("XDG_RUNTIME_DIR", run.as_str())];
    let mut projected = session_with(
        &format!(
            "stty cols 100 rows 30; DISTLAB --projector --progress-file {progress} lab async-drop --seed 3"
        ),
        &env,
    );
    projected.expect("async-drop").unwrap();
    let mut presenter = session_with(&format!("{BEFORE}; DISTLAB present; {AFTER}"), &env);
    presenter.expect("linked: pid").unwrap();
    presenter.expect("starts the guided walkthrough").unwrap();
    presenter.send("l").unwrap();
    projected.expect("Step 1/5").unwrap();
    presenter.send("l").unwrap();
    presenter.expect("step 1 of 5").unwrap();
    presenter.send("q").unwrap();
    let text = rest(&mut presenter);
    assert!(text.contains("EXIT=0"), "{text}");
    assert!(
        text.contains("TTY-RESTORED"),
        "cooked mode restored: {text}"
    );
    assert!(text.contains("\u{1b}[?1049l"), "left the alternate screen");
    projected.send("q").unwrap();
    rest(&mut projected);
    let left: Vec<_> = std::fs::read_dir(dir.path().join("distlab"))
        .unwrap()
        .collect();
    assert!(left.is_empty(), "the socket is removed on quit: {left:?}");
}

/// Starts `--projector`, answers the double-height probe's cursor report with `reply` (as
/// the terminal would), opens the quiz, goes back to the Lesson and quits; returns what the
/// app printed after the probe.
fn projector_answering_probe(reply: &str) -> String {
    let mut s = session(&format!(
        "{BEFORE}; DISTLAB --projector --progress-file \"$(mktemp -d)/p.json\"; {AFTER}"
    ));
    // The probe: a double-width row, then a cursor report request.
    s.expect("\u{1b}#6").unwrap();
    s.expect("\u{1b}[6n").unwrap();
    s.send(reply).unwrap();
    let mut text = String::new();
    let mut upto = |s: &mut OsSession, needle: &str| {
        let found = s.expect(needle).unwrap();
        text.push_str(&String::from_utf8_lossy(found.before()));
        text.push_str(needle);
    };
    upto(&mut s, "1 Lesson");
    s.send("4").unwrap();
    upto(&mut s, "stays hidden");
    // Back to the Lesson, and a moment to draw it (what it writes is a diff against the
    // quiz, so no phrase of it is sure to arrive whole), then quit.
    s.send("1").unwrap();
    std::thread::sleep(Duration::from_millis(600));
    s.send("q").unwrap();
    text + &rest(&mut s)
}

#[test]
fn a_terminal_that_draws_double_height_lines_gets_the_quiz_in_them_and_back() {
    // At 100 columns the probe writes 51 cells on a double-width row: an xterm wraps to the
    // second row.
    let text = projector_answering_probe("\u{1b}[2;2R");
    assert!(
        text.contains("EXIT=0") && text.contains("TTY-RESTORED"),
        "{text}"
    );
    let (top, bottom) = (text.find("\u{1b}#3"), text.find("\u{1b}#4"));
    assert!(
        top.is_some() && bottom.is_some(),
        "quiz rows sized: {text:?}"
    );
    let back = text
        .rfind("\u{1b}#5")
        .expect("rows made single again on leaving");
    assert!(back > top.unwrap(), "{text:?}");
}

#[test]
fn a_terminal_that_ignores_line_sizes_gets_ordinary_lines() {
    // Such a terminal leaves the cursor right after the 51 cells, on the first row.
    let text = projector_answering_probe("\u{1b}[1;52R");
    assert!(
        text.contains("EXIT=0") && text.contains("TTY-RESTORED"),
        "{text}"
    );
    assert!(
        !text.contains("\u{1b}#3"),
        "no double-height rows: {text:?}"
    );
}
