//! Drawing the whole screen from `&App`: tab bar, the current screen, the side lab on wide
//! terminals, the footer, and the help overlay. No IO, no state changes.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::action::Tab;
use super::app::App;
use super::help::{self, Entry};
use super::keymap::{self, Binding};
use super::layout::{self, MIN_HEIGHT, MIN_WIDTH};
use super::{concepts_view, lab_view, lesson_view, quiz_view};

/// Draws the app.
pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    frame.render_widget(Block::new().style(app.theme.base), area);
    if !layout::fits(area) {
        too_small(&app.theme, frame, area);
        return;
    }
    let areas = app.areas();
    tab_bar(app, frame, areas.tabs);
    match app.tab {
        Tab::Lesson => lesson_view::render(app, frame, areas.body),
        Tab::Concepts => concepts_view::render(app, frame, areas.body),
        Tab::Lab => lab_view::render(app, frame, areas.body),
        Tab::Quiz => quiz_view::render(app, frame, areas.body),
    }
    if let Some(side) = areas.side {
        lab_view::render_side(app, frame, side);
    }
    footer(app, frame, areas.footer);
    if app.help.open {
        help_overlay(app, frame, area);
    }
    super::cells::split_clusters(frame.buffer_mut());
    if app.display.ascii {
        super::glyphs::to_ascii(frame.buffer_mut());
    }
}

/// The tab bar's pieces, styled.
fn tab_spans(app: &App) -> Vec<Span<'static>> {
    let t = &app.theme;
    let bar = layout::tab_bar(app.lesson.short_title());
    let mut spans = vec![
        Span::styled(bar.title, t.title),
        Span::styled(layout::TAB_SEPARATOR, t.border),
    ];
    for (label, _, tab) in bar.tabs {
        let style = if tab == app.tab { t.tab_active } else { t.dim };
        spans.push(Span::styled(label, style));
    }
    spans
}

fn tab_bar(app: &App, frame: &mut Frame, area: Rect) {
    let spans = tab_spans(app);
    let used: u16 = spans.iter().map(|s| s.content.width() as u16).sum();
    frame.render_widget(Line::from(spans), area);
    let title = app
        .lesson
        .title
        .split_once(':')
        .map_or("", |(_, rest)| rest.trim());
    let right = Line::styled(format!("{title} "), app.theme.dim).alignment(Alignment::Right);
    if area.width > used + title.width() as u16 + 2 {
        frame.render_widget(right, area);
    }
}

/// The footer's key hints for the current screen: neighbours with the same word share it
/// (`+/- speed`), packed into `rows` lines of `width` columns.
pub fn footer_hints(app: &App, width: u16, rows: usize) -> Vec<Vec<(String, &'static str)>> {
    let mut groups: Vec<(Vec<String>, &'static str)> = Vec::new();
    let ctx = app.key_context();
    let lab = app.tab == Tab::Lab;
    // Why? and the walkthrough take keys over from the lab (why? first).
    let walk = lab && (ctx.why || ctx.walkthrough);
    // Help and quit first, so they show however narrow the terminal is.
    let bindings = keymap::screen_bindings(app.tab);
    let (global, own): (Vec<_>, Vec<_>) = bindings
        .into_iter()
        .partition(|b| keymap::GLOBAL.iter().any(|g| g.label == b.label));
    let choosing = app.tab == Tab::Concepts && ctx.choosing;
    let walk_keys = match (lab && ctx.why, walk) {
        _ if lab && ctx.tradeoffs => keymap::TRADEOFFS,
        _ if choosing => keymap::CHOOSE,
        (true, _) => keymap::WHY,
        (false, true) => keymap::WALKTHROUGH,
        _ => &[],
    };
    // During a walkthrough, leave out lab keys the walkthrough has taken over.
    let shadowed = |b: &&Binding| {
        walk && b
            .keys
            .iter()
            .all(|k| walk_keys.iter().any(|w| w.keys.contains(k)))
    };
    let own: Vec<_> = own
        .into_iter()
        .filter(|b| !shadowed(b) && quiz_key_applies(app, b) && app.offers(b))
        // Trade-offs and the scenario list take every key but the global ones.
        .filter(|_| !(choosing || lab && ctx.tradeoffs))
        .collect();
    // A lab key's label without the keys the walkthrough took (`→/l` shows as `l`).
    let taken: Vec<&str> = walk_keys.iter().flat_map(|w| w.label.split('/')).collect();
    let own: Vec<(&Binding, String, &'static str)> = own
        .into_iter()
        .map(|b| {
            let label: Vec<&str> = b.label.split('/').filter(|p| !taken.contains(p)).collect();
            let (label, short) = quiz_words(app, b, label.join("/"));
            (b, label, short)
        })
        .collect();
    // In a lesson opened from a course, q goes back to the course's lessons.
    let short = |b: &Binding| match b.action {
        super::action::Action::Quit if app.in_course => "lessons",
        _ => b.short,
    };
    let all = (global.into_iter().chain(walk_keys))
        .map(|b| (b, b.label.to_owned(), short(b)))
        .chain(own);
    for (_, label, word) in all.filter(|(_, _, short)| !short.is_empty()) {
        match groups.last_mut() {
            Some((labels, short)) if *short == word => labels.push(label),
            _ => groups.push((vec![label], word)),
        }
    }
    let mut lines: Vec<Vec<(String, &'static str)>> = vec![Vec::new(); rows.max(1)];
    let (mut row, mut used) = (0, 1usize);
    let hint_width = |label: &str, short: &str| label.width() + short.width() + 3;
    let mut more = false;
    for (labels, short) in groups {
        let label = if labels.len() == 1 {
            labels[0].to_owned()
        } else {
            labels
                .iter()
                .map(|l| l.split('/').next().unwrap_or(l))
                .collect::<Vec<_>>()
                .join("/")
        };
        let label = super::glyphs::key_names(&label, app.display.ascii);
        let w = label.width() + short.width() + 3;
        // The two spaces after a row's last hint need not fit.
        if used + w - 2 > width as usize {
            row += 1;
            used = 1;
            if row >= lines.len() {
                more = true;
                break;
            }
        }
        used += w;
        lines[row].push((label, short));
    }
    // Keys left out are behind `?`, and the last row says so.
    if more && let Some(last) = lines.last_mut() {
        let (label, short) = ("more:", "?");
        let used =
            |l: &[(String, &str)]| 1 + l.iter().map(|(a, b)| hint_width(a, b)).sum::<usize>();
        while used(last) + hint_width(label, short) > width as usize && last.pop().is_some() {}
        last.push((label.to_owned(), short));
    }
    lines
}

/// On the Quiz tab the footer offers only the keys that do something on what is showing:
/// answering keys with a question, "next" with feedback, retry and review on the summary.
fn quiz_key_applies(app: &App, b: &Binding) -> bool {
    use super::action::{Action, QuizAction as Q};
    use super::quiz_tab::Showing;
    if app.tab != Tab::Quiz {
        return true;
    }
    let showing = &app.quiz.showing;
    let estimate = app
        .quiz
        .session
        .current()
        .is_some_and(|q| q.estimate.is_some());
    match b.action {
        Action::Quiz(Q::Answer(_)) => matches!(showing, Showing::Question) && !estimate,
        Action::Quiz(Q::Nudge(_)) => matches!(showing, Showing::Question) && estimate,
        Action::Quiz(Q::SelectNext | Q::SelectPrev) => matches!(showing, Showing::Question),
        Action::Quiz(Q::Confirm) | Action::OpenChecked => !matches!(showing, Showing::Summary(_)),
        // Only once answered: running the scenario first would show the answer.
        Action::RunQuestion => {
            (app.quiz.lab_run.is_some() || app.quiz.estimate.is_some())
                && matches!(showing, Showing::Feedback(_))
        }
        Action::Quiz(Q::RetryMissed | Q::Review) => matches!(showing, Showing::Summary(_)),
        Action::Quiz(Q::Countdown) => app.quiz.classroom && matches!(showing, Showing::Question),
        _ => true,
    }
}

/// A quiz key's label and footer word for the question on screen: the letters it has
/// (`a–c`), and in the classroom what a key does there (letters mark, Enter reveals).
fn quiz_words(app: &App, b: &Binding, label: String) -> (String, &'static str) {
    use super::action::{Action, QuizAction as Q};
    use super::quiz_tab::Showing;
    let asking = app.tab == Tab::Quiz && matches!(app.quiz.showing, Showing::Question);
    let classroom = asking && app.quiz.classroom;
    match b.action {
        Action::Quiz(Q::Answer(_)) if asking => {
            let n = app.quiz.session.current().map_or(0, |q| q.options.len());
            let label = format!("a–{}", crate::doc::letter(n.saturating_sub(1)));
            (label, if classroom { "mark" } else { b.short })
        }
        Action::Quiz(Q::Confirm) if classroom => (label, "reveal"),
        Action::Quiz(Q::Confirm) if asking => (label, "answer"),
        Action::Quiz(Q::Countdown) if classroom => (label, "countdown"),
        _ => (label, b.short),
    }
}

/// The footer: the status message if there is one, else the keys of this screen.
fn footer(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    if let Some(msg) = &app.status {
        frame.render_widget(Line::styled(format!(" {msg}"), t.message), area);
        return;
    }
    let lines: Vec<Line> = footer_hints(app, area.width, area.height as usize)
        .into_iter()
        .filter(|hints| !hints.is_empty())
        .map(|hints| {
            let mut spans = vec![Span::raw(" ")];
            for (label, short) in hints {
                spans.push(Span::styled(label, t.accent));
                spans.push(Span::styled(format!(" {short}  "), t.dim));
            }
            Line::from(spans)
        })
        .collect();
    // The keys sit on the bottom rows: when they need fewer rows than the footer has, the
    // spare row is a gap above them, never a blank last line.
    let spare = area.height.saturating_sub(lines.len() as u16);
    let area = Rect {
        y: area.y + spare,
        height: area.height - spare,
        ..area
    };
    frame.render_widget(Paragraph::new(lines), area);
}

/// Every key of every screen, the current screen first.
pub fn help_lines(app: &App) -> Vec<Line<'static>> {
    let t = &app.theme;
    help::entries(app.tab, &|b| app.offers(b))
        .into_iter()
        .map(|e| match e {
            Entry::Heading(title) => Line::styled(title, t.heading),
            Entry::Key(b) => key_line(b, t.accent, app.display.ascii),
            Entry::Blank => Line::default(),
            Entry::Note(text) => Line::styled(text, t.dim),
            Entry::Hidden(keys) => Line::styled(help::hidden_note(&keys), t.dim),
        })
        .collect()
}

fn help_overlay(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let width = help::overlay_width(area.width);
    let lines: Vec<Line> = help::rows(
        app.tab,
        &|b| app.offers(b),
        width.saturating_sub(2) as usize,
    )
    .into_iter()
    .map(|row| match row {
        help::Row::Heading(title) => Line::styled(title, t.heading),
        help::Row::Key(key, text) => Line::from(vec![Span::styled(key, t.accent), Span::raw(text)]),
        help::Row::Note(text) => Line::styled(text, t.dim),
        help::Row::Blank => Line::default(),
    })
    .collect();
    let height = (lines.len() as u16 + 2).min(area.height.saturating_sub(2));
    let rect = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    frame.render_widget(Clear, rect);
    let more = if lines.len() + 2 > height as usize {
        " ↑↓ scroll · "
    } else {
        " "
    };
    let block = Block::bordered()
        .border_style(t.accent)
        .style(t.base)
        .title(Line::styled(" Keys ", t.title))
        .title_bottom(Line::styled(format!("{more}Esc or ? closes "), t.dim).right_aligned());
    let scroll = (app.help.scroll.min(u16::MAX as usize) as u16, 0);
    frame.render_widget(Paragraph::new(lines).block(block).scroll(scroll), rect);
}

fn key_line(b: &Binding, key_style: Style, ascii: bool) -> Line<'static> {
    let label = super::glyphs::key_names(b.label, ascii);
    Line::from(vec![
        Span::styled(format!("  {label:<12}"), key_style),
        Span::raw(b.help),
    ])
}

/// The screen a terminal smaller than distlab's least gets (any screen of it).
pub fn too_small(theme: &super::theme::Theme, frame: &mut Frame, area: Rect) {
    let msg = vec![
        Line::styled("Terminal too small", theme.warn),
        Line::raw(format!(
            "need {MIN_WIDTH}×{MIN_HEIGHT}, have {}×{}",
            area.width, area.height
        )),
        Line::raw("Enlarge the window, or press q to quit."),
    ];
    let top = area.height.saturating_sub(3) / 2;
    let rect = Rect::new(area.x, area.y + top, area.width, area.height - top);
    frame.render_widget(
        Paragraph::new(msg)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        rect,
    );
}
