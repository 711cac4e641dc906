//! The why? panel: the anomaly shown, its causal chain (the effect first, the link selected
//! marked), and what a single change would have done.

use ratatui::text::{Line, Span};

use crate::sim::time::secs;
use crate::tui::lab::WhyView;
use crate::tui::theme::Theme;

/// The panel's title: `Why? x=37 lost · 3 of 8`.
pub fn title(w: &WhyView) -> String {
    format!(
        "Why? {} · anomaly {} of {} · ↑↓ link ←→ anomaly Esc close",
        w.shown().title,
        w.at + 1,
        w.count()
    )
}

/// The panel's lines at `width` columns, scrolled so the selected link is in `rows`.
pub fn lines(w: &WhyView, t: &Theme, width: usize, rows: usize) -> Vec<Line<'static>> {
    let x = w.shown();
    let mut out: Vec<Line<'static>> = Vec::new();
    let mut selected_at = 0;
    for (i, l) in x.links.iter().enumerate() {
        let chosen = i == w.link.min(x.links.len().saturating_sub(1));
        if chosen {
            selected_at = out.len();
        }
        let time = format!("{:>8}", secs(l.t_us as i64));
        let lead = if i == 0 { "   " } else { " ← " };
        let first = format!("{}{time}{lead}", if chosen { "▸" } else { " " });
        let rest = " ".repeat(first.chars().count());
        let style = match (chosen, i) {
            (true, _) => t.selected,
            (false, 0) => t.wrong,
            _ => t.label,
        };
        out.extend(hanging(&first, &rest, &l.text, width, t.dim, style));
    }
    if let Some(c) = w.counterfactual() {
        let lead = "  instead: ";
        out.extend(hanging(
            lead,
            &" ".repeat(lead.len()),
            &c.text,
            width,
            t.dim,
            t.right,
        ));
    }
    // The selected link's event, as the log tells it.
    let event = format!(
        "{} (#{} of the trace)",
        w.selected_event(),
        w.selected().event
    );
    let lead = "  event: ";
    out.extend(hanging(
        lead,
        &" ".repeat(lead.len()),
        &event,
        width,
        t.dim,
        t.accent,
    ));
    // Keep the selected link in view; at the last link, show the end (what would have
    // avoided it).
    if out.len() > rows {
        let last = w.link + 1 >= x.links.len();
        let skip = if last {
            out.len() - rows
        } else {
            (selected_at + 1).saturating_sub(rows).min(out.len() - rows)
        };
        out.drain(..skip);
    }
    out
}

/// `text` wrapped to `width` after `first` (and `rest` on the rows after), the lead in
/// `lead_style` and the text in `style`.
fn hanging(
    first: &str,
    rest: &str,
    text: &str,
    width: usize,
    lead_style: ratatui::style::Style,
    style: ratatui::style::Style,
) -> Vec<Line<'static>> {
    let room = width.saturating_sub(first.chars().count()).max(8);
    crate::plain::wrap_lines(text, room, "", "")
        .into_iter()
        .enumerate()
        .map(|(j, row)| {
            let head = if j == 0 { first } else { rest };
            Line::from(vec![
                Span::styled(head.to_string(), lead_style),
                Span::styled(row, style),
            ])
        })
        .collect()
}
