//! The lesson's checkout store: web → order service (creates a pending order) → inventory
//! (reserve) and payment (charge) → order confirmed. The order service times out and
//! retries; without an idempotency key a retried charge is a second charge.

use std::collections::BTreeMap;

use super::engine::{Ctx, Out, Timer};
use super::event::{EventKind, OrderNote};
use super::msg::{Msg, NodeId};
use super::params::Params;

pub const WEB: NodeId = 0;
pub const ORDER: NodeId = 1;
pub const INVENTORY: NodeId = 2;
pub const PAYMENT: NodeId = 3;
/// Orders remembered by payment (for idempotency and duplicate counting).
const CHARGES_MAX: usize = 4096;

#[derive(Debug, Clone, Copy)]
pub struct Order {
    pub attempt: u8,
    pub reserved: bool,
    pub charged: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Checkout {
    next_order: u32,
    /// Orders the order service holds as pending.
    pub orders: BTreeMap<u32, Order>,
    /// Payment's ledger: order → how many times it was charged.
    pub charges: BTreeMap<u32, u32>,
}

impl Checkout {
    pub fn start(&mut self, p: &Params, out: &mut Out) {
        out.timer(WEB, p.order_every_ms * 1000 / 2, Timer::OrderTick);
    }

    pub fn pending(&self) -> u64 {
        self.orders.len() as u64
    }

    /// The web tier's timer: a customer places the next order.
    pub fn on_tick(&mut self, cx: &mut Ctx, out: &mut Out) {
        self.next_order += 1;
        cx.metrics.orders_placed += 1;
        out.send(
            WEB,
            ORDER,
            Msg::Place {
                order: self.next_order,
            },
        );
        out.timer(WEB, cx.params.order_every_ms * 1000, Timer::OrderTick);
    }

    /// Reacts to the checkout's messages: an order placed, reserved, charged, and their
    /// answers.
    pub fn on_message(&mut self, cx: &mut Ctx, _from: NodeId, to: NodeId, msg: Msg, out: &mut Out) {
        match (to, msg) {
            (ORDER, Msg::Place { order }) => {
                if self.orders.len() >= CHARGES_MAX {
                    answer_web(out, order, false);
                    return;
                }
                self.orders.insert(
                    order,
                    Order {
                        attempt: 0,
                        reserved: false,
                        charged: false,
                    },
                );
                out.event(EventKind::Order {
                    order,
                    note: OrderNote::Pending,
                });
                out.send(ORDER, INVENTORY, Msg::Reserve { order, attempt: 0 });
                out.send(ORDER, PAYMENT, Msg::Charge { order, attempt: 0 });
                out.timer(
                    ORDER,
                    cx.params.order_timeout_ms * 1000,
                    Timer::OrderTimeout { order, attempt: 0 },
                );
            }
            (INVENTORY, Msg::Reserve { order, .. }) => {
                out.send(INVENTORY, ORDER, Msg::Reserved { order })
            }
            (PAYMENT, Msg::Charge { order, .. }) => {
                let seen = self.charges.get(&order).copied().unwrap_or(0);
                if !(cx.params.idempotency && seen > 0) {
                    cx.metrics.charges += 1;
                    if seen > 0 {
                        cx.metrics.duplicate_charges += 1;
                    }
                    if self.charges.len() >= CHARGES_MAX
                        && let Some(&oldest) = self.charges.keys().next()
                    {
                        self.charges.remove(&oldest);
                    }
                    self.charges.insert(order, seen + 1);
                    out.event(EventKind::Order {
                        order,
                        note: OrderNote::Charged { times: seen + 1 },
                    });
                }
                out.send(PAYMENT, ORDER, Msg::Charged { order });
            }
            (ORDER, Msg::Reserved { order }) | (ORDER, Msg::Charged { order }) => {
                let Some(o) = self.orders.get_mut(&order) else {
                    return;
                };
                if matches!(msg, Msg::Reserved { .. }) {
                    o.reserved = true;
                } else {
                    o.charged = true;
                }
                if o.reserved && o.charged {
                    self.orders.remove(&order);
                    cx.metrics.orders_confirmed += 1;
                    out.event(EventKind::Order {
                        order,
                        note: OrderNote::Confirmed,
                    });
                    answer_web(out, order, true);
                }
            }
            _ => {}
        }
    }

    /// The order service's timer for attempt `attempt` of `order`: unless the order has
    /// completed, it retries what is missing, or after `retries` retries fails the order.
    pub fn on_timeout(&mut self, cx: &mut Ctx, order: u32, attempt: u8, out: &mut Out) {
        let Some(o) = self.orders.get_mut(&order) else {
            return;
        };
        if o.attempt != attempt {
            return;
        }
        if u32::from(attempt) >= cx.params.retries {
            self.orders.remove(&order);
            cx.metrics.orders_failed += 1;
            out.event(EventKind::Order {
                order,
                note: OrderNote::Failed,
            });
            answer_web(out, order, false);
            return;
        }
        o.attempt += 1;
        cx.metrics.order_retries += 1;
        let attempt = o.attempt;
        out.event(EventKind::Order {
            order,
            note: OrderNote::Retry { attempt },
        });
        if !o.reserved {
            out.send(ORDER, INVENTORY, Msg::Reserve { order, attempt });
        }
        if !o.charged {
            out.send(ORDER, PAYMENT, Msg::Charge { order, attempt });
        }
        out.timer(
            ORDER,
            cx.params.order_timeout_ms * 1000,
            Timer::OrderTimeout { order, attempt },
        );
    }
}

/// The order service tells the web tier how order `order` ended.
fn answer_web(out: &mut Out, order: u32, confirmed: bool) {
    out.send(ORDER, WEB, Msg::Placed { order, confirmed });
}
