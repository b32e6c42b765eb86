//! JSON lines out: batches as Spark's JSON data source and `to_json` write
//! them, for the file sink and the CLI's `--format json` (the decoder is
//! beside it, in [`super::reader`]).

use arrow::array::{Array, AsArray};
use arrow::datatypes::*;
use arrow::record_batch::RecordBatch;
use sqlc_compiler::scalar_fns::format_f64;

use crate::display::{fallback, pretty_value, scalar_text};

/// One JSON object per row and line, keys in column order, nulls as `null`.
/// Follows Spark's `to_json`: doubles as Java prints them (`NaN` and
/// `Infinity` as strings), timestamps as ISO-8601 UTC with milliseconds
/// (`2015-02-23T10:18:53.176Z`), dates `yyyy-MM-dd`, binary as base64,
/// structs as nested objects, lists as arrays, maps as objects.
pub fn to_json_lines(batches: &[RecordBatch]) -> String {
    let mut out = String::new();
    for batch in batches {
        let schema = batch.schema();
        let keys: Vec<String> = schema
            .fields()
            .iter()
            .map(|f| json_string(f.name()))
            .collect();
        let cols = crate::display::intervals_as_text(&schema, batch);
        for r in 0..batch.num_rows() {
            out.push('{');
            for (c, (key, col)) in keys.iter().zip(&cols).enumerate() {
                if c > 0 {
                    out.push(',');
                }
                out.push_str(key);
                out.push(':');
                write_json(&mut out, col.as_ref(), r);
            }
            out.push_str("}\n");
        }
    }
    out
}

fn write_json(out: &mut String, a: &dyn Array, i: usize) {
    if a.data_type() == &DataType::Null || a.is_null(i) {
        out.push_str("null");
        return;
    }
    match a.data_type() {
        DataType::Boolean
        | DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64
        | DataType::Decimal128(..) => out.push_str(&pretty_value(a, i)),
        DataType::Float64 | DataType::Float32 => {
            // a float as Java's Float.toString writes it, NaN as a string
            let (v, s) = match a.as_primitive_opt::<arrow::datatypes::Float32Type>() {
                Some(f) => {
                    let x = f.value(i);
                    (f64::from(x), sqlc_compiler::scalar_fns::format_f32(x))
                }
                None => {
                    let x = a.as_primitive::<Float64Type>().value(i);
                    (x, format_f64(x))
                }
            };
            if v.is_finite() {
                out.push_str(&s);
            } else {
                out.push_str(&json_string(&s));
            }
        }
        DataType::Binary
        | DataType::LargeBinary
        | DataType::BinaryView
        | DataType::FixedSizeBinary(_) => {
            let bytes: &[u8] = match a.data_type() {
                DataType::Binary => a.as_binary::<i32>().value(i),
                DataType::LargeBinary => a.as_binary::<i64>().value(i),
                DataType::BinaryView => a.as_binary_view().value(i),
                _ => a.as_fixed_size_binary().value(i),
            };
            out.push('"');
            base64(out, bytes);
            out.push('"');
        }
        DataType::Struct(fields) => {
            let s = a.as_struct();
            out.push('{');
            for (k, (f, c)) in fields.iter().zip(s.columns()).enumerate() {
                if k > 0 {
                    out.push(',');
                }
                out.push_str(&json_string(f.name()));
                out.push(':');
                write_json(out, c.as_ref(), i);
            }
            out.push('}');
        }
        DataType::List(_) => json_list(out, a.as_list::<i32>().value(i).as_ref()),
        DataType::LargeList(_) => json_list(out, a.as_list::<i64>().value(i).as_ref()),
        DataType::FixedSizeList(..) => json_list(out, a.as_fixed_size_list().value(i).as_ref()),
        DataType::Map(..) => {
            let entries = a.as_map().value(i);
            out.push('{');
            for e in 0..entries.len() {
                if e > 0 {
                    out.push(',');
                }
                let key = scalar_text(entries.column(0).as_ref(), e)
                    .unwrap_or_else(|| pretty_value(entries.column(0).as_ref(), e));
                out.push_str(&json_string(&key));
                out.push(':');
                write_json(out, entries.column(1).as_ref(), e);
            }
            out.push('}');
        }
        _ => match scalar_text(a, i) {
            Some(s) => out.push_str(&json_string(&s)),
            None => {
                let mut s = String::new();
                fallback(&mut s, a, i);
                out.push_str(&json_string(&s));
            }
        },
    }
}

fn json_list(out: &mut String, values: &dyn Array) {
    out.push('[');
    for k in 0..values.len() {
        if k > 0 {
            out.push(',');
        }
        write_json(out, values, k);
    }
    out.push(']');
}

fn json_string(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// Standard base64 with padding, as Jackson writes binary.
fn base64(out: &mut String, bytes: &[u8]) {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(T[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_padding() {
        for (input, want) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            let mut s = String::new();
            base64(&mut s, input.as_bytes());
            assert_eq!(s, want);
        }
    }
}
