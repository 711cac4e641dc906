//! On the cluster a message never looks like a link: in every theme (`mono` is what
//! NO_COLOR uses), with and without `--ascii`, at the smallest and a roomy size, the cells a
//! moving message takes differ from the link's cells in their character and in their style.
//!
//! Which cells are messages is found without knowing their glyphs: the same frame drawn with
//! reduced motion (no moving messages) differs from it exactly there.

mod tui_support;

use distlab::tui::theme::{self, Theme};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use tui_support::Harness;

fn cluster_box(buf: &Buffer) -> Rect {
    let w = buf.area.width;
    for y in 0..buf.area.height {
        let row: String = (0..w).map(|x| buf[(x, y)].symbol().to_owned()).collect();
        if let Some(i) = row.find("┌ Cluster") {
            let x = row[..i].chars().count() as u16;
            let right = (x + 1..w).find(|&r| buf[(r, y)].symbol() == "┐").unwrap();
            let bottom = (y + 1..buf.area.height)
                .find(|&b| buf[(x, b)].symbol() == "└")
                .unwrap();
            return Rect::new(x + 1, y + 1, right - x - 1, bottom - y - 1);
        }
    }
    panic!("no cluster on screen");
}

fn draw(h: &mut Harness, reduced: bool, ascii: bool) -> Buffer {
    h.app.display.reduced_motion = reduced;
    h.app.display.ascii = ascii;
    let app = &h.app;
    h.terminal
        .draw(|f| distlab::tui::ui::render(app, f))
        .unwrap();
    h.terminal.backend().buffer().clone()
}

#[test]
fn a_message_on_the_cluster_never_looks_like_a_link_in_any_theme() {
    let mut checked = 0;
    for name in theme::names() {
        for (w, ht) in [(80, 24), (120, 40)] {
            for ascii in [false, true] {
                for (scenario, t_us) in [
                    ("async-drop", 2_030_000),
                    ("failure-detector", 3_010_000),
                    ("sharding", 5_000_000),
                ] {
                    let mut h = Harness::with_theme(w, ht, name);
                    h.lab_on(scenario).run_to(t_us);
                    let area = cluster_box(&draw(&mut h, false, false));
                    let still = draw(&mut h, true, ascii);
                    let moving = draw(&mut h, false, ascii);
                    let (mut messages, mut links) = (Vec::new(), Vec::new());
                    for y in area.y..area.bottom() {
                        for x in area.x..area.right() {
                            let (m, s) = (&moving[(x, y)], &still[(x, y)]);
                            let cell = (m.symbol().to_owned(), m.style());
                            let link = if ascii { "." } else { "·" };
                            // Under a message: a link or nothing (not reduced motion's
                            // arrival mark, which the still frame adds).
                            let under = s.symbol() == " " || s.symbol() == link;
                            if m.symbol() != s.symbol() && m.symbol() != " " && under {
                                messages.push(cell);
                            } else if m.symbol() == link {
                                links.push(cell);
                            }
                        }
                    }
                    let at = format!("{name} {w}×{ht} ascii={ascii} {scenario}");
                    assert!(!links.is_empty(), "{at}: no link drawn");
                    let link_styles: Vec<Style> = links.iter().map(|l| l.1).collect();
                    for (symbol, style) in &messages {
                        assert!(
                            links.iter().all(|l| &l.0 != symbol),
                            "{at}: a message is drawn as `{symbol}`, like a link"
                        );
                        assert!(
                            !link_styles.contains(style),
                            "{at}: a message `{symbol}` has the links' style {style:?}"
                        );
                    }
                    checked += messages.len();
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} message cells were seen");
}

#[test]
fn no_color_uses_a_theme_whose_marks_differ_without_colour() {
    // NO_COLOR picks `mono`: its link, message and heartbeat styles differ by emphasis.
    let t = Theme::builtin("mono").unwrap();
    assert!(t.is_colourless());
    let (link, message, heartbeat) = (t.border, t.accent, t.dim);
    assert_ne!(link, message);
    assert_ne!(link, heartbeat);
    assert_ne!(message, heartbeat);
}
