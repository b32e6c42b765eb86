//! One value as Spark's `ToPrettyString` renders it for `show`.

use std::fmt::Write;

use arrow::array::{Array, AsArray};
use arrow::datatypes::*;
use arrow::util::display::{ArrayFormatter, FormatOptions};
use sqlc_compiler::scalar_fns::{format_date, format_f64, format_timestamp};

/// The cell at `row` of `a`; `NULL` for null, also inside structs and lists.
pub(crate) fn pretty_value(a: &dyn Array, row: usize) -> String {
    let mut out = String::new();
    write_pretty(&mut out, a, row);
    out
}

pub(super) fn write_pretty(out: &mut String, a: &dyn Array, i: usize) {
    if a.data_type() == &DataType::Null || a.is_null(i) {
        out.push_str("NULL");
        return;
    }
    match a.data_type() {
        DataType::Boolean => out.push_str(if a.as_boolean().value(i) {
            "true"
        } else {
            "false"
        }),
        DataType::Int8 => int(out, a.as_primitive::<Int8Type>().value(i)),
        DataType::Int16 => int(out, a.as_primitive::<Int16Type>().value(i)),
        DataType::Int32 => int(out, a.as_primitive::<Int32Type>().value(i)),
        DataType::Int64 => int(out, a.as_primitive::<Int64Type>().value(i)),
        DataType::UInt8 => int(out, a.as_primitive::<UInt8Type>().value(i)),
        DataType::UInt16 => int(out, a.as_primitive::<UInt16Type>().value(i)),
        DataType::UInt32 => int(out, a.as_primitive::<UInt32Type>().value(i)),
        DataType::UInt64 => int(out, a.as_primitive::<UInt64Type>().value(i)),
        DataType::Float64 => out.push_str(&format_f64(a.as_primitive::<Float64Type>().value(i))),
        DataType::Float32 => out.push_str(&sqlc_compiler::scalar_fns::format_f32(
            a.as_primitive::<arrow::datatypes::Float32Type>().value(i),
        )),
        DataType::Decimal128(_, s) => out.push_str(&sqlc_compiler::decimal::format(
            a.as_primitive::<Decimal128Type>().value(i),
            *s as u8,
        )),
        DataType::Utf8 => out.push_str(a.as_string::<i32>().value(i)),
        DataType::LargeUtf8 => out.push_str(a.as_string::<i64>().value(i)),
        DataType::Utf8View => out.push_str(a.as_string_view().value(i)),
        DataType::Binary => hex(out, a.as_binary::<i32>().value(i)),
        DataType::LargeBinary => hex(out, a.as_binary::<i64>().value(i)),
        DataType::BinaryView => hex(out, a.as_binary_view().value(i)),
        DataType::FixedSizeBinary(_) => hex(out, a.as_fixed_size_binary().value(i)),
        DataType::Timestamp(..) => match timestamp_micros(a, i) {
            Some(us) => out.push_str(&format_timestamp(
                super::zone::wall_clock(us, a.data_type()).0,
            )),
            None => fallback(out, a, i),
        },
        DataType::Date32 => out.push_str(&format_date(a.as_primitive::<Date32Type>().value(i))),
        // An interval whose range is not known here (inside a nested
        // value): its full range, as Spark's Arrow conversion reads it.
        DataType::Interval(IntervalUnit::YearMonth) => {
            out.push_str(&sqlc_compiler::ansi_interval::format_ym(
                a.as_primitive::<IntervalYearMonthType>().value(i),
                0,
                1,
            ))
        }
        DataType::Duration(TimeUnit::Microsecond) => {
            out.push_str(&sqlc_compiler::ansi_interval::format_dt(
                a.as_primitive::<DurationMicrosecondType>().value(i),
                0,
                3,
            ))
        }
        DataType::Date64 => {
            let days = a
                .as_primitive::<Date64Type>()
                .value(i)
                .div_euclid(86_400_000);
            match i32::try_from(days) {
                Ok(d) => out.push_str(&format_date(d)),
                Err(_) => fallback(out, a, i),
            }
        }
        DataType::Struct(_) => {
            let s = a.as_struct();
            out.push('{');
            for (k, c) in s.columns().iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                write_pretty(out, c.as_ref(), i);
            }
            out.push('}');
        }
        DataType::List(_) => list(out, a.as_list::<i32>().value(i).as_ref()),
        DataType::LargeList(_) => list(out, a.as_list::<i64>().value(i).as_ref()),
        DataType::FixedSizeList(..) => list(out, a.as_fixed_size_list().value(i).as_ref()),
        DataType::Map(..) => {
            let entries = a.as_map().value(i);
            out.push('{');
            for e in 0..entries.len() {
                if e > 0 {
                    out.push_str(", ");
                }
                write_pretty(out, entries.column(0).as_ref(), e);
                out.push_str(" -> ");
                write_pretty(out, entries.column(1).as_ref(), e);
            }
            out.push('}');
        }
        _ => fallback(out, a, i),
    }
}

fn int(out: &mut String, v: impl itoa::Integer) {
    out.push_str(itoa::Buffer::new().format(v));
}

/// Spark's default binary style: `[01 AB FF]`.
fn hex(out: &mut String, bytes: &[u8]) {
    out.push('[');
    for (k, b) in bytes.iter().enumerate() {
        if k > 0 {
            out.push(' ');
        }
        let _ = write!(out, "{b:02X}");
    }
    out.push(']');
}

/// Spark's array style: `[1, NULL, 3]`.
fn list(out: &mut String, values: &dyn Array) {
    out.push('[');
    for k in 0..values.len() {
        if k > 0 {
            out.push_str(", ");
        }
        write_pretty(out, values, k);
    }
    out.push(']');
}

/// A timestamp of any unit in microseconds (`None` when out of range).
pub(crate) fn timestamp_micros(a: &dyn Array, i: usize) -> Option<i64> {
    match a.data_type() {
        DataType::Timestamp(TimeUnit::Second, _) => a
            .as_primitive::<TimestampSecondType>()
            .value(i)
            .checked_mul(1_000_000),
        DataType::Timestamp(TimeUnit::Millisecond, _) => a
            .as_primitive::<TimestampMillisecondType>()
            .value(i)
            .checked_mul(1000),
        DataType::Timestamp(TimeUnit::Microsecond, _) => {
            Some(a.as_primitive::<TimestampMicrosecondType>().value(i))
        }
        DataType::Timestamp(TimeUnit::Nanosecond, _) => Some(
            a.as_primitive::<TimestampNanosecondType>()
                .value(i)
                .div_euclid(1000),
        ),
        _ => None,
    }
}

/// Types sqlc does not have: Arrow's own rendering.
pub(crate) fn fallback(out: &mut String, a: &dyn Array, i: usize) {
    let opts = FormatOptions::new().with_null("NULL");
    match ArrayFormatter::try_new(a, &opts).and_then(|f| f.value(i).try_to_string()) {
        Ok(s) => out.push_str(&s),
        Err(_) => out.push('?'),
    }
}
