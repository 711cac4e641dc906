//! Commands told in plain words, for a learner: `slow node-1 800` is "every message to or
//! from node-1 takes 800 ms longer".

use super::Command;

impl Command {
    /// What the command does, in words.
    pub fn describe(&self) -> String {
        match self {
            Command::Crash(n) => format!("{n} crashed"),
            Command::Restart(n) => format!("{n} restarted"),
            Command::Pause(n, ms) => format!("{n} paused for {ms} ms"),
            Command::Partition(ns) => format!("{} cut off from the others", ns.join(" and ")),
            Command::PartitionOneway(a, b) => format!("messages from {a} to {b} blocked"),
            Command::Heal => "the network healed".into(),
            Command::Skew(n, 0) => format!("{n}'s clock set right"),
            Command::Skew(n, ms) if *ms < 0 => format!("{n}'s clock set {} ms behind", -ms),
            Command::Skew(n, ms) => format!("{n}'s clock set {ms} ms ahead"),
            Command::Drift(n, ppm) => format!("{n}'s clock drifts {ppm:+} ppm"),
            Command::StepClock(n, ms) if *ms < 0 => {
                format!("{n}'s clock steps back {} ms (a correction)", -ms)
            }
            Command::StepClock(n, ms) => {
                format!("{n}'s clock steps forward {ms} ms (a correction)")
            }
            Command::Resync(n, false) => {
                format!("{n}'s clock set to true time (it still drifts at its rate)")
            }
            Command::Resync(n, true) => format!("{n}'s clock set to true time, its drift cleared"),
            Command::Slow(n, 0) => format!("{n} fast again"),
            Command::Slow(n, ms) => {
                format!("every message to or from {n} takes {ms} ms longer")
            }
            Command::DropNext(a, b) => format!("the next message from {a} to {b} lost"),
            Command::Loss(p) => format!("link loss set to {:.0}%", p * 100.0),
            Command::Duplicate(p) => format!("message duplication set to {:.0}%", p * 100.0),
            Command::Latency(lo, hi) => format!("latency set to {lo}–{hi} ms"),
            Command::Mode(m) => format!("replication switched to {m}"),
            Command::Timestamps(s) => format!("timestamps switched to {s}"),
            Command::Write(None) => "a client write".into(),
            Command::Write(Some((c, k, v))) => format!("{c} writes {k}={v}"),
            Command::Read(n, k) => format!("a read of {} from {n}", k.as_deref().unwrap_or("x")),
            Command::Set(k, v) => format!("{k} set to {v}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_read_as_plain_words() {
        let d = |s: &str| Command::parse(s).unwrap().describe();
        assert_eq!(
            d("slow node-1 800"),
            "every message to or from node-1 takes 800 ms longer"
        );
        assert_eq!(d("slow node-1 0"), "node-1 fast again");
        assert_eq!(d("skew n2 -2000"), "n2's clock set 2000 ms behind");
        assert_eq!(d("partition node-4"), "node-4 cut off from the others");
        assert_eq!(d("pause node-2 2000"), "node-2 paused for 2000 ms");
    }
}
