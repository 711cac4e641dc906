//! Places in a lesson file, by path: the spanned TOML document (`toml::de::DeTable`) that
//! the serde types do not keep, walked by key and index (`scenarios`, 2, `params`, `drop`)
//! to find where a value or a key is written, and which `[[...]]` entry an offset is in.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::sanitize::quote;

/// One step of a path into the document.
#[derive(Debug, Clone, Copy)]
pub enum Seg<'p> {
    /// A key of a table.
    Key(&'p str),
    /// An entry of an array (or of a list of tables), from 0.
    Index(usize),
}

pub use Seg::{Index, Key};

/// A parsed lesson file that remembers where everything is.
pub struct Doc<'a> {
    root: Spanned<DeValue<'a>>,
}

impl<'a> Doc<'a> {
    /// The document, or `None` if `source` is not valid TOML.
    pub fn parse(source: &'a str) -> Option<Doc<'a>> {
        let table = DeTable::parse(source).ok()?;
        let span = table.span();
        Some(Doc {
            root: Spanned::new(span, DeValue::Table(table.into_inner())),
        })
    }

    /// The whole document, as a table value.
    pub fn root(&self) -> &Spanned<DeValue<'a>> {
        &self.root
    }

    /// The value at `path`.
    pub fn get(&self, path: &[Seg<'_>]) -> Option<&Spanned<DeValue<'a>>> {
        let mut v = &self.root;
        for seg in path {
            v = match (seg, v.get_ref()) {
                (Key(k), DeValue::Table(t)) => t.get(*k)?,
                (Index(i), DeValue::Array(a)) => a.get(*i)?,
                _ => return None,
            };
        }
        Some(v)
    }

    /// Where the value at `path` is written (for a `[[...]]` entry: its header).
    pub fn span(&self, path: &[Seg<'_>]) -> Option<Range<usize>> {
        self.get(path).map(Spanned::span)
    }

    /// Where the last key of `path` is written.
    pub fn key_span(&self, path: &[Seg<'_>]) -> Option<Range<usize>> {
        let (Key(k), parent) = path.split_last()? else {
            return None;
        };
        let DeValue::Table(t) = self.get(parent)?.get_ref() else {
            return None;
        };
        t.get_key_value(*k).map(|(key, _)| key.span())
    }

    /// The keys of the table at `path` as written, with the span of each key and value.
    pub fn entries(&self, path: &[Seg<'_>]) -> Vec<(&str, Range<usize>, Range<usize>)> {
        match self.get(path).map(Spanned::get_ref) {
            Some(DeValue::Table(t)) => t
                .iter()
                .map(|(k, v)| (k.get_ref().as_ref(), k.span(), v.span()))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The innermost `[[...]]` entry (or inline-table entry of a list) that holds byte
    /// `offset`, named as in messages: `questions[3] (id "q4").options[1]`.
    pub fn entry_at(&self, offset: usize) -> Option<String> {
        let mut name = String::new();
        let mut found = false;
        let mut v = &self.root;
        'descend: while let DeValue::Table(t) = v.get_ref() {
            for (k, child) in t.iter() {
                match child.get_ref() {
                    DeValue::Array(a) => {
                        for (i, entry) in a.iter().enumerate() {
                            if entry.get_ref().is_table() && extent(entry).contains(&offset) {
                                push_key(&mut name, k.get_ref());
                                name.push_str(&entry_label(i, entry));
                                found = true;
                                v = entry;
                                continue 'descend;
                            }
                        }
                    }
                    DeValue::Table(_) if extent(child).contains(&offset) => {
                        push_key(&mut name, k.get_ref());
                        v = child;
                        continue 'descend;
                    }
                    _ => {}
                }
            }
            break;
        }
        found.then_some(name)
    }
}

fn push_key(name: &mut String, key: &str) {
    if !name.is_empty() {
        name.push('.');
    }
    name.push_str(&quote(key));
}

/// `[3] (id "q4")`: an entry's index and, when it has one, its id or title.
pub fn entry_label(index: usize, entry: &Spanned<DeValue<'_>>) -> String {
    let named = ["id", "title", "label"].iter().find_map(|field| {
        let v = entry.get_ref().as_table()?.get(*field)?;
        v.get_ref().as_str().map(|s| (*field, s))
    });
    match named {
        Some((field, s)) => format!("[{index}] ({field} \"{}\")", quote(s)),
        None => format!("[{index}]"),
    }
}

/// From the first to the last byte of `v` and everything in it, keys included.
fn extent(v: &Spanned<DeValue<'_>>) -> Range<usize> {
    let mut r = v.span();
    let mut widen = |s: Range<usize>| {
        if !s.is_empty() {
            r.start = r.start.min(s.start);
            r.end = r.end.max(s.end);
        }
    };
    match v.get_ref() {
        DeValue::Table(t) => {
            for (k, child) in t.iter() {
                widen(k.span());
                widen(extent(child));
            }
        }
        DeValue::Array(a) => {
            for child in a.iter() {
                widen(extent(child));
            }
        }
        _ => {}
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = r#"top = 1
[[questions]]
id = "q1"
set = { drop = 2 }

[[questions.options]]
text = "a"

[[questions.options]]
text = "b"
"#;

    #[test]
    fn paths_find_values_keys_and_entries() {
        let doc = Doc::parse(SRC).unwrap();
        let drop = doc
            .span(&[Key("questions"), Index(0), Key("set"), Key("drop")])
            .unwrap();
        assert_eq!(&SRC[drop], "2");
        let key = doc
            .key_span(&[Key("questions"), Index(0), Key("set"), Key("drop")])
            .unwrap();
        assert_eq!(&SRC[key], "drop");
        let header = doc.span(&[Key("questions"), Index(0)]).unwrap();
        assert_eq!(&SRC[header], "[[questions]]");
        let b = SRC.find("\"b\"").unwrap();
        assert_eq!(
            doc.entry_at(b).as_deref(),
            Some("questions[0] (id \"q1\").options[1]")
        );
        assert_eq!(doc.entry_at(2), None);
        let keys: Vec<&str> = doc
            .entries(&[Key("questions"), Index(0), Key("set")])
            .into_iter()
            .map(|(k, ..)| k)
            .collect();
        assert_eq!(keys, ["drop"]);
    }
}
