//! The causal chains of `sim::why`, checked on every scenario and many seeds against an
//! oracle of their own: vector clocks computed here from the trace (each node's events in
//! order, a message's send before its delivery), independent of the chains' code.

use std::collections::HashMap;

use distlab::headless::scenarios;
use distlab::sim::why::{self, Anomaly, Counterfactuals, Explanation, Replay, Setting, Tie};
use distlab::sim::{Event, EventKind, Msg, OrderNote, Scenario, Sim};

const SEEDS: u64 = 100;
/// Seeds each walkthrough runs on (its steps' commands make anomalies the plain run has not).
const WALK_SEEDS: u64 = 20;

/// Where an event happens: a node's index, or `None` for the environment (commands) and
/// the simulator's checker, which sees everything before it.
fn site(e: &Event, names: &[String]) -> Site {
    let named = |n: &str| names.iter().position(|x| x == n);
    match &e.kind {
        EventKind::Sent(p) => Site::Node(p.from as usize),
        EventKind::Delivered(p) => Site::Node(p.to as usize),
        EventKind::Dropped(..) => Site::Lost,
        EventKind::Client(op) => Site::Node(op.client as usize),
        EventKind::StaleRead { client, .. } | EventKind::LateAck { client, .. } => {
            Site::Node(*client as usize)
        }
        EventKind::Suspect { monitor, .. } | EventKind::Trust { monitor, .. } => {
            Site::Node(*monitor as usize)
        }
        EventKind::Failover { new: Some(n), .. } => Site::Node(*n as usize),
        EventKind::SteppedDown { node, .. }
        | EventKind::MemoryLost { node, .. }
        | EventKind::Conflict { node, .. } => Site::Node(*node as usize),
        EventKind::Resumed(n) => Site::Node(*n as usize),
        EventKind::Order {
            note: OrderNote::Charged { .. },
            ..
        } => named("payment").map_or(Site::Checker, Site::Node),
        EventKind::Order { .. } => named("order").map_or(Site::Checker, Site::Node),
        EventKind::Shed { shard } => Site::Node(*shard as usize),
        EventKind::Command { .. } | EventKind::CommandFailed { .. } => Site::Environment,
        _ => Site::Checker,
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Site {
    Node(usize),
    /// A loss on the way: after its send only.
    Lost,
    Environment,
    Checker,
}

/// Vector clocks of every event (one entry per node).
fn clocks(trace: &[Event], names: &[String]) -> Vec<Vec<u32>> {
    let n = names.len();
    let mut node: Vec<Vec<u32>> = vec![vec![0; n]; n];
    let mut sent: HashMap<u64, Vec<u32>> = HashMap::new();
    let mut all = vec![0u32; n];
    let mut out = Vec::with_capacity(trace.len());
    for e in trace {
        let vc = match (site(e, names), &e.kind) {
            (Site::Node(i), kind) => {
                if let EventKind::Delivered(p) = kind
                    && let Some(s) = sent.get(&p.id)
                {
                    for (a, b) in node[i].iter_mut().zip(s) {
                        *a = (*a).max(*b);
                    }
                }
                node[i][i] += 1;
                if let EventKind::Sent(p) = kind {
                    sent.insert(p.id, node[i].clone());
                }
                node[i].clone()
            }
            (Site::Lost, EventKind::Dropped(p, _)) => sent.get(&p.id).cloned().unwrap_or_default(),
            (Site::Checker, _) => all.clone(),
            _ => vec![0; n],
        };
        for (a, b) in all.iter_mut().zip(&vc) {
            *a = (*a).max(*b);
        }
        out.push(vc);
    }
    out
}

/// `a` happened before `b`, or is it.
fn before_or_at(a: &[u32], b: &[u32]) -> bool {
    a.iter().zip(b).all(|(x, y)| x <= y)
}

fn packet(e: &Event) -> Option<&distlab::sim::Packet> {
    match &e.kind {
        EventKind::Sent(p) | EventKind::Delivered(p) | EventKind::Dropped(p, _) => Some(p),
        _ => None,
    }
}

/// The simulator's own reports of anomalies: (index, kind).
fn reported(trace: &[Event]) -> Vec<(usize, &'static str)> {
    let mut v = Vec::new();
    for (i, e) in trace.iter().enumerate() {
        let k = match e.kind {
            EventKind::WriteLost { .. } => "write_lost",
            EventKind::WriteDiscarded { .. } => "write_discarded",
            EventKind::StaleRead { .. } => "stale_read",
            EventKind::Suspect { correct: false, .. } => "false_suspicion",
            EventKind::Order {
                note: OrderNote::Charged { times },
                ..
            } if times > 1 => "duplicate_charge",
            _ => continue,
        };
        v.push((i, k));
    }
    v
}

struct Run {
    trace: Vec<Event>,
    setting: Setting,
    sim: Sim,
}

/// A run of the scenario to its end, or of its walkthrough (whose steps apply commands).
fn run_as(sc: &Scenario, seed: u64, walkthrough: bool) -> Run {
    let mut sim = Sim::from_scenario(sc, seed).expect("scenario builds");
    let setting = Setting::of(&sim);
    let mut trace = Vec::new();
    if walkthrough {
        let story = distlab::lesson::story::story(sc, &sim).expect("the walkthrough builds");
        let end = sim.params().duration_ms * 1000;
        distlab::sim::story::walk(
            &story,
            &mut sim,
            end,
            &mut |e: &Event| trace.push(e.clone()),
            &mut |_| {},
        );
    } else {
        sim.run_to_end(&mut |e: &Event| trace.push(e.clone()));
    }
    Run {
        trace,
        setting,
        sim,
    }
}

fn run(sc: &Scenario, seed: u64) -> Run {
    run_as(sc, seed, false)
}

/// Every check of one chain; the message names the scenario, seed and anomaly.
fn check_chain(r: &Run, vc: &[Vec<u32>], x: &Explanation, at: &str) {
    let t = &r.trace;
    let names = &r.setting.names;
    assert!(
        x.links.len() >= 2,
        "{at}: a chain needs a cause past its first link: {}",
        x.line()
    );
    assert_eq!(x.links[0].tie, Tie::Made, "{at}: {}", x.line());
    let site_vc = &vc[x.event];
    for l in &x.links {
        assert!(
            l.event < t.len(),
            "{at}: event {} is not in the trace",
            l.event
        );
        assert!(
            l.event <= x.event,
            "{at}: link at event {} comes after the anomaly (event {}): {}",
            l.event,
            x.event,
            x.line()
        );
        assert_eq!(
            l.t_us, t[l.event].t_us,
            "{at}: the link's time is its event's"
        );
        match l.tie {
            Tie::Made | Tie::Because => assert!(
                before_or_at(&vc[l.event], site_vc),
                "{at}: `{}` (event {}) does not happen before the anomaly: {}",
                l.text,
                l.event,
                x.line()
            ),
            Tie::Missed => {
                let p = packet(&t[l.event])
                    .unwrap_or_else(|| panic!("{at}: a missed link names a message: {}", l.text));
                let sent = t[..=l.event]
                    .iter()
                    .rposition(|e| matches!(&e.kind, EventKind::Sent(s) if s.id == p.id))
                    .unwrap_or_else(|| panic!("{at}: `{}` was never sent", l.text));
                // Not delivered before the anomaly, or not before some other event of the
                // chain that came after its send (the moment it was waited for).
                let delivered = t[..x.event]
                    .iter()
                    .position(|e| matches!(&e.kind, EventKind::Delivered(d) if d.id == p.id));
                if let Some(d) = delivered {
                    assert!(
                        x.links.iter().any(|o| o.event > sent && o.event < d),
                        "{at}: `{}` was delivered (event {d}) before anything in the chain waited for it: {}",
                        l.text,
                        x.line()
                    );
                }
            }
            Tie::Earlier => {}
        }
        if let Some(id) = l.packet {
            assert_eq!(packet(&t[l.event]).map(|p| p.id), Some(id), "{at}");
        }
        for &n in &l.nodes {
            assert!((n as usize) < names.len(), "{at}: node {n} in `{}`", l.text);
        }
    }
    // The first link is the event that made the anomaly.
    let first = &t[x.links[0].event];
    let same_instant = first.t_us == t[x.event].t_us;
    match &x.anomaly {
        Anomaly::StaleRead { client, got, .. } => {
            assert!(same_instant, "{at}");
            assert!(
                matches!(&first.kind, EventKind::Delivered(p) if p.to == *client
                    && matches!(p.msg, Msg::ReadOk { version, .. } if version.map(|v| v.value) == *got)),
                "{at}: a stale read is made by the reply it got: {}",
                x.line()
            );
        }
        Anomaly::FalseSuspicion { .. } | Anomaly::StalePrimaryAck { .. } => {
            assert_eq!(x.links[0].event, x.event, "{at}: {}", x.line())
        }
        Anomaly::DuplicateCharge { .. } => {
            assert!(same_instant, "{at}");
            assert!(
                matches!(&first.kind, EventKind::Delivered(p) if matches!(p.msg, Msg::Charge { .. })),
                "{at}: a second charge is made by a charge request arriving: {}",
                x.line()
            );
        }
        Anomaly::LostWrite { .. } | Anomaly::DiscardedWrite { .. } => {
            let failover = matches!(first.kind, EventKind::Failover { new: Some(_), .. });
            assert!(
                same_instant || failover || x.links[0].event == x.event,
                "{at}: a lost write is made by what the checker reacted to, or by the failover: {}",
                x.line()
            );
        }
    }
}

#[test]
fn every_anomaly_of_every_scenario_has_a_chain_of_real_earlier_events() {
    let all = scenarios(None).expect("built-in scenarios");
    let mut kinds: HashMap<&'static str, usize> = HashMap::new();
    let walks = all.iter().filter(|sc| !sc.steps.is_empty());
    let runs = all
        .iter()
        .flat_map(|sc| (1..=SEEDS).map(move |seed| (sc, seed, false)))
        .chain(walks.flat_map(|sc| (1..=WALK_SEEDS).map(move |seed| (sc, seed, true))));
    for (sc, seed, walkthrough) in runs {
        {
            let r = run_as(sc, seed, walkthrough);
            let seed = if walkthrough {
                format!("{seed} (walkthrough)")
            } else {
                seed.to_string()
            };
            let vc = clocks(&r.trace, &r.setting.names);
            let explained = why::explain(&r.trace, &r.setting);
            // Every anomaly the simulator reports is explained, at its own event.
            for (i, kind) in reported(&r.trace) {
                assert!(
                    explained
                        .iter()
                        .any(|x| x.event == i && x.anomaly.kind() == kind),
                    "{} seed {seed}: the {kind} at event {i} has no chain",
                    sc.id
                );
            }
            for x in &explained {
                *kinds.entry(x.anomaly.kind()).or_default() += 1;
                let at = format!(
                    "{} seed {seed} {} at event {}",
                    sc.id,
                    x.anomaly.kind(),
                    x.event
                );
                check_chain(&r, &vc, x, &at);
            }
        }
    }
    // The shipped lesson shows every kind.
    for k in [
        "write_lost",
        "write_discarded",
        "stale_read",
        "false_suspicion",
        "duplicate_charge",
        "stale_primary_ack",
    ] {
        assert!(
            kinds.get(k).copied().unwrap_or(0) > 0,
            "no {k} in any scenario: {kinds:?}"
        );
    }
}

/// The change a counterfactual names, replayed here on its own: the claim must hold.
fn verify(r: &Run, sc: &Scenario, seed: u64, a: &Anomaly, change: &str, at: &str) {
    let (k, v) = change.split_once(" = ").expect("`key = value`");
    let mut table = toml::Table::new();
    table.insert(k.into(), toml::Value::String(v.into()));
    let mut sim = Sim::from_scenario_with(sc, seed, &table).expect("the change builds");
    let mut trace = Vec::new();
    sim.run_to_end(&mut |e: &Event| trace.push(e.clone()));
    let m = sim.metrics();
    // The write in the run: its client and when it was sent.
    let sent = |t: &[Event], op: u32| {
        t.iter().find_map(|e| match &e.kind {
            EventKind::Sent(p) => match p.msg {
                Msg::Write {
                    op: o, key, value, ..
                } if o == op => Some((p.from, p.sent_us, key, value)),
                _ => None,
            },
            _ => None,
        })
    };
    match *a {
        Anomaly::StalePrimaryAck { .. } => {
            let setting = Setting::of(&Sim::from_scenario_with(sc, seed, &table).unwrap());
            let stale = why::anomalies(&trace, &setting)
                .into_iter()
                .filter(|(_, a)| matches!(a, Anomaly::StalePrimaryAck { .. }))
                .count();
            assert_eq!(
                stale, 0,
                "{at}: with {change} a replaced primary still acknowledges"
            );
        }
        Anomaly::LostWrite { op, .. } | Anomaly::DiscardedWrite { op, .. } => {
            let same = sent(&r.trace, op).is_some_and(|s| sent(&trace, op) == Some(s));
            if same {
                let lost = trace.iter().any(|e| matches!(e.kind,
                    EventKind::WriteLost { op: o, .. } | EventKind::WriteDiscarded { op: o, .. } if o == op));
                assert!(!lost, "{at}: with {change} the write is still lost");
            } else {
                assert_eq!(
                    m.acked_writes_lost + m.concurrent_writes_discarded,
                    0,
                    "{at}: with {change} writes are still lost"
                );
            }
        }
        Anomaly::StaleRead { .. } => assert_eq!(m.stale_reads, 0, "{at}: {change}"),
        Anomaly::DuplicateCharge { .. } => assert_eq!(m.duplicate_charges, 0, "{at}: {change}"),
        Anomaly::FalseSuspicion { .. } => assert_eq!(m.false_suspicions, 0, "{at}: {change}"),
    }
}

#[test]
fn every_counterfactual_claimed_holds_when_replayed() {
    let all = scenarios(None).expect("built-in scenarios");
    let mut claimed = 0;
    for sc in &all {
        for seed in 1..=5 {
            let r = run(sc, seed);
            let replay = Replay {
                scenario: sc.clone(),
                seed,
                overrides: toml::Table::new(),
                commands: r.sim.command_log().to_vec(),
                end_us: r.sim.now_us(),
                finished: true,
            };
            let mut cf = Counterfactuals::new(&replay);
            for x in why::explain(&r.trace, &r.setting) {
                if let Some(c) = cf.saving(&x.anomaly, &r.setting, r.sim.metrics(), &r.trace) {
                    claimed += 1;
                    let at = format!("{} seed {seed} {}", sc.id, x.title);
                    assert!(c.text.contains(&c.change), "{at}: {}", c.text);
                    verify(&r, sc, seed, &x.anomaly, &c.change, &at);
                }
            }
        }
    }
    assert!(claimed > 0, "no counterfactual claimed at all");
}
