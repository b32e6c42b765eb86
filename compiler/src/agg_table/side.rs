//! The accumulators kept beside the rows ([`AccKind::Side`]): offering a
//! row's value, merging another table's state, and the answers as Arrow
//! columns (arrays for collect_list/collect_set and array percentiles).

use arrow::array::ListArray;
use arrow::buffer::OffsetBuffer;

use super::output::{bytes_array, fixed_array};
use super::*;
use crate::accumulators::answers;
use crate::accumulators::hll;
use crate::accumulators::{Offer, SideState, SideStates, Val};

/// A value offered to a state, borrowed from the row (see [`Val`]).
#[derive(Clone, Copy, Debug)]
pub enum ValRef<'a> {
    Fixed(u64),
    Bytes(&'a [u8]),
}

impl ValRef<'_> {
    fn owned(self) -> Val {
        match self {
            ValRef::Fixed(x) => Val::Fixed(x),
            ValRef::Bytes(b) => Val::Bytes(b.into()),
        }
    }
}

impl AggTable {
    /// Offers one row's value to side accumulator `acc` of `group`.
    pub fn side_offer(&mut self, group: usize, acc: usize, x: Offer) {
        let (states, row, o, func, ord_ty) = self.side_parts(group, acc);
        states.offer(row, o, func, &ord_ty, x);
    }

    /// Offers max_by/min_by's pair to accumulator `acc` of `group` as
    /// [`AggTable::side_offer`] does, but building the owned values only
    /// when the ordering improves on the state's (or there is none yet):
    /// a string is copied only then.
    pub fn side_offer_by(&mut self, group: usize, acc: usize, ord: ValRef, value: Option<ValRef>) {
        let o = self.layout.acc_offsets[acc];
        let (func, ord_ty) = (self.layout.funcs[acc].0, self.layout.packed_type(acc, 1));
        let improves = match self.side.get(self.acc_row(group), o) {
            Some(SideState::By { ord: cur, .. }) => {
                let c = match (ord, cur) {
                    (ValRef::Fixed(a), Val::Fixed(b)) => compare_encoded(ord_ty, a, *b),
                    (ValRef::Bytes(a), Val::Bytes(b)) => a.cmp(b),
                    (ValRef::Fixed(_), Val::Bytes(_)) => std::cmp::Ordering::Less,
                    (ValRef::Bytes(_), Val::Fixed(_)) => std::cmp::Ordering::Greater,
                };
                if func == AggFunc::MaxBy {
                    c.is_gt()
                } else {
                    c.is_lt()
                }
            }
            _ => true,
        };
        if improves {
            let offer = Offer::By {
                value: value.map(ValRef::owned),
                ord: ord.owned(),
            };
            self.side_offer(group, acc, offer);
        }
    }

    pub(super) fn side_merge(&mut self, group: usize, acc: usize, state: &SideState) {
        let (states, row, o, func, ord_ty) = self.side_parts(group, acc);
        states.merge(row, o, func, &ord_ty, state);
    }

    /// The side states, accumulator row, offset, function and ordering
    /// type (max_by/min_by) of accumulator `acc` of `group`.
    fn side_parts(
        &mut self,
        group: usize,
        acc: usize,
    ) -> (&mut SideStates, &mut [u8], usize, AggFunc, DataType) {
        let l = &self.layout;
        let w = l.acc_width();
        let (o, func, ord_ty) = (
            l.acc_offsets[acc],
            l.funcs[acc].0,
            l.packed_type(acc, 1).clone(),
        );
        let row = &mut self.accs[group * w..(group + 1) * w];
        (&mut self.side, row, o, func, ord_ty)
    }

    /// The answers of side accumulator `i` for `groups`.
    pub(super) fn side_array(&self, i: usize, groups: &[usize]) -> ArrayRef {
        let l = &self.layout;
        let (func, ty) = &l.funcs[i];
        let o = l.acc_offsets[i];
        let state = |g: usize| self.side.get(self.acc_row(g), o);
        let elem = match ty {
            DataType::Array(e, _) => (**e).clone(),
            t => t.clone(),
        };
        match func {
            AggFunc::CollectList | AggFunc::CollectSet | AggFunc::CollectDistinct => list_array(
                ty,
                &elem,
                groups.iter().map(|&g| match state(g) {
                    Some(SideState::List(v) | SideState::Set(v, _)) => Some(v.clone()),
                    _ => Some(Vec::new()),
                }),
            ),
            AggFunc::ApproxCountDistinct { p } => fixed_array(
                ty,
                groups.iter().map(|&g| {
                    Some(match state(g) {
                        Some(SideState::Registers(r)) => hll::estimate(r, *p) as u64,
                        _ => 0,
                    })
                }),
            ),
            AggFunc::Mode => vals_array(
                ty,
                groups.iter().map(|&g| match state(g) {
                    Some(SideState::Counts(c)) => answers::mode(c, ty),
                    _ => None,
                }),
            ),
            AggFunc::MaxBy | AggFunc::MinBy => vals_array(
                ty,
                groups.iter().map(|&g| match state(g) {
                    Some(SideState::By { value, .. }) => value.clone(),
                    _ => None,
                }),
            ),
            AggFunc::Percentile { array, .. } | AggFunc::PercentileApprox { array, .. } => {
                let ps = &l.percentages[i];
                let answers = groups.iter().map(|&g| {
                    let d = match state(g) {
                        Some(SideState::Counts(c)) => answers::percentiles(c, ps),
                        Some(SideState::Digest(d)) => d.clone().query(ps),
                        _ => None,
                    }?;
                    Some(
                        d.into_iter()
                            .map(|x| Val::Fixed(from_double(&elem, x)))
                            .collect(),
                    )
                });
                if *array {
                    list_array(ty, &elem, answers)
                } else {
                    vals_array(
                        ty,
                        answers.map(|v: Option<Vec<Val>>| v.and_then(|v| v.into_iter().next())),
                    )
                }
            }
            _ => fixed_array(ty, groups.iter().map(|_| None)),
        }
    }
}

/// A double answer as a value of type `ty` (Spark's `toInt`/`toLong`
/// truncation for percentile_approx of integers, dates and timestamps).
fn from_double(ty: &DataType, x: f64) -> u64 {
    match ty {
        DataType::Int32 | DataType::Date => x as i32 as i64 as u64,
        DataType::Int64 | DataType::Timestamp => x as i64 as u64,
        _ => x.to_bits(),
    }
}

fn vals_array(ty: &DataType, vals: impl Iterator<Item = Option<Val>>) -> ArrayRef {
    let vals: Vec<Option<Val>> = vals.collect();
    if ty.is_string_like() {
        bytes_array(
            ty,
            vals.iter().map(|v| match v {
                Some(Val::Bytes(b)) => Some(&b[..]),
                _ => None,
            }),
        )
    } else {
        fixed_array(
            ty,
            vals.into_iter().map(|v| match v {
                Some(Val::Fixed(x)) => Some(x),
                _ => None,
            }),
        )
    }
}

/// An `ARRAY<elem>` column of the given lists (`None`: a null array).
fn list_array(
    ty: &DataType,
    elem: &DataType,
    lists: impl Iterator<Item = Option<Vec<Val>>>,
) -> ArrayRef {
    let mut lengths = Vec::new();
    let mut valid = Vec::new();
    let mut flat = Vec::new();
    for l in lists {
        valid.push(l.is_some());
        let l = l.unwrap_or_default();
        lengths.push(l.len());
        flat.extend(l.into_iter().map(Some));
    }
    let values = vals_array(elem, flat.into_iter());
    let field = match ty.to_arrow() {
        arrow::datatypes::DataType::List(f) => f,
        _ => unreachable!("an array aggregate's type is an array"),
    };
    let nulls = valid
        .iter()
        .any(|v| !v)
        .then(|| arrow::buffer::NullBuffer::from(valid));
    Arc::new(ListArray::new(
        field,
        OffsetBuffer::from_lengths(lengths),
        values,
        nulls,
    ))
}
