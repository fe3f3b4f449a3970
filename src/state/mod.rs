//! The bot's state, with the cargo feature `tracker`: what a bot keeps from the notifications it
//! receives ([`tracker!`](tracker), one tracker per API: `v1_0::tracker`).

mod ordered;
pub(crate) mod saved;
mod tracker;

pub(crate) use ordered::OrderedMap;
pub(crate) use tracker::tracker;
