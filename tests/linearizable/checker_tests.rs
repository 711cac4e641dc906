//! The checker on hand-written histories, one line per event:
//! `PROCESS TYPE F KEY [VALUE]` (a missing value is nil).

use super::*;

fn lines(text: &str) -> Vec<Line> {
    (text.lines().map(str::trim).filter(|l| !l.is_empty()))
        .enumerate()
        .map(|(i, l)| {
            let w: Vec<&str> = l.split_whitespace().collect();
            let kind = match w[1] {
                "invoke" => "invoke",
                "ok" => "ok",
                "fail" => "fail",
                "info" => "info",
                other => panic!("type {other}"),
            };
            let value = w.get(4).map_or("null".to_string(), |v| v.to_string());
            // Through the JSON form the simulator writes, so the parser is tested too.
            let json = format!(
                r#"{{"type":"{kind}","f":"{}","process":{},"key":"{}","value":{value},"time":{}}}"#,
                w[2],
                w[0],
                w[3],
                i * 1000
            );
            parse_line(&json).unwrap()
        })
        .collect()
}

fn verdict(text: &str) -> Result<(), Box<Violation>> {
    check(&ops(&lines(text)).unwrap())
}

#[test]
fn sequential_writes_and_reads_are_linearizable() {
    let h = "
        0 invoke read x
        0 ok read x
        0 invoke write x 1
        0 ok write x 1
        1 invoke read x
        1 ok read x 1
        0 invoke write x 2
        0 ok write x 2
        1 invoke read x
        1 ok read x 2";
    assert!(verdict(h).is_ok());
}

#[test]
fn a_read_concurrent_with_a_write_may_see_either_value() {
    let base = "
        0 invoke write x 1
        0 ok write x 1
        0 invoke write x 2
        1 invoke read x";
    for seen in ["1", "2"] {
        let h = format!("{base}\n1 ok read x {seen}\n0 ok write x 2");
        assert!(verdict(&h).is_ok(), "saw {seen}");
    }
}

#[test]
fn a_stale_read_is_not_linearizable() {
    let h = "
        0 invoke write x 1
        0 ok write x 1
        0 invoke write x 2
        0 ok write x 2
        1 invoke read x
        1 ok read x 1";
    let v = verdict(h).unwrap_err();
    assert_eq!(v.key, "x");
    assert_eq!(v.blocked.value, Some(1), "{v}");
    assert!(!v.blocked.write);
}

#[test]
fn nil_after_an_acknowledged_write_is_not_linearizable() {
    let h = "
        0 invoke write x 1
        0 ok write x 1
        1 invoke read x
        1 ok read x";
    assert!(verdict(h).is_err());
}

#[test]
fn a_value_nobody_wrote_is_not_linearizable() {
    let h = "
        0 invoke write x 1
        0 ok write x 1
        1 invoke read x
        1 ok read x 7";
    assert!(verdict(h).is_err());
}

#[test]
fn an_info_write_may_take_effect_later() {
    // Process 0 timed out on write 2 and never returned; it then shows up in a read much
    // later: it may have taken effect at any time after its invoke.
    let h = "
        0 invoke write x 1
        0 ok write x 1
        0 invoke write x 2
        0 info write x 2
        1 invoke read x
        1 ok read x 1
        1 invoke read x
        1 ok read x 2";
    assert!(verdict(h).is_ok());
    // ...but once seen, it cannot be unseen.
    let h2 = format!("{h}\n1 invoke read x\n1 ok read x 1");
    assert!(verdict(&h2).is_err());
}

#[test]
fn an_info_write_cannot_take_effect_before_its_invoke() {
    let h = "
        0 invoke write x 1
        0 ok write x 1
        1 invoke read x
        1 ok read x 2
        0 invoke write x 2
        0 info write x 2";
    assert!(verdict(h).is_err());
}

#[test]
fn a_failed_write_never_takes_effect() {
    let h = "
        0 invoke write x 1
        0 ok write x 1
        0 invoke write x 2
        0 fail write x 2
        1 invoke read x
        1 ok read x 2";
    assert!(verdict(h).is_err());
}

#[test]
fn a_lost_acknowledged_write_then_an_older_value_is_not_linearizable() {
    // Write 2 is acknowledged, then (after a failover) a read returns the older 1, while
    // a concurrent info write 3 muddies the water but cannot explain it.
    let h = "
        0 invoke write x 1
        0 ok write x 1
        0 invoke write x 2
        0 ok write x 2
        0 invoke write x 3
        0 info write x 3
        1 invoke read x
        1 ok read x 3
        1 invoke read x
        1 ok read x 1";
    assert!(verdict(h).is_err());
    // The lost write alone, never read, leaves nothing to object to.
    let unseen = "
        0 invoke write x 1
        0 ok write x 1
        0 invoke write x 2
        0 ok write x 2";
    assert!(verdict(unseen).is_ok());
}

#[test]
fn reads_that_go_back_in_time_are_not_linearizable() {
    // Two reads during one long write: new value, then old (no register does that).
    let h = "
        0 invoke write x 1
        0 ok write x 1
        0 invoke write x 2
        1 invoke read x
        1 ok read x 2
        2 invoke read x
        2 ok read x 1
        0 ok write x 2";
    assert!(verdict(h).is_err());
}

#[test]
fn overlapping_writes_take_effect_in_either_order() {
    let h = "
        0 invoke write x 1
        1 invoke write x 2
        2 invoke read x
        2 ok read x 2
        2 invoke read x
        2 ok read x 1
        0 ok write x 1
        1 ok write x 2";
    assert!(verdict(h).is_ok());
    let after = "
        0 invoke write x 1
        1 invoke write x 2
        0 ok write x 1
        1 ok write x 2
        2 invoke read x
        2 ok read x 2
        2 invoke read x
        2 ok read x 1";
    assert!(verdict(after).is_err());
}

#[test]
fn keys_are_independent() {
    let h = "
        0 invoke write x 1
        0 ok write x 1
        0 invoke write y 5
        0 ok write y 5
        1 invoke read x
        1 ok read x 1
        1 invoke read y
        1 ok read y 5
        1 invoke read z
        1 ok read z";
    assert!(verdict(h).is_ok());
    let bad = format!("{h}\n1 invoke read y\n1 ok read y 1");
    assert_eq!(verdict(&bad).unwrap_err().key, "y");
}

#[test]
fn many_concurrent_info_writes_stay_tractable() {
    // 40 timed-out writes by 40 processes, all read back in reverse order: the search
    // must explore orders of the info writes, and memoisation keeps it small.
    let mut h = String::new();
    for p in 0..40 {
        h.push_str(&format!("{p} invoke write x {p}\n{p} info write x {p}\n"));
    }
    for p in (0..40).rev() {
        h.push_str(&format!("100 invoke read x\n100 ok read x {p}\n"));
    }
    assert!(verdict(&h).is_ok());
    h.push_str("100 invoke read x\n100 ok read x 39\n");
    assert!(verdict(&h).is_err(), "39 was overwritten by 0 already");
}

#[test]
fn malformed_histories_are_refused() {
    let busy = lines("0 invoke write x 1\n0 invoke write x 2");
    assert!(ops(&busy).unwrap_err().contains("busy"));
    let orphan = lines("0 ok write x 1");
    assert!(ops(&orphan).unwrap_err().contains("no invoke"));
    let reused = lines("0 invoke write x 1\n0 info write x 1\n0 invoke read x");
    assert!(ops(&reused).unwrap_err().contains("after its info"));
    assert!(parse_line(r#"{"type":"ok"}"#).is_err());
}

#[test]
fn an_operation_left_open_counts_as_info() {
    let h = "
        0 invoke write x 1
        0 ok write x 1
        0 invoke write x 2
        1 invoke read x
        1 ok read x 2";
    assert!(verdict(h).is_ok());
    let ops = ops(&lines(h)).unwrap();
    assert_eq!(ops.iter().filter(|o| o.complete.is_none()).count(), 1);
}
