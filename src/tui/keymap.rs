//! Keys and mouse → [`Action`]. One table per screen is the single source for the keymap,
//! the footer and the help overlay, so what the screen says is what the keys do.

use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::action::{Action, QuizAction as Q, Tab};

mod bindings;

pub use bindings::*;

use KeyCode::Char as C;

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
    /// The why? panel is open in the lab.
    pub why: bool,
    /// The Trade-offs view is open in the lab: its keys and the global ones only.
    pub tradeoffs: bool,
    /// The "try which scenario?" list is open on the Concepts screen.
    pub choosing: bool,
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
        Event::Key(key) if ctx.help => match map_key(key, Tab::Lesson, false, false)? {
            a @ (Action::Scroll(_)
            | Action::Quit
            | Action::QuitAll
            | Action::ToggleHelp
            | Action::CloseOverlay) => Some(a),
            _ => None,
        },
        Event::Key(key) if ctx.tab == Tab::Lab && ctx.tradeoffs => modal(key, TRADEOFFS),
        Event::Key(key) if ctx.tab == Tab::Concepts && ctx.choosing => modal(key, CHOOSE),
        Event::Key(key) => map_key(
            key,
            ctx.tab,
            ctx.tab == Tab::Lab && ctx.walkthrough,
            ctx.tab == Tab::Lab && ctx.why,
        ),
        Event::Mouse(mouse) => map_mouse(mouse),
        Event::Resize(width, height) => Some(Action::Resize {
            width: *width,
            height: *height,
        }),
        _ => None,
    }
}

/// A key while a view that takes the keys over is open (trade-offs, the scenario list):
/// its own keys, then only leaving the screen, help and quitting; the rest waits.
fn modal(key: &KeyEvent, own: &[Binding]) -> Option<Action> {
    if key.kind != KeyEventKind::Press {
        return None;
    }
    own.iter()
        .find(|b| b.keys.contains(&key.code))
        .map(|b| b.action)
        .or_else(|| match map_key(key, Tab::Lesson, false, false) {
            a @ Some(Action::Quit | Action::QuitAll | Action::GoTab(_) | Action::ToggleHelp) => a,
            _ => None,
        })
}

fn map_key(key: &KeyEvent, tab: Tab, walkthrough: bool, why: bool) -> Option<Action> {
    if key.kind != KeyEventKind::Press {
        return None;
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return match key.code {
            C('c') | C('q') => Some(Action::QuitAll),
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
    let why = if why { WHY } else { &[] };
    why.iter()
        .chain(walk)
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
    use crate::tui::action::{LabAction as L, Scroll};
    use KeyCode::{Down, Esc};

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
            Some(Action::QuitAll)
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
    fn quiz_keys_never_shadow_the_answer_letters() {
        for b in QUIZ {
            for key in b.keys {
                assert!(
                    !matches!(key, C('a'..='f')),
                    "{key:?} is an answer letter on the Quiz tab"
                );
            }
        }
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
