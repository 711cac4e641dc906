//! Node names a lesson chooses: `name.n1 = "lisbon"` in a scenario's parameters (or
//! `--set name.n1=lisbon`). Checked: unique, short, safe characters, and naming a node the
//! cluster has; every command, claim and screen then uses the chosen name.

mod tui_support;

use distlab::lesson;
use distlab::sim::{Params, Sim};

const SMALLEST: &str = include_str!("fixtures/lessons/smallest.toml");

fn with_scenario(params: &str, extra: &str) -> String {
    format!(
        "{SMALLEST}\n[[scenarios]]\nid = \"cities\"\ntitle = \"Cities\"\nconcept = \"messages\"\n\
         notice = \"The primary in Lisbon crashes.\"\n{extra}\n[scenarios.params]\n{params}\n"
    )
}

#[test]
fn chosen_names_are_what_commands_claims_and_runs_use() {
    let src = with_scenario(
        "name = { n1 = \"lisbon\", n2 = \"tokyo\", c1 = \"shop\" }\nreplicas = 2",
        "events = [{ at_ms = 2000, command = \"crash lisbon\" }]\n\
         expect = \"lisbon.status == crashed and tokyo.status == up\"\n\n\
         [[scenarios.steps]]\nat_ms = 3000\ncaption = \"lisbon is {lisbon.status}.\"\n\
         expect = \"lisbon.status == crashed\"\n",
    );
    let l = lesson::parse("cities.toml", src.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let mut sim = Sim::from_scenario(&l.scenarios[0], 1).unwrap();
    let names: Vec<&str> = sim.nodes().iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["lisbon", "tokyo", "n3", "shop"]);
    let mut seen = Vec::new();
    sim.run_until(2_500_000, &mut |e| {
        seen.push(distlab::sim::narrate::narrate(
            &["lisbon".into(), "tokyo".into(), "n3".into(), "shop".into()],
            e,
        ))
    });
    assert!(seen.iter().any(|l| l.contains("crash lisbon")), "{seen:?}");
    assert!(
        seen.iter().any(|l| l.contains("shop → lisbon write(")),
        "{seen:?}"
    );
    // The built-in name is gone: a command that uses it says so.
    let old = src.replace("command = \"crash lisbon\"", "command = \"crash n1\"");
    let err = lesson::parse("cities.toml", old.as_bytes())
        .unwrap_err()
        .to_string();
    assert!(err.contains("no node named `n1`"), "{err}");
    // The cluster screen draws them.
    let mut h = tui_support::Harness::new(120, 40);
    h.app.lesson = l;
    h.lab_on("cities");
    let screen = h.screen();
    for name in ["lisbon", "tokyo", "shop"] {
        assert!(screen.contains(name), "{name} missing:\n{screen}");
    }
}

#[test]
fn a_bad_name_is_refused_at_its_place() {
    for (written, message) in [
        ("n1 = \"n2\"", "`n2` already names another node"),
        ("n1 = \"a b\"", "not a safe node name"),
        ("n1 = \"9lives\"", "not a safe node name"),
        ("n1 = \"averyverylongname\"", "too long"),
        ("n7 = \"x\"", "this cluster has no node `n7` to name"),
    ] {
        let src = with_scenario(&format!("name = {{ {written} }}"), "");
        let err = lesson::parse("cities.toml", src.as_bytes()).unwrap_err();
        let p = &err.problems()[0];
        let line = src.lines().position(|l| l.starts_with("name = ")).unwrap() + 1;
        assert_eq!(p.line, line, "{written}: {err}");
        assert!(p.message.contains(message), "{written}: {err}");
    }
    // The same check for --set.
    let mut p = Params::default();
    let e = p.assign_all(&["name.c1=n1".into()]).unwrap_err().1;
    assert!(e.to_string().contains("already names another node"), "{e}");
}

#[test]
fn nine_servers_and_four_clients_are_all_drawn_at_120x40() {
    let src = with_scenario("replicas = 8\nclients = 4\ndrop = 0.1", "");
    let l = lesson::parse("big.toml", src.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let mut h = tui_support::Harness::new(120, 40);
    h.app.lesson = l;
    h.lab_on("cities");
    h.keys(" ");
    h.action(distlab::tui::action::Action::Tick(
        std::time::Duration::from_secs(3),
    ));
    h.keys(" ");
    let screen = h.screen();
    let rows: Vec<&str> = screen.lines().collect();
    // The cluster box and the space-time box, by their titles.
    let top = |title: &str| rows.iter().position(|r| r.contains(title)).unwrap();
    let (cluster, spacetime) = (top("┌ Cluster"), top("Space-time"));
    let names: Vec<String> = (1..=9)
        .map(|i| format!("n{i}"))
        .chain((1..=4).map(|i| format!("c{i}")))
        .collect();
    for name in &names {
        // On the cluster picture (its left half), as a node: `● n7`.
        let drawn = rows[cluster..spacetime].iter().any(|r| {
            r.chars()
                .take(66)
                .collect::<String>()
                .contains(&format!("● {name}"))
        });
        assert!(drawn, "{name} not on the cluster:\n{screen}");
        // And a lane of its own on the space-time diagram.
        let lane = rows[spacetime..]
            .iter()
            .filter(|r| r.contains(&format!("│{name} ")))
            .count();
        assert_eq!(lane, 1, "{name}'s lane:\n{screen}");
    }
}
