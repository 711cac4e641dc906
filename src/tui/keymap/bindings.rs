//! The key tables: one per screen, the single source of the keymap, the footer, the help
//! overlay and the README's key list (a test checks the README against them).

use ratatui::crossterm::event::KeyCode;

use crate::tui::action::{Action, Choose, LabAction as L, QuizAction as Q, Scroll, Tab};
use crate::tui::course::CourseAction;
use crate::tui::tradeoffs::TradeAction as T;

/// One key binding: the keys, how they are shown, what they do.
pub struct Binding {
    pub keys: &'static [KeyCode],
    /// The keys as shown to the learner, e.g. "↑/k".
    pub label: &'static str,
    pub help: &'static str,
    pub action: Action,
    /// The word(s) the footer shows, empty to leave it out of the footer (every binding is
    /// in the help overlay). Neighbours with the same word share it: `+/- speed`.
    pub short: &'static str,
}

const fn b(
    keys: &'static [KeyCode],
    label: &'static str,
    help: &'static str,
    action: Action,
    short: &'static str,
) -> Binding {
    Binding {
        keys,
        label,
        help,
        action,
        short,
    }
}

use KeyCode::{BackTab, Char as C, Down, End, Esc, Home, Left, PageDown, PageUp, Right, Up};

/// Keys that work on every screen.
#[rustfmt::skip]
pub const GLOBAL: &[Binding] = &[
    b(&[C('1'), C('2'), C('3'), C('4')], "1-4", "go to a tab", Action::GoTab(Tab::Lesson), ""),
    b(&[KeyCode::Tab], "Tab", "next tab", Action::NextTab, ""),
    b(&[BackTab], "S-Tab", "previous tab", Action::PrevTab, ""),
    b(&[C('?')], "?", "help", Action::ToggleHelp, "help"),
    b(&[Esc], "Esc", "close help / overlay", Action::CloseOverlay, ""),
    b(&[C('q')], "q", "quit (in a course: back to its lessons; Ctrl-C always quits)", Action::Quit, "quit"),
];

/// Scrolling, on every screen that scrolls.
#[rustfmt::skip]
pub const SCROLLING: &[Binding] = &[
    b(&[Up, C('k')], "↑/k", "scroll up", Action::Scroll(Scroll::Up), ""),
    b(&[Down, C('j')], "↓/j", "scroll down", Action::Scroll(Scroll::Down), "scroll"),
    b(&[PageUp, C('b')], "PgUp/b", "page up", Action::Scroll(Scroll::PageUp), ""),
    b(&[PageDown, C(' ')], "PgDn/Space", "page down", Action::Scroll(Scroll::PageDown), "page"),
    b(&[Home, C('g')], "g/Home", "top", Action::Scroll(Scroll::Top), ""),
    b(&[End, C('G')], "G/End", "bottom", Action::Scroll(Scroll::Bottom), ""),
];

/// Lesson screen.
#[rustfmt::skip]
pub const LESSON: &[Binding] = &[
    b(&[C(']'), C('n')], "]/n", "next section", Action::Scroll(Scroll::NextSection), "next section"),
    b(&[C('['), C('p')], "[/p", "previous section", Action::Scroll(Scroll::PrevSection), ""),
];

/// Concepts screen.
#[rustfmt::skip]
pub const CONCEPTS: &[Binding] = &[
    b(&[Right, C('l')], "→/l", "next concept", Action::NextConcept, "concept"),
    b(&[Left, C('h')], "←/h", "previous concept", Action::PrevConcept, "concept"),
    b(&[C('t')], "t", "try it in the lab", Action::TryIt, "try it"),
];

/// On the Concepts screen, while the "try which scenario?" list is open (a concept with
/// several scenarios; checked before the screen's own keys).
#[rustfmt::skip]
pub const CHOOSE: &[Binding] = &[
    b(&[Down, C('j')], "↓/j", "try it: the next scenario in the list", Action::Choose(Choose::Next), "choose"),
    b(&[Up, C('k')], "↑/k", "try it: the scenario before", Action::Choose(Choose::Prev), "choose"),
    b(&[KeyCode::Enter, C('t')], "Enter/t", "try it: open the scenario chosen in the lab", Action::Choose(Choose::Open), "open"),
    b(&[Esc], "Esc", "try it: close the list", Action::Choose(Choose::Cancel), "close"),
];

/// Lab screen.
#[rustfmt::skip]
pub const LAB: &[Binding] = &[
    b(&[C(' ')], "Space", "run / pause", Action::Lab(L::RunPause), "run/pause"),
    b(&[C('s'), C('.')], "s", "step one event", Action::Lab(L::Step), "step"),
    b(&[C('+'), C('=')], "+", "faster", Action::Lab(L::Faster), "speed"),
    b(&[C('-')], "-", "slower", Action::Lab(L::Slower), "speed"),
    b(&[C('w')], "w", "client write", Action::Lab(L::ClientWrite), "write"),
    b(&[Right, C('l'), Down, C('j')], "→/l", "select next node", Action::Lab(L::SelectNext), "node"),
    b(&[Left, C('h'), Up, C('k')], "←/h", "select previous node", Action::Lab(L::SelectPrev), "node"),
    b(&[C('c')], "c", "crash / restart the selected node", Action::Lab(L::CrashRestart), "crash"),
    b(&[C('z')], "z", "pause the selected node (a long GC pause)", Action::Lab(L::PauseNode), "pause"),
    b(&[C('x')], "x", "partition the selected node (both ways)", Action::Lab(L::Partition), "cut"),
    b(&[C('X')], "X", "one-way partition: the selected node cannot send", Action::Lab(L::PartitionOneWay), "cut"),
    b(&[C('a')], "a", "heal all partitions", Action::Lab(L::Heal), "heal"),
    b(&[C('[')], "[", "skew the selected clock back", Action::Lab(L::SkewBack), "skew"),
    b(&[C(']')], "]", "skew the selected clock forward", Action::Lab(L::SkewForward), "skew"),
    b(&[C('d')], "d", "cycle the drop rate", Action::Lab(L::CycleDrop), "drop"),
    b(&[C('D')], "D", "drop the next message (the lab says which one)", Action::Lab(L::DropNext), "drop"),
    b(&[C('m')], "m", "replication mode: next one, from now on", Action::Lab(L::CycleMode), "mode"),
    b(&[C('M')], "M", "replay from the start in the next replication mode (in compare: compare modes)", Action::Lab(L::ReplayNextMode), "mode"),
    b(&[C('t')], "t", "timestamps: wall / Lamport / vector", Action::Lab(L::ToggleTimestamps), "timestamps"),
    b(&[C('F')], "F", "replay from the start with fencing on / off (in compare: compare fencing)", Action::Lab(L::ToggleFencing), "fencing"),
    b(&[C('A')], "A", "replay from the start with acks after disk sync on / off (in compare: compare them)", Action::Lab(L::ToggleAckAfter), "fsync"),
    b(&[C('I')], "I", "replay from the start with idempotency keys on / off (in compare: compare them)", Action::Lab(L::ToggleIdempotency), "idempotency"),
    b(&[C('<')], "<", "previous scenario", Action::Lab(L::PrevScenario), "scenario"),
    b(&[C('>')], ">", "next scenario", Action::Lab(L::NextScenario), "scenario"),
    b(&[C('r')], "r", "reset (same seed)", Action::Lab(L::Reset), "reset"),
    b(&[C('R')], "R", "reset with a new seed", Action::Lab(L::NewSeed), "reset"),
    b(&[C('C')], "C", "compare: a second run beside this one, one setting changed, in lockstep (C again: one run)", Action::Lab(L::Compare), "compare"),
    b(&[C('T')], "T", "trade-offs: the lesson's sweeps, curves from thousands of runs", Action::TradeOffs(T::Open), ""),
    b(&[C('g')], "g", "guided walkthrough of this scenario", Action::Lab(L::Walkthrough), "guide"),
    b(&[C('y')], "y", "why? the causal chain of the latest anomaly (lost write, stale read, …)", Action::Lab(L::Why), "why?"),
    b(&[C('(')], "(", "pick an older message: its times and fate", Action::Lab(L::PickOlderMessage), "pick"),
    b(&[C(')')], ")", "pick a newer message (past the newest: none)", Action::Lab(L::PickNewerMessage), "pick"),
    b(&[C('L')], "L", "legend: what each mark means (on / off)", Action::Lab(L::ToggleLegend), ""),
    b(&[C('H')], "H", "heartbeats on the space-time diagram (shown / hidden)", Action::Lab(L::ToggleHeartbeats), ""),
    b(&[C('o')], "o", "stamps on messages (diagram and log): sender's wall clock / Lamport / the write's timestamp / none", Action::Lab(L::CycleStamps), "stamps"),
    b(&[C('v')], "v", "next view: space-time, log, order trace (checkout)", Action::Lab(L::CyclePanel), "view"),
    b(&[C('S')], "S", "save the session to a replay file (the lab says its full path)", Action::Lab(L::Save), "save"),
];

/// During a guided walkthrough in the lab (checked before the lab's own keys).
#[rustfmt::skip]
pub const WALKTHROUGH: &[Binding] = &[
    b(&[Right, C(' ')], "→/Space", "walkthrough: run to the next step", Action::Lab(L::WalkNext), "next step"),
    b(&[Left], "←", "walkthrough: back a step (replayed from the seed)", Action::Lab(L::WalkBack), "back"),
    b(&[Esc], "Esc", "leave the walkthrough (the lab keeps running)", Action::Lab(L::WalkExit), "leave"),
];

/// While the why? panel is open in the lab (checked before the lab's own keys).
#[rustfmt::skip]
pub const WHY: &[Binding] = &[
    b(&[Down, C('j')], "↓/j", "why?: the next link of the chain, back towards its causes", Action::Lab(L::WhyNextLink), "cause"),
    b(&[Up, C('k')], "↑/k", "why?: the link before", Action::Lab(L::WhyPrevLink), ""),
    b(&[Left, C('h')], "←/h", "why?: the anomaly before this one", Action::Lab(L::WhyPrevAnomaly), "anomaly"),
    b(&[Right, C('l')], "→/l", "why?: the anomaly after this one", Action::Lab(L::WhyNextAnomaly), ""),
    b(&[Esc, C('y')], "Esc/y", "close why?", Action::Lab(L::WhyClose), "close"),
];

/// While the Trade-offs view is open in the lab (its keys, then only the global ones).
#[rustfmt::skip]
pub const TRADEOFFS: &[Binding] = &[
    b(&[Right, C('l')], "→/l", "trade-offs: the next sweep", Action::TradeOffs(T::NextSweep), "sweep"),
    b(&[Left, C('h')], "←/h", "trade-offs: the sweep before", Action::TradeOffs(T::PrevSweep), "sweep"),
    b(&[Down, C('j')], "↓/j", "trade-offs: draw the next outcome", Action::TradeOffs(T::NextOutcome), "outcome"),
    b(&[Up, C('k')], "↑/k", "trade-offs: draw the outcome before", Action::TradeOffs(T::PrevOutcome), "outcome"),
    b(&[C('n')], "n", "trade-offs: run the sweep again on the next seeds (after a cancel: the same seeds)", Action::TradeOffs(T::NewSeeds), "new seeds"),
    b(&[PageDown, C(' ')], "PgDn/Space", "trade-offs: scroll the numbers and claims down", Action::TradeOffs(T::ScrollDown), "more"),
    b(&[PageUp], "PgUp", "trade-offs: scroll the numbers and claims up", Action::TradeOffs(T::ScrollUp), ""),
    b(&[Esc, C('T')], "Esc/T", "trade-offs: cancel the trials while they run, otherwise close", Action::TradeOffs(T::Close), "cancel/close"),
];

/// Quiz screen. The letters a–f answer directly (handled in `map_key`).
#[rustfmt::skip]
pub const QUIZ: &[Binding] = &[
    b(&[], "a–f", "answer", Action::Quiz(Q::Answer(0)), "answer"),
    b(&[Down, C('j')], "↓/j", "highlight the next option", Action::Quiz(Q::SelectNext), ""),
    b(&[Up, C('k')], "↑/k", "highlight the previous option", Action::Quiz(Q::SelectPrev), ""),
    b(&[Right, C('l')], "→/l", "estimate: raise the guess one step (↑/↓: ten steps)", Action::Quiz(Q::Nudge(1)), "guess"),
    b(&[Left, C('h')], "←/h", "estimate: lower the guess one step", Action::Quiz(Q::Nudge(-1)), "guess"),
    b(&[KeyCode::Enter, C(' ')], "Enter", "answer / next", Action::Quiz(Q::Confirm), "next"),
    b(&[C('p')], "p", "run a predict / diagnose question's scenario in the lab", Action::RunQuestion, "run in lab"),
    b(&[C('o')], "o", "open its concept", Action::OpenChecked, "concept"),
    b(&[C('t')], "t", "classroom (--projector): 30 s countdown before the reveal", Action::Quiz(Q::Countdown), ""),
    b(&[C('m')], "m", "practice / exam (starts over)", Action::Quiz(Q::ToggleMode), "exam/practice"),
    b(&[C('r')], "r", "retry only the missed questions", Action::Quiz(Q::RetryMissed), "retry"),
    b(&[C('R')], "R", "start again", Action::Quiz(Q::Restart), "restart"),
    b(&[C('v')], "v", "review: lowest Leitner boxes first", Action::Quiz(Q::Review), "review"),
    b(&[PageUp], "PgUp", "scroll up", Action::Scroll(Scroll::PageUp), ""),
    b(&[PageDown], "PgDn", "scroll down", Action::Scroll(Scroll::PageDown), ""),
];

/// The course's start screen (`distlab --course DIR`).
#[rustfmt::skip]
pub const COURSE: &[Binding] = &[
    b(&[Down, C('j')], "↓/j", "course: the next lesson", Action::Course(CourseAction::Next), "lesson"),
    b(&[Up, C('k')], "↑/k", "course: the lesson before", Action::Course(CourseAction::Prev), "lesson"),
    b(&[KeyCode::Enter, C(' ')], "Enter", "course: open the lesson chosen", Action::Course(CourseAction::Open), "open"),
    b(&[C('q'), Esc], "q", "course: quit distlab", Action::Course(CourseAction::Quit), "quit"),
];

/// Every table with its title, in the order the help overlay lists them.
pub const SCREENS: &[(&str, &[Binding])] = &[
    ("Lesson", LESSON),
    ("Concepts", CONCEPTS),
    ("Concepts, choosing a scenario to try", CHOOSE),
    ("Lab", LAB),
    ("Lab, during a guided walkthrough", WALKTHROUGH),
    ("Lab, with why? open", WHY),
    ("Lab, in trade-offs", TRADEOFFS),
    ("Quiz", QUIZ),
    ("Course start screen (--course)", COURSE),
    ("Scrolling (Lesson, Concepts, this help)", SCROLLING),
    ("Everywhere", GLOBAL),
];
