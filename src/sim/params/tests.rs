use super::*;

#[test]
fn table_overrides_defaults() {
    let t: toml::Table = toml::from_str("mode = \"quorum\"\ndrop = 0.2\nreplicas = 4").unwrap();
    let p = Params::from_table(&t).unwrap();
    assert_eq!(p.mode, Mode::Quorum);
    assert_eq!(p.drop, 0.2);
    assert_eq!(p.replicas, 4);
    assert_eq!(p.timestamps, Stamps::Wall);
}

#[test]
fn errors_name_the_key_and_the_choices() {
    let mut p = Params::default();
    let e = p.set("mode", "fast").unwrap_err();
    assert_eq!(e.key(), Some("mode"));
    assert!(e.to_string().contains("async | sync | quorum"), "{e}");
    let e = p.set("nope", "1").unwrap_err();
    assert!(e.to_string().contains("timestamps"), "{e}");
    assert!(p.set("drop", "1.5").is_err());
    assert!(p.set_assignment("drop").is_err());
    assert!(p.set_assignment("latency_ms_max=1").is_err());
}

#[test]
fn every_spec_key_is_settable_with_its_default() {
    for s in SPECS {
        let mut p = Params::default();
        p.set(s.key, s.default)
            .unwrap_or_else(|e| panic!("{}: {e}", s.key));
        assert_eq!(p, Params::default(), "default of {} disagrees", s.key);
    }
}

/// Each spec's `ty` (what FORMAT.md shows) states the range `set` checks, and both ends of
/// an integer range are accepted while one past them is refused with the range stated.
#[test]
fn every_spec_states_and_enforces_its_range() {
    for s in SPECS {
        let mut p = Params::default();
        match s.range {
            Range::Int(lo, hi) => {
                assert!(
                    s.ty.contains(&format!("{lo}..={hi}")) || s.key == "replicas",
                    "{}",
                    s.ty
                );
                p.set(s.key, &lo.to_string()).unwrap();
                p.set(s.key, &hi.to_string()).unwrap();
                let e = p.set(s.key, &(hi + 1).to_string()).unwrap_err().to_string();
                assert!(e.contains("out of range; expected an integer"), "{e}");
                assert!(e.contains(s.ty), "{e}");
            }
            Range::Num(lo, hi) => {
                assert!(s.ty.contains(&format!("{lo}..={hi}")), "{}", s.ty);
                p.set(s.key, &lo.to_string()).unwrap();
                p.set(s.key, &hi.to_string()).unwrap();
                let e = p
                    .set(s.key, &(hi * 2.0).to_string())
                    .unwrap_err()
                    .to_string();
                assert!(e.contains("out of range; expected a "), "{e}");
                assert!(e.contains(s.ty), "{e}");
            }
            Range::Words(words) => {
                assert_eq!(s.ty, words.join(" | "));
                // Every word is a different setting.
                let mut seen: Vec<Params> = Vec::new();
                for w in words {
                    let mut p = Params::default();
                    p.set(s.key, w).unwrap();
                    assert!(!seen.contains(&p), "{} = {w} sets nothing new", s.key);
                    seen.push(p);
                }
            }
        }
    }
}

#[test]
fn a_whole_number_out_of_range_is_not_called_fractional() {
    let mut p = Params::default();
    for v in ["99999999999999999999", "-1", "9", "+10"] {
        let e = p.set("replicas", v).unwrap_err().to_string();
        assert!(
            e.contains("out of range; expected an integer 1..=8"),
            "{v}: {e}"
        );
    }
    let e = p.set("replicas", "2.5").unwrap_err().to_string();
    assert!(e.contains("not a whole number"), "{e}");
    let e = p.set("timeout_ms", "-5").unwrap_err().to_string();
    assert!(
        e.contains("out of range; expected an integer ms 1..=86400000"),
        "{e}"
    );
}

#[test]
fn replicas_follow_the_kind() {
    let table = |s: &str| -> toml::Table { toml::from_str(s).unwrap() };
    let e = Params::from_table(&table("replicas = 0")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "parameter `replicas` = 0: out of range for kind = replication; expected an integer 1..=8 for kind = replication"
    );
    assert_eq!(e.keys(), ["replicas", "kind"]);
    let e = Params::from_table(&table("kind = \"detector\"\nreplicas = 0")).unwrap_err();
    assert!(e.to_string().contains("1..=8 for kind = detector"), "{e}");
    let e = Params::from_table(&table("kind = \"sharding\"\nreplicas = 2")).unwrap_err();
    assert!(e.to_string().contains("0..=1 for kind = sharding"), "{e}");
    assert!(Params::from_table(&table("kind = \"sharding\"\nreplicas = 0")).is_ok());
    assert!(Params::from_table(&table("kind = \"checkout\"\nreplicas = 0")).is_ok());
}

#[test]
fn every_key_problem_of_a_table_is_reported() {
    let t: toml::Table = toml::from_str("drop = 2\nmode = \"fast\"\nnope = 1").unwrap();
    let errors = Params::from_table_all(&t).unwrap_err();
    let keys: Vec<_> = errors.iter().map(|e| e.key().unwrap().to_owned()).collect();
    assert_eq!(keys, ["drop", "mode", "nope"]);
}

#[test]
fn assignments_are_checked_together() {
    let sets = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut p = Params::default();
    p.assign_all(&sets(&["latency_ms_min=200", "latency_ms_max=900"]))
        .unwrap();
    assert_eq!((p.latency_ms_min, p.latency_ms_max), (200.0, 900.0));
    let mut p = Params::default();
    let (at, e) = p
        .assign_all(&sets(&["mode=sync", "latency_ms_min=900"]))
        .unwrap_err();
    assert_eq!(at, Some(1), "{e}");
    let (at, e) = Params::default()
        .assign_all(&sets(&["drop=0.1", "drop=7", "mode=sync"]))
        .unwrap_err();
    assert_eq!((at, e.key()), (Some(1), Some("drop")));
    let (at, _) = Params::default().assign_all(&sets(&["drop"])).unwrap_err();
    assert_eq!(at, Some(0));
}
