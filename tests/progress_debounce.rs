//! The debounce rule for saving the reading position, on a made-up clock: saved a second
//! after it stops changing, at most every two seconds, at least every two while it changes.

use std::time::{Duration, Instant};

use distlab::progress::debounce::{Debounce, MIN_GAP, SETTLE};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[test]
fn nothing_is_due_until_the_value_changes() {
    let t0 = Instant::now();
    let mut d = Debounce::new(0);
    d.observe(&0, t0);
    assert_eq!(d.due(t0 + ms(10_000)), None);
    assert_eq!(d.wait(t0), None);
}

#[test]
fn a_change_is_due_once_it_has_settled() {
    let t0 = Instant::now();
    let mut d = Debounce::new(0);
    d.observe(&5, t0);
    assert_eq!(d.wait(t0), Some(SETTLE));
    assert_eq!(d.due(t0 + SETTLE - ms(1)), None);
    assert_eq!(d.due(t0 + SETTLE), Some(&5));
    d.saved(5, t0 + SETTLE);
    assert_eq!(d.due(t0 + ms(60_000)), None);
    assert_eq!(d.last_saved(), Some(&5));
}

#[test]
fn each_change_restarts_the_settling_but_not_the_two_second_limit() {
    let t0 = Instant::now();
    let mut d = Debounce::new(0);
    for i in 1..=19u64 {
        d.observe(&(i as i32), t0 + ms(100 * i));
        assert_eq!(d.due(t0 + ms(100 * i)), None, "at {} ms", 100 * i);
    }
    // First change at 100 ms: it has waited two seconds at 2100 ms.
    d.observe(&20, t0 + ms(2_000));
    assert_eq!(d.due(t0 + ms(2_099)), None);
    assert_eq!(d.due(t0 + ms(2_100)), Some(&20));
}

#[test]
fn saves_are_at_least_two_seconds_apart() {
    let t0 = Instant::now();
    let mut d = Debounce::new(0);
    d.observe(&1, t0);
    d.saved(1, t0 + SETTLE);
    d.observe(&2, t0 + SETTLE + ms(10));
    // Settled a second later, but the last save was under two seconds before.
    assert_eq!(d.due(t0 + SETTLE + ms(1_500)), None);
    assert_eq!(d.wait(t0 + SETTLE + ms(1_500)), Some(ms(500)));
    assert_eq!(d.due(t0 + SETTLE + MIN_GAP), Some(&2));
}

#[test]
fn moving_back_to_the_saved_value_cancels_the_save() {
    let t0 = Instant::now();
    let mut d = Debounce::new(3);
    d.observe(&4, t0);
    d.observe(&3, t0 + ms(200));
    assert_eq!(d.due(t0 + ms(5_000)), None);
    assert_eq!(d.wait(t0 + ms(5_000)), None);
}

#[test]
fn the_first_value_seen_is_the_starting_point_when_none_was_given() {
    let t0 = Instant::now();
    let mut d = Debounce::default();
    d.observe(&"intro", t0);
    assert_eq!(d.due(t0 + ms(5_000)), None);
    d.observe(&"concepts", t0 + ms(5_000));
    assert_eq!(d.due(t0 + ms(6_000)), Some(&"concepts"));
}

#[test]
fn a_save_that_failed_is_not_retried_in_a_loop() {
    let t0 = Instant::now();
    let mut d = Debounce::new(0);
    d.observe(&1, t0);
    let due = *d.due(t0 + SETTLE).unwrap();
    d.saved(due, t0 + SETTLE); // the caller tried; it failed
    assert_eq!(
        d.due(t0 + ms(60_000)),
        None,
        "tried again only after a change"
    );
    d.observe(&2, t0 + ms(60_000));
    assert_eq!(d.due(t0 + ms(61_000)), Some(&2));
}
