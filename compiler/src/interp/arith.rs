//! `+ - * / %` and negation with ANSI semantics: integer overflow and a
//! zero divisor are errors; `/` and `%` evaluate the divisor first, as Spark.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, Float32Array, Float64Array, PrimitiveArray};
use arrow::compute::kernels::arity::{binary, try_binary, try_unary, unary};
use arrow::datatypes::{
    ArrowPrimitiveType, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type,
};
use arrow::error::ArrowError;

use super::columns::{internal, prim, valid_mask, Cols};
use super::expr::Evaluator;
use crate::error::{Error, Result};
use crate::ir::{BinaryOp, TExpr};
use crate::types::DataType;

/// Spark's overflow message for a type.
pub fn overflow_detail(ty: &DataType) -> &'static str {
    if matches!(ty, DataType::Int8 | DataType::Int16 | DataType::Int32) {
        "integer overflow"
    } else {
        "long overflow"
    }
}

/// Maps the sentinel errors of the closures below to sqlc's errors.
fn map_err(e: &TExpr, op: BinaryOp, err: ArrowError) -> Error {
    match err {
        ArrowError::ArithmeticOverflow(_) => Error::Overflow {
            expr: e.to_string(),
            detail: if op == BinaryOp::IntDiv {
                "Overflow in integral divide".into()
            } else {
                overflow_detail(&e.ty).into()
            },
        },
        // Only `%` reaches here with a zero divisor (`/` is on doubles).
        ArrowError::DivideByZero => Error::DivideByZero {
            expr: e.to_string(),
            remainder: true,
        },
        other => other.into(),
    }
}

fn overflow() -> ArrowError {
    ArrowError::ArithmeticOverflow(String::new())
}

fn int_op<T>(e: &TExpr, op: BinaryOp, l: &ArrayRef, r: &ArrayRef) -> Result<ArrayRef>
where
    T: ArrowPrimitiveType,
    T::Native: num_ops::CheckedInt,
{
    use num_ops::CheckedInt;
    let (l, r) = (prim::<T>(l.as_ref())?, prim::<T>(r.as_ref())?);
    let out: PrimitiveArray<T> = match op {
        BinaryOp::Add => try_binary(l, r, |a, b| a.add_checked(b).ok_or_else(overflow)),
        BinaryOp::Sub => try_binary(l, r, |a, b| a.sub_checked(b).ok_or_else(overflow)),
        BinaryOp::Mul => try_binary(l, r, |a, b| a.mul_checked(b).ok_or_else(overflow)),
        // Java's `%`: the sign of the dividend; MIN % -1 is 0.
        BinaryOp::Mod => try_binary(l, r, |a, b| a.rem_java(b).ok_or(ArrowError::DivideByZero)),
        // The divisor was checked for zero; `MIN div -1` overflows.
        BinaryOp::IntDiv => try_binary(l, r, |a, b| {
            if b.is_zero() {
                Err(ArrowError::DivideByZero)
            } else {
                a.div_checked(b).ok_or_else(overflow)
            }
        }),
        _ => return Err(internal(format!("integer operator {}", op.symbol()))),
    }
    .map_err(|err| map_err(e, op, err))?;
    Ok(Arc::new(out))
}

/// Integer helpers over i32 and i64.
mod num_ops {
    pub trait CheckedInt: Copy {
        fn add_checked(self, o: Self) -> Option<Self>;
        fn sub_checked(self, o: Self) -> Option<Self>;
        fn mul_checked(self, o: Self) -> Option<Self>;
        fn rem_java(self, o: Self) -> Option<Self>;
        fn div_checked(self, o: Self) -> Option<Self>;
        fn is_zero(self) -> bool;
    }
    macro_rules! imp {
        ($t:ty) => {
            impl CheckedInt for $t {
                fn add_checked(self, o: Self) -> Option<Self> {
                    self.checked_add(o)
                }
                fn sub_checked(self, o: Self) -> Option<Self> {
                    self.checked_sub(o)
                }
                fn mul_checked(self, o: Self) -> Option<Self> {
                    self.checked_mul(o)
                }
                fn rem_java(self, o: Self) -> Option<Self> {
                    (o != 0).then(|| self.wrapping_rem(o))
                }
                fn div_checked(self, o: Self) -> Option<Self> {
                    self.checked_div(o)
                }
                fn is_zero(self) -> bool {
                    self == 0
                }
            }
        };
    }
    imp!(i32);
    imp!(i64);
}

/// `l op r` for `+ - * %` (operands already evaluated, same type as `e`).
pub fn arith(e: &TExpr, op: BinaryOp, l: &ArrayRef, r: &ArrayRef) -> Result<ArrayRef> {
    if matches!(l.data_type(), arrow::datatypes::DataType::Decimal128(..)) {
        return super::decimal::arith(e, op, l, r);
    }
    match e.ty {
        DataType::Int8 | DataType::Int16 => super::narrow::arith(e, op, l, r),
        DataType::Int32 => int_op::<Int32Type>(e, op, l, r),
        DataType::Int64 => int_op::<Int64Type>(e, op, l, r),
        DataType::Float64 => {
            let (a, b) = (
                prim::<Float64Type>(l.as_ref())?,
                prim::<Float64Type>(r.as_ref())?,
            );
            let out: Float64Array = match op {
                BinaryOp::Add => binary(a, b, |x, y| x + y)?,
                BinaryOp::Sub => binary(a, b, |x, y| x - y)?,
                BinaryOp::Mul => binary(a, b, |x, y| x * y)?,
                BinaryOp::Div => binary(a, b, |x, y| x / y)?,
                BinaryOp::Mod => binary(a, b, |x, y| x % y)?,
                _ => return Err(internal(format!("double operator {}", op.symbol()))),
            };
            Ok(Arc::new(out))
        }
        DataType::Float32 => {
            let (a, b) = (
                prim::<Float32Type>(l.as_ref())?,
                prim::<Float32Type>(r.as_ref())?,
            );
            let out: Float32Array = match op {
                BinaryOp::Add => binary(a, b, |x, y| x + y)?,
                BinaryOp::Sub => binary(a, b, |x, y| x - y)?,
                BinaryOp::Mul => binary(a, b, |x, y| x * y)?,
                BinaryOp::Mod => binary(a, b, |x, y| x % y)?,
                _ => return Err(internal(format!("float operator {}", op.symbol()))),
            };
            Ok(Arc::new(out))
        }
        DataType::Null => Ok(arrow::array::new_null_array(
            &arrow::datatypes::DataType::Null,
            l.len(),
        )),
        ref t => Err(Error::internal(format!("arithmetic on {t} in {e}"))),
    }
}

/// Spark's `/` and `%`: the divisor first; where it is null the dividend is
/// not evaluated. A zero divisor is an error, checked before the dividend is
/// evaluated when neither side can be null, after it (and only where it is
/// not null) otherwise.
pub fn div_mod(
    ev: &Evaluator,
    e: &TExpr,
    op: BinaryOp,
    left: &TExpr,
    right: &TExpr,
    cols: &Cols,
) -> Result<ArrayRef> {
    let r = ev.eval(right, cols)?;
    let l = if !left.nullable && !right.nullable {
        check_zero(e, op, &r, None)?;
        ev.eval(left, cols)?
    } else {
        let l = ev.eval_unless_null(left, &r, cols)?;
        check_zero(e, op, &r, Some(&l))?;
        l
    };
    arith(e, op, &l, &r)
}

/// Fails if a divisor is zero on a row where it (and the dividend, if
/// given) is not null.
fn check_zero(e: &TExpr, op: BinaryOp, r: &ArrayRef, l: Option<&ArrayRef>) -> Result<()> {
    let live = match l {
        Some(l) => super::columns::mask_and(&valid_mask(l.as_ref()), &valid_mask(r.as_ref())),
        None => valid_mask(r.as_ref()),
    };
    let zero_at = |i: usize| -> Result<bool> {
        Ok(match r.data_type() {
            arrow::datatypes::DataType::Int8 => prim::<Int8Type>(r.as_ref())?.value(i) == 0,
            arrow::datatypes::DataType::Int16 => prim::<Int16Type>(r.as_ref())?.value(i) == 0,
            arrow::datatypes::DataType::Int32 => prim::<Int32Type>(r.as_ref())?.value(i) == 0,
            arrow::datatypes::DataType::Int64 => prim::<Int64Type>(r.as_ref())?.value(i) == 0,
            arrow::datatypes::DataType::Float64 => prim::<Float64Type>(r.as_ref())?.value(i) == 0.0,
            arrow::datatypes::DataType::Float32 => prim::<Float32Type>(r.as_ref())?.value(i) == 0.0,
            arrow::datatypes::DataType::Decimal128(..) => super::decimal::is_zero(r, i)?,
            _ => false,
        })
    };
    for i in live.values().set_indices() {
        if zero_at(i)? {
            return Err(Error::DivideByZero {
                expr: e.to_string(),
                remainder: op == BinaryOp::Mod,
            });
        }
    }
    Ok(())
}

/// Unary minus; the minimum integer overflows.
pub fn negate(e: &TExpr, a: &ArrayRef) -> Result<ArrayRef> {
    if e.ty.is_decimal() {
        return super::decimal::unary(e, a, false);
    }
    if e.ty.is_narrow_integer() {
        return super::narrow::unary(e, a, false);
    }
    int_unary(e, a, |x| x.neg_checked(), |x: f64| -x)
}

/// `abs`; the minimum integer overflows.
pub fn abs(e: &TExpr, a: &ArrayRef) -> Result<ArrayRef> {
    if e.ty.is_decimal() {
        return super::decimal::unary(e, a, true);
    }
    if e.ty.is_narrow_integer() {
        return super::narrow::unary(e, a, true);
    }
    int_unary(e, a, |x| x.abs_checked(), f64::abs)
}

fn int_unary(
    e: &TExpr,
    a: &ArrayRef,
    f: impl Fn(&dyn IntUnary) -> Option<i64> + Copy,
    g: impl Fn(f64) -> f64,
) -> Result<ArrayRef> {
    let err = |err| map_err(e, BinaryOp::Sub, err);
    Ok(match e.ty {
        DataType::Int32 => Arc::new(
            try_unary::<_, _, Int32Type>(prim::<Int32Type>(a.as_ref())?, |x| {
                f(&x).map(|v| v as i32).ok_or_else(overflow)
            })
            .map_err(err)?,
        ),
        DataType::Int64 => Arc::new(
            try_unary::<_, _, Int64Type>(prim::<Int64Type>(a.as_ref())?, |x| {
                f(&x).ok_or_else(overflow)
            })
            .map_err(err)?,
        ),
        DataType::Float64 => Arc::new(unary::<_, _, Float64Type>(
            prim::<Float64Type>(a.as_ref())?,
            g,
        )),
        // negation and abs are exact on a float's double
        DataType::Float32 => Arc::new(unary::<_, _, Float32Type>(
            prim::<Float32Type>(a.as_ref())?,
            |x| g(f64::from(x)) as f32,
        )),
        ref t => return Err(Error::internal(format!("{e} on {t}"))),
    })
}

/// An integer of either width, for the unary helpers.
pub trait IntUnary {
    fn neg_checked(&self) -> Option<i64>;
    fn abs_checked(&self) -> Option<i64>;
}

impl IntUnary for i32 {
    fn neg_checked(&self) -> Option<i64> {
        self.checked_neg().map(i64::from)
    }
    fn abs_checked(&self) -> Option<i64> {
        self.checked_abs().map(i64::from)
    }
}

impl IntUnary for i64 {
    fn neg_checked(&self) -> Option<i64> {
        self.checked_neg()
    }
    fn abs_checked(&self) -> Option<i64> {
        self.checked_abs()
    }
}
