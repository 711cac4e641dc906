//! README.md stays true to the app: its two commands, and every key the app binds.

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
        keymap::LAB,
        keymap::WALKTHROUGH,
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
        .find(|l| l.starts_with("Not in this scenario"))
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
