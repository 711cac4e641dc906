//! Property tests of the one path untrusted text takes to the screen: whatever a file or a
//! flag holds, the sanitized text has no control, bidi or invisible character, and when
//! ratatui lays it out (and the TUI splits clusters, as every frame does) every row is
//! exactly as wide as a code-point-counting terminal (the `wcwidth` model) will draw it,
//! and every cell holds the code point of one column, so nothing shifts and no stale
//! piece of an earlier frame stays on screen.

use distlab::sanitize::{is_bidi_control, is_default_ignorable, quote, sanitize, terminal_width};
use distlab::tui::Options;
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::text::{Line, Text};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

/// Characters chosen to break things, mixed with any character at all.
fn nasty_char() -> impl Strategy<Value = char> {
    let picked = prop::sample::select(vec![
        '\u{1b}',
        '[',
        ']',
        '\\',
        ';',
        '2',
        'J',
        'm',
        '\u{7}',
        '\u{9b}',
        '\u{9c}',
        '\u{9d}',
        '\u{90}',
        '\u{85}',
        '\r',
        '\n',
        '\t',
        '\u{0}',
        '\u{7f}',
        '\u{ad}',
        '\u{3164}',
        '\u{200b}',
        '\u{200d}',
        '\u{2060}',
        '\u{feff}',
        '\u{fe0f}',
        '\u{202e}',
        '\u{2067}',
        '\u{301}',
        '\u{1f44d}',
        '\u{1f3fd}',
        '\u{1f1fa}',
        '\u{1f1f8}',
        '\u{1f468}',
        '\u{2764}',
        '日',
        'ｶ',
        '\u{ff9e}',
        'é',
        'a',
        ' ',
        '→',
        '✓',
        '\u{e0041}',
        '\u{115f}',
        '\u{ffa0}',
    ]);
    prop_oneof![3 => picked, 1 => any::<char>()]
}

fn nasty_string() -> impl Strategy<Value = String> {
    prop::collection::vec(nasty_char(), 0..80).prop_map(|cs| cs.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn sanitized_text_has_nothing_that_drives_or_confuses_a_terminal(s in nasty_string()) {
        let clean = sanitize(&s);
        for c in clean.chars() {
            prop_assert!(c == '\n' || !c.is_control(), "control {c:?} in {clean:?}");
            prop_assert!(!is_bidi_control(c), "bidi {c:?} in {clean:?}");
            prop_assert!(!is_default_ignorable(c), "invisible {c:?} in {clean:?}");
        }
        // Sanitizing is idempotent: what was safe stays as it is.
        prop_assert_eq!(sanitize(&clean), clean.clone());
        let q = quote(&s);
        prop_assert!(!q.contains('\n') && !q.contains('\u{1b}'), "quote kept a break or an escape: {q:?}");
        prop_assert!(q.chars().count() <= distlab::sanitize::QUOTE_MAX_CHARS);
    }

    #[test]
    fn every_rendered_row_is_as_wide_as_the_terminal_draws_it(
        s in nasty_string(),
        width in 4u16..50,
    ) {
        let clean = sanitize(&s);
        // Wrapped the way the lesson is (ratatui's own `Wrap` can put a wide character in
        // the last column of an over-long word whatever the text is, so prose is wrapped
        // before it reaches ratatui).
        let lines: Vec<Line> = clean
            .split('\n')
            .flat_map(|para| distlab::plain::wrap_lines(para, usize::from(width), "", ""))
            .map(Line::from)
            .collect();
        let mut terminal = Terminal::new(TestBackend::new(width, 40)).unwrap();
        terminal
            .draw(|f| {
                f.render_widget(Paragraph::new(Text::from(lines)), f.area());
                distlab::tui::cells::split_clusters(f.buffer_mut());
            })
            .unwrap();
        let buffer = terminal.backend().buffer();
        for y in 0..buffer.area.height {
            let mut x = 0;
            while x < width {
                let symbol = buffer[(x, y)].symbol();
                let drawn = terminal_width(symbol);
                prop_assert!(drawn >= 1, "row {y} col {x}: {symbol:?} takes no column: {clean:?}");
                let spacing = symbol.chars().filter(|c| terminal_width(&c.to_string()) > 0).count();
                prop_assert!(
                    spacing == 1,
                    "row {y} col {x}: {symbol:?} puts {spacing} columns' code points in one cell: {clean:?}"
                );
                prop_assert_eq!(
                    drawn,
                    symbol.width(),
                    "row {} col {}: {:?} is laid out and drawn at different widths: {:?}",
                    y, x, symbol, clean
                );
                x += drawn as u16;
            }
            prop_assert_eq!(x, width, "row {} overflows: {:?}", y, clean);
        }
    }
}

/// A soft hyphen, a Hangul filler and a zero-width joiner in the lesson's title once
/// overwrote the tab bar and lost a border corner; now the screen keeps its frame.
#[test]
fn invisible_characters_in_a_title_do_not_garble_the_screen() {
    use distlab::tui::{app::App, theme::Theme, ui};
    use ratatui::layout::Rect;
    let source = include_str!("../lessons/day001.toml").replacen(
        "title = \"Day 001: Distributed Systems Foundations\"",
        "title = \"Da\\u00ADy\\u3164 001\\u200D: Dis\\u200Btributed\\uFE0F Systems Foundations\"",
        1,
    );
    let lesson = distlab::lesson::parse("hostile.toml", source.as_bytes()).unwrap();
    assert_eq!(lesson.title, "Day 001: Distributed Systems Foundations");
    for (width, height) in [(80u16, 24u16), (120, 40), (200, 60)] {
        let area = Rect::new(0, 0, width, height);
        let app = App::new(
            lesson.clone(),
            Options::new(Theme::builtin("dark").unwrap()),
            area,
        );
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal.draw(|f| ui::render(&app, f)).unwrap();
        let buffer = terminal.backend().buffer();
        let row = |y: u16| -> String { (0..width).map(|x| buffer[(x, y)].symbol()).collect() };
        assert!(
            row(0)
                .trim_start()
                .starts_with("Day 001 │ 1 Lesson  2 Concepts"),
            "{width}×{height}: the tab bar: {}",
            row(0)
        );
        let panel = row(1);
        assert!(
            panel.starts_with('┌') && panel.contains('┐'),
            "{width}×{height}: both corners of the panel border: {panel}"
        );
        for y in 0..height {
            let drawn: usize = row(y)
                .chars()
                .map(|c| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0))
                .sum();
            assert!(
                drawn <= usize::from(width),
                "{width}×{height}: row {y} is wider than the screen: {}",
                row(y)
            );
        }
    }
}
