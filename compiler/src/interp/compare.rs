//! Comparisons with Spark's ordering: for doubles NaN equals NaN and is
//! larger than every other value, and -0.0 equals 0.0; other types use
//! Arrow's comparison kernels (strings byte-wise, false < true).

use std::cmp::Ordering;

use arrow::array::{Array, ArrayRef, BooleanArray};
use arrow::compute::kernels::cmp;
use arrow::datatypes::Float64Type;

use super::columns::{internal, prim, valid_mask};
use crate::error::Result;
use crate::ir::BinaryOp;
use crate::types::DataType;

/// Spark's total order on doubles.
pub fn cmp_f64(a: f64, b: f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
    }
}

fn holds(op: BinaryOp, o: Ordering) -> bool {
    match op {
        BinaryOp::Eq | BinaryOp::EqNullSafe => o.is_eq(),
        BinaryOp::NotEq => o.is_ne(),
        BinaryOp::Lt => o.is_lt(),
        BinaryOp::LtEq => o.is_le(),
        BinaryOp::Gt => o.is_gt(),
        BinaryOp::GtEq => o.is_ge(),
        _ => false,
    }
}

/// `l op r` for a comparison operator; null where either side is null.
pub fn compare(op: BinaryOp, ty: &DataType, l: &ArrayRef, r: &ArrayRef) -> Result<BooleanArray> {
    if *ty == DataType::Null || *l.data_type() == arrow::datatypes::DataType::Null {
        return Ok(BooleanArray::new_null(l.len()));
    }
    if *ty == DataType::Float32 {
        // Exact as doubles, with the doubles' NaN rules.
        let wide = |a: &ArrayRef| arrow::compute::cast(a, &arrow::datatypes::DataType::Float64);
        return compare(op, &DataType::Float64, &wide(l)?, &wide(r)?);
    }
    if *ty == DataType::Float64 {
        let (a, b) = (
            prim::<Float64Type>(l.as_ref())?,
            prim::<Float64Type>(r.as_ref())?,
        );
        return Ok(a
            .iter()
            .zip(b.iter())
            .map(|(x, y)| Some(holds(op, cmp_f64(x?, y?))))
            .collect());
    }
    let (l, r) = (l.as_ref(), r.as_ref());
    Ok(match op {
        BinaryOp::Eq | BinaryOp::EqNullSafe => cmp::eq(&l, &r)?,
        BinaryOp::NotEq => cmp::neq(&l, &r)?,
        BinaryOp::Lt => cmp::lt(&l, &r)?,
        BinaryOp::LtEq => cmp::lt_eq(&l, &r)?,
        BinaryOp::Gt => cmp::gt(&l, &r)?,
        BinaryOp::GtEq => cmp::gt_eq(&l, &r)?,
        other => return Err(internal(format!("comparison operator {}", other.symbol()))),
    })
}

/// `l <=> r`: true when both are null, false when one is, else `l = r`.
pub fn eq_null_safe(ty: &DataType, l: &ArrayRef, r: &ArrayRef) -> Result<BooleanArray> {
    let eq = compare(BinaryOp::Eq, ty, l, r)?;
    let (lv, rv) = (valid_mask(l.as_ref()), valid_mask(r.as_ref()));
    Ok((0..l.len())
        .map(|i| {
            Some(match (lv.value(i), rv.value(i)) {
                (true, true) => eq.value(i),
                (false, false) => true,
                _ => false,
            })
        })
        .collect())
}
