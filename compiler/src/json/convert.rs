//! JSON values to Arrow arrays of a type (`from_json`, Spark's
//! `JacksonParser` rules) and Arrow values to JSON text (`to_json`,
//! Spark's `JacksonGenerator`).
//!
//! A value converts when its tokens fit the type: integers into INT and
//! BIGINT (within range), any number (and the strings `NaN`, `Infinity`,
//! `-Infinity`) into DOUBLE, anything into STRING (non-strings as their
//! JSON text), strings Spark's default formats parse into TIMESTAMP and
//! DATE, objects into structs (fields by exact name, the last of a name
//! wins) and maps, arrays into arrays; `null` into any type.

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, Date32Array, Float64Array, Int32Array, Int64Array,
    ListArray, StringArray, StructArray,
};
use arrow::buffer::{NullBuffer, OffsetBuffer};
use arrow::datatypes::{
    DataType as ArrowType, Date32Type, Float64Type, Int32Type, Int64Type, TimestampMicrosecondType,
};

use super::syntax::special_double;
use super::{write_double, write_string, Json};
use crate::error::{Error, Result};
use crate::scalar_fns::{format_date, parse_date, parse_timestamp_in};
use crate::types::{list_item, DataType};

/// A timestamp's text read on the session's wall clock (a zoned
/// `from_json` runs in its zone), unless it names an offset or a zone.
fn parse_timestamp(s: &str) -> Option<i64> {
    crate::time_zone::in_session(|tz| parse_timestamp_in(s, tz))
}

/// Whether `v` converts to `ty` (see the module doc); `specials`: whether
/// the strings `"NaN"`, `"Infinity"`, … are doubles (Spark's
/// `allowNonNumericNumbers`).
pub fn fits(v: &Json, ty: &DataType, specials: bool) -> bool {
    if *v == Json::Null {
        return true;
    }
    crate::depth::grow(|| match (ty, v) {
        (DataType::Boolean, Json::Bool(_)) => true,
        (DataType::Int32, Json::Number { text, float: false }) => text.parse::<i32>().is_ok(),
        (DataType::Int64, Json::Number { text, float: false }) => text.parse::<i64>().is_ok(),
        (DataType::Float64, Json::Number { .. }) => true,
        (DataType::Float64, Json::String(s)) => specials && special_double(s).is_some(),
        (DataType::Decimal(p, s), Json::Number { text, .. }) => decimal(text, (*p, *s)).is_some(),
        (DataType::Utf8, _) => true,
        (DataType::Timestamp, Json::String(s)) => parse_timestamp(s).is_some(),
        (DataType::Timestamp, Json::Number { text, float: false }) => text.parse::<i64>().is_ok(),
        (DataType::Date, Json::String(s)) => parse_date(s).is_some(),
        (DataType::Struct(fields), Json::Object(kv)) => kv.iter().all(|(k, v)| {
            fields
                .iter()
                .find(|f| f.name == *k)
                .is_none_or(|f| fits(v, &f.data_type, specials))
        }),
        (DataType::Array(e, _), Json::Array(items)) => items.iter().all(|x| fits(x, e, specials)),
        (DataType::Map(_, val, _), Json::Object(kv)) => {
            kv.iter().all(|(_, x)| fits(x, val, specials))
        }
        _ => false,
    })
}

/// A number's text as a decimal of `ps` (none when it does not fit).
fn decimal(text: &str, ps: (u8, u8)) -> Option<i128> {
    let (v, scale) = crate::decimal::parse(text)?;
    crate::decimal::fit(v, scale, ps)
}

/// The array of `ty` holding `vals` (each one that [`fits`], or none;
/// a string in a double is read as a non-numeric number, which `fits`
/// allows only where the options do).
pub fn build(vals: &[Option<&Json>], ty: &DataType) -> Result<ArrayRef> {
    crate::depth::grow(|| build_node(vals, ty))
}

fn present<'a>(v: &Option<&'a Json>) -> Option<&'a Json> {
    v.filter(|j| **j != Json::Null)
}

fn build_node(vals: &[Option<&Json>], ty: &DataType) -> Result<ArrayRef> {
    let n = vals.len();
    let int = |v: &Option<&Json>| match present(v) {
        Some(Json::Number { text, .. }) => text.parse::<i64>().ok(),
        _ => None,
    };
    Ok(match ty {
        DataType::Null => arrow::array::new_null_array(&ArrowType::Null, n),
        DataType::Boolean => Arc::new(
            vals.iter()
                .map(|v| match present(v) {
                    Some(Json::Bool(b)) => Some(*b),
                    _ => None,
                })
                .collect::<BooleanArray>(),
        ),
        DataType::Int32 => Arc::new(
            vals.iter()
                .map(|v| int(v).and_then(|x| i32::try_from(x).ok()))
                .collect::<Int32Array>(),
        ),
        DataType::Int64 => Arc::new(vals.iter().map(int).collect::<Int64Array>()),
        DataType::Int8 => Arc::new(
            vals.iter()
                // Jackson's `getByteValue`: -128..=255, wrapped.
                .map(|v| {
                    int(v)
                        .filter(|x| (-128..=255).contains(x))
                        .map(|x| x as u8 as i8)
                })
                .collect::<arrow::array::Int8Array>(),
        ),
        DataType::Int16 => Arc::new(
            vals.iter()
                .map(|v| int(v).and_then(|x| i16::try_from(x).ok()))
                .collect::<arrow::array::Int16Array>(),
        ),
        DataType::Decimal(p, s) => crate::decimal::array(
            vals.iter().map(|v| match present(v) {
                Some(Json::Number { text, .. }) => decimal(text, (*p, *s)),
                _ => None,
            }),
            ty,
        ),
        DataType::Float64 => Arc::new(
            vals.iter()
                .map(|v| match present(v) {
                    Some(Json::String(s)) => special_double(s),
                    Some(j) => j.as_f64(),
                    None => None,
                })
                .collect::<Float64Array>(),
        ),
        DataType::Float32 => Arc::new(
            vals.iter()
                .map(|v| match present(v) {
                    Some(Json::String(s)) => special_double(s).map(|x| x as f32),
                    Some(Json::Number { text, .. }) => text.parse::<f32>().ok(),
                    Some(j) => j.as_f64().map(|x| x as f32),
                    None => None,
                })
                .collect::<arrow::array::Float32Array>(),
        ),
        DataType::Utf8 => Arc::new(
            vals.iter()
                .map(|v| match present(v) {
                    Some(Json::String(s)) => Some(s.clone()),
                    Some(j) => Some(j.to_text()),
                    None => None,
                })
                .collect::<StringArray>(),
        ),
        DataType::Timestamp => {
            let a: arrow::array::TimestampMicrosecondArray = vals
                .iter()
                .map(|v| match present(v) {
                    Some(Json::String(s)) => parse_timestamp(s),
                    Some(Json::Number { text, .. }) => text
                        .parse::<i64>()
                        .ok()
                        .map(|s| s.saturating_mul(1_000_000)),
                    _ => None,
                })
                .collect();
            Arc::new(a.with_timezone("UTC"))
        }
        DataType::Date => Arc::new(
            vals.iter()
                .map(|v| match present(v) {
                    Some(Json::String(s)) => parse_date(s),
                    _ => None,
                })
                .collect::<Date32Array>(),
        ),
        DataType::Binary => arrow::array::new_null_array(&ArrowType::Binary, n),
        DataType::TimestampNtz => Arc::new(
            vals.iter()
                .map(|v| match present(v) {
                    Some(Json::String(s)) => crate::scalar_fns::parse_timestamp_ntz(s),
                    _ => None,
                })
                .collect::<arrow::array::TimestampMicrosecondArray>(),
        ),
        // An interval's text, as Spark's JSON reader takes it (`INTERVAL '1' DAY`).
        t @ (DataType::YearMonthInterval(..) | DataType::DayTimeInterval(..)) => {
            let scalars = vals.iter().map(|v| match present(v) {
                Some(Json::String(s)) => crate::ansi_interval::parse_cast(s, t),
                _ => None,
            });
            crate::ansi_interval::array_of(t, scalars)
        }
        DataType::Struct(fields) => {
            let valid: Vec<bool> = vals
                .iter()
                .map(|v| matches!(present(v), Some(Json::Object(_))))
                .collect();
            let children = fields
                .iter()
                .map(|f| {
                    let child: Vec<Option<&Json>> = vals
                        .iter()
                        .map(|v| match present(v) {
                            Some(Json::Object(kv)) => {
                                kv.iter().rev().find(|(k, _)| *k == f.name).map(|(_, x)| x)
                            }
                            _ => None,
                        })
                        .collect();
                    build(&child, &f.data_type)
                })
                .collect::<Result<Vec<_>>>()?;
            let arrow_fields = match ty.to_arrow() {
                ArrowType::Struct(f) => f,
                _ => return Err(Error::internal("a struct's Arrow type")),
            };
            let children = relabel(children, &arrow_fields)?;
            Arc::new(StructArray::try_new(arrow_fields, children, nulls(valid))?)
        }
        DataType::Array(elem, contains_null) => {
            let mut offsets = vec![0i32];
            let mut valid = Vec::with_capacity(n);
            let mut items: Vec<Option<&Json>> = Vec::new();
            for v in vals {
                match present(v) {
                    Some(Json::Array(xs)) => {
                        items.extend(xs.iter().map(Some));
                        valid.push(true);
                    }
                    _ => valid.push(false),
                }
                offsets.push(offset(items.len())?);
            }
            let values = build(&items, elem)?;
            let has_null = values.null_count() > 0;
            Arc::new(ListArray::try_new(
                list_item(elem, *contains_null || has_null),
                OffsetBuffer::new(offsets.into()),
                values,
                nulls(valid),
            )?)
        }
        DataType::Map(k, val, value_null) => {
            let mut offsets = vec![0i32];
            let mut valid = Vec::with_capacity(n);
            let mut keys: Vec<&str> = Vec::new();
            let mut items: Vec<Option<&Json>> = Vec::new();
            for v in vals {
                match present(v) {
                    // A name twice keeps its first place and its last
                    // value (Spark's LAST_WIN in its JSON parser).
                    Some(Json::Object(kv)) => {
                        let mut at: std::collections::HashMap<&str, usize> =
                            std::collections::HashMap::with_capacity(kv.len());
                        for (key, x) in kv {
                            match at.get(key.as_str()) {
                                Some(&i) => items[i] = Some(x),
                                None => {
                                    at.insert(key, items.len());
                                    keys.push(key);
                                    items.push(Some(x));
                                }
                            }
                        }
                        valid.push(true);
                    }
                    _ => valid.push(false),
                }
                offsets.push(offset(items.len())?);
            }
            let keys: ArrayRef = Arc::new(StringArray::from(keys));
            let values = build(&items, val)?;
            crate::functions::map::map_array(
                k,
                val,
                *value_null,
                offsets,
                keys,
                values,
                nulls(valid),
            )?
        }
    })
}

/// Children built with the fields' declared nullability.
fn relabel(children: Vec<ArrayRef>, fields: &arrow::datatypes::Fields) -> Result<Vec<ArrayRef>> {
    children
        .into_iter()
        .zip(fields.iter())
        .map(|(c, f)| Ok(crate::types::conform_array(c, f.data_type())?))
        .collect()
}

fn offset(n: usize) -> Result<i32> {
    i32::try_from(n).map_err(|_| {
        Error::execution(
            "COLLECTION_SIZE_LIMIT_EXCEEDED",
            "a JSON value holds more than 2^31 elements",
        )
    })
}

fn nulls(valid: Vec<bool>) -> Option<NullBuffer> {
    Some(NullBuffer::from(valid)).filter(|b| b.null_count() > 0)
}

/// Row `i` of `a` as `to_json` writes it (null struct fields left out,
/// null elements and map values written as `null`).
pub fn write_value(out: &mut String, a: &dyn Array, i: usize) {
    crate::depth::grow(|| write_node(out, a, i))
}

fn write_node(out: &mut String, a: &dyn Array, i: usize) {
    if a.is_null(i) || a.data_type() == &ArrowType::Null {
        out.push_str("null");
        return;
    }
    match a.data_type() {
        ArrowType::Boolean => out.push_str(if a.as_boolean().value(i) {
            "true"
        } else {
            "false"
        }),
        ArrowType::Int32 => out.push_str(&a.as_primitive::<Int32Type>().value(i).to_string()),
        ArrowType::Int64 => out.push_str(&a.as_primitive::<Int64Type>().value(i).to_string()),
        ArrowType::Float64 => write_double(out, a.as_primitive::<Float64Type>().value(i)),
        ArrowType::Decimal128(_, s) => out.push_str(&crate::decimal::format(
            a.as_primitive::<arrow::datatypes::Decimal128Type>()
                .value(i),
            *s as u8,
        )),
        ArrowType::Utf8 => write_string(out, a.as_string::<i32>().value(i)),
        ArrowType::Binary => write_string(out, &base64(a.as_binary::<i32>().value(i))),
        ArrowType::Date32 => {
            write_string(out, &format_date(a.as_primitive::<Date32Type>().value(i)))
        }
        ArrowType::Timestamp(..) => write_string(
            out,
            &json_timestamp(a.as_primitive::<TimestampMicrosecondType>().value(i)),
        ),
        ArrowType::Struct(fields) => {
            let s = a.as_struct();
            out.push('{');
            let mut first = true;
            for (f, c) in fields.iter().zip(s.columns()) {
                if c.is_null(i) || c.data_type() == &ArrowType::Null {
                    continue;
                }
                if !first {
                    out.push(',');
                }
                first = false;
                write_string(out, f.name());
                out.push(':');
                write_value(out, c.as_ref(), i);
            }
            out.push('}');
        }
        ArrowType::List(_) => {
            let l = a.as_list::<i32>();
            let o = l.value_offsets();
            out.push('[');
            for (n, k) in (o[i] as usize..o[i + 1] as usize).enumerate() {
                if n > 0 {
                    out.push(',');
                }
                write_value(out, l.values().as_ref(), k);
            }
            out.push(']');
        }
        ArrowType::Map(..) => {
            let m = a.as_map();
            let o = m.value_offsets();
            out.push('{');
            for (n, k) in (o[i] as usize..o[i + 1] as usize).enumerate() {
                if n > 0 {
                    out.push(',');
                }
                write_string(out, &key_text(m.keys().as_ref(), k));
                out.push(':');
                write_value(out, m.values().as_ref(), k);
            }
            out.push('}');
        }
        t => write_string(out, &format!("<{t}>")),
    }
}

/// A map key as a JSON field name: a string as is, another value as its
/// JSON text.
fn key_text(a: &dyn Array, i: usize) -> String {
    if let Some(s) = a.as_string_opt::<i32>() {
        return s.value(i).to_string();
    }
    let mut t = String::new();
    write_value(&mut t, a, i);
    t.trim_matches('"').to_string()
}

/// Spark's default JSON timestamp format, `yyyy-MM-dd'T'HH:mm:ss.SSSXXX`,
/// on the session's wall clock (a zoned `to_json` runs in its zone; `Z`
/// for a zero offset).
fn json_timestamp(us: i64) -> String {
    let offset = crate::time_zone::in_session(|tz| tz.offset_at(us));
    let local = us.saturating_add(offset as i64 * 1_000_000);
    let (days, tod) = (
        local.div_euclid(86_400_000_000),
        local.rem_euclid(86_400_000_000),
    );
    let s = tod / 1_000_000;
    let zone = match offset {
        0 => "Z".to_string(),
        secs => crate::time_zone::offset_id(secs),
    };
    format!(
        "{}T{:02}:{:02}:{:02}.{:03}{zone}",
        format_date(days as i32),
        s / 3600,
        s / 60 % 60,
        s % 60,
        tod % 1_000_000 / 1000
    )
}

fn base64(b: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(b.len().div_ceil(3) * 4);
    for c in b.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for k in 0..4 {
            if k <= c.len() {
                out.push(A[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_json_as_spark() {
        assert_eq!(
            json_timestamp(1_704_067_200_000_000),
            "2024-01-01T00:00:00.000Z"
        );
        assert_eq!(json_timestamp(-1), "1969-12-31T23:59:59.999Z");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"abc"), "YWJj");
    }
}
