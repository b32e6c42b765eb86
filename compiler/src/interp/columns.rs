//! The columns a step reads, and the array plumbing the evaluator needs:
//! typed downcasts that fail instead of panicking, broadcasting literals,
//! masks, and evaluating on a subset of rows then scattering back.

use std::sync::Arc;

use arrow::array::{
    new_null_array, Array, ArrayRef, BinaryArray, BooleanArray, Date32Array, Float64Array,
    Int32Array, Int64Array, PrimitiveArray, StringArray, TimestampMicrosecondArray, UInt32Array,
};
use arrow::buffer::BooleanBuffer;
use arrow::compute::kernels::{filter::filter, take::take, zip::zip};
use arrow::datatypes::ArrowPrimitiveType;

use crate::error::{Error, Result};
use crate::ir::TExpr;
use crate::types::{DataType, Scalar};

/// The current columns of a pipeline step and their (shared) row count.
#[derive(Clone, Debug)]
pub struct Cols {
    pub arrays: Vec<ArrayRef>,
    pub len: usize,
}

impl Cols {
    /// Columns of `len` rows each.
    pub fn new(arrays: Vec<ArrayRef>, len: usize) -> Self {
        Cols { arrays, len }
    }

    /// The rows where `mask` is true, of the columns `expr` reads (the others
    /// are left empty: `expr` never looks at them).
    pub fn subset(&self, mask: &BooleanArray, expr: &TExpr) -> Result<Cols> {
        let mut used = vec![false; self.arrays.len()];
        mark_columns(expr, &mut used);
        let arrays = self
            .arrays
            .iter()
            .zip(&used)
            .map(|(a, &u)| {
                if u {
                    filter(a.as_ref(), mask).map_err(Error::from)
                } else {
                    Ok(a.slice(0, 0))
                }
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Cols {
            arrays,
            len: mask.true_count(),
        })
    }

    /// Rows `offset..offset + len` (zero-copy).
    pub fn slice(&self, offset: usize, len: usize) -> Cols {
        Cols {
            arrays: self.arrays.iter().map(|a| a.slice(offset, len)).collect(),
            len,
        }
    }
}

fn mark_columns(e: &TExpr, used: &mut [bool]) {
    if let crate::ir::TExprKind::Column { index, .. } = &e.kind {
        if let Some(u) = used.get_mut(*index) {
            *u = true;
        }
    }
    for c in e.children() {
        crate::depth::grow(|| mark_columns(c, used));
    }
}

/// An internal inconsistency (an array of another type than the IR says).
pub fn internal(what: impl std::fmt::Display) -> Error {
    Error::internal(format!("interpreter: {what}"))
}

/// Downcasts to a concrete array type, or an error naming what was expected.
pub fn downcast<T: Array + 'static>(a: &dyn Array) -> Result<&T> {
    a.as_any().downcast_ref::<T>().ok_or_else(|| {
        internal(format!(
            "expected {}, found {}",
            std::any::type_name::<T>(),
            a.data_type()
        ))
    })
}

/// [`downcast`] to a primitive array.
pub fn prim<T: ArrowPrimitiveType>(a: &dyn Array) -> Result<&PrimitiveArray<T>> {
    downcast::<PrimitiveArray<T>>(a)
}

/// [`downcast`] to a boolean array.
pub fn bools(a: &dyn Array) -> Result<&BooleanArray> {
    downcast::<BooleanArray>(a)
}

/// [`downcast`] to a string array.
pub fn strings(a: &dyn Array) -> Result<&StringArray> {
    downcast::<StringArray>(a)
}

/// A timestamp array in sqlc's representation (µs, UTC).
pub fn timestamps(values: TimestampMicrosecondArray) -> ArrayRef {
    Arc::new(values.with_timezone("UTC"))
}

/// `n` copies of a literal, typed `ty` (a null literal is a null array).
/// An array of `ty` holding `values` in order (an inline table's column).
pub fn scalars_to_array(values: &[Scalar], ty: &DataType) -> Result<ArrayRef> {
    let parts = values
        .iter()
        .map(|v| broadcast(v, ty, 1))
        .collect::<Result<Vec<_>>>()?;
    if parts.is_empty() {
        return Ok(arrow::array::new_empty_array(&ty.to_arrow()));
    }
    let refs: Vec<&dyn Array> = parts.iter().map(|a| a.as_ref()).collect();
    Ok(arrow::compute::concat(&refs)?)
}

pub fn broadcast(v: &Scalar, ty: &DataType, n: usize) -> Result<ArrayRef> {
    if v.data_type() != *ty || v.is_null() {
        if v.is_null() {
            return Ok(new_null_array(&ty.to_arrow(), n));
        }
        return Err(internal(format!("literal {v} typed {ty}")));
    }
    Ok(match v {
        Scalar::Null => new_null_array(&ty.to_arrow(), n),
        Scalar::Boolean(b) => Arc::new(BooleanArray::from(vec![*b; n])),
        Scalar::Int8(x) => Arc::new(arrow::array::Int8Array::from_value(*x, n)),
        Scalar::Int16(x) => Arc::new(arrow::array::Int16Array::from_value(*x, n)),
        Scalar::Int32(x) => Arc::new(Int32Array::from_value(*x, n)),
        Scalar::Int64(x) => Arc::new(Int64Array::from_value(*x, n)),
        Scalar::Float64(x) => Arc::new(Float64Array::from_value(*x, n)),
        Scalar::Float32(x) => Arc::new(arrow::array::Float32Array::from_value(*x, n)),
        Scalar::Decimal(x, ..) => crate::decimal::array(std::iter::repeat_n(Some(*x), n), ty),
        Scalar::Utf8(s) => Arc::new(StringArray::from_iter_values(std::iter::repeat_n(
            s.as_str(),
            n,
        ))),
        Scalar::Binary(b) => Arc::new(BinaryArray::from_iter_values(std::iter::repeat_n(
            b.as_slice(),
            n,
        ))),
        Scalar::Timestamp(x) => timestamps(TimestampMicrosecondArray::from_value(*x, n)),
        Scalar::Date(x) => Arc::new(Date32Array::from_value(*x, n)),
        Scalar::TimestampNtz(x) => Arc::new(TimestampMicrosecondArray::from_value(*x, n)),
        Scalar::YearMonthInterval(x, ..) => {
            Arc::new(arrow::array::IntervalYearMonthArray::from_value(*x, n))
        }
        Scalar::DayTimeInterval(x, ..) => {
            Arc::new(arrow::array::DurationMicrosecondArray::from_value(*x, n))
        }
    })
}

/// A mask without nulls: true where `b` is true (null counts as false).
pub fn true_mask(b: &BooleanArray) -> BooleanArray {
    match b.nulls() {
        None => BooleanArray::new(b.values().clone(), None),
        Some(n) => BooleanArray::new(b.values() & n.inner(), None),
    }
}

/// A mask without nulls: true where `a` is not null.
pub fn valid_mask(a: &dyn Array) -> BooleanArray {
    match a.logical_nulls() {
        None => BooleanArray::new(BooleanBuffer::new_set(a.len()), None),
        Some(n) => BooleanArray::new(n.inner().clone(), None),
    }
}

/// `a AND b` for null-free masks.
pub fn mask_and(a: &BooleanArray, b: &BooleanArray) -> BooleanArray {
    BooleanArray::new(a.values() & b.values(), None)
}

/// `a AND NOT b` for null-free masks.
pub fn mask_and_not(a: &BooleanArray, b: &BooleanArray) -> BooleanArray {
    BooleanArray::new(a.values() & &!b.values(), None)
}

/// A null-free mask of `n` true values.
pub fn all_true(n: usize) -> BooleanArray {
    BooleanArray::new(BooleanBuffer::new_set(n), None)
}

/// Spreads `values` (one per true row of `mask`) over `mask.len()` rows;
/// rows where `mask` is false are null.
pub fn scatter(mask: &BooleanArray, values: &ArrayRef) -> Result<ArrayRef> {
    let mut next = 0u32;
    let idx: UInt32Array = mask
        .values()
        .iter()
        .map(|m| {
            m.then(|| {
                next += 1;
                next - 1
            })
        })
        .collect();
    Ok(take(values.as_ref(), &idx, None)?)
}

/// Where `mask` (null-free) is true, `truthy`; elsewhere `falsy`. A `Null`
/// typed side is read as nulls of the other side's type.
pub fn select(mask: &BooleanArray, truthy: &ArrayRef, falsy: &ArrayRef) -> Result<ArrayRef> {
    let t = conform_null(truthy, falsy.data_type());
    let f = conform_null(falsy, t.data_type());
    if *t.data_type() == arrow::datatypes::DataType::Null {
        return Ok(t);
    }
    Ok(zip(mask, &t, &f)?)
}

/// A `Null`-typed array as nulls of type `to` (anything else unchanged).
pub fn conform_null(a: &ArrayRef, to: &arrow::datatypes::DataType) -> ArrayRef {
    if *a.data_type() == arrow::datatypes::DataType::Null && *to != arrow::datatypes::DataType::Null
    {
        new_null_array(to, a.len())
    } else {
        a.clone()
    }
}

/// `a` with exactly the Arrow type `to`: nulls for a `Null` array, a
/// metadata-only cast for another timestamp time zone.
pub fn conform(a: &ArrayRef, to: &arrow::datatypes::DataType) -> Result<ArrayRef> {
    if a.data_type() == to {
        return Ok(a.clone());
    }
    if *a.data_type() == arrow::datatypes::DataType::Null {
        return Ok(new_null_array(to, a.len()));
    }
    use arrow::datatypes::{DataType as A, TimeUnit};
    match (a.data_type(), to) {
        (A::Timestamp(TimeUnit::Microsecond, _), A::Timestamp(TimeUnit::Microsecond, _)) => {
            Ok(arrow::compute::cast(a.as_ref(), to)?)
        }
        // An array whose elements are declared nullable here and not
        // there (Spark's `containsNull`): the same values, relabelled.
        (A::List(_), A::List(item)) => {
            let l = a
                .as_any()
                .downcast_ref::<arrow::array::ListArray>()
                .ok_or_else(|| internal("a List-typed array that is not a ListArray"))?;
            let values = conform(l.values(), item.data_type())?;
            Ok(Arc::new(arrow::array::ListArray::try_new(
                item.clone(),
                l.offsets().clone(),
                values,
                l.nulls().cloned(),
            )?))
        }
        // A map's value nullability (Spark's `valueContainsNull`) relabelled.
        (A::Map(..), A::Map(entries, ordered)) => {
            let m = a
                .as_any()
                .downcast_ref::<arrow::array::MapArray>()
                .ok_or_else(|| internal("a Map-typed array that is not a MapArray"))?;
            let e: ArrayRef = Arc::new(m.entries().clone());
            let e = conform(&e, entries.data_type())?;
            let e = e
                .as_any()
                .downcast_ref::<arrow::array::StructArray>()
                .ok_or_else(|| internal("map entries that are not a struct"))?
                .clone();
            Ok(Arc::new(arrow::array::MapArray::try_new(
                entries.clone(),
                m.offsets().clone(),
                e,
                m.nulls().cloned(),
                *ordered,
            )?))
        }
        (A::Struct(from), A::Struct(fields)) if from.len() == fields.len() => {
            let st = a
                .as_any()
                .downcast_ref::<arrow::array::StructArray>()
                .ok_or_else(|| internal("a Struct-typed array that is not a StructArray"))?;
            let children = st
                .columns()
                .iter()
                .zip(fields.iter())
                .map(|(c, f)| conform(c, f.data_type()))
                .collect::<Result<Vec<_>>>()?;
            Ok(Arc::new(arrow::array::StructArray::try_new(
                fields.clone(),
                children,
                st.nulls().cloned(),
            )?))
        }
        (from, to) => Err(internal(format!(
            "column of type {from} where {to} was expected"
        ))),
    }
}
