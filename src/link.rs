//! The presenter link: a projected distlab serves what its presenter needs over a local
//! socket, and `distlab present` (the teacher's laptop) follows it and drives it.
//!
//! The wire protocol is newline-delimited JSON, one object per line, each carrying the
//! protocol version `v`. The projected instance says who it is ([`Hello`]) when a
//! presenter connects, then pushes a [`Snapshot`] whenever what the presenter shows
//! changes; the presenter sends [`Command`]s (next, back, reveal, ...). Everything read
//! from the other end is untrusted: lines are bounded ([`LINE_MAX`]), a line that does not
//! parse is answered with an error and changes nothing, and text is sanitized before it is
//! shown.
//!
//! [`place`] finds the private directory the sockets live in; [`server`] is the projected
//! side, [`client`] the presenter's. Nothing here knows the terminal app: the TUI builds
//! snapshots and maps commands to its own actions.

pub mod client;
pub mod place;
pub mod server;

use std::io::{self, BufRead};

use serde::{Deserialize, Serialize};

/// The protocol version this build speaks. A peer with another version is refused with a
/// message naming both.
pub const VERSION: u32 = 1;

/// The longest line either side accepts, in bytes (a snapshot with long captions and notes
/// is a few KiB; a command is a few dozen bytes).
pub const LINE_MAX: usize = 256 * 1024;

/// What a presenter asks the projected instance to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "cmd", rename_all = "snake_case")]
pub enum Command {
    /// The walkthrough's next step (in the quiz, after the reveal: the next question).
    Next,
    /// The walkthrough's previous step.
    Back,
    /// The quiz: reveal the answer the class gave.
    Reveal,
    /// The quiz: start or stop the classroom countdown.
    Countdown,
    /// The lab: run / pause.
    Pause,
    /// The quiz: mark the class's answer, option `option` (0 is a).
    Mark { option: u8 },
    /// Go to tab `tab` (1 to 4).
    Tab { tab: u8 },
}

/// One line from the presenter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    pub v: u32,
    #[serde(flatten)]
    pub command: Command,
}

/// Who serves a link: shown when a presenter has several to choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    pub pid: u32,
    /// The lesson's title.
    pub lesson: String,
    /// When the projected instance started, in seconds since the Unix epoch.
    pub started_unix: u64,
}

/// One line from the projected instance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    Hello(Hello),
    State(Box<Snapshot>),
    /// A command was refused (bad line, or it does nothing on this screen).
    Error {
        message: String,
    },
}

/// [`Event`] with the version, as it goes on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    pub v: u32,
    #[serde(flatten)]
    pub event: Event,
}

/// Everything the presenter shows, as the projected instance sees it now.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The tab on screen: `lesson`, `concepts`, `lab` or `quiz`.
    pub tab: String,
    /// The lesson's title.
    pub lesson: String,
    /// When the projected instance started, in seconds since the Unix epoch (the presenter
    /// counts the elapsed time from it).
    pub started_unix: u64,
    /// What the Lesson or Concepts tab shows, in a few words (a section, a concept).
    #[serde(default)]
    pub reading: Option<String>,
    #[serde(default)]
    pub lab: Option<LabState>,
    #[serde(default)]
    pub quiz: Option<QuizState>,
}

/// The lab, as far as the presenter cares.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LabState {
    pub scenario: String,
    pub title: String,
    pub seed: u64,
    pub running: bool,
    /// Simulated time now, in tenths of a second (`6.0s`).
    pub time: String,
    /// What the scenario says to watch for (its notice).
    pub notice: String,
    /// The scenario's notes for the teacher.
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub walk: Option<WalkState>,
}

/// A guided walkthrough under way.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WalkState {
    /// The step on screen (1-based): the one reached, or the one being run to.
    pub step: usize,
    pub steps: usize,
    /// True while the lab runs towards `step`.
    pub running_to: bool,
    /// The caption box's lines as the projector shows them, unwrapped.
    pub caption: Vec<CaptionLine>,
    /// The step after the one on screen.
    #[serde(default)]
    pub next: Option<NextStep>,
    /// The current step's notes for the teacher.
    #[serde(default)]
    pub notes: Option<String>,
}

/// One line of a caption, and how it reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaptionLine {
    pub text: String,
    /// `text`, `event` (the event the step paused on) or `warning`.
    pub tone: String,
}

/// What the next step will be about, before the run has reached it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextStep {
    /// 1-based.
    pub step: usize,
    /// How it is reached: `at 12000 ms`, `until failover`.
    pub when: String,
    /// Its caption, with each value the run will fill in shown as `…`.
    pub caption: String,
}

/// The quiz, as far as the presenter cares.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QuizState {
    /// 1-based question number, and how many there are.
    pub number: usize,
    pub total: usize,
    /// The question on screen (empty once the quiz is finished).
    pub question: String,
    /// Its options in the order shown (a, b, c, ...).
    pub options: Vec<String>,
    /// `asking`, `countdown`, `revealed` or `finished`.
    pub phase: String,
    /// Seconds left while counting down.
    #[serde(default)]
    pub seconds_left: Option<u64>,
    /// The option marked as the class's answer (0 is a).
    #[serde(default)]
    pub marked: Option<usize>,
    /// The right option (0 is a), for the teacher's eyes only.
    #[serde(default)]
    pub answer: Option<usize>,
    /// The question's notes for the teacher.
    #[serde(default)]
    pub notes: Option<String>,
    /// After the reveal or at the end: the score line (`3/5`).
    #[serde(default)]
    pub score: Option<String>,
}

/// Why a line was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineError {
    /// Longer than [`LINE_MAX`] bytes (the rest of it up to the newline was skipped).
    TooLong,
    /// Not UTF-8.
    NotText,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LineError::TooLong => write!(f, "line longer than {LINE_MAX} bytes: skipped"),
            LineError::NotText => write!(f, "line is not UTF-8 text: skipped"),
        }
    }
}

/// Reads one line of at most `max` bytes (without its newline). `Ok(None)` at the end of
/// the stream; a longer line is skipped up to its newline and reported, so the next line
/// reads normally.
pub fn read_line(
    reader: &mut impl BufRead,
    max: usize,
) -> io::Result<Option<Result<String, LineError>>> {
    let mut line = Vec::new();
    let mut too_long = false;
    loop {
        let buf = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            // The end: a last line without a newline still counts.
            if line.is_empty() && !too_long {
                return Ok(None);
            }
            break;
        }
        let (chunk, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (&buf[..i], Some(i + 1)),
            None => (buf, None),
        };
        if !too_long && line.len() + chunk.len() <= max {
            line.extend_from_slice(chunk);
        } else {
            too_long = true;
            line.clear();
        }
        let used = done.unwrap_or(buf.len());
        reader.consume(used);
        if done.is_some() {
            break;
        }
    }
    if too_long {
        return Ok(Some(Err(LineError::TooLong)));
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(Some(
        String::from_utf8(line).map_err(|_| LineError::NotText),
    ))
}

/// Parses a presenter's line into a command, or says why not (sanitized, one line).
pub fn parse_request(line: &str) -> Result<Command, String> {
    let value: serde_json::Value = serde_json::from_str(line)
        .map_err(|e| crate::sanitize::quote(&format!("not JSON: {e}")))?;
    match value.get("v").and_then(serde_json::Value::as_u64) {
        Some(v) if v == u64::from(VERSION) => {}
        Some(v) => {
            return Err(format!(
                "protocol version {v} is not spoken here (this distlab speaks {VERSION}); \
                 use the same distlab build on both ends"
            ));
        }
        None => {
            return Err(format!(
                "no protocol version `v`; expected \"v\": {VERSION}"
            ));
        }
    }
    serde_json::from_value::<Request>(value)
        .map(|r| r.command)
        .map_err(|e| crate::sanitize::quote(&format!("not a command: {e}")))
}

/// A command as one line for the wire (with its newline).
pub fn request_line(command: Command) -> String {
    let mut s = serde_json::to_string(&Request {
        v: VERSION,
        command,
    })
    .unwrap_or_default();
    s.push('\n');
    s
}

/// An event as one line for the wire (with its newline).
pub fn event_line(event: Event) -> String {
    let mut s = serde_json::to_string(&Envelope { v: VERSION, event }).unwrap_or_default();
    s.push('\n');
    s
}

/// Parses a line from the projected instance.
pub fn parse_event(line: &str) -> Result<Event, String> {
    let value: serde_json::Value = serde_json::from_str(line)
        .map_err(|e| crate::sanitize::quote(&format!("not JSON: {e}")))?;
    match value.get("v").and_then(serde_json::Value::as_u64) {
        Some(v) if v == u64::from(VERSION) => {}
        other => {
            return Err(format!(
                "the projected distlab speaks protocol version {}, this one {VERSION}: use the \
                 same distlab build on both ends",
                other.map_or("?".to_owned(), |v| v.to_string())
            ));
        }
    }
    serde_json::from_value::<Envelope>(value)
        .map(|e| e.event)
        .map_err(|e| crate::sanitize::quote(&format!("not an event: {e}")))
}

/// Seconds since the Unix epoch now.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_and_events_round_trip() {
        for c in [
            Command::Next,
            Command::Back,
            Command::Reveal,
            Command::Countdown,
            Command::Pause,
            Command::Mark { option: 2 },
            Command::Tab { tab: 4 },
        ] {
            let line = request_line(c);
            assert!(line.ends_with('\n') && !line[..line.len() - 1].contains('\n'));
            assert_eq!(parse_request(line.trim_end()), Ok(c), "{line}");
        }
        assert_eq!(request_line(Command::Next), "{\"v\":1,\"cmd\":\"next\"}\n");
        let snapshot = Snapshot {
            tab: "lab".into(),
            lesson: "Day 001".into(),
            lab: Some(LabState {
                scenario: "async-drop".into(),
                walk: Some(WalkState {
                    step: 2,
                    steps: 5,
                    caption: vec![CaptionLine {
                        text: "Half of the data messages are lost".into(),
                        tone: "text".into(),
                    }],
                    ..WalkState::default()
                }),
                ..LabState::default()
            }),
            ..Snapshot::default()
        };
        for e in [
            Event::State(Box::new(snapshot)),
            Event::Error {
                message: "no".into(),
            },
            Event::Hello(Hello {
                pid: 7,
                lesson: "Day 001".into(),
                started_unix: 1,
            }),
        ] {
            assert_eq!(parse_event(event_line(e.clone()).trim_end()), Ok(e));
        }
    }

    #[test]
    fn bad_requests_say_why() {
        assert!(parse_request("{").unwrap_err().contains("not JSON"));
        assert!(
            parse_request("{\"cmd\":\"next\"}")
                .unwrap_err()
                .contains("version")
        );
        assert!(
            parse_request("{\"v\":9,\"cmd\":\"next\"}")
                .unwrap_err()
                .contains("9")
        );
        let unknown = parse_request("{\"v\":1,\"cmd\":\"rm -rf\"}").unwrap_err();
        assert!(
            unknown.contains("unknown variant") && unknown.contains("next"),
            "{unknown}"
        );
        let hostile = parse_request("{\"v\":1,\"cmd\":\"\\u001b[2J\"}").unwrap_err();
        assert!(!hostile.contains('\u{1b}'), "{hostile}");
    }

    #[test]
    fn long_lines_are_skipped_and_the_next_one_reads() {
        let mut input = "a".repeat(100);
        input.push('\n');
        input.push_str("ok\r\nlast");
        let mut r = io::BufReader::with_capacity(16, input.as_bytes());
        assert_eq!(
            read_line(&mut r, 50).unwrap(),
            Some(Err(LineError::TooLong))
        );
        assert_eq!(read_line(&mut r, 50).unwrap(), Some(Ok("ok".into())));
        assert_eq!(read_line(&mut r, 50).unwrap(), Some(Ok("last".into())));
        assert_eq!(read_line(&mut r, 50).unwrap(), None);
        let mut bad = io::BufReader::new(&b"\xff\xfe\n"[..]);
        assert_eq!(
            read_line(&mut bad, 50).unwrap(),
            Some(Err(LineError::NotText))
        );
    }
}
