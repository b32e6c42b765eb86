//! Conditional, null and type functions that need their own evaluation:
//! `greatest`/`least` (nulls skipped), `isnan`, `nanvl`, `typeof`,
//! `raise_error`, `assert_true`, and `uuid` (non-deterministic).

use std::sync::Arc;

use arrow::array::{Array, ArrayRef};
use arrow::compute::kernels::cmp::{gt, lt};
use arrow::compute::kernels::zip::zip;

use super::args::*;
use super::{FunctionRef, Resolved, ScalarFunction};
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::ir::TExpr;
use crate::resolve::comparison_type;
use crate::scalar_function;
use crate::types::DataType::{self, Boolean, Float64, Null, Utf8};

pub fn register(v: &mut Vec<FunctionRef>) {
    v.extend([
        FunctionRef::new(Extreme { greatest: true }),
        FunctionRef::new(Extreme { greatest: false }),
        FunctionRef::new(IsNan),
        FunctionRef::new(Nanvl),
        FunctionRef::new(TypeOf),
        FunctionRef::new(RaiseError),
        FunctionRef::new(AssertTrue),
        FunctionRef::new(Uuid),
    ]);
}

/// `greatest(a, b, …)` / `least(a, b, …)`: the largest (smallest) non-null
/// argument, null only when all are; NaN is larger than any double.
pub struct Extreme {
    greatest: bool,
}

impl ScalarFunction for Extreme {
    fn name(&self) -> &'static str {
        if self.greatest {
            "greatest"
        } else {
            "least"
        }
    }

    fn usage(&self) -> &'static str {
        if self.greatest {
            "greatest(expr, ...) - Returns the greatest value of all parameters, skipping null values."
        } else {
            "least(expr, ...) - Returns the least value of all parameters, skipping null values."
        }
    }

    fn resolve(&self, args: Vec<TExpr>, call: &Expr) -> Result<Resolved> {
        if args.len() < 2 {
            return Err(Error::analysis(
                "WRONG_NUM_ARGS.WITHOUT_SUGGESTION",
                format!(
                    "The `{}` requires > 1 parameters but the actual number is {}.",
                    self.name(),
                    args.len()
                ),
            ));
        }
        let mut ty = Null;
        for a in &args {
            ty = comparison_type(&ty, &a.ty).ok_or_else(|| {
                Error::analysis(
                    "DATATYPE_MISMATCH.DATA_DIFF_TYPES",
                    format!(
                        "Cannot resolve \"{call}\" due to data type mismatch: Input to `{}` should all be the same type, but it's [{}].",
                        self.name(),
                        args.iter().map(|a| format!("\"{}\"", a.ty.spark_name().to_uppercase())).collect::<Vec<_>>().join(", ")
                    ),
                )
            })?;
        }
        if matches!(ty, DataType::Struct(_)) {
            return Err(Error::not_supported(format!(
                "`{}` of struct values",
                self.name()
            )));
        }
        let nullable = args.iter().all(|a| a.nullable);
        let args = args
            .into_iter()
            .enumerate()
            .map(|(i, a)| coerce(a, &ty, i + 1, call))
            .collect::<Result<Vec<_>>>()?;
        Ok(Resolved {
            func: FunctionRef::new(Extreme {
                greatest: self.greatest,
            }),
            args,
            ty,
            nullable,
        })
    }

    fn invoke(&self, args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
        let mut acc = args[0].clone();
        for b in &args[1..] {
            // Take b where acc is null, or where b is not null and beats acc.
            let beats = if self.greatest {
                total_order_cmp(b, &acc, true)?
            } else {
                total_order_cmp(b, &acc, false)?
            };
            let take_b: arrow::array::BooleanArray = (0..acc.len())
                .map(|i| {
                    Some(b.is_valid(i) && (acc.is_null(i) || (beats.is_valid(i) && beats.value(i))))
                })
                .collect();
            acc = zip(&take_b, b, &acc)?;
        }
        Ok(acc)
    }
}

/// `b > a` (or `<`) with doubles in Spark's total order (NaN largest).
fn total_order_cmp(
    b: &ArrayRef,
    a: &ArrayRef,
    greater: bool,
) -> Result<arrow::array::BooleanArray> {
    if let (Ok(x), Ok(y)) = (f64s(b), f64s(a)) {
        return Ok((0..x.len())
            .map(|i| match (x.at(i), y.at(i)) {
                (Some(x), Some(y)) => {
                    let o = crate::interp::compare::cmp_f64(x, y);
                    Some(if greater { o.is_gt() } else { o.is_lt() })
                }
                _ => None,
            })
            .collect());
    }
    Ok(if greater { gt(b, a)? } else { lt(b, a)? })
}

scalar_function!(
    /// `isnan(x)`: true for NaN, false otherwise (also for null).
    IsNan, "isnan", [], "isnan(expr) - Returns true if `expr` is NaN, or false otherwise.",
    resolve(this, args, call) {
        arity("isnan", &args, 1, 1)?;
        let mut r = typed(&this, args, &[Float64], Boolean, call)?;
        r.nullable = false;
        Ok(r)
    }
    invoke(a, rows) {
        let x = f64s(&a[0])?;
        collect_bool(rows, |i| Ok(Some(x.at(i).is_some_and(f64::is_nan))))
    }
);

scalar_function!(
    /// `nanvl(a, b)`: `a` unless it is NaN, else `b`.
    Nanvl, "nanvl", [], "nanvl(expr1, expr2) - Returns `expr1` if it's not NaN, or `expr2` otherwise.",
    resolve(this, args, call) {
        arity("nanvl", &args, 2, 2)?;
        typed(&this, args, &[Float64, Float64], Float64, call)
    }
    invoke(a, rows) {
        let (x, y) = (f64s(&a[0])?, f64s(&a[1])?);
        collect_f64(rows, |i| Ok(match x.at(i) {
            Some(v) if v.is_nan() => y.at(i),
            v => v,
        }))
    }
);

/// `typeof(expr)`: the Spark name of the argument's type.
pub struct TypeOf;

impl ScalarFunction for TypeOf {
    fn name(&self) -> &'static str {
        "typeof"
    }

    fn usage(&self) -> &'static str {
        "typeof(expr) - Return DDL-formatted type string for the data type of the input."
    }

    fn resolve(&self, args: Vec<TExpr>, _call: &Expr) -> Result<Resolved> {
        arity("typeof", &args, 1, 1)?;
        let name = args[0].ty.spark_name();
        Ok(Resolved {
            func: FunctionRef(Arc::new(TypeName(name))),
            args: vec![],
            ty: Utf8,
            nullable: false,
        })
    }

    fn invoke(&self, _args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
        Err(Error::internal(
            "typeof is invoked through its resolved instance",
        ))
    }
}

/// The resolved `typeof`: a constant.
struct TypeName(String);

impl ScalarFunction for TypeName {
    fn name(&self) -> &'static str {
        "typeof"
    }

    fn instance_key(&self) -> String {
        self.0.clone()
    }

    fn usage(&self) -> &'static str {
        TypeOf.usage()
    }

    fn resolve(&self, args: Vec<TExpr>, call: &Expr) -> Result<Resolved> {
        TypeOf.resolve(args, call)
    }

    fn invoke(&self, _args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
        collect_strings(rows, |_| Ok(Some(self.0.clone())))
    }
}

scalar_function!(
    /// `raise_error(msg)`: fails the query with `[USER_RAISED_EXCEPTION]`.
    RaiseError, "raise_error", [], "raise_error(expr) - Throws a USER_RAISED_EXCEPTION with `expr` as message.",
    resolve(this, args, call) {
        arity("raise_error", &args, 1, 1)?;
        typed(&this, args, &[Utf8], Null, call)
    }
    invoke(a, rows) {
        let m = strs(&a[0])?;
        if rows > 0 {
            return Err(Error::UserRaised(m.at(0).unwrap_or("null").to_string()));
        }
        Ok(arrow::array::new_null_array(&arrow::datatypes::DataType::Null, 0))
    }
);

scalar_function!(
    /// `assert_true(cond[, msg])`: null when `cond` is true, else an error.
    AssertTrue, "assert_true", [], "assert_true(expr[, message]) - Throws an exception if `expr` is not true.",
    resolve(this, args, call) {
        arity("assert_true", &args, 1, 2)?;
        let mut r = typed(&this, args, &[Boolean, Utf8], Null, call)?;
        r.nullable = true;
        Ok(r)
    }
    invoke(a, rows) {
        let c = bools(&a[0])?;
        let m = a.get(1).map(strs).transpose()?;
        for i in 0..rows {
            if c.at(i) != Some(true) {
                let msg = match m.and_then(|m| m.at(i)) {
                    Some(m) => m.to_string(),
                    None => "'assert_true' is not true!".to_string(),
                };
                return Err(Error::UserRaised(msg));
            }
        }
        Ok(arrow::array::new_null_array(&arrow::datatypes::DataType::Null, rows))
    }
);

/// `uuid()`: a random version-4 UUID per row.
pub struct Uuid;

impl ScalarFunction for Uuid {
    fn name(&self) -> &'static str {
        "uuid"
    }

    fn usage(&self) -> &'static str {
        "uuid() - Returns an universally unique identifier (UUID) string."
    }

    fn deterministic(&self) -> bool {
        false
    }

    fn resolve(&self, args: Vec<TExpr>, _call: &Expr) -> Result<Resolved> {
        arity("uuid", &args, 0, 0)?;
        Ok(Resolved {
            func: FunctionRef::new(Uuid),
            args,
            ty: Utf8,
            nullable: false,
        })
    }

    fn invoke(&self, _args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
        collect_strings(rows, |_| Ok(Some(uuid::Uuid::new_v4().to_string())))
    }
}
