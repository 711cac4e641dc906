//! The house has floors, and a module imports only floors below its own (or its own): this
//! test reads every `crate::…` path in src/ (`use` lines, grouped `use crate::{…}` and
//! paths written inline) and names each file and line that reaches up.
//!
//! In the TUI, state modules (app, lab, quiz_tab, help, the layout modules, …) never import
//! a view module (ui, lab_view, quiz_view, concepts_view, lesson_view, cells): geometry that
//! both update and render need lives in layout modules. A second test names each file and
//! line that does.
//!
//! From the ground up: the leaf helpers `sanitize`, `input` and `wrap` → `sim` → `lesson` →
//! `quiz`, `doc`, `progress`, `headless`, `link` → `plain`, `tui` → `cli`, `config`, `commands`,
//! `main`. Two top-level modules on one floor never import each other both ways.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// Every top-level module and its floor.
const FLOORS: &[(&str, u8)] = &[
    ("sanitize", 0),
    ("input", 0),
    ("wrap", 0),
    ("sim", 1),
    ("lesson", 2),
    ("quiz", 3),
    ("doc", 3),
    ("progress", 3),
    ("course", 3),
    ("headless", 3),
    ("link", 3),
    ("plain", 4),
    ("tui", 4),
    ("cli", 5),
    ("config", 5),
    ("commands", 5),
    ("main", 5),
];

/// Upward edges allowed for now: (file path prefix, module imported).
const ALLOWED: &[(&str, &str)] = &[];

/// True for an edge [`ALLOWED`] lets through.
fn allowed(import: &Import) -> bool {
    ALLOWED
        .iter()
        .any(|(prefix, m)| import.file.starts_with(prefix) && *m == import.module)
}

fn floor(module: &str) -> Option<u8> {
    FLOORS.iter().find(|(m, _)| *m == module).map(|(_, f)| *f)
}

/// One `crate::module` reference: where, and which top-level module it names.
#[derive(Debug)]
struct Import {
    file: String,
    line: usize,
    module: String,
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The top-level module a file under src/ belongs to (`src/sim/net.rs` → `sim`).
fn owner(rel: &str) -> String {
    let rest = rel.strip_prefix("src/").unwrap();
    let first = rest.split('/').next().unwrap();
    first.trim_end_matches(".rs").to_owned()
}

/// `text` without its `//` comments (doc comments included), lines kept in place.
fn strip_comments(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The leading identifier of `s`.
fn ident(s: &str) -> &str {
    let end = s.find(|c: char| !is_ident(c)).unwrap_or(s.len());
    &s[..end]
}

/// The first identifier of each top-level item of the brace group `s` starts (just after
/// its `{`), with its byte offset in `s`.
fn group_heads(s: &str) -> Vec<(usize, &str)> {
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut expect_head = true;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => expect_head = true,
            c if expect_head && is_ident(c) => {
                heads.push((i, ident(&s[i..])));
                expect_head = false;
            }
            _ => {}
        }
    }
    heads
}

/// Every `crate::` reference in `text`.
fn imports(file: &str, text: &str) -> Vec<Import> {
    let code = strip_comments(text);
    let line_of = |offset: usize| code[..offset].matches('\n').count() + 1;
    let mut found = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| is_ident(c) || c == '$') {
            continue;
        }
        let after = &code[at + "crate::".len()..];
        let heads = match after.strip_prefix('{') {
            Some(group) => {
                let base = at + "crate::{".len();
                group_heads(group)
                    .into_iter()
                    .map(|(i, h)| (base + i, h))
                    .collect()
            }
            None => vec![(at, ident(after))],
        };
        for (offset, head) in heads {
            found.push(Import {
                file: file.to_owned(),
                line: line_of(offset),
                module: head.to_owned(),
            });
        }
    }
    found
}

/// Every import in src/, with the module of the file it is in.
fn all_imports() -> Vec<(String, Import)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all = Vec::new();
    for path in rust_files(&root.join("src")) {
        let rel = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel == "src/lib.rs" {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        let from = owner(&rel);
        for import in imports(&rel, &text) {
            all.push((from.clone(), import));
        }
    }
    all
}

#[test]
fn no_module_imports_a_floor_above_its_own() {
    let mut wrong = Vec::new();
    for (from, import) in all_imports() {
        let here = floor(&from).unwrap_or_else(|| panic!("{from} has no floor in FLOORS"));
        let Some(there) = floor(&import.module) else {
            // `crate::Something` re-exported at the root, or a macro: not a module.
            continue;
        };
        if there > here && !allowed(&import) {
            wrong.push(format!(
                "{}:{}: {from} (floor {here}) imports {} (floor {there})",
                import.file, import.line, import.module
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that reach a floor above:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_two_modules_import_each_other() {
    let edges: BTreeSet<(String, String)> = all_imports()
        .into_iter()
        .filter(|(from, i)| floor(&i.module).is_some() && *from != i.module)
        .filter(|(_, i)| !allowed(i))
        .map(|(from, i)| (from, i.module))
        .collect();
    let both: Vec<String> = edges
        .iter()
        .filter(|(a, b)| a < b && edges.contains(&(b.clone(), a.clone())))
        .map(|(a, b)| format!("{a} ⇄ {b}"))
        .collect();
    assert!(
        both.is_empty(),
        "modules importing each other: {}",
        both.join(", ")
    );
}

#[test]
fn the_scanner_sees_grouped_inline_and_multiline_paths() {
    let text = "use crate::sim::Sim;\n\
                // use crate::tui::App;\n\
                use crate::{lesson::{self, Lesson},\n    quiz};\n\
                fn f() { crate::doc::letter(0); $crate::cli::x; my_crate::plain::y; }\n";
    let found: Vec<(usize, String)> = imports("src/x.rs", text)
        .into_iter()
        .map(|i| (i.line, i.module))
        .collect();
    let want = [(1, "sim"), (3, "lesson"), (4, "quiz"), (5, "doc")];
    let want: Vec<(usize, String)> = want.iter().map(|(l, m)| (*l, m.to_string())).collect();
    assert_eq!(found, want);
}

/// The TUI's view modules: they draw, and only the event loop (src/tui.rs) and other views
/// may import them.
const VIEWS: &[&str] = &[
    "ui",
    "lab_view",
    "quiz_view",
    "concepts_view",
    "course_view",
    "lesson_view",
    "cells",
    "presenter_view",
    "tradeoffs_view",
];

/// The TUI module a file under src/tui/ belongs to (`src/tui/lab/walk.rs` → `lab`).
fn tui_module(rel: &str) -> Option<&str> {
    let rest = rel.strip_prefix("src/tui/")?;
    Some(rest.split('/').next()?.trim_end_matches(".rs"))
}

/// Every TUI module `text` (the file `rel`) names: `crate::tui::m`, and `super::m` or
/// `super::super::m` wherever that `super` is src/tui.
fn tui_imports(rel: &str, text: &str) -> Vec<(usize, String)> {
    let depth = rel.matches('/').count() - 2; // src/tui/x.rs: 0, src/tui/x/y.rs: 1
    let to_tui = "super::".repeat(depth + 1);
    let code = strip_comments(text);
    let line_of = |offset: usize| code[..offset].matches('\n').count() + 1;
    let mut found = Vec::new();
    for prefix in ["crate::tui::".to_owned(), to_tui] {
        for (at, _) in code.match_indices(&prefix) {
            let before = code[..at].chars().next_back();
            if before.is_some_and(|c| is_ident(c) || c == ':') {
                continue;
            }
            let after = &code[at + prefix.len()..];
            match after.strip_prefix('{') {
                Some(group) => found.extend(
                    group_heads(group)
                        .into_iter()
                        .map(|(i, h)| (line_of(at + prefix.len() + 1 + i), h.to_owned())),
                ),
                None => found.push((line_of(at), ident(after).to_owned())),
            }
        }
    }
    found.sort();
    found
}

#[test]
fn no_tui_state_module_imports_a_view() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut wrong = Vec::new();
    for path in rust_files(&root.join("src/tui")) {
        let rel = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let module = tui_module(&rel).unwrap();
        if VIEWS.contains(&module) {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        for (line, imported) in tui_imports(&rel, &text) {
            if VIEWS.contains(&imported.as_str()) {
                wrong.push(format!(
                    "{rel}:{line}: {module} (state) imports {imported} (a view)"
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "TUI state modules importing views:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_tui_scanner_resolves_super_paths() {
    let text = "use super::ui;\nuse super::super::lab_view::x;\n\
                use crate::tui::{layout, quiz_view::y};\nuse super::walk;\n";
    let found = tui_imports("src/tui/app/pointer.rs", text);
    let want = [(2, "lab_view"), (3, "layout"), (3, "quiz_view")];
    let want: Vec<(usize, String)> = want.iter().map(|(l, m)| (*l, m.to_string())).collect();
    assert_eq!(found, want);
}
