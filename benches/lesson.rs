//! Loading lessons: the built-in Day 001 lesson (parsed and validated at every start, lab
//! questions included), and files near the 4 MiB limit, valid and broken, which must stay
//! well under a second (placing each problem once took time linear in the file, so a large
//! broken file took minutes).

use criterion::{Criterion, criterion_group, criterion_main};
use distlab::lesson;

const DAY001: &str = include_str!("../lessons/day001.toml");

/// Day 001 with `n` small choice questions added: a valid lesson of about 180·n bytes.
fn with_questions(n: usize) -> String {
    let at = DAY001
        .find("[[questions]]")
        .expect("the lesson has questions");
    let mut extra = String::new();
    for k in 0..n {
        extra.push_str(&format!(
            "[[questions]]\nid = \"x{k}\"\nchecks = \"intro\"\ntext = \"t\"\nexplanation = \"e\"\n\
             [[questions.options]]\ntext = \"a\"\ncorrect = true\nwhy = \"w\"\n\
             [[questions.options]]\ntext = \"b\"\nwhy = \"w\"\n\n"
        ));
    }
    format!("{}{extra}{}", &DAY001[..at], &DAY001[at..])
}

/// Day 001 with `n` unknown keys in `[why]`: a broken lesson with `n` problems.
fn with_unknown_keys(n: usize) -> String {
    let keys: String = (0..n).map(|k| format!("k{k} = 1\n")).collect();
    DAY001.replacen("[why]\n", &format!("[why]\n{keys}"), 1)
}

fn load(c: &mut Criterion) {
    c.bench_function("load day001 (built in)", |b| {
        b.iter(|| lesson::builtin().expect("valid"))
    });
    let valid = with_questions(20_000);
    assert!(lesson::parse("many.toml", valid.as_bytes()).is_ok());
    c.bench_function("load a valid 3.6 MB lesson (20,000 questions)", |b| {
        b.iter(|| lesson::parse("many.toml", valid.as_bytes()).is_ok())
    });
    let broken = with_unknown_keys(80_000);
    c.bench_function("reject a 0.8 MB lesson with 80,000 problems", |b| {
        b.iter(|| {
            lesson::parse("broken.toml", broken.as_bytes())
                .unwrap_err()
                .to_string()
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = load
}
criterion_main!(benches);
