//! The accumulators beyond count/sum/min/max, shared by the JIT (which calls
//! the `extern "C"` entry points below, or reproduces the arithmetic inline),
//! the interpreted twin and the merge of partial tables:
//!
//! - central moments for variance and standard deviation: `[f64 n][f64 mean]
//!   [f64 m2][unused]` (32 bytes), updated and merged with exactly Spark's
//!   formulas (`CentralMomentAgg`: Welford per row, Chan et al. per merge), so
//!   partial tables of any split merge to Spark's answer;
//! - first/last (fixed width): `[raw value bits][state]`, state [`PICK_UNSET`],
//!   [`PICK_VALUE`] or [`PICK_NULL`]; strings keep `[arena offset][length]`
//!   with [`crate::agg_table::UNSET_STR`] or [`NULL_STR`] as the length;
//! - distinct sets (count/sum/avg DISTINCT): `[set index + 1][running sum]`,
//!   the set itself in the table's [`DistinctSets`]. The running sum grows
//!   when a value is new to the set, so a `sum(DISTINCT)` overflow is an
//!   error where it happens, as Spark's;
//! - decimal sums (sum and avg of a decimal): `[i128 sum][i64 count]
//!   [unused]`, exact; a sum past its result type's precision is Spark's
//!   `NUMERIC_VALUE_OUT_OF_RANGE` where it happens.
//! - [`higher`]: skewness/kurtosis, corr/covar and the bit aggregates, in
//!   the row; [`side`]: the states of no fixed size (collect_list/set,
//!   percentiles, mode, approx_count_distinct, max_by/min_by) beside it.

use std::collections::HashSet;

pub mod answers;
pub mod higher;
pub mod hll;
mod hll_data;
pub mod quantiles;
pub mod side;

pub use side::{Offer, SideState, SideStates, Val};

use crate::agg_table::{read_u64, write_u64};
use crate::error::{Error, Result};
use crate::ir::AggFunc;
use crate::types::DataType;

/// First/last state word: nothing seen yet.
pub const PICK_UNSET: u64 = 0;
/// First/last state word: the stored value is the answer.
pub const PICK_VALUE: u64 = 1;
/// First/last state word: the answer is null.
pub const PICK_NULL: u64 = 2;
/// A string first/last whose answer is null (length word).
pub const NULL_STR: u64 = u64::MAX - 1;

/// Spark's `CentralMomentAgg`: the moments of one group.
pub mod moments {
    use super::*;

    /// Adds one value (Welford).
    #[inline]
    pub fn update(acc: &mut [u8], o: usize, x: f64) {
        let (n, mean, m2) = read(acc, o);
        let n1 = n + 1.0;
        let delta = x - mean;
        let delta_n = delta / n1;
        write(acc, o, n1, mean + delta_n, m2 + delta * (delta - delta_n));
    }

    /// Merges the moments at `src[so..]` into `dst[o..]` (Chan et al.).
    pub fn merge(dst: &mut [u8], o: usize, src: &[u8], so: usize) {
        let (n1, mean1, m2_1) = read(dst, o);
        let (n2, mean2, m2_2) = read(src, so);
        let n = n1 + n2;
        let delta = mean2 - mean1;
        let delta_n = if n == 0.0 { 0.0 } else { delta / n };
        write(
            dst,
            o,
            n,
            mean1 + delta_n * n2,
            m2_1 + m2_2 + delta * delta_n * n1 * n2,
        );
    }

    /// The final value of `func` (null without rows; the sample forms are
    /// null for one row, as Spark without `statisticalAggregate` legacy).
    pub fn finish(func: AggFunc, acc: &[u8], o: usize) -> Option<f64> {
        let (n, _, m2) = read(acc, o);
        match func {
            _ if n == 0.0 => None,
            AggFunc::VarPop => Some(m2 / n),
            AggFunc::StddevPop => Some((m2 / n).sqrt()),
            _ if n == 1.0 => None,
            AggFunc::VarSamp => Some(m2 / (n - 1.0)),
            AggFunc::StddevSamp => Some((m2 / (n - 1.0)).sqrt()),
            _ => None,
        }
    }

    fn read(acc: &[u8], o: usize) -> (f64, f64, f64) {
        let f = |k: usize| f64::from_bits(read_u64(acc, o + 8 * k));
        (f(0), f(1), f(2))
    }

    fn write(acc: &mut [u8], o: usize, n: f64, mean: f64, m2: f64) {
        write_u64(acc, o, n.to_bits());
        write_u64(acc, o + 8, mean.to_bits());
        write_u64(acc, o + 16, m2.to_bits());
    }
}

/// Sum and average of a decimal column, exact in `i128`.
pub mod decimal_sum {
    use super::*;
    use crate::decimal;

    /// The sum and count at `acc[o..]`.
    pub fn read(acc: &[u8], o: usize) -> (i128, u64) {
        let lo = read_u64(acc, o) as u128;
        let hi = read_u64(acc, o + 8) as u128;
        (((hi << 64) | lo) as i128, read_u64(acc, o + 16))
    }

    fn write(acc: &mut [u8], o: usize, sum: i128, n: u64) {
        write_u64(acc, o, sum as u128 as u64);
        write_u64(acc, o + 8, ((sum as u128) >> 64) as u64);
        write_u64(acc, o + 16, n);
    }

    /// Adds `sum` over `n` values to the accumulator; `sum_ps` is the
    /// precision and scale of the sum (`sum`'s result type, also for avg).
    pub fn add(acc: &mut [u8], o: usize, sum: i128, n: u64, sum_ps: (u8, u8)) -> Result<()> {
        let (cur, count) = read(acc, o);
        let total = cur.checked_add(sum).filter(|&t| decimal::fits(t, sum_ps.0));
        let Some(total) = total else {
            let text = decimal::format(cur.saturating_add(sum), sum_ps.1);
            return Err(decimal::out_of_range(&text, sum_ps));
        };
        write(acc, o, total, count + n);
        Ok(())
    }

    /// The final value: the sum, or for avg the sum divided by the count
    /// as Spark divides (a `DECIMAL(20, 0)` count, the division's type,
    /// then the average's type); `None` without values.
    pub fn finish(
        func: AggFunc,
        acc: &[u8],
        o: usize,
        arg: (u8, u8),
        ty: &DataType,
    ) -> Option<i128> {
        let (sum, n) = read(acc, o);
        if n == 0 {
            return None;
        }
        if func != AggFunc::Avg {
            return Some(sum);
        }
        let sum_ps = decimal::sum_type(arg);
        let div_ps = decimal::div_type(sum_ps, (20, 0));
        let q = decimal::div(sum, sum_ps.1, n as i128, 0, div_ps).ok()??;
        let (p, s) = ty.decimal_ps()?;
        decimal::rescale(q, div_ps.1, s).filter(|&v| decimal::fits(v, p))
    }
}

/// First/last of a fixed-width value: whether a row's value replaces the
/// stored one, given the state word and whether the value is null.
#[inline]
pub fn pick_takes(last: bool, ignore_nulls: bool, state: u64, is_null: bool) -> bool {
    (!ignore_nulls || !is_null) && (last || state == PICK_UNSET)
}

/// A value offered to a distinct set: a fixed-width value as the table
/// encodes keys (so NaNs are one value and -0.0 is 0.0), or bytes.
#[derive(Clone, Copy, Debug)]
pub enum DistinctVal<'a> {
    Fixed(u64),
    Bytes(&'a [u8]),
}

#[derive(Debug, Default)]
enum DistinctSet {
    #[default]
    Empty,
    Fixed(HashSet<u64>),
    Bytes(HashSet<Vec<u8>>),
}

/// The distinct sets of one table, indexed by the accumulator's first word - 1.
#[derive(Debug, Default)]
pub struct DistinctSets {
    sets: Vec<DistinctSet>,
    /// Per set, the exact running sum of sum/avg(DISTINCT) of a decimal
    /// (whose values the set holds as `encode_decimal` bytes).
    decimal_sums: Vec<i128>,
    bytes: usize,
}

impl DistinctSets {
    pub fn memory_bytes(&self) -> usize {
        self.bytes + self.sets.len() * std::mem::size_of::<DistinctSet>()
    }

    /// Adds `v` to the set of the accumulator at `acc[o..]` (creating the
    /// set on first use); when it is new, adds it to the running sum of
    /// `func` over values of type `ty`.
    pub fn insert(
        &mut self,
        acc: &mut [u8],
        o: usize,
        func: AggFunc,
        ty: &DataType,
        v: DistinctVal<'_>,
    ) -> Result<()> {
        let mut idx = read_u64(acc, o) as usize;
        if idx == 0 {
            self.sets.push(DistinctSet::Empty);
            self.decimal_sums.push(0);
            idx = self.sets.len();
            write_u64(acc, o, idx as u64);
        }
        let set = &mut self.sets[idx - 1];
        let new = match (set, v) {
            (s @ DistinctSet::Empty, DistinctVal::Fixed(x)) => {
                *s = DistinctSet::Fixed(HashSet::from([x]));
                true
            }
            (s @ DistinctSet::Empty, DistinctVal::Bytes(b)) => {
                *s = DistinctSet::Bytes(HashSet::from([b.to_vec()]));
                true
            }
            (DistinctSet::Fixed(s), DistinctVal::Fixed(x)) => s.insert(x),
            (DistinctSet::Bytes(s), DistinctVal::Bytes(b)) => {
                !s.contains(b) && s.insert(b.to_vec())
            }
            _ => {
                return Err(Error::internal(
                    "a distinct set offered a value of another kind",
                ))
            }
        };
        if !new {
            return Ok(());
        }
        self.bytes += match v {
            DistinctVal::Fixed(_) => 16,
            DistinctVal::Bytes(b) => b.len() + 32,
        };
        if let (DistinctVal::Bytes(b), AggFunc::SumDistinct | AggFunc::AvgDistinct, Some(ps)) =
            (v, func, ty.decimal_ps())
        {
            // Exact, at Spark's sum type: past it is its overflow error.
            let sum_ps = crate::decimal::sum_type(ps);
            let x = crate::agg_table::decode_decimal(b);
            let cur = self.decimal_sums[idx - 1];
            let total = cur
                .checked_add(x)
                .filter(|&t| crate::decimal::fits(t, sum_ps.0));
            let Some(total) = total else {
                let text = crate::decimal::format(cur.saturating_add(x), sum_ps.1);
                return Err(crate::decimal::out_of_range(&text, sum_ps));
            };
            self.decimal_sums[idx - 1] = total;
            return Ok(());
        }
        let (DistinctVal::Fixed(x), AggFunc::SumDistinct | AggFunc::AvgDistinct) = (v, func) else {
            return Ok(());
        };
        let cur = read_u64(acc, o + 8);
        let sum = if func == AggFunc::SumDistinct && ty.is_integer() {
            (cur as i64)
                .checked_add(x as i64)
                .ok_or_else(|| Error::Overflow {
                    expr: "sum(DISTINCT)".into(),
                    detail: "long overflow".into(),
                })? as u64
        } else {
            let x = if *ty == DataType::Float64 {
                f64::from_bits(x)
            } else {
                x as i64 as f64
            };
            (f64::from_bits(cur) + x).to_bits()
        };
        write_u64(acc, o + 8, sum);
        Ok(())
    }

    /// The values of the set at `acc[o..]`, to merge into another table.
    pub fn values(&self, acc: &[u8], o: usize) -> Vec<DistinctVal<'_>> {
        match self.set(acc, o) {
            Some(DistinctSet::Fixed(s)) => s.iter().map(|&x| DistinctVal::Fixed(x)).collect(),
            Some(DistinctSet::Bytes(s)) => s.iter().map(|b| DistinctVal::Bytes(b)).collect(),
            _ => Vec::new(),
        }
    }

    /// How many distinct values the set at `acc[o..]` holds.
    pub fn len(&self, acc: &[u8], o: usize) -> usize {
        match self.set(acc, o) {
            Some(DistinctSet::Fixed(s)) => s.len(),
            Some(DistinctSet::Bytes(s)) => s.len(),
            _ => 0,
        }
    }

    fn set(&self, acc: &[u8], o: usize) -> Option<&DistinctSet> {
        let idx = read_u64(acc, o) as usize;
        idx.checked_sub(1).and_then(|i| self.sets.get(i))
    }

    /// sum/avg(DISTINCT) of a decimal: Spark's `sum`/`avg` of the distinct
    /// values, from the set's exact running sum; `None` without values.
    pub fn finish_decimal(
        &self,
        func: AggFunc,
        acc: &[u8],
        o: usize,
        arg: (u8, u8),
        ty: &DataType,
    ) -> Option<i128> {
        let n = self.len(acc, o) as u64;
        let idx = (read_u64(acc, o) as usize).checked_sub(1)?;
        let mut state = [0u8; 24];
        decimal_sum::add(&mut state, 0, self.decimal_sums[idx], n, (38, 0)).ok()?;
        let func = if func == AggFunc::AvgDistinct {
            AggFunc::Avg
        } else {
            AggFunc::Sum
        };
        decimal_sum::finish(func, &state, 0, arg, ty)
    }

    /// The final value of `func` as the `u64` a result column is built from.
    pub fn finish(&self, func: AggFunc, acc: &[u8], o: usize) -> Option<u64> {
        let n = self.len(acc, o);
        let sum = read_u64(acc, o + 8);
        match func {
            AggFunc::CountDistinct => Some(n as u64),
            _ if n == 0 => None,
            AggFunc::SumDistinct => Some(sum),
            AggFunc::AvgDistinct => Some((f64::from_bits(sum) / n as f64).to_bits()),
            _ => None,
        }
    }
}
