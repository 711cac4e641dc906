//! Nothing on screen is cut without a mark, and no number is ever cut: every screen of every
//! scenario, at random sizes from 80×24 to 300×100, with and without `--ascii`.
//!
//! The oracle does not ask the fitting code what it meant to show. It knows the whole text
//! from elsewhere:
//!
//! - **Words.** Every word on screen (a run of letters, `-` and `'`) is a word of distlab's
//!   source or of the lesson file, unless it ends in `…`. A word cut short (`cluste`,
//!   `shard-eu-c`) or a label a link ran over (`[prim·ry]`) is not one.
//! - **Edges.** A token that ends against an edge (the screen's last column, a panel's
//!   border, a title's corner) is where a cut would be. It passes only if it ends in `…`, or
//!   the same state drawn on a huge terminal (where nothing needs fitting) has it at the end
//!   of a piece of text too, or it goes on, as there, on the next row (text wrapped at the
//!   edge). A number cut at a border (`L=4` for `L=412`) fails, and so does a title that
//!   lost its last words.
//! - **Rows.** Every node has its row in the Nodes panel and its lane in the space-time
//!   diagram, and every node's label is whole (or shortened with `…`) in the cluster; a
//!   panel that leaves rows out counts them (`+2 more…`). The walkthrough caption's last
//!   row ends as the whole caption does, or in `…`.
//! - **Keys.** The footer shows every key group the huge terminal's footer shows, or says
//!   `more: ?`; and says it only then.
//! - **ASCII.** With `--ascii` the screen is, cell for cell, the ASCII stand-in of the
//!   screen without it, so it cuts nothing the other does not.

mod tui_support;

use std::collections::HashSet;
use std::sync::OnceLock;

use distlab::tui::glyphs;
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use tui_support::Harness;

/// The size the reference is drawn at: wide and tall enough that nothing needs fitting.
const HUGE: (u16, u16) = (420, 160);

/// Cells that end a piece of text: a panel's side or corner, a scrollbar, a border line.
fn is_edge(c: char) -> bool {
    matches!(c, '│' | '┐' | '┘' | '┤' | '║' | '─' | '┌' | '└' | '├')
}

/// Marks of the pictures (cluster, space-time diagram, sparklines, bars) and separators:
/// they are not part of any word or number.
fn is_picture(c: char) -> bool {
    matches!(c as u32, 0x2500..=0x259F) || "·•◉○●◆▼▲▶◀▸■▪▮✗✖✓⚑↯‖╳┄◷⚠→←↑↓↔".contains(c)
}

/// One token on a row: its text and the columns it spans.
#[derive(Debug, Clone)]
struct Token {
    text: String,
    start: usize,
    end: usize,
}

fn rows(buf: &Buffer) -> Vec<Vec<char>> {
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().chars().next().unwrap_or(' '))
                .collect()
        })
        .collect()
}

/// The tokens of a row: runs of cells that are neither blank nor picture.
fn tokens(row: &[char]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut x = 0;
    while x < row.len() {
        if row[x] == ' ' || row[x] == '\u{a0}' || is_picture(row[x]) {
            x += 1;
            continue;
        }
        let start = x;
        while x < row.len() && !(row[x] == ' ' || row[x] == '\u{a0}' || is_picture(row[x])) {
            x += 1;
        }
        out.push(Token {
            text: row[start..x].iter().collect(),
            start,
            end: x,
        });
    }
    out
}

/// The words of `text`: runs of letters, `-` and `'`, trimmed of `-` and `'`, lowercased.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphabetic() || c == '-' || c == '\'' || c == '’'))
        .map(|w| w.trim_matches(|c| c == '-' || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Every word of distlab's source and of the lesson file.
fn vocabulary() -> &'static HashSet<String> {
    static WORDS: OnceLock<HashSet<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        fn walk(dir: &std::path::Path, out: &mut HashSet<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs" || e == "toml") {
                    out.extend(words(&std::fs::read_to_string(&path).unwrap()));
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut out = HashSet::new();
        walk(&root.join("src"), &mut out);
        walk(&root.join("lessons"), &mut out);
        out
    })
}

/// What the reference (the same state, drawn where nothing needs fitting) says about how
/// text goes on: the tokens that end a piece of text, and which token follows which.
#[derive(Default)]
struct Reference {
    finals: HashSet<String>,
    pairs: HashSet<(String, String)>,
    /// The footer's key groups (`+/- speed`).
    footer: Vec<String>,
}

impl Reference {
    fn learn(&mut self, row: &[char]) {
        let toks = tokens(row);
        for (i, t) in toks.iter().enumerate() {
            // The next cell that is not blank: text going on, or a picture, an edge or
            // nothing (the end of a piece of text).
            let next = row[t.end..].iter().find(|c| **c != ' ').copied();
            let goes_on = next.is_some_and(|c| !is_picture(c) && !is_edge(c));
            match toks.get(i + 1) {
                Some(n) if goes_on => {
                    self.pairs.insert((t.text.clone(), n.text.clone()));
                }
                _ => {
                    self.finals.insert(t.text.clone());
                }
            }
        }
    }

    fn learn_text(&mut self, line: &str) {
        let row: Vec<char> = line.chars().collect();
        self.learn(&row);
    }
}

/// A complete time on an axis or in a title (`12s`, `2.4s`): a cut one would lose its `s`.
fn is_seconds(t: &str) -> bool {
    let Some(n) = t.strip_suffix('s') else {
        return false;
    };
    !n.is_empty()
        && n.chars().all(|c| c.is_ascii_digit() || c == '.')
        && n.starts_with(|c: char| c.is_ascii_digit())
        && !n.ends_with('.')
}

/// The box whose top border holds `title` (just after its corner): its outer rectangle.
fn find_box(rows: &[Vec<char>], title: &str) -> Option<Rect> {
    let needle: Vec<char> = format!("┌ {title}").chars().collect();
    for (y, row) in rows.iter().enumerate() {
        let Some(x) = (0..row.len()).find(|&x| row[x..].starts_with(&needle)) else {
            continue;
        };
        let right = (x + 1..row.len()).find(|&r| row[r] == '┐')?;
        let bottom = (y + 1..rows.len()).find(|&b| rows[b][x] == '└')?;
        return Some(Rect::new(
            x as u16,
            y as u16,
            (right - x + 1) as u16,
            (bottom - y + 1) as u16,
        ));
    }
    None
}

fn inside(rows: &[Vec<char>], r: Rect) -> Vec<String> {
    (r.y + 1..r.bottom() - 1)
        .map(|y| {
            rows[y as usize][r.x as usize + 1..r.right() as usize - 1]
                .iter()
                .collect()
        })
        .collect()
}

fn draw(h: &mut Harness) -> Buffer {
    let app = &h.app;
    h.terminal
        .draw(|f| distlab::tui::ui::render(app, f))
        .unwrap();
    h.terminal.backend().buffer().clone()
}

/// The same state drawn on a huge terminal, without the help overlay (its lines are
/// learnt from the help's own text): once very wide, and once just too narrow for the lab's
/// second view panel, so the view `v` chose is drawn too.
fn reference(h: &mut Harness) -> Reference {
    let mut r = Reference::default();
    // The footer is read from the widest drawing, where it is one row.
    let mut grid: Vec<Vec<char>> = Vec::new();
    for (w, ht) in [HUGE, (179, HUGE.1)] {
        let (area, help) = (h.app.area, h.app.help.open);
        h.app.area = Rect::new(0, 0, w, ht);
        h.app.help.open = false;
        let mut terminal = Terminal::new(TestBackend::new(w, ht)).unwrap();
        let app = &h.app;
        terminal.draw(|f| distlab::tui::ui::render(app, f)).unwrap();
        h.app.area = area;
        h.app.help.open = help;
        let drawn = rows(terminal.backend().buffer());
        for row in &drawn {
            r.learn(row);
        }
        if grid.is_empty() {
            grid = drawn;
        }
    }
    for line in distlab::tui::ui::help_lines(&h.app) {
        r.learn_text(&line.to_string());
    }
    let footer: String = grid[grid.len() - 1].iter().collect();
    r.footer = footer
        .split("  ")
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .map(str::to_owned)
        .collect();
    r
}

/// Everything wrong with the screen `buf` of `h`, checked against `r`.
fn cuts(h: &Harness, buf: &Buffer, r: &Reference) -> Vec<String> {
    let grid = rows(buf);
    let (w, ht) = (buf.area.width as usize, buf.area.height as usize);
    let mut found = Vec::new();
    // With the help open, only the overlay is read: it covers the rest.
    let region = if h.app.help.open {
        match find_box(&grid, "Keys ") {
            Some(b) => b,
            None => {
                found.push("the help is open but its box is not on screen".into());
                return found;
            }
        }
    } else {
        Rect::new(0, 0, w as u16, ht as u16)
    };
    let vocab = vocabulary();
    // And the run's own names (the lab builds some, as `shard-eu-copy`).
    let names: HashSet<String> = (h.app.lab.iter())
        .flat_map(|lab| lab.sim.nodes().iter().flat_map(|n| words(&n.label())))
        .collect();
    for y in region.y as usize..region.bottom() as usize {
        let row = &grid[y][region.x as usize..region.right() as usize];
        let next_row = grid
            .get(y + 1)
            .map(|r| &r[region.x as usize..region.right() as usize]);
        for t in tokens(row) {
            // Words: each a word of the source or the lesson, but a last one cut with `…`.
            let text = t.text.trim_end_matches('…');
            let ws = words(text);
            for (i, word) in ws.iter().enumerate() {
                let marked = t.text.ends_with('…')
                    && i + 1 == ws.len()
                    && text.ends_with(|c: char| c.is_alphabetic() || c == '-' || c == '\'');
                if !marked && !vocab.contains(word) && !names.contains(word) {
                    found.push(format!("row {y}: `{word}` (in `{}`) is no word", t.text));
                }
            }
            // Edges: a token against one ends a piece of text, or goes on below.
            let at_edge = t.end == row.len() || is_edge(row[t.end]);
            if !at_edge
                || !t.text.chars().any(char::is_alphanumeric)
                || t.text.ends_with('…')
                || is_seconds(&t.text)
                || r.finals.contains(&t.text)
            {
                continue;
            }
            // Text wrapped at the edge goes on at the start of a row below (in its panel,
            // so left of where it ended).
            let below = next_row.map(|nr| {
                tokens(nr)
                    .into_iter()
                    .filter(|n| n.start < t.end)
                    .map(|n| n.text)
                    .collect::<Vec<_>>()
            });
            if below.is_some_and(|b| {
                b.into_iter()
                    .any(|b| r.pairs.contains(&(t.text.clone(), b)))
            }) {
                continue;
            }
            found.push(format!(
                "row {y}: `{}` is cut at column {}",
                t.text,
                t.end + region.x as usize
            ));
        }
    }
    if h.app.help.open {
        return found;
    }
    found.extend(rows_checks(h, &grid, r));
    found.extend(footer_check(h, &grid, r));
    found
}

/// Every node has its row, its lane and its whole label; the caption ends a sentence.
fn rows_checks(h: &Harness, grid: &[Vec<char>], r: &Reference) -> Vec<String> {
    let mut found = Vec::new();
    let Some(lab) = &h.app.lab else {
        return found;
    };
    let names: Vec<String> = lab.sim.nodes().iter().map(|n| n.name.clone()).collect();
    // Its name, or the start of it ended in `…`.
    let has_token = |lines: &[String], name: &str| {
        lines.iter().any(|l| {
            let row: Vec<char> = l.chars().collect();
            tokens(&row).iter().any(|t| {
                t.text == name
                    || (t.text.strip_suffix('…'))
                        .is_some_and(|s| !s.is_empty() && name.starts_with(s))
            })
        })
    };
    let marked = |lines: &[String]| lines.iter().any(|l| l.contains(" more…"));
    for (title, what) in [
        ("Nodes", "row"),
        ("Space-time", "lane"),
        ("Cluster", "label"),
    ] {
        let Some(b) = find_box(grid, title) else {
            continue;
        };
        let lines = inside(grid, b);
        if title == "Space-time" && lines.len() < 2 {
            continue;
        }
        for name in &names {
            // Rows and lanes left out are counted (`+2 more…`); a label never is.
            let counted = title != "Cluster" && marked(&lines);
            if !has_token(&lines, name) && !counted {
                found.push(format!("{title}: node {name} has no {what}"));
            }
        }
        if title == "Cluster" {
            // Each label whole: its status mark, a space, its name.
            for n in lab.sim.nodes() {
                let label = format!(" {}", n.name);
                let short = |l: &String| {
                    let row: Vec<char> = l.chars().collect();
                    tokens(&row).iter().any(|t| {
                        t.text
                            .strip_suffix('…')
                            .is_some_and(|s| n.name.starts_with(s))
                    })
                };
                let ok = lines.iter().any(short)
                    || lines.iter().any(|l| {
                        l.match_indices(&label).any(|(i, _)| {
                            let before = l[..i].chars().last();
                            let after = l[i + label.len()..].chars().next();
                            matches!(before, Some('●' | '✖' | '‖'))
                                && after.is_none_or(|c| !c.is_alphanumeric() && c != '[')
                        })
                    });
                if !ok {
                    found.push(format!("Cluster: the label of {} is not whole", n.name));
                }
            }
        }
    }
    if let Some(b) = find_box(grid, "Step ") {
        let lines = inside(grid, b);
        let last = lines.iter().rev().find(|l| !l.trim().is_empty());
        let row: Vec<char> = last.map_or(Vec::new(), |l| l.chars().collect());
        if let Some(t) = tokens(&row).last()
            && !t.text.ends_with('…')
            && !r.finals.contains(&t.text)
        {
            found.push(format!(
                "the caption's last row is cut: `{}`",
                last.unwrap().trim()
            ));
        }
    }
    found
}

/// The footer shows every key group, or says `more: ?` — and says it only then.
fn footer_check(h: &Harness, grid: &[Vec<char>], r: &Reference) -> Vec<String> {
    if h.app.status.is_some() {
        return Vec::new();
    }
    let rows = distlab::tui::layout::footer_rows(
        h.app.area,
        h.app.tab == distlab::tui::action::Tab::Lab,
        h.app.display.projector,
    );
    let footer: String = grid[grid.len() - rows as usize..]
        .iter()
        .map(|r| r.iter().collect::<String>() + "  ")
        .collect();
    let missing: Vec<&String> = (r.footer.iter())
        .filter(|g| !g.starts_with("more:"))
        .filter(|g| !footer.contains(g.as_str()))
        .collect();
    let hint = footer.contains("more: ?");
    match (missing.is_empty(), hint) {
        (true, true) => vec![format!(
            "the footer says `more: ?` but shows every key: {footer}"
        )],
        (false, false) => vec![format!(
            "the footer leaves out {missing:?} without `more: ?`: {footer}"
        )],
        _ => Vec::new(),
    }
}

/// A screen to look at.
#[derive(Debug, Clone)]
enum Screen {
    Lesson {
        pages: u8,
    },
    Concept {
        index: usize,
        pages: u8,
    },
    Lab {
        scenario: usize,
        seed: u64,
        /// How far into the run, in thousandths of its duration.
        at: u16,
        /// `Some(n)`: a walkthrough, with → pressed `n` times.
        walk: Option<u8>,
        views: u8,
        legend: bool,
        picks: u8,
        running: bool,
        /// Open why? (`y`) and step this many links less one down its chain (0: closed).
        why: u8,
    },
    Quiz {
        answered: u8,
        feedback: bool,
    },
}

fn screen() -> impl Strategy<Value = Screen> {
    prop_oneof![
        1 => (0u8..40).prop_map(|pages| Screen::Lesson { pages }),
        1 => (0usize..3, 0u8..12).prop_map(|(index, pages)| Screen::Concept { index, pages }),
        4 => (
            0usize..10,
            1u64..50,
            0u16..=1000,
            prop::option::weighted(0.4, 0u8..12),
            0u8..3,
            any::<bool>(),
            prop_oneof![3 => Just(0u8), 1 => 1u8..4],
            any::<bool>(),
            prop_oneof![3 => Just(0u8), 1 => 1u8..5],
        )
            .prop_map(|(scenario, seed, at, walk, views, legend, picks, running, why)| Screen::Lab {
                scenario,
                seed,
                at,
                walk,
                views,
                legend,
                picks,
                running,
                why,
            }),
        2 => (0u8..40, any::<bool>()).prop_map(|(answered, feedback)| Screen::Quiz { answered, feedback }),
    ]
}

/// The app on `screen` at `width`×`height`, the lab (shown beside other screens on wide
/// terminals) part-way through its run.
fn set_up(screen: &Screen, width: u16, height: u16) -> Harness {
    set_up_on(screen, width, height, distlab::tui::Display::default())
}

/// [`set_up`] with the display preferences `display` (projector mode, say).
fn set_up_on(screen: &Screen, width: u16, height: u16, display: distlab::tui::Display) -> Harness {
    let mut h = Harness::new(width, height);
    h.app.set_display(display);
    let scenarios = h.app.lesson.scenarios.clone();
    match *screen {
        Screen::Lesson { pages } => {
            h.lab_on(&scenarios[0].id).reset(2);
            h.app.lab.as_mut().unwrap().run_to(4_000_000);
            h.keys("1");
            for _ in 0..pages {
                h.key(KeyCode::PageDown);
            }
        }
        Screen::Concept { index, pages } => {
            h.lab_on(&scenarios[8].id).reset(1);
            h.app.lab.as_mut().unwrap().run_to(9_000_000);
            h.keys("2");
            for _ in 0..index {
                h.key(KeyCode::Right);
            }
            for _ in 0..pages {
                h.key(KeyCode::PageDown);
            }
        }
        Screen::Lab {
            scenario,
            seed,
            at,
            walk,
            views,
            legend,
            picks,
            running,
            why,
        } => {
            let id = scenarios[scenario % scenarios.len()].id.clone();
            let lab = h.lab_on(&id);
            lab.reset(seed);
            match walk {
                Some(n) => {
                    h.keys("g");
                    for _ in 0..n {
                        h.key(KeyCode::Right);
                    }
                }
                None => {
                    let lab = h.app.lab.as_mut().unwrap();
                    let end = lab.end_us();
                    lab.run_to(end / 1000 * u64::from(at));
                    if running {
                        h.keys(" ");
                    }
                }
            }
            for _ in 0..views {
                h.keys("v");
            }
            if legend {
                h.keys("L");
            }
            for _ in 0..picks {
                h.keys("(");
            }
            // why? open, on a link of the chain (or its note, with nothing to explain).
            if why > 0 {
                h.keys("y");
                for _ in 1..why {
                    h.key(KeyCode::Down);
                }
            }
        }
        Screen::Quiz { answered, feedback } => {
            h.lab_on(&scenarios[3].id).reset(5);
            h.app.lab.as_mut().unwrap().run_to(7_000_000);
            h.keys("4");
            use distlab::tui::quiz_tab::Showing;
            for i in 0..answered {
                if !matches!(h.app.quiz.showing, Showing::Question) {
                    break;
                }
                h.keys(&((b'a' + i % 3) as char).to_string());
                if matches!(h.app.quiz.showing, Showing::Question) {
                    // An estimate: Enter answers with the guess as it stands.
                    h.key(KeyCode::Enter);
                }
                if i + 1 < answered || !feedback {
                    h.key(KeyCode::Enter);
                }
            }
        }
    }
    h
}

/// Checks `h` as it is, then with `--ascii`.
fn check(h: &mut Harness) -> Result<(), String> {
    let r = reference(h);
    let buf = draw(h);
    let found = cuts(h, &buf, &r);
    let screen = || {
        rows(&buf)
            .iter()
            .map(|r| r.iter().collect::<String>().trim_end().to_owned())
            .collect::<Vec<_>>()
            .join("\n")
    };
    if !found.is_empty() {
        return Err(format!("{}\n{}", found.join("\n"), screen()));
    }
    h.app.display.ascii = true;
    let ascii = draw(h);
    h.app.display.ascii = false;
    // Rows that name an arrow key say `Right` where the screen draws `→` (its stand-in `>`
    // is a key of its own): those rows are laid out anew, not mapped cell by cell. An overlay
    // can hide the renamed word and leave the shifted rest in view, so the rows are also
    // read from the screen beneath it.
    let mut pairs = vec![(rows(&ascii), rows(&buf))];
    if h.app.help.open {
        h.app.help.open = false;
        let beneath = draw(h);
        h.app.display.ascii = true;
        let beneath_ascii = draw(h);
        h.app.display.ascii = false;
        h.app.help.open = true;
        pairs.push((rows(&beneath_ascii), rows(&beneath)));
    }
    let renamed = |y: usize| {
        pairs.iter().any(|(ascii_rows, plain_rows)| {
            let (a, u): (String, String) = (
                ascii_rows[y].iter().collect(),
                plain_rows[y].iter().collect(),
            );
            ["Right", "Left", "Up", "Down"]
                .iter()
                .any(|w| a.contains(w) && !u.contains(w))
        })
    };
    let width = buf.area.width as usize;
    // The footer's keys wrap anew when one is renamed; `footer_check` reads the footer.
    let footer_from = (buf.area.height
        - distlab::tui::layout::footer_rows(
            h.app.area,
            h.app.tab == distlab::tui::action::Tab::Lab,
            h.app.display.projector,
        )) as usize;
    for (i, (a, u)) in ascii.content.iter().zip(&buf.content).enumerate() {
        if renamed(i / width) || i / width >= footer_from {
            continue;
        }
        let want: String = u.symbol().chars().map(glyphs::ascii).take(1).collect();
        if a.symbol() != want && !(u.symbol() == " " && a.symbol() == " ") {
            return Err(format!(
                "with --ascii `{}` shows as `{}`, not `{want}` (row {})\n{}",
                u.symbol(),
                a.symbol(),
                i / width,
                screen()
            ));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn nothing_on_any_screen_is_cut_without_a_mark(
        width in 80u16..=300,
        height in 24u16..=100,
        screen in screen(),
        help in prop::bool::weighted(0.15),
        projector in prop::bool::weighted(0.25),
        double_height in any::<bool>(),
    ) {
        let display = distlab::tui::Display {
            projector,
            double_height,
            ..distlab::tui::Display::default()
        };
        let mut h = set_up_on(&screen, width, height, display);
        if help {
            h.keys("?");
        }
        if let Err(e) = check(&mut h) {
            let mode = if projector { " --projector" } else { "" };
            return Err(TestCaseError::fail(format!("{screen:?} at {width}×{height}{mode}:\n{e}")));
        }
    }
}

/// The property over many more screens (`SURVEY=N`, 200 by default), listing every kind of
/// cut it finds rather than stopping at the first: `cargo test --test no_cuts survey --
/// --ignored --nocapture`.
#[test]
#[ignore]
fn survey() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let n: usize = std::env::var("SURVEY")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let mut runner = TestRunner::deterministic();
    let strategy = (
        80u16..=300,
        24u16..=100,
        screen(),
        prop::bool::weighted(0.15),
    );
    let mut seen = std::collections::BTreeMap::<String, String>::new();
    for _ in 0..n {
        let (w, ht, s, help) = strategy.new_tree(&mut runner).unwrap().current();
        let mut h = set_up(&s, w, ht);
        if help {
            h.keys("?");
        }
        if let Err(e) = check(&mut h) {
            for line in e
                .lines()
                .take_while(|l| !l.starts_with('│') && !l.starts_with(" Day"))
            {
                let key: String = line.chars().filter(|c| !c.is_ascii_digit()).collect();
                let show = std::env::var("FILTER").is_ok_and(|f| line.contains(&f));
                let text = if show { e.clone() } else { line.to_owned() };
                seen.entry(key)
                    .or_insert_with(|| format!("{s:?} {w}x{ht}: {text}"));
            }
        }
    }
    for v in seen.values() {
        println!("{v}");
    }
    assert!(seen.is_empty(), "{} kinds of cut found", seen.len());
}

/// The checkout's event log (its second view) fills its panel to the border: a whole entry
/// there is not a cut (the reference once lacked the view `v` chose).
#[test]
fn a_log_entry_ending_at_the_border_is_whole() {
    let s = Screen::Lab {
        scenario: 8,
        seed: 20,
        at: 832,
        walk: None,
        views: 2,
        legend: false,
        picks: 0,
        running: false,
        why: 0,
    };
    let mut h = set_up(&s, 91, 46);
    if let Err(e) = check(&mut h) {
        panic!("{e}");
    }
}

/// The smallest terminal, where most has to give: every scenario through its run, free and
/// in its walkthrough, in every view.
#[test]
fn every_scenario_at_80x24_cuts_nothing_without_a_mark() {
    let count = Harness::new(80, 24).app.lesson.scenarios.len();
    for scenario in 0..count {
        for (at, walk) in [
            (0, None),
            (350, None),
            (700, None),
            (1000, None),
            (0, Some(3)),
            (0, Some(8)),
        ] {
            // why? open only where there is a run to explain, on its second link.
            let whys: &[u8] = if at == 1000 { &[0, 2] } else { &[0] };
            for (views, &why) in (0..3).flat_map(|v| whys.iter().map(move |w| (v, w))) {
                let s = Screen::Lab {
                    scenario,
                    seed: 3,
                    at,
                    walk,
                    views,
                    legend: false,
                    picks: 0,
                    running: false,
                    why,
                };
                let mut h = set_up(&s, 80, 24);
                if let Err(e) = check(&mut h) {
                    panic!("{s:?} at 80×24:\n{e}");
                }
            }
        }
    }
}

/// The help at the smallest size, on every tab, scrolled to its end: every row whole, and
/// its last rows (the mouse and the legend notes, the longest) reachable.
#[test]
fn the_help_at_80x24_wraps_every_row_and_scrolls_to_the_last() {
    for tab in ["1", "2", "3", "4"] {
        let mut h = Harness::new(80, 24);
        h.keys(tab).keys("?");
        h.key(KeyCode::End);
        if let Err(e) = check(&mut h) {
            panic!("tab {tab}:\n{e}");
        }
        let screen = h.screen();
        assert!(
            screen.contains("wheel scrolls."),
            "tab {tab}: the mouse note's end is not reachable:\n{screen}"
        );
    }
}

/// Keys that do not fit are behind `?`, and the footer's last row says so.
#[test]
fn a_footer_too_small_for_its_keys_ends_in_more() {
    let mut h = Harness::new(80, 24);
    h.keys("3");
    let rows = distlab::tui::ui::footer_hints(&h.app, 80, 1);
    let last = rows.last().and_then(|r| r.last()).cloned();
    assert_eq!(last, Some(("more:".to_owned(), "?")), "{rows:?}");
    let width: usize = rows[0]
        .iter()
        .map(|(l, s)| l.chars().count() + s.chars().count() + 3)
        .sum();
    assert!(width < 80, "the hint fits in the row: {rows:?}");
    // With room for every key, no hint.
    let rows = distlab::tui::ui::footer_hints(&h.app, 300, 1);
    assert!(!rows.concat().iter().any(|(l, _)| l == "more:"), "{rows:?}");
}
