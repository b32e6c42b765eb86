//! What catalog functions share: checking argument counts, Spark's implicit
//! casts of arguments, and typed access to argument arrays with null
//! propagation for the interpreted evaluation.

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, BinaryArray, BooleanArray, Date32Array, Float64Array, Int32Array, Int64Array,
    StringArray, TimestampMicrosecondArray,
};

use super::{FunctionRef, Resolved};
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::interp::columns::downcast;
use crate::ir::{TExpr, TExprKind};
use crate::resolve::{can_cast, cast};
use crate::types::{DataType, Scalar};

/// `[WRONG_NUM_ARGS]` unless `lo <= n <= hi`.
pub fn arity(name: &str, args: &[TExpr], lo: usize, hi: usize) -> Result<()> {
    let n = args.len();
    if n < lo || n > hi {
        let want = if lo == hi {
            lo.to_string()
        } else if hi == usize::MAX {
            format!("> {}", lo - 1)
        } else {
            format!("[{lo}, {hi}]")
        };
        return Err(Error::analysis(
            "WRONG_NUM_ARGS.WITHOUT_SUGGESTION",
            format!("The `{name}` requires {want} parameters but the actual number is {n}."),
        ));
    }
    Ok(())
}

/// Casts `arg` (parameter `i`, 1-based in messages) to `to` as Spark's
/// implicit casts do for function arguments: nulls, numeric widening,
/// numbers and dates to strings, strings to numbers and dates; anything
/// else is `[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE]`.
pub fn coerce(arg: TExpr, to: &DataType, i: usize, call: &Expr) -> Result<TExpr> {
    if arg.ty == *to {
        return Ok(arg);
    }
    let ok = match (&arg.ty, to) {
        (DataType::Null, _) => true,
        (DataType::Struct(_), _) | (_, DataType::Struct(_)) => false,
        (DataType::Binary, DataType::Utf8) | (DataType::Utf8, DataType::Binary) => true,
        (DataType::Boolean, DataType::Utf8) => true,
        (DataType::Boolean, _) | (_, DataType::Boolean) => false,
        (from, to) => can_cast(from, to),
    };
    if !ok {
        return Err(Error::analysis(
            "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
            format!(
                "Cannot resolve \"{call}\" due to data type mismatch: the {} parameter requires the \"{}\" type, however \"{}\" has the type \"{}\".",
                ordinal(i),
                to.spark_name().to_uppercase(),
                arg,
                arg.ty.spark_name().to_uppercase()
            ),
        ));
    }
    if arg.ty == DataType::Binary && *to == DataType::Utf8 {
        // Spark reads binary as UTF-8 text here; the twin's cast does too.
        let n = arg.nullable;
        return Ok(TExpr::new(
            TExprKind::Cast { arg: Box::new(arg) },
            to.clone(),
            n,
        ));
    }
    cast(arg, to.clone())
}

fn ordinal(i: usize) -> String {
    match i {
        1 => "first".into(),
        2 => "second".into(),
        3 => "third".into(),
        4 => "fourth".into(),
        n => format!("{n}th"),
    }
}

/// Coerces each argument to its parameter type (the last type repeats for
/// extra arguments) and resolves to `ty`, nullable when any argument is.
pub fn typed(
    func: &FunctionRef,
    args: Vec<TExpr>,
    params: &[DataType],
    ty: DataType,
    call: &Expr,
) -> Result<Resolved> {
    let args = args
        .into_iter()
        .enumerate()
        .map(|(i, a)| {
            let p = params.get(i).or(params.last()).unwrap_or(&DataType::Utf8);
            coerce(a, p, i + 1, call)
        })
        .collect::<Result<Vec<_>>>()?;
    let nullable = args.iter().any(|a| a.nullable);
    Ok(Resolved {
        func: func.clone(),
        args,
        ty,
        nullable,
    })
}

/// The value of a literal argument (after coercion), if it is one.
pub fn literal(e: &TExpr) -> Option<&Scalar> {
    match &e.kind {
        TExprKind::Literal(v) => Some(v),
        _ => None,
    }
}

/// A literal string argument, or an error saying it must be one.
pub fn literal_str<'a>(e: &'a TExpr, name: &str, what: &str) -> Result<Option<&'a str>> {
    match literal(e) {
        Some(Scalar::Utf8(s)) => Ok(Some(s)),
        Some(Scalar::Null) => Ok(None),
        _ => Err(Error::analysis(
            "DATATYPE_MISMATCH.NON_FOLDABLE_INPUT",
            format!("the {what} of `{name}` must be a constant string, not {e}"),
        )),
    }
}

// ---- typed views of argument arrays (the twin's checked downcasts) ----

pub fn strs(a: &ArrayRef) -> Result<&StringArray> {
    downcast(a.as_ref())
}

pub fn bins(a: &ArrayRef) -> Result<&BinaryArray> {
    downcast(a.as_ref())
}

pub fn i32s(a: &ArrayRef) -> Result<&Int32Array> {
    downcast(a.as_ref())
}

pub fn i64s(a: &ArrayRef) -> Result<&Int64Array> {
    downcast(a.as_ref())
}

pub fn f64s(a: &ArrayRef) -> Result<&Float64Array> {
    downcast(a.as_ref())
}

pub fn bools(a: &ArrayRef) -> Result<&BooleanArray> {
    downcast(a.as_ref())
}

pub fn dates(a: &ArrayRef) -> Result<&Date32Array> {
    downcast(a.as_ref())
}

pub fn timestamps(a: &ArrayRef) -> Result<&TimestampMicrosecondArray> {
    downcast(a.as_ref())
}

/// Row `i` of an array as `Option`, for the typed views above; `None`
/// past the end (an empty batch's literal arguments have no row 0).
pub trait At {
    type Item<'a>
    where
        Self: 'a;
    fn at(&self, i: usize) -> Option<Self::Item<'_>>;
}

impl At for StringArray {
    type Item<'a> = &'a str;
    fn at(&self, i: usize) -> Option<&str> {
        (i < self.len() && self.is_valid(i)).then(|| self.value(i))
    }
}

impl At for BinaryArray {
    type Item<'a> = &'a [u8];
    fn at(&self, i: usize) -> Option<&[u8]> {
        (i < self.len() && self.is_valid(i)).then(|| self.value(i))
    }
}

impl At for BooleanArray {
    type Item<'a> = bool;
    fn at(&self, i: usize) -> Option<bool> {
        (i < self.len() && self.is_valid(i)).then(|| self.value(i))
    }
}

macro_rules! at_prim {
    ($t:ty, $v:ty) => {
        impl At for $t {
            type Item<'a> = $v;
            fn at(&self, i: usize) -> Option<$v> {
                (i < self.len() && self.is_valid(i)).then(|| self.value(i))
            }
        }
    };
}
at_prim!(Int32Array, i32);
at_prim!(Int64Array, i64);
at_prim!(Float64Array, f64);
at_prim!(Date32Array, i32);
at_prim!(TimestampMicrosecondArray, i64);

/// Collects per-row results into an array of the result type.
pub fn collect_strings(
    rows: usize,
    f: impl FnMut(usize) -> Result<Option<String>>,
) -> Result<ArrayRef> {
    let v = (0..rows).map(f).collect::<Result<Vec<_>>>()?;
    Ok(Arc::new(StringArray::from(v)))
}

pub fn collect_i32(rows: usize, f: impl FnMut(usize) -> Result<Option<i32>>) -> Result<ArrayRef> {
    let v = (0..rows).map(f).collect::<Result<Vec<_>>>()?;
    Ok(Arc::new(Int32Array::from(v)))
}

pub fn collect_i64(rows: usize, f: impl FnMut(usize) -> Result<Option<i64>>) -> Result<ArrayRef> {
    let v = (0..rows).map(f).collect::<Result<Vec<_>>>()?;
    Ok(Arc::new(Int64Array::from(v)))
}

pub fn collect_f64(rows: usize, f: impl FnMut(usize) -> Result<Option<f64>>) -> Result<ArrayRef> {
    let v = (0..rows).map(f).collect::<Result<Vec<_>>>()?;
    Ok(Arc::new(Float64Array::from(v)))
}

pub fn collect_bool(rows: usize, f: impl FnMut(usize) -> Result<Option<bool>>) -> Result<ArrayRef> {
    let v = (0..rows).map(f).collect::<Result<Vec<_>>>()?;
    Ok(Arc::new(BooleanArray::from(v)))
}

pub fn collect_binary(
    rows: usize,
    f: impl FnMut(usize) -> Result<Option<Vec<u8>>>,
) -> Result<ArrayRef> {
    let v = (0..rows).map(f).collect::<Result<Vec<_>>>()?;
    Ok(Arc::new(BinaryArray::from_iter(v)))
}

pub fn collect_dates(rows: usize, f: impl FnMut(usize) -> Result<Option<i32>>) -> Result<ArrayRef> {
    let v = (0..rows).map(f).collect::<Result<Vec<_>>>()?;
    Ok(Arc::new(Date32Array::from(v)))
}

pub fn collect_timestamps(
    rows: usize,
    f: impl FnMut(usize) -> Result<Option<i64>>,
) -> Result<ArrayRef> {
    let v = (0..rows).map(f).collect::<Result<Vec<_>>>()?;
    Ok(Arc::new(
        TimestampMicrosecondArray::from(v).with_timezone("UTC"),
    ))
}

/// Declares a catalog function as a unit struct: its name, aliases, usage
/// line, and the bodies of `resolve` and `invoke` (which see the function's
/// own [`FunctionRef`] as `this`).
#[macro_export]
macro_rules! scalar_function {
    // `session_zone`: the function reads the session time zone while it
    // runs (as `to_json` prints timestamps); it runs in the zone the plan
    // is executed in ([`crate::functions::zoned::InZone`]).
    (
        $(#[$doc:meta])*
        $ty:ident, $name:literal, [$($alias:literal),*], $usage:literal, session_zone,
        resolve($this:ident, $args:ident, $call:ident) $resolve:block
        invoke($iargs:ident, $rows:ident) $invoke:block
    ) => {
        $crate::scalar_function!(
            $(#[$doc])*
            $ty, $name, [$($alias),*], $usage,
            resolve($this, $args, $call) $resolve
            invoke($iargs, $rows) $invoke
            with_time_zone(tz) {
                Some($crate::functions::zoned::InZone::wrap($crate::functions::FunctionRef::new($ty), tz))
            }
        );
    };
    (
        $(#[$doc:meta])*
        $ty:ident, $name:literal, [$($alias:literal),*], $usage:literal,
        resolve($this:ident, $args:ident, $call:ident) $resolve:block
        invoke($iargs:ident, $rows:ident) $invoke:block
    ) => {
        $crate::scalar_function!(
            $(#[$doc])*
            $ty, $name, [$($alias),*], $usage,
            resolve($this, $args, $call) $resolve
            invoke($iargs, $rows) $invoke
            with_time_zone(_tz) { None }
        );
    };
    (
        $(#[$doc:meta])*
        $ty:ident, $name:literal, [$($alias:literal),*], $usage:literal,
        resolve($this:ident, $args:ident, $call:ident) $resolve:block
        invoke($iargs:ident, $rows:ident) $invoke:block
        with_time_zone($tz:ident) $zoned:block
    ) => {
        $(#[$doc])*
        pub struct $ty;
        impl $crate::functions::ScalarFunction for $ty {
            fn name(&self) -> &'static str {
                $name
            }
            fn aliases(&self) -> &'static [&'static str] {
                &[$($alias),*]
            }
            fn usage(&self) -> &'static str {
                $usage
            }
            fn resolve(
                &self,
                $args: Vec<$crate::ir::TExpr>,
                $call: &$crate::expr::Expr,
            ) -> $crate::error::Result<$crate::functions::Resolved> {
                let $this = $crate::functions::FunctionRef::new($ty);
                $resolve
            }
            fn invoke(
                &self,
                $iargs: &[arrow::array::ArrayRef],
                $rows: usize,
            ) -> $crate::error::Result<arrow::array::ArrayRef> {
                $invoke
            }
            fn with_time_zone(
                &self,
                $tz: &$crate::time_zone::TimeZone,
            ) -> Option<$crate::functions::FunctionRef> {
                $zoned
            }
        }
    };
}
