//! Clocks a lesson can shape: a node's clock may start skewed and drifting (`skew_ms.NODE`,
//! `drift_ppm.NODE`), and `resync NODE` sets it to true time, keeping or clearing its drift.
//! Offsets are checked against the clock's own formula, true time × (1 + ppm/10⁶) + skew.

use distlab::lesson;
use distlab::sim::{Command, Params, Sim};

const SMALLEST: &str = include_str!("fixtures/lessons/smallest.toml");

/// The offset of node `name` from true time now, in µs.
fn offset_us(sim: &Sim, name: &str) -> i64 {
    let id = sim.node_id(name).unwrap();
    sim.local_us(id) - sim.now_us() as i64
}

fn params(assignments: &[&str]) -> Params {
    let mut p = Params::default();
    let owned: Vec<String> = assignments.iter().map(|a| a.to_string()).collect();
    p.assign_all(&owned).unwrap();
    p
}

#[test]
fn a_clock_starts_skewed_and_drifting_as_the_parameters_say() {
    let p = params(&["skew_ms.n2=-500", "drift_ppm.n2=2000", "drift_ppm.n3=-100"]);
    let mut sim = Sim::new(p, 1, Vec::new());
    assert_eq!(offset_us(&sim, "n2"), -500_000);
    assert_eq!(offset_us(&sim, "n1"), 0);
    sim.run_until(10_000_000, &mut |_| {});
    // 10 s at 2000 ppm is 20 ms gained; at -100 ppm, 1 ms lost.
    assert_eq!(offset_us(&sim, "n2"), -500_000 + 20_000);
    assert_eq!(offset_us(&sim, "n3"), -1_000);
    assert_eq!(offset_us(&sim, "n1"), 0);
}

#[test]
fn resync_sets_true_time_and_keeps_or_clears_the_drift() {
    let p = params(&["skew_ms.n2=300", "drift_ppm.n2=5000"]);
    let mut sim = Sim::new(p, 1, Vec::new());
    sim.run_until(4_000_000, &mut |_| {});
    assert_eq!(offset_us(&sim, "n2"), 300_000 + 20_000);
    let resync = Command::parse("resync n2").unwrap();
    assert_eq!(resync.to_string(), "resync n2");
    assert_eq!(Command::parse("resync n2 keep-drift").unwrap(), resync);
    sim.apply(resync, &mut |_| {}).unwrap();
    assert_eq!(offset_us(&sim, "n2"), 0);
    // It still runs fast: 5 ms gained in the next second.
    sim.run_until(5_000_000, &mut |_| {});
    assert_eq!(offset_us(&sim, "n2"), 5_000);
    let exact = Command::parse("resync n2 clear-drift").unwrap();
    assert_eq!(Command::parse(&exact.to_string()).unwrap(), exact);
    sim.apply(exact, &mut |_| {}).unwrap();
    sim.run_until(9_000_000, &mut |_| {});
    assert_eq!(offset_us(&sim, "n2"), 0);
    // `skew n2 0` alone would not have done it: the drift goes on.
    let p = params(&["drift_ppm.n2=5000"]);
    let mut sim = Sim::new(p, 1, Vec::new());
    sim.run_until(2_000_000, &mut |_| {});
    sim.apply(Command::parse("skew n2 0").unwrap(), &mut |_| {})
        .unwrap();
    assert_eq!(offset_us(&sim, "n2"), 10_000);
    // Bad forms are refused with the usage.
    for bad in ["resync", "resync n2 sometimes", "resync n2 keep-drift now"] {
        let e = Command::parse(bad).unwrap_err();
        assert!(
            e.contains("resync NODE [keep-drift|clear-drift]"),
            "{bad}: {e}"
        );
    }
    assert!(
        sim.apply(Command::parse("resync n9").unwrap(), &mut |_| {})
            .is_err()
    );
}

#[test]
fn a_clock_for_a_node_the_cluster_lacks_is_an_error_at_its_place_in_the_lesson() {
    let lab = "\n[[scenarios]]\nid = \"clocks\"\ntitle = \"Clocks\"\nconcept = \"messages\"\n\
               notice = \"Two clocks disagree.\"\n\n[scenarios.params]\n\
               skew_ms = { n2 = -500, n7 = 100 }\ndrift_ppm.n2 = 50\n";
    let src = format!("{SMALLEST}{lab}");
    let err = lesson::parse("clocks.toml", src.as_bytes()).unwrap_err();
    let p = &err.problems()[0];
    let line = src.lines().position(|l| l.starts_with("skew_ms")).unwrap() + 1;
    assert_eq!(p.line, line, "{err}");
    let column = src.lines().nth(line - 1).unwrap().find("100").unwrap() + 1;
    assert_eq!(p.column, column, "{err}");
    assert!(p.message.contains("no node named `n7`"), "{err}");
    // Without the stray node it loads, with both forms of the table.
    let fixed = src.replace(", n7 = 100", "");
    let l = lesson::parse("clocks.toml", fixed.as_bytes()).unwrap();
    let sim = Sim::from_scenario(&l.scenarios[0], 1).unwrap();
    let n2 = sim.node_id("n2").unwrap();
    let clock = sim.nodes()[n2 as usize].clock;
    assert_eq!((clock.skew_ms, clock.drift_ppm), (-500, 50));
}
