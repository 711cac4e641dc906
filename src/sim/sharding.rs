//! Sharding — data partitioning, not a network partition: customers are split by region
//! across shards; the router sends each request to its region's shard, which serves one
//! request at a time (`service_ms`) from a queue. A hot region makes its shard a hotspot.

use std::collections::VecDeque;

use rand_chacha::ChaCha8Rng;

use super::engine::{Out, Timer};
use super::event::EventKind;
use super::metrics::{Metrics, ShardStats};
use super::msg::{Msg, NodeId};
use super::net::{below, unit};
use super::params::Params;

pub const ROUTER: NodeId = 0;
/// Most requests a shard queues; beyond it a request is shed.
pub const QUEUE_MAX: usize = 10_000;

#[derive(Debug, Clone, Default)]
pub struct Shard {
    pub queue: VecDeque<(u32, u8, u64)>,
    pub busy: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Sharding {
    pub shards: Vec<Shard>,
    next_req: u32,
}

impl Sharding {
    pub fn start(&mut self, p: &Params, m: &mut Metrics, out: &mut Out) {
        self.shards = vec![Shard::default(); p.shards as usize];
        m.shards = vec![ShardStats::default(); p.shards as usize];
        out.timer(ROUTER, 1000, Timer::Arrival);
        out.timer(ROUTER, 1_000_000, Timer::Report);
    }

    /// The shard (node id) that owns a region's customers: one region per shard, in the
    /// order of [`super::msg::REGIONS`].
    pub fn route(p: &Params, region: u8) -> NodeId {
        1 + (region as u32 % p.shards) as NodeId
    }

    pub fn queues(&self) -> Vec<(NodeId, usize)> {
        self.shards
            .iter()
            .enumerate()
            .map(|(i, s)| (i as NodeId + 1, s.queue.len()))
            .collect()
    }

    pub fn reset(&mut self, node: NodeId) {
        if let Some(s) = self.shards.get_mut((node as usize).wrapping_sub(1)) {
            s.queue.clear();
            s.busy = false;
        }
    }

    /// A customer request arrives at the router (Poisson arrivals at `rate_per_s`).
    pub fn arrival(&mut self, p: &Params, rng: &mut ChaCha8Rng, now_us: u64, out: &mut Out) {
        self.next_req += 1;
        let region = if unit(rng) < p.hot_fraction {
            0
        } else {
            below(rng, p.shards as u64) as u8
        };
        let to = Self::route(p, region);
        out.send(
            ROUTER,
            to,
            Msg::Request {
                req: self.next_req,
                region,
                start_us: now_us,
            },
        );
        let gap_us = -(1.0 - unit(rng)).ln() * 1e6 / p.rate_per_s;
        out.timer(ROUTER, (gap_us as u64).max(1), Timer::Arrival);
    }

    pub fn on_message(
        &mut self,
        p: &Params,
        m: &mut Metrics,
        now_us: u64,
        to: NodeId,
        msg: Msg,
        out: &mut Out,
    ) {
        match msg {
            Msg::Request {
                req,
                region,
                start_us,
            } => {
                let i = to as usize - 1;
                let Some(s) = self.shards.get_mut(i) else {
                    return;
                };
                if s.queue.len() >= QUEUE_MAX {
                    out.event(EventKind::Shed { shard: to });
                    return;
                }
                s.queue.push_back((req, region, start_us));
                let st = &mut m.shards[i];
                st.queue_len = s.queue.len() as u64;
                st.max_queue_len = st.max_queue_len.max(st.queue_len);
                if !s.busy {
                    s.busy = true;
                    out.timer(to, (p.service_ms * 1000.0) as u64, Timer::ServiceDone);
                }
            }
            Msg::Response {
                start_us, region, ..
            } => {
                let i = Self::route(p, region) as usize - 1;
                let lat = now_us.saturating_sub(start_us);
                m.shards[i].latency.record(lat);
                m.ack_latency.record(lat);
            }
            _ => {}
        }
    }

    /// A shard finished serving the request at the head of its queue.
    pub fn done(&mut self, p: &Params, m: &mut Metrics, node: NodeId, out: &mut Out) {
        let i = node as usize - 1;
        let Some(s) = self.shards.get_mut(i) else {
            return;
        };
        if let Some((req, region, start_us)) = s.queue.pop_front() {
            m.shards[i].served += 1;
            out.send(
                node,
                ROUTER,
                Msg::Response {
                    req,
                    region,
                    start_us,
                },
            );
            if p.replicas > 0 {
                out.send(node, node + p.shards as NodeId, Msg::ShardCopy { req });
            }
        }
        m.shards[i].queue_len = s.queue.len() as u64;
        if s.queue.is_empty() {
            s.busy = false;
        } else {
            out.timer(node, (p.service_ms * 1000.0) as u64, Timer::ServiceDone);
        }
    }
}
