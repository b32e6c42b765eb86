//! ANSI `CAST`: malformed strings raise CAST_INVALID_INPUT, values out of
//! the target's range CAST_OVERFLOW (Spark 4 with `spark.sql.ansi.enabled`).

use std::sync::Arc;

use arrow::array::{
    new_null_array, Array, ArrayRef, AsArray, BinaryArray, BooleanArray, Float64Array, Int32Array,
    Int64Array, PrimitiveArray, StringArray,
};
use arrow::datatypes::{
    ArrowPrimitiveType, Date32Type, Float32Type, Float64Type, Int32Type, Int64Type,
    TimestampMicrosecondType,
};

use super::columns::{bools, downcast, prim, strings, timestamps};
use crate::error::{Error, Result};
use crate::ir::TExpr;
use crate::scalar_fns as sf;
use crate::types::DataType;

use DataType as T;

/// Whether sqlc can cast `from` to `to`.
pub fn supported(from: &DataType, to: &DataType) -> bool {
    if from == to || *from == T::Null {
        return true;
    }
    // A TINYINT or SMALLINT casts as the INT it is; to one, as to a BIGINT.
    if from.is_narrow_integer() {
        return to.is_narrow_integer() || supported(&T::Int32, to);
    }
    if to.is_narrow_integer() {
        return supported(from, &T::Int64);
    }
    // A FLOAT casts as the double it is, and to it as a double does.
    if *from == T::Float32 {
        return supported(&T::Float64, to);
    }
    if *to == T::Float32 {
        return supported(from, &T::Float64);
    }
    if from.is_interval() || to.is_interval() {
        return crate::resolve::can_cast(from, to);
    }
    if *from == T::TimestampNtz || *to == T::TimestampNtz {
        return matches!((from, to), (T::Utf8 | T::Date, _) | (_, T::Utf8 | T::Date));
    }
    match (from, to) {
        (T::Array(a, _), T::Array(b, _)) => return supported(a, b),
        (T::Array(a, _), T::Utf8) => return supported(a, &T::Utf8),
        (T::Array(..), _) | (_, T::Array(..)) => return false,
        (T::Map(ak, av, _), T::Map(bk, bv, _)) => return supported(ak, bk) && supported(av, bv),
        (T::Map(k, v, _), T::Utf8) => return supported(k, &T::Utf8) && supported(v, &T::Utf8),
        (T::Map(..), _) | (_, T::Map(..)) => return false,
        (T::Struct(fields), T::Utf8) => {
            return fields.iter().all(|f| supported(&f.data_type, &T::Utf8))
        }
        (
            T::Boolean | T::Int32 | T::Int64 | T::Float64 | T::Utf8 | T::Decimal(..),
            T::Decimal(..),
        )
        | (T::Decimal(..), T::Boolean | T::Int32 | T::Int64 | T::Float64 | T::Utf8) => return true,
        _ => {}
    }
    matches!(
        (from, to),
        (
            T::Boolean | T::Int32 | T::Int64 | T::Float64 | T::Utf8,
            T::Boolean | T::Int32 | T::Int64 | T::Float64
        ) | (T::Timestamp, T::Int32 | T::Int64 | T::Float64 | T::Date)
            | (_, T::Utf8)
            | (
                T::Utf8 | T::Date | T::Int32 | T::Int64 | T::Float64,
                T::Timestamp
            )
            | (T::Utf8, T::Date)
            | (T::Utf8, T::Binary)
    ) && !matches!(from, T::Struct(_))
}

/// Whether the cast can raise an error on some value.
pub fn can_fail(from: &DataType, to: &DataType) -> bool {
    if from == to || *from == T::Null || *to == T::Utf8 {
        return false;
    }
    if from.is_interval() || to.is_interval() || *from == T::TimestampNtz || *to == T::TimestampNtz
    {
        return true;
    }
    if to.is_narrow_integer() {
        return true;
    }
    if from.is_narrow_integer() {
        return can_fail(&T::Int32, to);
    }
    if *from == T::Float32 {
        return can_fail(&T::Float64, to);
    }
    if *to == T::Float32 {
        return can_fail(from, &T::Float64);
    }
    matches!(
        (from, to),
        (T::Utf8, _)
            | (_, T::Decimal(..))
            | (T::Decimal(..), T::Int32 | T::Int64)
            | (T::Int64, T::Int32)
            | (T::Float64, T::Int32 | T::Int64 | T::Timestamp)
            | (T::Timestamp, T::Int32)
            | (T::Date, T::Timestamp)
    )
}

/// How Spark shows a value in a cast error: `'abc'`, `1.0E20D`, `10L`.
pub(super) fn shown(v: impl std::fmt::Display, ty: &DataType) -> String {
    match ty {
        T::Utf8 => format!("'{v}'"),
        T::Int64 => format!("{v}L"),
        // Spark's `Literal.sql` of a byte and a short.
        T::Int8 => format!("{v}Y"),
        T::Int16 => format!("{v}S"),
        T::Float64 => format!("{v}D"),
        T::Float32 => format!("{v}F"),
        T::Decimal(..) => format!("{v}BD"),
        _ => v.to_string(),
    }
}

struct Ctx<'a> {
    e: &'a TExpr,
    from: &'a DataType,
}

impl Ctx<'_> {
    fn invalid(&self, v: impl std::fmt::Display) -> Error {
        Error::InvalidCast {
            expr: self.e.to_string(),
            value: shown(v, self.from),
            from: self.from.spark_name().to_uppercase(),
            to: self.e.ty.spark_name().to_uppercase(),
        }
    }

    fn overflow(&self, v: impl std::fmt::Display) -> Error {
        Error::CastOverflow {
            expr: self.e.to_string(),
            value: shown(v, self.from),
            from: self.from.spark_name().to_uppercase(),
            to: self.e.ty.spark_name().to_uppercase(),
        }
    }
}

fn map_prim<I: ArrowPrimitiveType, O: ArrowPrimitiveType>(
    a: &dyn Array,
    f: impl Fn(I::Native) -> Result<O::Native>,
) -> Result<PrimitiveArray<O>> {
    prim::<I>(a)?
        .iter()
        .map(|v| v.map(&f).transpose())
        .collect()
}

fn map_str<O: ArrowPrimitiveType>(
    a: &dyn Array,
    f: impl Fn(&str) -> Result<O::Native>,
) -> Result<PrimitiveArray<O>> {
    strings(a)?.iter().map(|v| v.map(&f).transpose()).collect()
}

fn to_strings<I: ArrowPrimitiveType>(
    a: &dyn Array,
    f: impl Fn(I::Native) -> String,
) -> Result<ArrayRef> {
    let out: StringArray = prim::<I>(a)?.iter().map(|v| v.map(&f)).collect();
    Ok(Arc::new(out))
}

/// Spark's `DoubleExactNumeric.toLong`/`toInt`: floor and ceil within range,
/// then truncation toward zero.
fn f64_to_i64(x: f64) -> Option<i64> {
    (x.floor() <= i64::MAX as f64 && x.ceil() >= i64::MIN as f64).then_some(x as i64)
}

fn f64_to_i32(x: f64) -> Option<i32> {
    (x.floor() <= i32::MAX as f64 && x.ceil() >= i32::MIN as f64).then_some(x as i32)
}

/// Casts to and from FLOAT: a float prints as Java's `Float.toString`,
/// integers and strings become floats directly (one rounding), anything
/// else goes through the exact double of a float, or the double of the
/// value narrowed as Java narrows it (past the range: infinity).
fn float_cast(e: &TExpr, from: &DataType, a: &ArrayRef) -> Result<ArrayRef> {
    let to = &e.ty;
    let c = Ctx { e, from };
    let widened = |a: &ArrayRef| -> Result<ArrayRef> {
        let out: Float64Array = prim::<Float32Type>(a.as_ref())?
            .iter()
            .map(|v| v.map(f64::from))
            .collect();
        Ok(Arc::new(out))
    };
    Ok(match (from, to) {
        (T::Float32, T::Utf8) => to_strings::<Float32Type>(a.as_ref(), sf::format_f32)?,
        (T::Float32, _) => {
            let as_double = TExpr::new(e.kind.clone(), to.clone(), e.nullable);
            // The error names the FLOAT it was (`NaN` of "FLOAT").
            let float = |v: String| v.trim_end_matches('D').to_string();
            cast(&as_double, &T::Float64, &widened(a)?).map_err(|err| match err {
                Error::CastOverflow {
                    expr, value, to, ..
                } => Error::CastOverflow {
                    expr,
                    value: float(value),
                    from: "FLOAT".into(),
                    to,
                },
                Error::InvalidCast {
                    expr, value, to, ..
                } => Error::InvalidCast {
                    expr,
                    value: float(value),
                    from: "FLOAT".into(),
                    to,
                },
                other => other,
            })?
        }
        (T::Int32, _) => Arc::new(map_prim::<Int32Type, Float32Type>(a.as_ref(), |x| {
            Ok(x as f32)
        })?),
        (T::Int64, _) => Arc::new(map_prim::<Int64Type, Float32Type>(a.as_ref(), |x| {
            Ok(x as f32)
        })?),
        (T::Utf8, _) => Arc::new(map_str::<Float32Type>(a.as_ref(), |s| {
            sf::parse_f32(s).ok_or_else(|| c.invalid(s))
        })?),
        _ => {
            let via = TExpr::new(e.kind.clone(), T::Float64, e.nullable);
            let d = cast(&via, from, a)?;
            Arc::new(map_prim::<Float64Type, Float32Type>(d.as_ref(), |x| {
                Ok(x as f32)
            })?)
        }
    })
}

/// `CAST(a AS e.ty)`, `a` being of type `from`.
pub fn cast(e: &TExpr, from: &DataType, a: &ArrayRef) -> Result<ArrayRef> {
    let to = &e.ty;
    if from == to {
        return Ok(a.clone());
    }
    if *from == T::Null {
        return Ok(new_null_array(&to.to_arrow(), a.len()));
    }
    if let T::Array(elem, _) = from {
        return cast_array(e, elem, a);
    }
    if let T::Map(k, v, _) = from {
        return cast_map(e, k, v, a);
    }
    if let (T::Struct(fields), T::Utf8) = (from, to) {
        return struct_to_string(e, fields, a);
    }
    if (from.is_narrow_integer() || to.is_narrow_integer())
        && !matches!(from, T::Array(..) | T::Map(..) | T::Struct(_))
    {
        return super::narrow::cast(e, from, a);
    }
    if from.is_interval() || to.is_interval() {
        return super::interval_cast::cast(e, from, a);
    }
    if *from == T::TimestampNtz || *to == T::TimestampNtz {
        let c = Ctx { e, from };
        return crate::functions::ntz::cast(from, to, a, |s| c.invalid(s))
            .unwrap_or_else(|| Err(Error::internal(format!("a cast from {from} to {to}"))));
    }
    if *from == T::Float32 || *to == T::Float32 {
        return float_cast(e, from, a);
    }
    let c = Ctx { e, from };
    if to.is_decimal() {
        return super::decimal::cast_to(e, from, a, |s| c.invalid(s));
    }
    if from.is_decimal() {
        return super::decimal::cast_from(e, a, |v| c.overflow(v));
    }
    let a = a.as_ref();
    let secs = |us: i64| us.div_euclid(sf::MICROS_PER_SECOND);
    Ok(match (from, to) {
        // ---- to string ----
        (T::Boolean, T::Utf8) => {
            let out: StringArray = bools(a)?
                .iter()
                .map(|v| v.map(|b| if b { "true" } else { "false" }))
                .collect();
            Arc::new(out)
        }
        (T::Int32, T::Utf8) => to_strings::<Int32Type>(a, |v| v.to_string())?,
        (T::Int64, T::Utf8) => to_strings::<Int64Type>(a, |v| v.to_string())?,
        (T::Float64, T::Utf8) => to_strings::<Float64Type>(a, sf::format_f64)?,
        // On the session's wall clock: a zoned nested cast ([`crate::
        // functions::zoned`]) runs this in its zone; elsewhere it is UTC.
        (T::Timestamp, T::Utf8) => {
            let tz = crate::time_zone::session();
            to_strings::<TimestampMicrosecondType>(a, |us| sf::format_timestamp(tz.to_local(us)))?
        }
        (T::Date, T::Utf8) => to_strings::<Date32Type>(a, sf::format_date)?,
        (T::Binary, T::Utf8) => {
            let out: StringArray = downcast::<BinaryArray>(a)?
                .iter()
                .map(|v| v.map(|b| String::from_utf8_lossy(b).into_owned()))
                .collect();
            Arc::new(out)
        }
        (T::Utf8, T::Binary) => {
            let out: BinaryArray = strings(a)?.iter().map(|v| v.map(str::as_bytes)).collect();
            Arc::new(out)
        }
        // ---- to boolean ----
        (T::Int32, T::Boolean) => Arc::new(
            prim::<Int32Type>(a)?
                .iter()
                .map(|v| v.map(|x| x != 0))
                .collect::<BooleanArray>(),
        ),
        (T::Int64, T::Boolean) => Arc::new(
            prim::<Int64Type>(a)?
                .iter()
                .map(|v| v.map(|x| x != 0))
                .collect::<BooleanArray>(),
        ),
        (T::Float64, T::Boolean) => Arc::new(
            prim::<Float64Type>(a)?
                .iter()
                .map(|v| v.map(|x| x != 0.0))
                .collect::<BooleanArray>(),
        ),
        (T::Utf8, T::Boolean) => {
            let out: BooleanArray = strings(a)?
                .iter()
                .map(|v| {
                    v.map(|s| sf::parse_bool(s).ok_or_else(|| c.invalid(s)))
                        .transpose()
                })
                .collect::<Result<_>>()?;
            Arc::new(out)
        }
        // ---- to int ----
        (T::Boolean, T::Int32) => Arc::new(
            bools(a)?
                .iter()
                .map(|v| v.map(i32::from))
                .collect::<Int32Array>(),
        ),
        (T::Int64, T::Int32) => Arc::new(map_prim::<Int64Type, Int32Type>(a, |x| {
            i32::try_from(x).map_err(|_| c.overflow(x))
        })?),
        (T::Float64, T::Int32) => Arc::new(map_prim::<Float64Type, Int32Type>(a, |x| {
            f64_to_i32(x).ok_or_else(|| c.overflow(sf::format_f64(x)))
        })?),
        (T::Utf8, T::Int32) => Arc::new(map_str::<Int32Type>(a, |s| {
            sf::parse_i32(s).ok_or_else(|| c.invalid(s))
        })?),
        (T::Timestamp, T::Int32) => {
            Arc::new(map_prim::<TimestampMicrosecondType, Int32Type>(a, |us| {
                i32::try_from(secs(us)).map_err(|_| c.overflow(sf::format_timestamp(us)))
            })?)
        }
        // ---- to bigint ----
        (T::Boolean, T::Int64) => Arc::new(
            bools(a)?
                .iter()
                .map(|v| v.map(i64::from))
                .collect::<Int64Array>(),
        ),
        (T::Int32, T::Int64) => Arc::new(map_prim::<Int32Type, Int64Type>(a, |x| Ok(x as i64))?),
        (T::Float64, T::Int64) => Arc::new(map_prim::<Float64Type, Int64Type>(a, |x| {
            f64_to_i64(x).ok_or_else(|| c.overflow(sf::format_f64(x)))
        })?),
        (T::Utf8, T::Int64) => Arc::new(map_str::<Int64Type>(a, |s| {
            sf::parse_i64(s).ok_or_else(|| c.invalid(s))
        })?),
        (T::Timestamp, T::Int64) => {
            Arc::new(map_prim::<TimestampMicrosecondType, Int64Type>(a, |us| {
                Ok(secs(us))
            })?)
        }
        // ---- to double ----
        (T::Boolean, T::Float64) => Arc::new(
            bools(a)?
                .iter()
                .map(|v| v.map(|b| if b { 1.0 } else { 0.0 }))
                .collect::<Float64Array>(),
        ),
        (T::Int32, T::Float64) => {
            Arc::new(map_prim::<Int32Type, Float64Type>(a, |x| Ok(x as f64))?)
        }
        (T::Int64, T::Float64) => {
            Arc::new(map_prim::<Int64Type, Float64Type>(a, |x| Ok(x as f64))?)
        }
        (T::Utf8, T::Float64) => Arc::new(map_str::<Float64Type>(a, |s| {
            sf::parse_f64(s).ok_or_else(|| c.invalid(s))
        })?),
        (T::Timestamp, T::Float64) => Arc::new(map_prim::<TimestampMicrosecondType, Float64Type>(
            a,
            |us| Ok(us as f64 / sf::MICROS_PER_SECOND as f64),
        )?),
        // ---- to timestamp ----
        (T::Utf8, T::Timestamp) => timestamps(map_str::<TimestampMicrosecondType>(a, |s| {
            sf::parse_timestamp(s).ok_or_else(|| c.invalid(s))
        })?),
        (T::Date, T::Timestamp) => {
            timestamps(map_prim::<Date32Type, TimestampMicrosecondType>(a, |d| {
                (d as i64)
                    .checked_mul(sf::MICROS_PER_DAY)
                    .ok_or_else(|| c.overflow(sf::format_date(d)))
            })?)
        }
        (T::Float64, T::Timestamp) => {
            timestamps(map_prim::<Float64Type, TimestampMicrosecondType>(a, |x| {
                if !x.is_finite() {
                    return Err(c.invalid(sf::format_f64(x)));
                }
                sf::f64_to_timestamp(x).ok_or_else(|| c.overflow(sf::format_f64(x)))
            })?)
        }
        // Spark's SECONDS.toMicros saturates.
        (T::Int32, T::Timestamp) => {
            timestamps(map_prim::<Int32Type, TimestampMicrosecondType>(a, |x| {
                Ok((x as i64) * sf::MICROS_PER_SECOND)
            })?)
        }
        (T::Int64, T::Timestamp) => {
            timestamps(map_prim::<Int64Type, TimestampMicrosecondType>(a, |x| {
                Ok(x.saturating_mul(sf::MICROS_PER_SECOND))
            })?)
        }
        // ---- to date ----
        (T::Utf8, T::Date) => Arc::new(map_str::<Date32Type>(a, |s| {
            sf::parse_date(s).ok_or_else(|| c.invalid(s))
        })?),
        (T::Timestamp, T::Date) => {
            Arc::new(map_prim::<TimestampMicrosecondType, Date32Type>(a, |us| {
                Ok(us.div_euclid(sf::MICROS_PER_DAY) as i32)
            })?)
        }
        _ => {
            return Err(Error::TypeMismatch {
                expr: e.to_string(),
                reason: format!("cannot cast {} to {}", from.spark_name(), to.spark_name()),
            })
        }
    })
}

/// Casts of arrays: element by element to another array type, or to the
/// string Spark prints (`[1, null, 3]`, nested arrays alike).
fn cast_array(e: &TExpr, elem: &DataType, a: &ArrayRef) -> Result<ArrayRef> {
    let l = a
        .as_list_opt::<i32>()
        .ok_or_else(|| Error::internal(format!("an array cast got {}", a.data_type())))?;
    let target = match &e.ty {
        T::Array(t, _) => (**t).clone(),
        _ => T::Utf8,
    };
    // The element cast, as an expression of the element types (its text
    // is the whole cast's, for messages).
    let elem_cast = TExpr::new(e.kind.clone(), target.clone(), true);
    let values = cast(&elem_cast, elem, l.values())?;
    match &e.ty {
        T::Array(t, contains_null) => Ok(Arc::new(arrow::array::ListArray::try_new(
            crate::types::list_item(t, *contains_null || values.null_count() > 0),
            l.offsets().clone(),
            values,
            l.nulls().cloned(),
        )?)),
        _ => {
            let strs = strings(values.as_ref())?;
            let out: StringArray = (0..l.len())
                .map(|r| {
                    if l.is_null(r) {
                        return None;
                    }
                    let o = l.value_offsets();
                    let items: Vec<&str> = (o[r] as usize..o[r + 1] as usize)
                        .map(|k| {
                            if strs.is_null(k) {
                                "null"
                            } else {
                                strs.value(k)
                            }
                        })
                        .collect();
                    Some(format!("[{}]", items.join(", ")))
                })
                .collect();
            Ok(Arc::new(out))
        }
    }
}

/// Casts of maps: keys and values to another map type, or to the string
/// Spark prints (`{a -> 1, b -> null}`).
fn cast_map(e: &TExpr, key: &DataType, value: &DataType, a: &ArrayRef) -> Result<ArrayRef> {
    let m = a
        .as_map_opt()
        .ok_or_else(|| Error::internal(format!("a map cast got {}", a.data_type())))?;
    let (tk, tv, value_null) = match &e.ty {
        T::Map(k, v, n) => ((**k).clone(), (**v).clone(), *n),
        _ => (T::Utf8, T::Utf8, true),
    };
    let part = |from: &DataType, to: &DataType, values: &ArrayRef| {
        cast(&TExpr::new(e.kind.clone(), to.clone(), true), from, values)
    };
    let keys = part(key, &tk, m.keys())?;
    let values = part(value, &tv, m.values())?;
    if let T::Map(..) = &e.ty {
        let offsets = m.value_offsets().to_vec();
        return crate::functions::map::map_array(
            &tk,
            &tv,
            value_null || values.null_count() > 0,
            offsets,
            keys,
            values,
            m.nulls().cloned(),
        );
    }
    let (ks, vs) = (strings(keys.as_ref())?, strings(values.as_ref())?);
    let o = m.value_offsets();
    let out: StringArray = (0..m.len())
        .map(|r| {
            if m.is_null(r) {
                return None;
            }
            let items: Vec<String> = (o[r] as usize..o[r + 1] as usize)
                .map(|k| {
                    let v = if vs.is_null(k) { "null" } else { vs.value(k) };
                    format!("{} -> {v}", ks.value(k))
                })
                .collect();
            Some(format!("{{{}}}", items.join(", ")))
        })
        .collect();
    Ok(Arc::new(out))
}

/// A struct as the string Spark prints: `{1, null, [a]}`.
fn struct_to_string(e: &TExpr, fields: &[crate::types::Field], a: &ArrayRef) -> Result<ArrayRef> {
    let st = a
        .as_struct_opt()
        .ok_or_else(|| Error::internal(format!("a struct cast got {}", a.data_type())))?;
    let parts = fields
        .iter()
        .zip(st.columns())
        .map(|(f, c)| cast(&TExpr::new(e.kind.clone(), T::Utf8, true), &f.data_type, c))
        .collect::<Result<Vec<_>>>()?;
    let parts = parts
        .iter()
        .map(|p| strings(p.as_ref()))
        .collect::<Result<Vec<_>>>()?;
    let out: StringArray = (0..st.len())
        .map(|r| {
            if st.is_null(r) {
                return None;
            }
            let items: Vec<&str> = parts
                .iter()
                .map(|p| if p.is_null(r) { "null" } else { p.value(r) })
                .collect();
            Some(format!("{{{}}}", items.join(", ")))
        })
        .collect();
    Ok(Arc::new(out))
}
