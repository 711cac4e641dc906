//! The network: latency, loss, duplication, directed partitions, and every message in
//! flight with its fate. It decides delivery; protocol code only asks it to send.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::msg::{Msg, NodeId};

/// Why a message did not arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DropCause {
    /// Random loss on the link (`drop` / `loss`).
    Loss,
    /// A `drop-next` command picked it.
    DropNext,
    /// The link was blocked by a partition when it was sent or when it arrived.
    Partition,
    /// The sender or the receiver was crashed when it arrived.
    Crash,
}

/// What became (or will become) of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Still travelling; it may yet be blocked or lost to a crash at arrival.
    InFlight,
    Delivered,
    Dropped(DropCause),
}

/// One message on the wire.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Packet {
    /// Unique, increasing.
    pub id: u64,
    pub from: NodeId,
    pub to: NodeId,
    pub msg: Msg,
    /// The sender's Lamport clock when it sent this.
    pub lamport: u64,
    /// The sender's wall clock when it sent this, in whole ms (its own reading, skew and
    /// drift in; floored). Milliseconds, so it fits where the packet has room: a reading is
    /// at most a few days from zero (a day of run, a day of skew, half again of drift).
    pub sent_local_ms: i32,
    pub sent_us: u64,
    /// When it reaches (or reached) the receiver.
    pub deliver_us: u64,
    /// Decided at send: this one is lost at `lost_at_us` on the way.
    pub doomed: Option<DropCause>,
    pub lost_at_us: u64,
    /// This is the extra copy of a duplicated message.
    pub duplicate: bool,
}

impl Packet {
    /// When the simulator next looks at it: arrival, or the moment it is lost.
    pub fn due_us(&self) -> u64 {
        if self.doomed.is_some() {
            self.lost_at_us
        } else {
            self.deliver_us
        }
    }

    /// What the simulator knows of its fate now: loss and drop-next are decided when it is
    /// sent (the TUI may choose to reveal them only at `lost_at_us`); a partition or a crash
    /// can still stop it when it arrives.
    pub fn fate(&self) -> Fate {
        self.doomed.map_or(Fate::InFlight, Fate::Dropped)
    }

    /// How far along the link it is at `now_us`, 0.0 to 1.0 (for drawing).
    pub fn progress(&self, now_us: u64) -> f64 {
        let span = self.deliver_us.saturating_sub(self.sent_us).max(1) as f64;
        (now_us.saturating_sub(self.sent_us) as f64 / span).clamp(0.0, 1.0)
    }
}

/// The network between `n` nodes.
#[derive(Debug, Clone)]
pub struct Network {
    n: usize,
    /// `blocked[from * n + to]`: messages from → to are cut.
    blocked: Vec<bool>,
    /// Extra one-way delay per node, µs (`slow NODE MS`).
    pub slow_us: Vec<u64>,
    /// Nodes whose links are spared `loss` and bursts (clients: the lesson's losses are
    /// between cluster nodes); they lose `client_loss` instead. Partitions, drop-next and
    /// crashes still apply.
    pub lossless: Vec<bool>,
    pub loss: f64,
    pub client_loss: f64,
    /// Bursty loss: mean good and bad times (µs; `good_us == 0`: no bursts), the loss in a
    /// burst, and each directed link's state: in a burst, and until when (true µs; 0: not
    /// drawn yet).
    burst_good_us: u64,
    burst_bad_us: u64,
    burst_loss: f64,
    links: Vec<(bool, u64)>,
    /// Whether random loss applies to heartbeats too (`drop_heartbeats`, default true).
    /// When false a heartbeat draws no loss decision at all, so the random stream differs
    /// from a run with true; with true it is exactly as before the parameter existed.
    pub drop_heartbeats: bool,
    pub duplicate: f64,
    pub latency_us_min: u64,
    pub latency_us_max: u64,
    drop_next: Vec<(NodeId, NodeId)>,
    /// Messages in flight, by slot; `None` slots are free.
    slots: Vec<Option<Packet>>,
    free: Vec<u32>,
    next_id: u64,
}

impl Network {
    pub fn new(n: usize, latency_ms: (f64, f64), loss: f64, duplicate: f64) -> Self {
        let mut net = Self {
            n,
            blocked: vec![false; n * n],
            slow_us: vec![0; n],
            lossless: vec![false; n],
            loss,
            client_loss: 0.0,
            burst_good_us: 0,
            burst_bad_us: 0,
            burst_loss: 0.0,
            links: Vec::new(),
            drop_heartbeats: true,
            duplicate,
            latency_us_min: 0,
            latency_us_max: 0,
            drop_next: Vec::new(),
            slots: Vec::new(),
            free: Vec::new(),
            next_id: 0,
        };
        net.set_latency(latency_ms.0, latency_ms.1);
        net
    }

    /// Client-link loss and bursty loss from the parameters.
    pub fn set_bursts(&mut self, p: &super::params::Params) {
        self.client_loss = p.client_drop;
        self.burst_good_us = p.burst_every_ms * 1000;
        self.burst_bad_us = p.burst_ms.max(1) * 1000;
        self.burst_loss = p.burst_drop;
        if self.burst_good_us > 0 && self.links.is_empty() {
            self.links = vec![(false, 0); self.n * self.n];
        }
    }

    /// Whether the link from → to is in a loss burst at `now_us` (Gilbert-Elliott: good
    /// and bad periods of exponentially distributed length, each link on its own). Draws
    /// from `rng` only when bursts are on.
    fn in_burst(&mut self, rng: &mut ChaCha8Rng, now_us: u64, from: NodeId, to: NodeId) -> bool {
        if self.burst_good_us == 0 {
            return false;
        }
        let (good, bad) = (self.burst_good_us, self.burst_bad_us);
        let Some(link) = self.links.get_mut(from as usize * self.n + to as usize) else {
            return false;
        };
        let length = |rng: &mut ChaCha8Rng, mean: u64| {
            let u = unit(rng);
            ((-(1.0 - u).ln()) * mean as f64).max(1.0) as u64
        };
        if link.1 == 0 {
            *link = (false, length(rng, good));
        }
        while now_us >= link.1 {
            let next = !link.0;
            link.1 += length(rng, if next { bad } else { good });
            link.0 = next;
        }
        link.0
    }

    pub fn set_latency(&mut self, min_ms: f64, max_ms: f64) {
        self.latency_us_min = (min_ms * 1000.0) as u64;
        self.latency_us_max = ((max_ms * 1000.0) as u64).max(self.latency_us_min);
    }

    pub fn is_blocked(&self, from: NodeId, to: NodeId) -> bool {
        self.blocked[from as usize * self.n + to as usize]
    }

    pub fn set_blocked(&mut self, from: NodeId, to: NodeId, blocked: bool) {
        if from != to {
            self.blocked[from as usize * self.n + to as usize] = blocked;
        }
    }

    /// Cut `group` off from every other node, both ways.
    pub fn partition(&mut self, group: &[NodeId]) {
        for a in 0..self.n as NodeId {
            for b in 0..self.n as NodeId {
                if group.contains(&a) != group.contains(&b) {
                    self.set_blocked(a, b, true);
                }
            }
        }
    }

    pub fn heal(&mut self) {
        self.blocked.iter_mut().for_each(|b| *b = false);
    }

    /// Every blocked directed link, for drawing.
    pub fn blocked_links(&self) -> Vec<(NodeId, NodeId)> {
        let n = self.n;
        (0..n * n)
            .filter(|&i| self.blocked[i])
            .map(|i| ((i / n) as NodeId, (i % n) as NodeId))
            .collect()
    }

    pub fn any_blocked(&self) -> bool {
        self.blocked.iter().any(|&b| b)
    }

    pub fn drop_next(&mut self, from: NodeId, to: NodeId) {
        if self.drop_next.len() < 64 {
            self.drop_next.push((from, to));
        }
    }

    /// Puts a message on the wire and returns its slot (and the slot of a duplicate, if
    /// the network made one). The caller schedules each slot at its [`Packet::due_us`].
    pub fn send(
        &mut self,
        rng: &mut ChaCha8Rng,
        now_us: u64,
        from: NodeId,
        to: NodeId,
        msg: Msg,
        (lamport, local_us): (u64, i64),
    ) -> (u32, Option<u32>) {
        let stamps = (lamport, local_us);
        let first = self.send_one(rng, now_us, from, to, msg, stamps, false);
        let dup = (self.duplicate > 0.0 && unit(rng) < self.duplicate)
            .then(|| self.send_one(rng, now_us, from, to, msg, stamps, true));
        (first, dup)
    }

    #[allow(clippy::too_many_arguments)]
    fn send_one(
        &mut self,
        rng: &mut ChaCha8Rng,
        now_us: u64,
        from: NodeId,
        to: NodeId,
        msg: Msg,
        (lamport, local_us): (u64, i64),
        duplicate: bool,
    ) -> u32 {
        let span = self.latency_us_max - self.latency_us_min;
        let jitter = if span == 0 { 0 } else { below(rng, span + 1) };
        let delay = (self.latency_us_min
            + jitter
            + self.slow_us[from as usize]
            + self.slow_us[to as usize])
            .max(1);
        let deliver_us = now_us + delay;
        let mut doomed = None;
        let mut lost_at_us = deliver_us;
        if self.is_blocked(from, to) {
            doomed = Some(DropCause::Partition);
            lost_at_us = now_us + delay / 2;
        } else if let Some(i) = self.drop_next.iter().position(|&l| l == (from, to)) {
            self.drop_next.remove(i);
            doomed = Some(DropCause::DropNext);
            lost_at_us = now_us + delay / 2;
        } else if let Some(chance) = self.loss_chance(rng, now_us, from, to, &msg)
            && unit(rng) < chance
        {
            doomed = Some(DropCause::Loss);
            lost_at_us = now_us + 1 + below(rng, delay);
        }
        self.next_id += 1;
        let p = Packet {
            id: self.next_id,
            from,
            to,
            msg,
            lamport,
            sent_local_ms: local_us
                .div_euclid(1000)
                .clamp(i32::MIN.into(), i32::MAX.into()) as i32,
            sent_us: now_us,
            deliver_us,
            doomed,
            lost_at_us,
            duplicate,
        };
        match self.free.pop() {
            Some(slot) => {
                self.slots[slot as usize] = Some(p);
                slot
            }
            None => {
                self.slots.push(Some(p));
                (self.slots.len() - 1) as u32
            }
        }
    }

    /// The chance that this message is lost at random, or `None` when no loss is drawn
    /// for it (so the random stream of a run without loss stays as it was).
    fn loss_chance(
        &mut self,
        rng: &mut ChaCha8Rng,
        now_us: u64,
        from: NodeId,
        to: NodeId,
        msg: &Msg,
    ) -> Option<f64> {
        if !self.drop_heartbeats && matches!(msg, Msg::Heartbeat { .. }) {
            return None;
        }
        let chance = if self.lossless[from as usize] || self.lossless[to as usize] {
            self.client_loss
        } else if self.in_burst(rng, now_us, from, to) {
            self.burst_loss
        } else {
            self.loss
        };
        (chance > 0.0).then_some(chance)
    }

    pub fn get(&self, slot: u32) -> Option<&Packet> {
        self.slots.get(slot as usize).and_then(Option::as_ref)
    }

    /// Takes a message off the wire.
    pub fn take(&mut self, slot: u32) -> Option<Packet> {
        let p = self.slots.get_mut(slot as usize)?.take();
        if p.is_some() {
            self.free.push(slot);
        }
        p
    }

    /// Every message in flight, oldest first.
    pub fn in_flight(&self) -> Vec<&Packet> {
        let mut v: Vec<&Packet> = self.slots.iter().flatten().collect();
        v.sort_by_key(|p| p.id);
        v
    }

    pub fn in_flight_count(&self) -> usize {
        self.slots.len() - self.free.len()
    }
}

/// A uniform number in [0, 1) from the top 53 bits.
pub fn unit(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A uniform integer in [0, n), n > 0 (multiply-shift; bias below 2^-32 for our ranges).
pub fn below(rng: &mut ChaCha8Rng, n: u64) -> u64 {
    ((rng.next_u64() as u128 * n as u128) >> 64) as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    /// Packets are copied in and out of their slots on every send and arrival: the
    /// sender's clock reading rides in what was padding, and the packet stays 128 bytes.
    #[test]
    fn a_packet_stays_128_bytes() {
        assert!(
            std::mem::size_of::<Packet>() <= 128,
            "{}",
            std::mem::size_of::<Packet>()
        );
    }

    #[test]
    fn partition_blocks_both_ways_and_heals() {
        let mut net = Network::new(3, (10.0, 10.0), 0.0, 0.0);
        net.partition(&[2]);
        assert!(net.is_blocked(0, 2) && net.is_blocked(2, 1) && !net.is_blocked(0, 1));
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let (s, _) = net.send(&mut rng, 0, 0, 2, Msg::Heartbeat { epoch: 0 }, (1, 0));
        assert_eq!(net.get(s).unwrap().doomed, Some(DropCause::Partition));
        net.heal();
        assert!(!net.any_blocked());
        let (s2, _) = net.send(&mut rng, 0, 0, 2, Msg::Heartbeat { epoch: 0 }, (1, 0));
        assert_eq!(net.get(s2).unwrap().deliver_us, 10_000);
        assert_eq!(net.in_flight_count(), 2);
        net.take(s);
        assert_eq!(net.in_flight_count(), 1);
    }

    #[test]
    fn loss_rate_is_roughly_right() {
        let mut net = Network::new(2, (1.0, 5.0), 0.25, 0.0);
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut lost = 0;
        for _ in 0..4000 {
            let (s, _) = net.send(&mut rng, 0, 0, 1, Msg::Heartbeat { epoch: 0 }, (0, 0));
            let p = net.take(s).unwrap();
            assert!((1000..=5000).contains(&p.deliver_us));
            lost += usize::from(p.doomed.is_some());
        }
        assert!((900..1100).contains(&lost), "{lost}");
    }

    #[test]
    fn loss_can_spare_heartbeats_only() {
        let mut net = Network::new(2, (1.0, 5.0), 0.9, 0.0);
        net.drop_heartbeats = false;
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let data = Msg::Ack { write: 1 };
        let mut lost = [0, 0];
        for _ in 0..1000 {
            for (i, msg) in [Msg::Heartbeat { epoch: 0 }, data].into_iter().enumerate() {
                let (s, _) = net.send(&mut rng, 0, 0, 1, msg, (0, 0));
                lost[i] += usize::from(net.take(s).unwrap().doomed.is_some());
            }
        }
        assert_eq!(lost[0], 0, "no heartbeat is lost at random");
        assert!((850..950).contains(&lost[1]), "{}", lost[1]);
        // Partitions and drop-next still stop heartbeats.
        net.drop_next(0, 1);
        let (s, _) = net.send(&mut rng, 0, 0, 1, Msg::Heartbeat { epoch: 0 }, (0, 0));
        assert_eq!(net.get(s).unwrap().doomed, Some(DropCause::DropNext));
        net.partition(&[1]);
        let (s, _) = net.send(&mut rng, 0, 0, 1, Msg::Heartbeat { epoch: 0 }, (0, 0));
        assert_eq!(net.get(s).unwrap().doomed, Some(DropCause::Partition));
    }

    fn lost(net: &mut Network, rng: &mut ChaCha8Rng, t_us: u64, from: NodeId, to: NodeId) -> bool {
        let (slot, _) = net.send(rng, t_us, from, to, Msg::Ack { write: 0 }, (0, 0));
        net.take(slot).unwrap().doomed == Some(DropCause::Loss)
    }

    #[test]
    fn bursts_come_in_runs_at_the_rate_the_parameters_give() {
        let p = crate::sim::Params {
            burst_every_ms: 900,
            burst_ms: 100,
            burst_drop: 1.0,
            ..Default::default()
        };
        let mut net = Network::new(2, (1.0, 1.0), 0.0, 0.0);
        net.set_bursts(&p);
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        // One message every ms for 1000 s: about 10 % lost, in runs about 100 long.
        let fates: Vec<bool> = (0..1_000_000u64)
            .map(|t| lost(&mut net, &mut rng, t * 1000, 0, 1))
            .collect();
        let share = fates.iter().filter(|&&l| l).count() as f64 / fates.len() as f64;
        assert!((0.07..0.13).contains(&share), "{share}");
        let runs = fates.windows(2).filter(|w| w[1] && !w[0]).count();
        let mean_run = fates.iter().filter(|&&l| l).count() as f64 / runs as f64;
        assert!((70.0..130.0).contains(&mean_run), "{mean_run}");
        // The other direction is a link of its own.
        let back: Vec<bool> = (0..1_000_000u64)
            .step_by(7)
            .map(|t| lost(&mut net, &mut rng, 1_000_000_000 + t * 1000, 1, 0))
            .collect();
        assert!(back.iter().any(|&l| l) && back.iter().any(|&l| !l));
    }

    #[test]
    fn client_links_lose_client_drop_only() {
        let p = crate::sim::Params {
            client_drop: 0.5,
            burst_every_ms: 1,
            ..Default::default()
        };
        let mut net = Network::new(3, (1.0, 1.0), 0.0, 0.0);
        net.lossless[2] = true;
        net.set_bursts(&p);
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let to_client = (0..4000)
            .filter(|&t| lost(&mut net, &mut rng, t * 1000, 0, 2))
            .count();
        assert!((1700..2300).contains(&to_client), "{to_client}");
        net.client_loss = 0.0;
        assert!(!(0..4000).any(|t| lost(&mut net, &mut rng, t * 1000, 2, 0)));
    }
}
