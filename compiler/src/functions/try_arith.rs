//! `try_add`, `try_subtract`, `try_multiply`, `try_divide` and `try_mod`:
//! the arithmetic operators with Spark's types (they resolve as `+ - * / %`
//! do), giving NULL where the operator raises an error (an overflow, a zero
//! divisor) instead of failing the query.

use arrow::array::{new_null_array, Array, ArrayRef};
use arrow::compute::kernels::cmp::eq;
use arrow::compute::{cast, concat, nullif};

use super::{FunctionRef, Resolved, ScalarFunction};
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::interp::arith::arith;
use crate::ir::{BinaryOp, TExpr, TExprKind};
use crate::types::{DataType, Scalar};

pub fn register(v: &mut Vec<FunctionRef>) {
    for (name, op) in OPS {
        v.push(FunctionRef::new(TryArith {
            name,
            op: *op,
            ty: DataType::Null,
        }));
    }
}

const OPS: &[(&str, BinaryOp)] = &[
    ("try_add", BinaryOp::Add),
    ("try_subtract", BinaryOp::Sub),
    ("try_multiply", BinaryOp::Mul),
    ("try_divide", BinaryOp::Div),
    ("try_mod", BinaryOp::Mod),
];

/// One of the `try_` operators; `ty` is the result type once resolved.
pub struct TryArith {
    name: &'static str,
    op: BinaryOp,
    ty: DataType,
}

impl ScalarFunction for TryArith {
    fn name(&self) -> &'static str {
        self.name
    }

    fn usage(&self) -> &'static str {
        match self.op {
            BinaryOp::Add => "try_add(expr1, expr2) - Returns the sum of `expr1` and `expr2` and the result is null on overflow.",
            BinaryOp::Sub => "try_subtract(expr1, expr2) - Returns `expr1`-`expr2` and the result is null on overflow.",
            BinaryOp::Mul => "try_multiply(expr1, expr2) - Returns `expr1`*`expr2` and the result is null on overflow.",
            BinaryOp::Div => "try_divide(dividend, divisor) - Returns `dividend`/`divisor`. It always performs floating point division. Its result is always null if `divisor` is 0.",
            _ => "try_mod(dividend, divisor) - Returns the remainder after `expr1`/`expr2`. The result is always null if `divisor` is 0.",
        }
    }

    fn resolve(&self, args: Vec<TExpr>, call: &Expr) -> Result<Resolved> {
        super::args::arity(self.name, &args, 2, 2)?;
        let mut args = args.into_iter();
        let (l, r) = (args.next().unwrap(), args.next().unwrap());
        let e = crate::resolve::binary(self.op, l, r, call)?;
        let ty = e.ty.clone();
        let TExprKind::Binary { left, right, .. } = e.kind else {
            return Err(Error::internal(format!("{} resolved to {e}", self.name)));
        };
        Ok(Resolved {
            func: FunctionRef::new(TryArith {
                name: self.name,
                op: self.op,
                ty: ty.clone(),
            }),
            args: vec![*left, *right],
            ty,
            nullable: true,
        })
    }

    fn invoke(&self, a: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
        // The operator's node, for its result type (and its messages).
        let e = TExpr::new(TExprKind::Literal(Scalar::Null), self.ty.clone(), true);
        if self.ty == DataType::Null {
            return Ok(new_null_array(&arrow::datatypes::DataType::Null, rows));
        }
        let (mut l, mut r) = (a[0].clone(), a[1].clone());
        if matches!(self.op, BinaryOp::Div | BinaryOp::Mod) {
            // A zero divisor gives NULL: blank those rows on both sides.
            let zero = cast(&arrow::array::Int32Array::from(vec![0]), r.data_type())?;
            let zero = arrow::array::Scalar::new(zero);
            let is_zero = eq(&r, &zero)?;
            l = nullif(&l, &is_zero)?;
            r = nullif(&r, &is_zero)?;
        }
        match arith(&e, self.op, &l, &r) {
            Ok(out) => Ok(out),
            Err(err) if !tolerated(&err) => Err(err),
            // Some row overflows: again row by row, NULL where it does.
            Err(_) => {
                let parts = (0..rows)
                    .map(
                        |i| match arith(&e, self.op, &l.slice(i, 1), &r.slice(i, 1)) {
                            Ok(v) => Ok(v),
                            Err(err) if tolerated(&err) => {
                                Ok(new_null_array(&self.ty.to_arrow(), 1))
                            }
                            Err(err) => Err(err),
                        },
                    )
                    .collect::<Result<Vec<_>>>()?;
                let parts: Vec<&dyn Array> = parts.iter().map(|p| p.as_ref()).collect();
                Ok(concat(&parts)?)
            }
        }
    }
}

/// The errors a `try_` operator turns into NULL: Spark's arithmetic errors.
fn tolerated(e: &Error) -> bool {
    matches!(
        e.class(),
        "ARITHMETIC_OVERFLOW"
            | "DIVIDE_BY_ZERO"
            | "REMAINDER_BY_ZERO"
            | "NUMERIC_VALUE_OUT_OF_RANGE"
    ) || e.class().starts_with("NUMERIC_VALUE_OUT_OF_RANGE")
}
