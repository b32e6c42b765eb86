//! The maps stateful operators keep keyed by a row's bytes (Arrow's row
//! format): deduplication's seen keys, a stream join's index.
//!
//! Hashed with foldhash, not the standard library's SipHash: the keys are
//! the query's own data, hashed once per input row, and SipHash spent over
//! a third of example 7's CPU time hashing them. foldhash is seeded per
//! map, so the order of a map's keys does not leak across processes.

/// A map from a row's bytes to `V`.
pub type KeyMap<V> = std::collections::HashMap<Box<[u8]>, V, foldhash::fast::RandomState>;
