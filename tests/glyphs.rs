//! Every character the terminal app can put on screen is one a common monospace font draws
//! in one cell (`distlab::tui::glyphs::GLYPHS`), and with `--ascii` every one is ASCII.
//! What the app can draw is collected twice: from the source (every string and character
//! literal outside comments and tests, and the built-in lesson), and from the screens
//! themselves (every tab, the help, every scenario's walkthrough and views, in each theme).

mod tui_support;

use std::collections::BTreeSet;

use distlab::tui::glyphs::GLYPHS;
use ratatui::crossterm::event::KeyCode;

fn known(c: char) -> bool {
    c.is_ascii() || GLYPHS.iter().any(|&(g, _)| g == c)
}

/// The non-ASCII characters inside string and character literals of `code` (one file),
/// leaving out comments and everything from `#[cfg(test)]` on.
fn literal_chars(code: &str) -> BTreeSet<char> {
    let code = code.split("#[cfg(test)]").next().unwrap_or(code);
    let mut out = BTreeSet::new();
    for line in code.lines() {
        let mut in_str = false;
        let mut chars = line.chars().peekable();
        let mut prev = ' ';
        while let Some(c) = chars.next() {
            match (in_str, c) {
                (false, '/') if chars.peek() == Some(&'/') => break,
                (false, '"') => in_str = true,
                (true, '\\') => {
                    chars.next();
                }
                (true, '"') => in_str = false,
                // A character literal: 'x' (not a lifetime).
                (false, '\'') if !prev.is_alphanumeric() => {
                    let lit: Vec<char> = chars.clone().take(2).collect();
                    if lit.len() == 2 && lit[1] == '\'' && !lit[0].is_ascii() {
                        out.insert(lit[0]);
                    }
                }
                (true, c) if !c.is_ascii() => {
                    out.insert(c);
                }
                _ => {}
            }
            prev = c;
        }
    }
    out
}

fn sources(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push((
                path.display().to_string(),
                std::fs::read_to_string(&path).unwrap(),
            ));
        }
    }
}

#[test]
fn every_character_in_the_source_and_the_lesson_is_in_the_table() {
    let mut files = Vec::new();
    sources(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")),
        &mut files,
    );
    assert!(files.len() > 50, "the sources are found");
    let mut unknown = Vec::new();
    for (path, code) in &files {
        for c in literal_chars(code).into_iter().filter(|&c| !known(c)) {
            unknown.push(format!("{path}: {c} (U+{:04X})", c as u32));
        }
    }
    let lesson = include_str!("../lessons/day001.toml");
    for c in lesson.chars().filter(|&c| !known(c)) {
        unknown.push(format!("lessons/day001.toml: {c} (U+{:04X})", c as u32));
    }
    unknown.dedup();
    assert!(unknown.is_empty(), "not in GLYPHS:\n{}", unknown.join("\n"));
}

/// Every character on the screens a learner reaches, in each theme and size.
fn screens(ascii: bool) -> BTreeSet<char> {
    let mut seen = BTreeSet::new();
    for (w, h, theme, projector) in [
        (120, 40, "dark", false),
        (100, 30, "projector", true),
        (200, 60, "mono", false),
        (80, 24, "light", false),
    ] {
        let mut s = tui_support::Harness::with_theme(w, h, theme);
        s.app.display.projector = projector;
        s.app.display.ascii = ascii;
        for tab in ["1", "2", "3", "4"] {
            s.keys(tab);
            seen.extend(s.screen().chars());
            s.keys("?");
            seen.extend(s.screen().chars());
            s.keys("?");
        }
        s.keys("4a");
        seen.extend(s.screen().chars());
        let ids: Vec<String> = (s.app.lesson.scenarios.iter())
            .map(|x| x.id.to_string())
            .collect();
        for id in &ids {
            s.lab_on(id);
            s.keys("g");
            for _ in 0..14 {
                s.key(KeyCode::Right);
                seen.extend(s.screen().chars());
            }
            for _ in 0..3 {
                s.keys("v");
                seen.extend(s.screen().chars());
            }
            s.key(KeyCode::Esc);
            s.keys("cjzjD");
            seen.extend(s.screen().chars());
        }
    }
    seen
}

#[test]
fn every_character_on_screen_is_in_the_table() {
    let unknown: Vec<String> = (screens(false).into_iter())
        .filter(|&c| !known(c))
        .map(|c| format!("{c} (U+{:04X})", c as u32))
        .collect();
    assert!(unknown.is_empty(), "drawn but not in GLYPHS: {unknown:?}");
}

#[test]
fn with_ascii_every_character_on_screen_is_ascii() {
    let other: String = screens(true)
        .into_iter()
        .filter(|c| !c.is_ascii())
        .collect();
    assert!(other.is_empty(), "--ascii drew {other}");
}

#[test]
fn the_literal_scan_finds_what_it_should() {
    let code = "let a = \"● up\"; // ✗ comment\nlet b = '✖'; fn f<'a>() {}\n#[cfg(test)]\nmod t { \"日\" }";
    assert_eq!(literal_chars(code), BTreeSet::from(['●', '✖']));
}
