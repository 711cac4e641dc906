//! Keys and mouse → [`Action`]. One table per screen is the single source for the keymap,
//! the footer and the help overlay, so what the screen says is what the keys do.

use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::action::{Action, LabAction as L, QuizAction as Q, Scroll, Tab};

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
pub const GLOBAL: &[Binding] = &[
    b(
        &[C('1'), C('2'), C('3'), C('4')],
        "1-4",
        "go to a tab",
        Action::GoTab(Tab::Lesson),
        "",
    ),
    b(&[KeyCode::Tab], "Tab", "next tab", Action::NextTab, ""),
    b(&[BackTab], "S-Tab", "previous tab", Action::PrevTab, ""),
    b(&[C('?')], "?", "help", Action::ToggleHelp, "help"),
    b(
        &[Esc],
        "Esc",
        "close help / overlay",
        Action::CloseOverlay,
        "",
    ),
    b(
        &[C('q')],
        "q",
        "quit (Ctrl-C always quits)",
        Action::Quit,
        "quit",
    ),
];

/// Scrolling, on every screen that scrolls.
pub const SCROLLING: &[Binding] = &[
    b(
        &[Up, C('k')],
        "↑/k",
        "scroll up",
        Action::Scroll(Scroll::Up),
        "",
    ),
    b(
        &[Down, C('j')],
        "↓/j",
        "scroll down",
        Action::Scroll(Scroll::Down),
        "scroll",
    ),
    b(
        &[PageUp, C('b')],
        "PgUp/b",
        "page up",
        Action::Scroll(Scroll::PageUp),
        "",
    ),
    b(
        &[PageDown, C(' ')],
        "PgDn/Space",
        "page down",
        Action::Scroll(Scroll::PageDown),
        "page",
    ),
    b(
        &[Home, C('g')],
        "g/Home",
        "top",
        Action::Scroll(Scroll::Top),
        "",
    ),
    b(
        &[End, C('G')],
        "G/End",
        "bottom",
        Action::Scroll(Scroll::Bottom),
        "",
    ),
];

/// Lesson screen.
pub const LESSON: &[Binding] = &[
    b(
        &[C(']'), C('n')],
        "]/n",
        "next section",
        Action::Scroll(Scroll::NextSection),
        "next section",
    ),
    b(
        &[C('['), C('p')],
        "[/p",
        "previous section",
        Action::Scroll(Scroll::PrevSection),
        "",
    ),
];

/// Concepts screen.
pub const CONCEPTS: &[Binding] = &[
    b(
        &[Right, C('l')],
        "→/l",
        "next concept",
        Action::NextConcept,
        "concept",
    ),
    b(
        &[Left, C('h')],
        "←/h",
        "previous concept",
        Action::PrevConcept,
        "concept",
    ),
    b(&[C('t')], "t", "try it in the lab", Action::TryIt, "try it"),
];

/// Lab screen.
pub const LAB: &[Binding] = &[
    b(
        &[C(' ')],
        "Space",
        "run / pause",
        Action::Lab(L::RunPause),
        "run/pause",
    ),
    b(
        &[C('s'), C('.')],
        "s",
        "step one event",
        Action::Lab(L::Step),
        "step",
    ),
    b(
        &[C('+'), C('=')],
        "+",
        "faster",
        Action::Lab(L::Faster),
        "speed",
    ),
    b(&[C('-')], "-", "slower", Action::Lab(L::Slower), "speed"),
    b(
        &[C('w')],
        "w",
        "client write",
        Action::Lab(L::ClientWrite),
        "write",
    ),
    b(
        &[Right, C('l'), Down, C('j')],
        "→/l",
        "select next node",
        Action::Lab(L::SelectNext),
        "node",
    ),
    b(
        &[Left, C('h'), Up, C('k')],
        "←/h",
        "select previous node",
        Action::Lab(L::SelectPrev),
        "node",
    ),
    b(
        &[C('c')],
        "c",
        "crash / restart the selected node",
        Action::Lab(L::CrashRestart),
        "crash",
    ),
    b(
        &[C('z')],
        "z",
        "pause the selected node (a long GC pause)",
        Action::Lab(L::PauseNode),
        "pause node",
    ),
    b(
        &[C('x')],
        "x",
        "partition the selected node (both ways)",
        Action::Lab(L::Partition),
        "cut",
    ),
    b(
        &[C('X')],
        "X",
        "one-way partition: the selected node cannot send",
        Action::Lab(L::PartitionOneWay),
        "cut",
    ),
    b(
        &[C('a')],
        "a",
        "heal all partitions",
        Action::Lab(L::Heal),
        "heal",
    ),
    b(
        &[C('[')],
        "[",
        "skew the selected clock back",
        Action::Lab(L::SkewBack),
        "skew",
    ),
    b(
        &[C(']')],
        "]",
        "skew the selected clock forward",
        Action::Lab(L::SkewForward),
        "skew",
    ),
    b(
        &[C('d')],
        "d",
        "cycle the drop rate",
        Action::Lab(L::CycleDrop),
        "drop",
    ),
    b(
        &[C('D')],
        "D",
        "drop the next message",
        Action::Lab(L::DropNext),
        "drop",
    ),
    b(
        &[C('m')],
        "m",
        "cycle replication mode",
        Action::Lab(L::CycleMode),
        "mode",
    ),
    b(
        &[C('t')],
        "t",
        "timestamps: wall / Lamport",
        Action::Lab(L::ToggleTimestamps),
        "timestamps",
    ),
    b(
        &[C('<')],
        "<",
        "previous scenario",
        Action::Lab(L::PrevScenario),
        "scenario",
    ),
    b(
        &[C('>')],
        ">",
        "next scenario",
        Action::Lab(L::NextScenario),
        "scenario",
    ),
    b(
        &[C('r')],
        "r",
        "reset (same seed)",
        Action::Lab(L::Reset),
        "reset",
    ),
    b(
        &[C('R')],
        "R",
        "reset with a new seed",
        Action::Lab(L::NewSeed),
        "reset",
    ),
    b(
        &[C('g')],
        "g",
        "guided walkthrough of this scenario",
        Action::Lab(L::Walkthrough),
        "walkthrough",
    ),
    b(
        &[C('v')],
        "v",
        "next view: space-time / log / order trace",
        Action::Lab(L::CyclePanel),
        "view",
    ),
    b(
        &[C('S')],
        "S",
        "save the session to a replay file",
        Action::Lab(L::Save),
        "save",
    ),
];

/// During a guided walkthrough in the lab (checked before the lab's own keys).
pub const WALKTHROUGH: &[Binding] = &[
    b(
        &[Right, C(' ')],
        "→/Space",
        "walkthrough: run to the next step",
        Action::Lab(L::WalkNext),
        "next step",
    ),
    b(
        &[Left],
        "←",
        "walkthrough: back a step (replayed from the seed)",
        Action::Lab(L::WalkBack),
        "back",
    ),
    b(
        &[Esc],
        "Esc",
        "leave the walkthrough (the lab keeps running)",
        Action::Lab(L::WalkExit),
        "leave",
    ),
];

/// Quiz screen. The letters a–f answer directly (handled in [`map_key`]).
pub const QUIZ: &[Binding] = &[
    b(&[], "a–f", "answer", Action::Quiz(Q::Answer(0)), "answer"),
    b(
        &[Down, C('j')],
        "↓/j",
        "highlight the next option",
        Action::Quiz(Q::SelectNext),
        "",
    ),
    b(
        &[Up, C('k')],
        "↑/k",
        "highlight the previous option",
        Action::Quiz(Q::SelectPrev),
        "",
    ),
    b(
        &[KeyCode::Enter, C(' ')],
        "Enter",
        "answer / next",
        Action::Quiz(Q::Confirm),
        "next",
    ),
    b(
        &[C('p')],
        "p",
        "run a predict / diagnose question's scenario in the lab",
        Action::RunQuestion,
        "run in lab",
    ),
    b(
        &[C('o')],
        "o",
        "open its concept",
        Action::OpenChecked,
        "concept",
    ),
    b(
        &[C('t')],
        "t",
        "classroom (--projector): 30 s countdown before the reveal",
        Action::Quiz(Q::Countdown),
        "",
    ),
    b(
        &[C('m')],
        "m",
        "practice / exam (starts over)",
        Action::Quiz(Q::ToggleMode),
        "exam/practice",
    ),
    b(
        &[C('r')],
        "r",
        "retry only the missed questions",
        Action::Quiz(Q::RetryMissed),
        "retry",
    ),
    b(
        &[C('R')],
        "R",
        "start again",
        Action::Quiz(Q::Restart),
        "restart",
    ),
    b(
        &[C('v')],
        "v",
        "review: lowest Leitner boxes first",
        Action::Quiz(Q::Review),
        "review",
    ),
    b(
        &[PageUp],
        "PgUp",
        "scroll up",
        Action::Scroll(Scroll::PageUp),
        "",
    ),
    b(
        &[PageDown],
        "PgDn",
        "scroll down",
        Action::Scroll(Scroll::PageDown),
        "",
    ),
];

/// The bindings of a screen, screen-specific first.
pub fn screen_bindings(tab: Tab) -> Vec<&'static Binding> {
    let specific: &[&[Binding]] = match tab {
        Tab::Lesson => &[LESSON, SCROLLING],
        Tab::Concepts => &[CONCEPTS, SCROLLING],
        Tab::Lab => &[LAB],
        Tab::Quiz => &[QUIZ],
    };
    specific
        .iter()
        .flat_map(|t| t.iter())
        .chain(GLOBAL)
        .collect()
}

/// What decides what a key means: the screen, and whether an overlay or a walkthrough is up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Context {
    pub tab: Tab,
    pub help: bool,
    /// A guided walkthrough is running in the lab.
    pub walkthrough: bool,
}

impl Context {
    /// Plain context on `tab`.
    pub fn on(tab: Tab) -> Context {
        Context {
            tab,
            ..Context::default()
        }
    }
}

/// The action for a terminal event, if any. While the help overlay is open only scrolling,
/// closing and quitting do anything; during a walkthrough its keys come first in the lab.
pub fn map_event(event: &Event, ctx: Context) -> Option<Action> {
    match event {
        Event::Key(key) if ctx.help => match map_key(key, Tab::Lesson, false)? {
            a @ (Action::Scroll(_) | Action::Quit | Action::ToggleHelp | Action::CloseOverlay) => {
                Some(a)
            }
            _ => None,
        },
        Event::Key(key) => map_key(key, ctx.tab, ctx.walkthrough && ctx.tab == Tab::Lab),
        Event::Mouse(mouse) => map_mouse(mouse),
        Event::Resize(width, height) => Some(Action::Resize {
            width: *width,
            height: *height,
        }),
        _ => None,
    }
}

fn map_key(key: &KeyEvent, tab: Tab, walkthrough: bool) -> Option<Action> {
    if key.kind != KeyEventKind::Press {
        return None;
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return match key.code {
            C('c') | C('q') => Some(Action::Quit),
            _ => None,
        };
    }
    if let C(d @ '1'..='4') = key.code {
        return Some(Action::GoTab(Tab::ALL[(d as usize) - ('1' as usize)]));
    }
    if let (Tab::Quiz, C(c @ 'a'..='f')) = (tab, key.code) {
        return Some(Action::Quiz(Q::Answer((c as usize) - ('a' as usize))));
    }
    let walk = if walkthrough { WALKTHROUGH } else { &[] };
    walk.iter()
        .chain(screen_bindings(tab))
        .find(|binding| binding.keys.contains(&key.code))
        .map(|binding| binding.action)
}

fn map_mouse(mouse: &MouseEvent) -> Option<Action> {
    let (column, row) = (mouse.column, mouse.row);
    match mouse.kind {
        MouseEventKind::Down(MouseButton::Left) => Some(Action::Click { column, row }),
        MouseEventKind::ScrollUp => Some(Action::Wheel {
            column,
            row,
            lines: -3,
        }),
        MouseEventKind::ScrollDown => Some(Action::Wheel {
            column,
            row,
            lines: 3,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> Event {
        Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn digits_switch_tabs_everywhere_and_ctrl_c_quits() {
        assert_eq!(
            map_event(&press(C('3')), Context::on(Tab::Lesson)),
            Some(Action::GoTab(Tab::Lab))
        );
        assert_eq!(
            map_event(&press(C('1')), Context::on(Tab::Lab)),
            Some(Action::GoTab(Tab::Lesson))
        );
        let ctrl_c = Event::Key(KeyEvent::new(C('c'), KeyModifiers::CONTROL));
        assert_eq!(
            map_event(&ctrl_c, Context::on(Tab::Lab)),
            Some(Action::Quit)
        );
    }

    #[test]
    fn same_key_means_what_the_screen_says() {
        assert_eq!(
            map_event(&press(C(' ')), Context::on(Tab::Lesson)),
            Some(Action::Scroll(Scroll::PageDown))
        );
        assert_eq!(
            map_event(&press(C(' ')), Context::on(Tab::Lab)),
            Some(Action::Lab(L::RunPause))
        );
        assert_eq!(
            map_event(&press(C('t')), Context::on(Tab::Concepts)),
            Some(Action::TryIt)
        );
    }

    #[test]
    fn help_overlay_takes_scroll_keys_and_swallows_the_rest() {
        assert_eq!(
            map_event(
                &press(Down),
                Context {
                    help: true,
                    ..Context::on(Tab::Lab)
                }
            ),
            Some(Action::Scroll(Scroll::Down))
        );
        assert_eq!(
            map_event(
                &press(C('c')),
                Context {
                    help: true,
                    ..Context::on(Tab::Lab)
                }
            ),
            None
        );
        assert_eq!(
            map_event(
                &press(Esc),
                Context {
                    help: true,
                    ..Context::on(Tab::Lab)
                }
            ),
            Some(Action::CloseOverlay)
        );
    }

    #[test]
    fn releases_are_ignored() {
        let mut release = KeyEvent::new(C('q'), KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        assert_eq!(
            map_event(&Event::Key(release), Context::on(Tab::Lesson)),
            None
        );
    }

    #[test]
    fn no_key_is_bound_twice_on_one_screen() {
        for tab in Tab::ALL {
            let mut seen = Vec::new();
            for binding in screen_bindings(tab) {
                for key in binding.keys {
                    assert!(!seen.contains(key), "{key:?} bound twice on {tab:?}");
                    seen.push(*key);
                }
            }
        }
    }
}
