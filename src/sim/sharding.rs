//! Sharding — data partitioning, not a network partition: customers are split by region
//! across shards; the router sends each request to its region's shard, which serves one
//! request at a time (`service_ms`) from a queue. A hot region makes its shard a hotspot.

use std::collections::VecDeque;

use super::engine::{Ctx, Out, Timer};
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

    /// The router's report timer: the shards' queue lengths, for narration, once a second.
    pub fn on_report(&mut self, node: NodeId, out: &mut Out) {
        out.event(EventKind::ShardLoad {
            queues: self.queues(),
        });
        out.timer(node, 1_000_000, Timer::Report);
    }

    pub fn reset(&mut self, node: NodeId) {
        if let Some(s) = self.shards.get_mut((node as usize).wrapping_sub(1)) {
            s.queue.clear();
            s.busy = false;
        }
    }

    /// A customer request arrives at the router (Poisson arrivals at `rate_per_s`).
    pub fn on_arrival(&mut self, cx: &mut Ctx, out: &mut Out) {
        self.next_req += 1;
        let region = if unit(cx.rng) < cx.params.hot_fraction {
            0
        } else {
            below(cx.rng, cx.params.shards as u64) as u8
        };
        let to = Self::route(cx.params, region);
        out.send(
            ROUTER,
            to,
            Msg::Request {
                req: self.next_req,
                region,
                start_us: cx.now_us,
            },
        );
        let gap_us = -(1.0 - unit(cx.rng)).ln() * 1e6 / cx.params.rate_per_s;
        out.timer(ROUTER, (gap_us as u64).max(1), Timer::Arrival);
    }

    /// Reacts to a request reaching its shard, and a response reaching the router.
    pub fn on_message(&mut self, cx: &mut Ctx, _from: NodeId, to: NodeId, msg: Msg, out: &mut Out) {
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
                let st = &mut cx.metrics.shards[i];
                st.queue_len = s.queue.len() as u64;
                st.max_queue_len = st.max_queue_len.max(st.queue_len);
                if !s.busy {
                    s.busy = true;
                    out.timer(
                        to,
                        (cx.params.service_ms * 1000.0) as u64,
                        Timer::ServiceDone,
                    );
                }
            }
            Msg::Response {
                start_us, region, ..
            } => {
                let i = Self::route(cx.params, region) as usize - 1;
                let lat = cx.now_us.saturating_sub(start_us);
                cx.metrics.shards[i].latency.record(lat);
                cx.metrics.ack_latency.record(lat);
            }
            _ => {}
        }
    }

    /// A shard's service timer: it finished serving the request at the head of its queue.
    pub fn on_service_done(&mut self, cx: &mut Ctx, node: NodeId, out: &mut Out) {
        let i = node as usize - 1;
        let Some(s) = self.shards.get_mut(i) else {
            return;
        };
        if let Some((req, region, start_us)) = s.queue.pop_front() {
            cx.metrics.shards[i].served += 1;
            out.send(
                node,
                ROUTER,
                Msg::Response {
                    req,
                    region,
                    start_us,
                },
            );
            if cx.params.replicas > 0 {
                out.send(
                    node,
                    node + cx.params.shards as NodeId,
                    Msg::ShardCopy { req },
                );
            }
        }
        cx.metrics.shards[i].queue_len = s.queue.len() as u64;
        if s.queue.is_empty() {
            s.busy = false;
        } else {
            out.timer(
                node,
                (cx.params.service_ms * 1000.0) as u64,
                Timer::ServiceDone,
            );
        }
    }
}
