//! No input makes the loader panic: random bytes, and random mutations of the real lesson.
//! Every rejection must also be a located, printable error.

use distlab::lesson::{self, LessonError};
use proptest::prelude::*;

const DAY001: &str = include_str!("../lessons/day001.toml");

fn check(bytes: &[u8]) {
    match lesson::parse("fuzz.toml", bytes) {
        Ok(l) => assert!(!l.title.is_blank()),
        Err(e) => {
            let msg = e.to_string();
            assert!(msg.starts_with("fuzz.toml"), "error names the file: {msg}");
            if let LessonError::Invalid { problems, .. } = &e {
                assert!(!problems.is_empty());
                assert!(problems.iter().all(|p| p.line >= 1 && p.column >= 1));
                // All problems at once, in file order, none told twice.
                assert!(
                    problems
                        .windows(2)
                        .all(|w| (w[0].line, w[0].column) <= (w[1].line, w[1].column))
                );
                for (i, p) in problems.iter().enumerate() {
                    assert!(!problems[..i].contains(p), "reported twice: {p}");
                }
            }
        }
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete { at: usize, len: usize },
    Insert { at: usize, bytes: Vec<u8> },
    DuplicateLine { line: usize },
    SwapLines { a: usize, b: usize },
    Truncate { at: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1usize..64).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..12))
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        (
            any::<usize>(),
            prop::sample::select(vec![
                &b"\""[..],
                b"[[",
                b"]",
                b"=",
                b"\n",
                b"'''",
                b"\x1b[2J"
            ])
        )
            .prop_map(|(at, b)| Mutation::Insert {
                at,
                bytes: b.to_vec()
            }),
        any::<usize>().prop_map(|line| Mutation::DuplicateLine { line }),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines { a, b }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
    ]
}

fn apply(src: &mut Vec<u8>, m: &Mutation) {
    match m {
        Mutation::Delete { at, len } => {
            let at = at % src.len().max(1);
            let end = (at + len).min(src.len());
            src.drain(at..end);
        }
        Mutation::Insert { at, bytes } => {
            let at = at % (src.len() + 1);
            src.splice(at..at, bytes.iter().copied());
        }
        Mutation::DuplicateLine { line } => {
            let mut lines: Vec<Vec<u8>> = src.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
            let i = line % lines.len();
            lines.insert(i, lines[i].clone());
            *src = lines.join(&b'\n');
        }
        Mutation::SwapLines { a, b } => {
            let mut lines: Vec<Vec<u8>> = src.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
            let n = lines.len();
            lines.swap(a % n, b % n);
            *src = lines.join(&b'\n');
        }
        Mutation::Truncate { at } => {
            let at = at % (src.len() + 1);
            src.truncate(at);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check(&bytes);
    }

    #[test]
    fn random_toml_like_text_never_panics(text in "[a-z_=\\[\\]\"' \n0-9.{},#]{0,300}") {
        check(text.as_bytes());
    }

    #[test]
    fn mutated_lesson_never_panics(mutations in prop::collection::vec(mutation(), 1..6)) {
        let mut src = DAY001.as_bytes().to_vec();
        for m in &mutations {
            apply(&mut src, m);
        }
        check(&src);
    }
}

#[test]
fn unmutated_lesson_passes_the_same_check() {
    assert!(lesson::parse("fuzz.toml", DAY001.as_bytes()).is_ok());
}
