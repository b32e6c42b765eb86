//! What a stream–stream join's condition says about the two sides' event
//! times: bounds on `left.t − right.t`, from conjuncts such as
//! `r.t BETWEEN l.t AND l.t + INTERVAL 1 HOUR` or `l.t > r.t - INTERVAL 5
//! MINUTES` — or an equality of the two times as a join key. With the
//! watermark they tell when a buffered row can no longer match (Spark's
//! `StreamingJoinHelper` state watermarks).

use crate::ir::{BinaryOp, ScalarFunc, TExpr, TExprKind};
use crate::types::Scalar;

/// Bounds on `left.t − right.t` (µs); `None`: unbounded. A bound from a
/// non-strict comparison (`<=`, `>=`, BETWEEN, `=`) is inclusive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TimeBounds {
    pub lo: Option<i64>,
    pub hi: Option<i64>,
    pub lo_inclusive: bool,
    pub hi_inclusive: bool,
}

/// Spark keeps a row one millisecond longer when its bound is inclusive
/// (`StreamingJoinHelper`'s state watermark); so does sqlc, to evict — and
/// emit outer rows — in the same batch as Spark.
const INCLUSIVE_MARGIN_US: i64 = 1_000;

impl TimeBounds {
    fn at_least(&mut self, v: i64, inclusive: bool) {
        if self.lo.is_none_or(|lo| v > lo || (v == lo && !inclusive)) {
            self.lo = Some(v);
            self.lo_inclusive = inclusive;
        }
    }

    fn at_most(&mut self, v: i64, inclusive: bool) {
        if self.hi.is_none_or(|hi| v < hi || (v == hi && !inclusive)) {
            self.hi = Some(v);
            self.hi_inclusive = inclusive;
        }
    }

    /// A left row with event time `t` can still match a right row whose
    /// time is after the watermark `wm` only if `t − lo > wm` — so it can
    /// go once `t ≤ wm + lo` (less Spark's margin for an inclusive bound).
    /// `None`: it may always match.
    pub fn left_expires(&self, wm: i64) -> Option<i64> {
        let margin = if self.lo_inclusive {
            INCLUSIVE_MARGIN_US
        } else {
            0
        };
        self.lo
            .map(|lo| wm.saturating_add(lo).saturating_sub(margin))
    }

    /// A right row with time `t` matches left rows in `[t + lo, t + hi]`;
    /// it can go once `t + hi ≤ wm`, i.e. `t ≤ wm − hi` (less the margin).
    pub fn right_expires(&self, wm: i64) -> Option<i64> {
        let margin = if self.hi_inclusive {
            INCLUSIVE_MARGIN_US
        } else {
            0
        };
        self.hi
            .map(|hi| wm.saturating_sub(hi).saturating_sub(margin))
    }

    /// Equal event times: `left.t − right.t = 0`.
    pub fn equal() -> Self {
        TimeBounds {
            lo: Some(0),
            hi: Some(0),
            lo_inclusive: true,
            hi_inclusive: true,
        }
    }
}

/// `column + offset` (µs) when `e` is a column or a column plus an
/// interval.
fn linear(e: &TExpr) -> Option<(usize, i64)> {
    match &e.kind {
        TExprKind::Column { index, .. } => Some((*index, 0)),
        TExprKind::Call {
            func: ScalarFunc::TimestampAdd,
            args,
        } => match (&args[0].kind, &args[1].kind) {
            (TExprKind::Column { index, .. }, TExprKind::Literal(Scalar::Int64(c))) => {
                Some((*index, *c))
            }
            _ => None,
        },
        _ => None,
    }
}

/// The bounds `condition` (over the left columns, then the right ones;
/// `n_left` of them) puts on `left_time − right_time`.
pub fn time_bounds(
    condition: Option<&TExpr>,
    left_time: usize,
    right_time: usize,
    n_left: usize,
) -> TimeBounds {
    let mut b = TimeBounds::default();
    let mut conj = Vec::new();
    fn split<'e>(e: &'e TExpr, out: &mut Vec<&'e TExpr>) {
        match &e.kind {
            TExprKind::Binary {
                op: BinaryOp::And,
                left,
                right,
            } => {
                crate::depth::grow(|| {
                    split(left, out);
                    split(right, out);
                });
            }
            _ => out.push(e),
        }
    }
    if let Some(c) = condition {
        split(c, &mut conj);
    }
    let right_col = n_left + right_time;
    for c in conj {
        let TExprKind::Binary { op, left, right } = &c.kind else {
            continue;
        };
        let (Some((a, ca)), Some((z, cz))) = (linear(left), linear(right)) else {
            continue;
        };
        // a + ca  op  z + cz, with {a, z} = {left time, right time}.
        let (flip, d) = if a == left_time && z == right_col {
            (false, cz - ca) // l − r  op  cz − ca
        } else if a == right_col && z == left_time {
            (true, ca - cz) // r + ca op l + cz  ⇔  l − r  op'  ca − cz
        } else {
            continue;
        };
        let op = if flip { mirror(*op) } else { *op };
        match op {
            BinaryOp::Lt => b.at_most(d, false),
            BinaryOp::LtEq => b.at_most(d, true),
            BinaryOp::Gt => b.at_least(d, false),
            BinaryOp::GtEq => b.at_least(d, true),
            BinaryOp::Eq => {
                b.at_least(d, true);
                b.at_most(d, true);
            }
            _ => {}
        }
    }
    b
}

/// The bounds of a join of two streams whose event-time columns are
/// `left_time` and `right_time` (`None` when a side has none: nothing is
/// bounded): from the condition, or `0` when the two times are equal join
/// keys.
pub fn join_bounds(
    left_time: Option<usize>,
    right_time: Option<usize>,
    n_left: usize,
    keys: (&[TExpr], &[TExpr]),
    condition: Option<&TExpr>,
) -> TimeBounds {
    let (Some(l), Some(r)) = (left_time, right_time) else {
        return TimeBounds::default();
    };
    let on_times = keys.0.iter().zip(keys.1).any(|(a, b)| {
        matches!(
            (&a.kind, &b.kind),
            (TExprKind::Column { index: i, .. }, TExprKind::Column { index: j, .. })
                if *i == l && *j == r
        )
    });
    if on_times {
        TimeBounds::equal()
    } else {
        time_bounds(condition, l, r, n_left)
    }
}

/// `x op y` ⇔ `y (mirror op) x`.
fn mirror(op: BinaryOp) -> BinaryOp {
    match op {
        BinaryOp::Lt => BinaryOp::Gt,
        BinaryOp::LtEq => BinaryOp::GtEq,
        BinaryOp::Gt => BinaryOp::Lt,
        BinaryOp::GtEq => BinaryOp::LtEq,
        op => op,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::DataType;

    fn col(i: usize) -> TExpr {
        TExpr::new(
            TExprKind::Column {
                index: i,
                name: format!("c{i}").into(),
            },
            DataType::Timestamp,
            true,
        )
    }

    fn plus(e: TExpr, us: i64) -> TExpr {
        TExpr::new(
            TExprKind::Call {
                func: ScalarFunc::TimestampAdd,
                args: vec![e, TExpr::literal(Scalar::Int64(us))],
            },
            DataType::Timestamp,
            true,
        )
    }

    fn cmp(op: BinaryOp, a: TExpr, b: TExpr) -> TExpr {
        TExpr::binary(op, a, b, DataType::Boolean, true)
    }

    #[test]
    fn between_bounds_both_ways() {
        // Left time column 0; right time column 1 of the right side (2 left
        // columns: index 3 in the joined row). r.t BETWEEN l.t AND l.t + 60.
        let c = TExpr::binary(
            BinaryOp::And,
            cmp(BinaryOp::GtEq, col(3), col(0)),
            cmp(BinaryOp::LtEq, col(3), plus(col(0), 60)),
            DataType::Boolean,
            true,
        );
        let b = time_bounds(Some(&c), 0, 1, 2);
        // l − r ∈ [−60, 0].
        assert_eq!((b.lo, b.hi), (Some(-60), Some(0)));
        // A left row at t can go once t ≤ wm − 60; a right row once t ≤ wm
        // (each less Spark's millisecond for inclusive bounds).
        assert_eq!(b.left_expires(100_000), Some(100_000 - 60 - 1_000));
        assert_eq!(b.right_expires(100_000), Some(99_000));
        // Strict bounds have no margin.
        let c = cmp(BinaryOp::Lt, col(3), plus(col(0), 60));
        assert_eq!(time_bounds(Some(&c), 0, 1, 2).left_expires(100), Some(40));
    }

    #[test]
    fn other_conditions_give_no_bounds() {
        let c = cmp(BinaryOp::Lt, col(1), col(2));
        assert_eq!(time_bounds(Some(&c), 0, 1, 2), TimeBounds::default());
        assert_eq!(time_bounds(None, 0, 1, 2), TimeBounds::default());
    }
}
