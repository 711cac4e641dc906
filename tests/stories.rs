//! True stories: every shipped walkthrough's claims hold on seeds 1-100 (the same code
//! `distlab check` runs), a false claim is rejected at its place with a failing seed, each
//! step pauses on its event and the lab shows it, and broken claims, events and
//! interpolations are load errors at file:line:col.

mod common;
mod tui_support;

use distlab::lesson::story::{self, seeds};
use distlab::lesson::{self, BUILTIN_SOURCE};
use distlab::sim::Sim;
use distlab::sim::story::{Target, walk};
use ratatui::crossterm::event::KeyCode;

#[test]
fn every_shipped_walkthrough_holds_on_seeds_1_to_100() {
    let l = lesson::builtin().unwrap();
    let report = seeds::check(&l, 1..=100, "");
    let errors: Vec<&str> = report.errors.iter().map(|f| f.message.as_str()).collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let warnings: Vec<&str> = report.warnings.iter().map(|f| f.message.as_str()).collect();
    assert!(warnings.is_empty(), "{}", warnings.join("\n"));
    assert_eq!(report.runs, 100 * l.scenarios.len() as u64);
    // Every step of a shipped walkthrough carries a claim or quotes the run, except the
    // ones that only explain the setup.
    for sc in &l.scenarios {
        let sim = Sim::from_scenario(sc, 1).unwrap();
        let st = story::story(sc, &sim).unwrap();
        let checked = st
            .steps
            .iter()
            .filter(|p| !p.claims.is_empty() || p.caption.quotes_run())
            .count();
        assert!(
            checked + 2 >= st.steps.len(),
            "{}: {checked} of {} steps checked",
            sc.id,
            st.steps.len()
        );
        assert!(sc.expect.is_some(), "{}: the notice has claims", sc.id);
    }
}

/// The built-in lesson with `from` replaced by `to` (which must occur exactly once).
fn edited(from: &str, to: &str) -> String {
    assert_eq!(
        BUILTIN_SOURCE.matches(from).count(),
        1,
        "`{from}` is unique"
    );
    BUILTIN_SOURCE.replacen(from, to, 1)
}

fn line_of(source: &str, needle: &str) -> usize {
    source[..source.find(needle).unwrap()].matches('\n').count() + 1
}

#[test]
fn a_false_claim_is_rejected_at_the_step_with_the_seeds_and_a_reproducer() {
    let false_claim =
        r#"expect = "new.writes_acked >= 1 and acked_writes_lost == 0 and n3.status == up""#;
    let src = edited(
        false_claim,
        r#"expect = "new.writes_acked >= 1 and acked_writes_lost == 1 and n3.status == up""#,
    );
    let l = lesson::parse("t.toml", src.as_bytes()).expect("a false claim still loads");
    let report = seeds::check(&l, 1..=20, "--lesson t.toml ");
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    let e = &report.errors[0];
    assert!(
        e.message
            .contains("scenario `sync-drop`, step 6 (at 26000 ms)"),
        "{}",
        e.message
    );
    assert!(
        e.message
            .contains("claim `acked_writes_lost == 1` fails on 20 of 20 seeds"),
        "{}",
        e.message
    );
    assert!(
        e.message.contains("on seed 1, acked_writes_lost = 0"),
        "{}",
        e.message
    );
    assert!(
        e.message
            .contains("reproduce: distlab --lesson t.toml sim sync-drop --seed 1 --walkthrough"),
        "{}",
        e.message
    );
    let rendered =
        lesson::problems_at("t.toml", &src, [(e.span.clone(), e.message.clone())]).to_string();
    let line = line_of(&src, "acked_writes_lost == 1");
    assert!(
        rendered.starts_with(&format!("t.toml:{line}:10: ")),
        "{rendered}"
    );
}

#[test]
fn distlab_check_runs_the_stories_and_exits_2_naming_the_file_line_and_seed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("day.toml");
    let src = edited(
        r#"expect = "@primary.status == crashed and failovers == 0""#,
        r#"expect = "@primary.status == crashed and failovers == 1""#,
    );
    std::fs::write(&path, &src).unwrap();
    let out = common::distlab()
        .args(["check", "--seeds", "3-7"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let line = line_of(&src, "crashed and failovers == 1\"");
    assert!(
        err.contains(&format!(
            "day.toml:{line}:10: scenario `async-drop`, step 3 (until crash)"
        )),
        "{err}"
    );
    assert!(
        err.contains("fails on 5 of 5 seeds (3, 4, 5, 6, 7;"),
        "{err}"
    );
    assert!(
        err.contains("sim async-drop --seed 3 --walkthrough"),
        "{err}"
    );
    let ok = common::distlab()
        .args(["check", "lessons/day001.toml"])
        .output()
        .unwrap();
    assert_eq!(ok.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("walkthroughs checked on seeds 1-100"));
    let bad = common::distlab()
        .args(["check", "--seeds", "9-2", "lessons/day001.toml"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--seeds: seed range 9-2 is empty"));
}

#[test]
fn each_step_pauses_on_its_event_and_nothing_after_it() {
    let l = lesson::builtin().unwrap();
    for sc in &l.scenarios {
        for seed in 1..=5 {
            let mut sim = Sim::from_scenario(sc, seed).unwrap();
            let st = story::story(sc, &sim).unwrap();
            let end_us = sim.params().duration_ms * 1000;
            let latest = std::cell::Cell::new(0u64);
            let names = sim.node_names();
            let mut paused = Vec::new();
            walk(
                &st,
                &mut sim,
                end_us,
                &mut |e| latest.set(latest.get().max(e.t_us)),
                &mut |a| paused.push((a.clone(), latest.get())),
            );
            assert_eq!(paused.len(), st.steps.len(), "{} seed {seed}", sc.id);
            for (a, latest) in paused {
                assert!(
                    latest <= a.t_us,
                    "{} seed {seed} step {}: nothing after the pause ran",
                    sc.id,
                    a.step + 1
                );
                match &st.steps[a.step].target {
                    Target::Until(anchor) => {
                        let e = a.anchor.as_ref().expect("the event happened");
                        assert_eq!(e.t_us, a.t_us, "{}: paused on the event", sc.id);
                        assert_eq!(
                            latest, e.t_us,
                            "{}: the event is the last one before the pause",
                            sc.id
                        );
                        assert!(
                            anchor.matches(e, &names),
                            "{}: {e:?} is a `{anchor}`",
                            sc.id
                        );
                    }
                    Target::At(t) => assert_eq!(a.t_us, *t, "{}: paused at the step's time", sc.id),
                }
            }
        }
    }
}

#[test]
fn the_lab_marks_the_steps_event_and_the_latest_event_in_free_run() {
    let mut h = tui_support::Harness::new(120, 40);
    h.lab_on("async-drop");
    h.keys("g");
    // Step 4 waits for the first lost write.
    h.key(KeyCode::Right);
    for _ in 0..3 {
        h.key(KeyCode::Right).key(KeyCode::Right);
    }
    let lab = h.app.lab.as_ref().unwrap();
    let walk = lab.walk.clone().unwrap();
    assert_eq!(walk.reached, Some(3));
    let arrival = walk.arrival.unwrap();
    let anchor = arrival.anchor.clone().expect("paused on the lost write");
    let line = lab.sim.narrate(&anchor);
    assert!(line.contains("ACKNOWLEDGED WRITE LOST"), "{line}");
    let screen = h.screen();
    assert!(
        screen.contains(&format!("⚑ {}", &line[..40])),
        "the banner quotes the trace:\n{screen}"
    );
    assert!(
        screen.contains("Step 4/5 ✓"),
        "the step's claims hold here:\n{screen}"
    );
    assert!(
        !screen.contains('{'),
        "no raw interpolation on screen:\n{screen}"
    );
    // The cluster and the space-time diagram mark the node it is about.
    assert!(screen.matches('⚑').count() >= 2, "{screen}");
    // Free run: leave the walkthrough, and the banner names the latest notable event.
    h.key(KeyCode::Esc);
    let screen = h.screen();
    assert!(screen.contains("⚑ latest: t="), "{screen}");
}

/// Loads the built-in lesson with one edit and returns its first problem as
/// `line:column: message`.
fn problem(from: &str, to: &str) -> String {
    let src = edited(from, to);
    let err = lesson::parse("t.toml", src.as_bytes()).expect_err("the edit breaks the lesson");
    err.problems()[0].to_string()
}

#[test]
fn broken_claims_events_nodes_and_interpolations_are_errors_at_their_place() {
    let step = r#"until = "crash"
caption = "At {event.t} s the primary crashes."#;
    let l = |needle: &str, src: &str| line_of(src, needle);
    let cases = [
        (
            r#"expect = "@primary.status == crashed and failovers == 0""#,
            r#"expect = "@primary.status == crashed and falovers == 0""#,
            "unknown term `falovers`",
        ),
        (
            r#"expect = "@primary.status == crashed and failovers == 0""#,
            r#"expect = "n10.status == crashed""#,
            "no node `n10` in this scenario",
        ),
        (
            r#"expect = "@primary.status == crashed and failovers == 0""#,
            r#"expect = "replica-1.status == crashed""#,
            "no node `replica-1` in this scenario; nodes: n1, n2, n3, c1 (nodes are named by identity now, and a role is a badge: `replica-1` is `n2`",
        ),
        (
            r#"expect = "@primary.status == crashed and failovers == 0""#,
            r#"expect = "@primary.status > crashed""#,
            "compares words: use == or !=",
        ),
        (
            r#"until = "crash"
caption = "At {event.t} s the primary, {event.node}, crashes. Its"#,
            r#"until = "explosion"
caption = "At {event.t} s the primary crashes. Its"#,
            "unknown event `explosion`",
        ),
        (
            r#"until = "crash"
caption = "At {event.t} s the primary, {event.node}, crashes. Its"#,
            r#"until = "crash"
caption = "At {event.t s the primary crashes. Its"#,
            "is not closed with `}`",
        ),
        (
            r#"until = "crash"
caption = "At {event.t} s the primary, {event.node}, crashes. Its"#,
            r#"at_ms = 12000
caption = "At {event.t} s the primary crashes. Its"#,
            "`event.t` names the event the step paused on, but this step has no `until`",
        ),
    ];
    let _ = step;
    for (from, to, want) in cases {
        let p = problem(from, to);
        let src = edited(from, to);
        let line = l(to.lines().last().unwrap(), &src);
        assert!(p.contains(want), "{p}");
        let at: usize = p.split(':').next().unwrap().parse().unwrap();
        assert!(at == line || at + 1 == line, "{p} is at line {line}");
    }
}

#[test]
fn a_version_1_lesson_still_loads() {
    for old in ["format_version = 1", "format_version = 2"] {
        let src = BUILTIN_SOURCE.replacen("format_version = 3", old, 1);
        assert!(lesson::parse("old.toml", src.as_bytes()).is_ok(), "{old}");
    }
    let src = BUILTIN_SOURCE.replacen("format_version = 3", "format_version = 4", 1);
    let err = lesson::parse("new.toml", src.as_bytes())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("this distlab reads format_version 1 to 3"),
        "{err}"
    );
}

#[test]
fn sim_walkthrough_prints_each_step_with_its_claims() {
    let out = common::distlab()
        .args(["sim", "async-drop", "--walkthrough", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let steps: Vec<serde_json::Value> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["type"] == "step")
        .collect();
    assert_eq!(steps.len(), 5);
    for s in &steps {
        assert_eq!(s["held"], true, "{s}");
        assert!(!s["caption"].as_str().unwrap().contains('{'), "{s}");
    }
    assert_eq!(steps[3]["reached"], "until write_lost");
    assert!(
        steps[3]["event"]
            .as_str()
            .unwrap()
            .contains("ACKNOWLEDGED WRITE LOST")
    );
    assert_eq!(steps[3]["claims"][0]["claim"], "failovers == 1");
    assert_eq!(steps[3]["claims"][0]["value"], "1");
    let plain = common::distlab()
        .args(["sim", "sync-drop", "--walkthrough", "--seed", "4"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&plain.stdout);
    assert!(
        text.contains("── step 3/6 · t=12.000s · until crash n3 ──"),
        "{text}"
    );
    assert!(
        text.contains("✓ new.writes_acked == 0 (here new.writes_acked = 0)"),
        "{text}"
    );
    assert!(text.contains("── end of the run ──"), "{text}");
}

#[test]
fn a_caption_that_states_a_number_with_nothing_to_check_it_is_a_warning() {
    let src = edited(
        r#"caption = "Adding shards would not help eu: all of its customers still route to one shard. Fixing a hotspot means splitting that key range, not adding machines elsewhere.""#,
        r#"caption = "Adding 3 shards would not help eu.""#,
    );
    let l = lesson::parse("t.toml", src.as_bytes()).unwrap();
    let report = seeds::check(&l, 1..=2, "");
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    let w = &report.warnings[0].message;
    assert!(
        w.contains("scenario `sharding`, step 4: the caption states a number"),
        "{w}"
    );
    // A number inside a name is not a claim.
    let src = edited(
        r#"caption = "Adding shards would not help eu: all of its customers still route to one shard. Fixing a hotspot means splitting that key range, not adding machines elsewhere.""#,
        r#"caption = "shard-eu and shard-us2 are names, not numbers.""#,
    );
    let l = lesson::parse("t.toml", src.as_bytes()).unwrap();
    assert!(seeds::check(&l, 1..=2, "").warnings.is_empty());
}

#[test]
fn an_event_that_never_comes_is_an_error_and_the_lab_says_so() {
    // The checkout scenario has no failover: a step waiting for one never arrives.
    let from = r#"until = "order_failed""#;
    let src = edited(from, r#"until = "failover""#);
    let l = lesson::parse("t.toml", src.as_bytes()).unwrap();
    let report = seeds::check(&l, 1..=3, "");
    let e = report
        .errors
        .iter()
        .find(|e| {
            e.message
                .contains("the event `failover` does not happen on 3 of 3 seeds (1, 2, 3)")
        })
        .unwrap_or_else(|| panic!("{:?}", report.errors));
    let checkout = src.find(r#"id = "checkout""#).unwrap();
    let expected =
        line_of(&src[checkout..], r#"until = "failover""#) + src[..checkout].matches('\n').count();
    assert_eq!(expected, {
        let p = lesson::problems_at("t.toml", &src, [(e.span.clone(), e.message.clone())]);
        p.problems()[0].line
    });
    // In the lab, the step pauses at the end of the run and says why.
    let index = l.scenarios.iter().position(|s| s.id == "checkout").unwrap();
    let mut lab = distlab::tui::lab::Lab::new(&l.scenarios, index, 1).unwrap();
    assert_eq!(lab.scenario().id, "checkout");
    lab.start_walkthrough();
    while lab.walk.as_ref().unwrap().reached != Some(3) {
        lab.update(distlab::tui::action::LabAction::WalkNext, &l.scenarios);
    }
    let arrival = lab.walk.clone().unwrap().arrival.unwrap();
    assert_eq!(arrival.step, 3);
    assert!(arrival.missed && !arrival.true_here());
    assert_eq!(lab.sim.now_us(), lab.end_us());
}

#[test]
fn format_md_documents_every_event_a_step_can_wait_for() {
    let format =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/lessons/FORMAT.md")).unwrap();
    for (word, _) in distlab::sim::story::Anchor::documented() {
        assert!(
            format.contains(&format!("`{word}")),
            "FORMAT.md does not name the event `{word}`"
        );
    }
}
