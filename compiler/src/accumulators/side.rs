//! Aggregate states of no fixed size, owned by the table beside its rows
//! (as the DISTINCT sets are): the accumulator's 16 bytes hold `[u64 state
//! index + 1][unused]` and the state lives in [`SideStates`]. They are
//! collect_list/collect_set (the values), percentile/median/mode (a count
//! per distinct value), percentile_approx (a [`Summary`]),
//! approx_count_distinct (HyperLogLog++ registers) and max_by/min_by (the
//! extremum and its value). Each merges (partials into state), finishes
//! into the group's answer, and turns into bytes and back for checkpoints.

use std::collections::{HashMap, HashSet};

use super::hll;
use super::quantiles::Summary;
use crate::agg_table::{compare_encoded, read_u64, write_u64};
use crate::error::{Error, Result};
use crate::ir::AggFunc;
use crate::types::DataType;

/// A value held by a state: a fixed-width value as a `u64` (encoded as the
/// table encodes keys where it is compared, its own bits where it is
/// returned as it was), or bytes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Val {
    Fixed(u64),
    Bytes(Box<[u8]>),
}

impl Val {
    fn size(&self) -> usize {
        match self {
            Val::Fixed(_) => 16,
            Val::Bytes(b) => 32 + b.len(),
        }
    }

    /// Orders two values of type `ty` as Spark orders them.
    pub fn cmp_as(&self, other: &Val, ty: &DataType) -> std::cmp::Ordering {
        match (self, other) {
            (Val::Fixed(a), Val::Fixed(b)) => compare_encoded(ty, *a, *b),
            (Val::Bytes(a), Val::Bytes(b)) => a.cmp(b),
            (Val::Fixed(_), Val::Bytes(_)) => std::cmp::Ordering::Less,
            (Val::Bytes(_), Val::Fixed(_)) => std::cmp::Ordering::Greater,
        }
    }
}

/// What one row offers a state.
#[derive(Clone, Debug)]
pub enum Offer {
    /// A value (collect_list, collect_set, mode; percentile's double bits).
    Val(Val),
    /// A number (percentile_approx).
    Num(f64),
    /// A value's Spark xxHash64 (approx_count_distinct).
    Hash(u64),
    /// max_by/min_by: the value (null allowed) at a non-null ordering.
    By { value: Option<Val>, ord: Val },
}

#[derive(Clone, Debug, PartialEq)]
pub enum SideState {
    List(Vec<Val>),
    /// The distinct values in first-seen order.
    Set(Vec<Val>, HashSet<Val>),
    Counts(HashMap<Val, u64>),
    Digest(Summary),
    Registers(Vec<u8>),
    By {
        ord: Val,
        value: Option<Val>,
    },
}

impl SideState {
    fn new(func: AggFunc, first: &Offer) -> SideState {
        match (func, first) {
            (AggFunc::CollectList, _) => SideState::List(Vec::new()),
            (AggFunc::CollectSet | AggFunc::CollectDistinct, _) => {
                SideState::Set(Vec::new(), HashSet::new())
            }
            (AggFunc::PercentileApprox { accuracy, .. }, _) => {
                SideState::Digest(Summary::new(1.0 / accuracy as f64))
            }
            (AggFunc::ApproxCountDistinct { p }, _) => SideState::Registers(vec![0; 1 << p]),
            (_, Offer::By { ord, value }) => SideState::By {
                ord: ord.clone(),
                value: value.clone(),
            },
            _ => SideState::Counts(HashMap::new()),
        }
    }

    fn size(&self) -> usize {
        match self {
            SideState::List(v) => v.iter().map(Val::size).sum(),
            SideState::Set(v, _) => 2 * v.iter().map(Val::size).sum::<usize>(),
            SideState::Counts(m) => m.keys().map(|k| k.size() + 8).sum(),
            SideState::Digest(s) => 24 * s.samples.len() + 8 * s.head.len(),
            SideState::Registers(r) => r.len(),
            SideState::By { .. } => 64,
        }
    }

    /// Applies one offer (`ord_ty` orders max_by/min_by); returns about
    /// how many bytes the state grew by (kept without walking the state,
    /// which would make collecting quadratic).
    fn offer(&mut self, func: AggFunc, ord_ty: &DataType, o: Offer) -> usize {
        match (self, o) {
            (SideState::List(v), Offer::Val(x)) => {
                let n = x.size();
                v.push(x);
                return n;
            }
            (SideState::Set(v, seen), Offer::Val(x)) => {
                if seen.insert(x.clone()) {
                    let n = 2 * x.size();
                    v.push(x);
                    return n;
                }
            }
            (SideState::Counts(m), Offer::Val(x)) => {
                let n = x.size() + 8;
                let c = m.entry(x).or_insert(0);
                *c += 1;
                return if *c == 1 { n } else { 0 };
            }
            (SideState::Digest(s), Offer::Num(x)) => {
                s.insert(x);
                return 8;
            }
            (SideState::Registers(r), Offer::Hash(h)) => {
                let p = r.len().trailing_zeros() as u8;
                hll::update(r, p, h)
            }
            (SideState::By { ord, value }, Offer::By { value: v, ord: o }) => {
                let c = o.cmp_as(ord, ord_ty);
                let better = if func == AggFunc::MaxBy {
                    c.is_gt()
                } else {
                    c.is_lt()
                };
                if better {
                    *ord = o;
                    *value = v;
                }
            }
            _ => {}
        }
        0
    }

    /// Merges `other` (a later part of the input) into this state.
    fn merge(&mut self, func: AggFunc, ord_ty: &DataType, other: &SideState) {
        match (self, other) {
            (SideState::List(a), SideState::List(b)) => a.extend(b.iter().cloned()),
            (SideState::Set(a, seen), SideState::Set(b, _)) => {
                for x in b {
                    if seen.insert(x.clone()) {
                        a.push(x.clone());
                    }
                }
            }
            (SideState::Counts(a), SideState::Counts(b)) => {
                for (k, n) in b {
                    *a.entry(k.clone()).or_insert(0) += n;
                }
            }
            (SideState::Digest(a), SideState::Digest(b)) => a.merge(b),
            (SideState::Registers(a), SideState::Registers(b)) => hll::merge(a, b),
            (me @ SideState::By { .. }, SideState::By { ord, value }) => {
                me.offer(
                    func,
                    ord_ty,
                    Offer::By {
                        value: value.clone(),
                        ord: ord.clone(),
                    },
                );
            }
            _ => {}
        }
    }
}

/// The side states of one table, indexed by the accumulator's first word - 1.
#[derive(Debug, Default, Clone)]
pub struct SideStates {
    states: Vec<SideState>,
    bytes: usize,
}

impl SideStates {
    pub fn memory_bytes(&self) -> usize {
        self.bytes + self.states.len() * std::mem::size_of::<SideState>()
    }

    /// The state of the accumulator at `acc[o..]`, if it has one.
    pub fn get(&self, acc: &[u8], o: usize) -> Option<&SideState> {
        let idx = read_u64(acc, o) as usize;
        idx.checked_sub(1).and_then(|i| self.states.get(i))
    }

    fn get_or_create(
        &mut self,
        acc: &mut [u8],
        o: usize,
        init: impl FnOnce() -> SideState,
    ) -> usize {
        let mut idx = read_u64(acc, o) as usize;
        if idx == 0 || idx > self.states.len() {
            self.states.push(init());
            idx = self.states.len();
            write_u64(acc, o, idx as u64);
        }
        idx - 1
    }

    /// Offers one row's value to the state at `acc[o..]`.
    pub fn offer(&mut self, acc: &mut [u8], o: usize, func: AggFunc, ord_ty: &DataType, x: Offer) {
        let fresh = read_u64(acc, o) == 0;
        let i = self.get_or_create(acc, o, || SideState::new(func, &x));
        let s = &mut self.states[i];
        if fresh {
            self.bytes += s.size();
        }
        if !(fresh && matches!(s, SideState::By { .. })) {
            self.bytes += s.offer(func, ord_ty, x);
        }
    }

    /// Merges `src` (another table's state) into the state at `acc[o..]`.
    pub fn merge(
        &mut self,
        acc: &mut [u8],
        o: usize,
        func: AggFunc,
        ord_ty: &DataType,
        src: &SideState,
    ) {
        if read_u64(acc, o) == 0 {
            let i = self.get_or_create(acc, o, || src.clone());
            // A copied digest is stored compressed, as Spark stores one.
            if let SideState::Digest(d) = &mut self.states[i] {
                if !d.compressed {
                    d.compress();
                }
            }
            self.bytes += self.states[i].size();
            return;
        }
        let i = self.get_or_create(acc, o, || unreachable!("the state exists"));
        self.states[i].merge(func, ord_ty, src);
        // At most what the other state holds (a walk of this one would
        // make every merge cost the whole state).
        self.bytes += src.size();
    }

    /// The byte form of every state, for checkpoints.
    pub fn serialize_into(&self, out: &mut Vec<u8>) {
        put(out, self.states.len() as u64);
        for s in &self.states {
            match s {
                SideState::List(v) => {
                    out.push(0);
                    put_vals(out, v);
                }
                SideState::Set(v, _) => {
                    out.push(1);
                    put_vals(out, v);
                }
                SideState::Counts(m) => {
                    out.push(2);
                    put(out, m.len() as u64);
                    for (k, n) in m {
                        put_val(out, k);
                        put(out, *n);
                    }
                }
                SideState::Digest(d) => {
                    let mut d = d.clone();
                    d.compress();
                    out.push(3);
                    put(out, d.relative_error.to_bits());
                    put(out, d.count as u64);
                    put(out, d.samples.len() as u64);
                    for s in &d.samples {
                        put(out, s.value.to_bits());
                        put(out, s.g as u64);
                        put(out, s.delta as u64);
                    }
                }
                SideState::Registers(r) => {
                    out.push(4);
                    put(out, r.len() as u64);
                    out.extend_from_slice(r);
                }
                SideState::By { ord, value } => {
                    out.push(5);
                    put_val(out, ord);
                    match value {
                        None => out.push(0),
                        Some(v) => {
                            out.push(1);
                            put_val(out, v);
                        }
                    }
                }
            }
        }
    }

    /// Reads [`SideStates::serialize_into`]'s bytes from `r`.
    pub fn deserialize(r: &mut Reader<'_>) -> Result<SideStates> {
        let n = r.u64()? as usize;
        let mut states = Vec::with_capacity(n.min(1 << 20));
        let mut bytes = 0;
        for _ in 0..n {
            let s = match r.byte()? {
                0 => SideState::List(r.vals()?),
                1 => {
                    let v = r.vals()?;
                    let seen = v.iter().cloned().collect();
                    SideState::Set(v, seen)
                }
                2 => {
                    let k = r.u64()? as usize;
                    let mut m = HashMap::with_capacity(k.min(1 << 20));
                    for _ in 0..k {
                        let v = r.val()?;
                        m.insert(v, r.u64()?);
                    }
                    SideState::Counts(m)
                }
                3 => {
                    let mut d = Summary::new(f64::from_bits(r.u64()?));
                    d.count = r.u64()? as i64;
                    let k = r.u64()? as usize;
                    for _ in 0..k {
                        let value = f64::from_bits(r.u64()?);
                        let g = r.u64()? as i64;
                        let delta = r.u64()? as i64;
                        d.samples.push(super::quantiles::Sample { value, g, delta });
                    }
                    SideState::Digest(d)
                }
                4 => {
                    let k = r.u64()? as usize;
                    if !k.is_power_of_two() || !(16..=1 << 24).contains(&k) {
                        return Err(r.bad("HyperLogLog registers"));
                    }
                    SideState::Registers(r.take(k)?.to_vec())
                }
                5 => {
                    let ord = r.val()?;
                    let value = match r.byte()? {
                        0 => None,
                        _ => Some(r.val()?),
                    };
                    SideState::By { ord, value }
                }
                _ => return Err(r.bad("an unknown aggregate state")),
            };
            bytes += s.size();
            states.push(s);
        }
        Ok(SideStates { states, bytes })
    }

    /// Whether the index word at `acc[o..]` names a state (or none).
    pub fn valid_index(&self, acc: &[u8], o: usize) -> bool {
        read_u64(acc, o) as usize <= self.states.len()
    }
}

fn put(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_val(out: &mut Vec<u8>, v: &Val) {
    match v {
        Val::Fixed(x) => {
            out.push(0);
            put(out, *x);
        }
        Val::Bytes(b) => {
            out.push(1);
            put(out, b.len() as u64);
            out.extend_from_slice(b);
        }
    }
}

fn put_vals(out: &mut Vec<u8>, v: &[Val]) {
    put(out, v.len() as u64);
    v.iter().for_each(|x| put_val(out, x));
}

/// Reads a checkpoint's bytes; running out is an error, never a panic.
pub struct Reader<'a> {
    pub bytes: &'a [u8],
    pub at: usize,
}

impl Reader<'_> {
    fn bad(&self, what: &str) -> Error {
        Error::internal(format!(
            "aggregate state: damaged side state ({what}) at byte {}",
            self.at
        ))
    }

    pub fn take(&mut self, n: usize) -> Result<&[u8]> {
        if self.bytes.len() - self.at < n {
            return Err(self.bad("truncated"));
        }
        let s = &self.bytes[self.at..self.at + n];
        self.at += n;
        Ok(s)
    }

    fn byte(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    pub fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }

    fn val(&mut self) -> Result<Val> {
        Ok(match self.byte()? {
            0 => Val::Fixed(self.u64()?),
            1 => {
                let n = self.u64()? as usize;
                Val::Bytes(self.take(n)?.into())
            }
            _ => return Err(self.bad("a value")),
        })
    }

    fn vals(&mut self) -> Result<Vec<Val>> {
        let n = self.u64()? as usize;
        let mut v = Vec::with_capacity(n.min(1 << 20));
        for _ in 0..n {
            v.push(self.val()?);
        }
        Ok(v)
    }
}
