//! README.md stays true to the app: its two commands, every key the app binds, and its
//! captured screens (rendered here from the app).

mod tui_support;

use distlab::tui::Options;
use distlab::tui::keymap;

const README: &str = include_str!("../README.md");

#[test]
fn readme_names_the_run_and_test_commands() {
    assert!(README.contains("cargo run --release"));
    assert!(README.contains("cargo test"));
}

/// Every binding of every table, listed here by hand so that a table missing from the
/// help overlay's list (`keymap::SCREENS`) is caught.
fn every_binding() -> impl Iterator<Item = &'static keymap::Binding> {
    [
        keymap::GLOBAL,
        keymap::SCROLLING,
        keymap::LESSON,
        keymap::CONCEPTS,
        keymap::CHOOSE,
        keymap::COURSE,
        keymap::LAB,
        keymap::WALKTHROUGH,
        keymap::TRADEOFFS,
        keymap::QUIZ,
    ]
    .into_iter()
    .flatten()
}

#[test]
fn readme_lists_every_key() {
    for binding in every_binding() {
        let row = format!(
            "| `{}` | {} |",
            binding.label.replace('|', "\\|"),
            binding.help
        );
        assert!(README.contains(&row), "README lacks the key row {row}");
    }
}

#[test]
fn the_help_overlay_lists_every_key_too() {
    use distlab::lesson;
    use distlab::tui::app::App;
    use distlab::tui::theme::Theme;
    use distlab::tui::ui::help_lines;
    let app = App::new(
        lesson::builtin().unwrap(),
        Options::new(Theme::builtin("dark").unwrap()),
        ratatui::layout::Rect::new(0, 0, 80, 24),
    );
    let text: Vec<String> = help_lines(&app).iter().map(|l| l.to_string()).collect();
    let hidden = text
        .iter()
        .find(|l| l.starts_with("Left out: "))
        .cloned()
        .unwrap_or_default();
    for b in every_binding() {
        if app.offers(b) {
            assert!(
                text.iter()
                    .any(|l| l.contains(b.label) && l.contains(b.help)),
                "help lacks {} {}",
                b.label,
                b.help
            );
        } else {
            // A lab key of other scenarios is named, so nobody wonders where it went.
            assert!(
                hidden.contains(b.label),
                "help does not name {}: {hidden}",
                b.label
            );
        }
    }
    assert!(
        !hidden.is_empty(),
        "the first scenario has no fsync, so A is left out"
    );
}

/// The README's captured screens, rendered from the app: the sentence that introduces
/// each, and the keys that reach it.
fn captures() -> Vec<(&'static str, String)> {
    use ratatui::crossterm::event::KeyCode;
    let mut lesson = tui_support::Harness::new(100, 30);
    lesson.keys("]");
    let mut lab = tui_support::Harness::new(100, 30);
    lab.lab_on("async-drop").reset(3);
    // g heads for step 1; → arrives there, → heads for step 2, → arrives.
    lab.keys("g");
    for _ in 0..3 {
        lab.key(KeyCode::Right);
    }
    let mut compare = tui_support::Harness::new(100, 30);
    compare.lab_on("async-drop");
    compare.keys("C");
    let end = compare.app.lab.as_ref().unwrap().end_us();
    compare.app.lab.as_mut().unwrap().run_to(end);
    // What the README says of this run.
    let a = &compare.app.lab.as_ref().unwrap().sim;
    let b = &compare
        .app
        .lab
        .as_ref()
        .unwrap()
        .compare
        .as_ref()
        .unwrap()
        .twin
        .sim;
    let (ma, mb) = (a.metrics(), b.metrics());
    assert!(ma.writes_acked > mb.writes_acked && ma.acked_writes_lost > 0);
    assert_eq!(mb.acked_writes_lost, 0);
    assert!(ma.ack_latency.quantile_us(0.5) < mb.ack_latency.quantile_us(0.5));
    // ... and of where the two runs part: A acknowledges the first write, B does nothing yet.
    let c = compare.app.lab.as_ref().unwrap().compare.as_ref().unwrap();
    let parted = c.parted.as_ref().unwrap();
    assert!(parted.a.as_ref().unwrap().contains("write-ok") && parted.b.is_none());
    vec![
        ("The Lesson tab at 100×30", lesson.screen()),
        ("The Lab tab at 100×30", lab.screen()),
        ("Compare at 100×30", compare.screen()),
    ]
}

/// The text of the first ```text block after `intro`, and where it starts and ends.
fn block_after(readme: &str, intro: &str) -> (usize, usize) {
    let at = readme
        .find(intro)
        .unwrap_or_else(|| panic!("README lacks `{intro}`"));
    let start = at
        + readme[at..]
            .find("```text\n")
            .expect("a text block follows")
        + 8;
    let end = start + readme[start..].find("```").expect("the block is closed");
    (start, end)
}

#[test]
fn the_readme_screens_are_what_the_app_draws() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let mut readme = std::fs::read_to_string(path).unwrap();
    let update = std::env::var_os("UPDATE_README").is_some();
    for (intro, screen) in captures() {
        let (start, end) = block_after(&readme, intro);
        if update {
            readme.replace_range(start..end, &screen);
            std::fs::write(path, &readme).unwrap();
        } else {
            assert_eq!(
                readme[start..end],
                screen,
                "README's screen after `{intro}` is not what the app draws; \
                 `UPDATE_README=1 cargo test --test readme` writes the app's"
            );
        }
    }
}

#[test]
fn readme_lists_every_presenter_key() {
    for key in distlab::tui::presenter::KEYS {
        let row = format!("| `{}` | {} |", key.label.replace('|', "\\|"), key.help);
        assert!(
            README.contains(&row),
            "README lacks the presenter key row {row}"
        );
    }
    assert!(README.contains("`distlab present [--socket PATH]`"));
}
