//! CSV renderings of batches (the file sink, the CLI), and the text of
//! scalars both CSV and JSON write (Spark's defaults: ISO-8601 dates and UTC
//! timestamps).

use arrow::array::{Array, AsArray};
use arrow::datatypes::*;
use arrow::record_batch::RecordBatch;
use sqlc_compiler::scalar_fns::format_f64;

use super::pretty::{pretty_value, timestamp_micros};

/// CSV with a header line of the column names; null is an empty field, the
/// empty string `""`. Fields holding a comma, quote, CR, LF or edge spaces
/// are quoted, quotes doubled (RFC 4180). Values are rendered as in
/// [`crate::format::json::to_json_lines`] (timestamps ISO-8601) except binary, structs and lists,
/// which take their `show` form.
pub fn to_csv(schema: &SchemaRef, batches: &[RecordBatch]) -> String {
    let mut out = String::new();
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    for (c, name) in names.iter().enumerate() {
        if c > 0 {
            out.push(',');
        }
        csv_field(&mut out, name);
    }
    out.push('\n');
    for batch in batches {
        let cols = super::intervals_as_text(schema, batch);
        for r in 0..batch.num_rows() {
            for c in 0..names.len() {
                if c > 0 {
                    out.push(',');
                }
                let Some(col) = cols.get(c) else {
                    continue;
                };
                if col.is_null(r) || col.data_type() == &DataType::Null {
                    continue;
                }
                let text = match scalar_text(col.as_ref(), r) {
                    Some(s) => s,
                    None => pretty_value(col.as_ref(), r),
                };
                csv_field(&mut out, &text);
            }
            out.push('\n');
        }
    }
    out
}

fn csv_field(out: &mut String, s: &str) {
    let quote = s.is_empty()
        || s.starts_with(' ')
        || s.ends_with(' ')
        || s.contains([',', '"', '\n', '\r']);
    if quote {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// The text of a non-null scalar (no quotes); `None` for nested and binary
/// values.
pub(crate) fn scalar_text(a: &dyn Array, i: usize) -> Option<String> {
    Some(match a.data_type() {
        DataType::Float64 => format_f64(a.as_primitive::<Float64Type>().value(i)),
        DataType::Float32 => sqlc_compiler::scalar_fns::format_f32(
            a.as_primitive::<arrow::datatypes::Float32Type>().value(i),
        ),
        DataType::Utf8 => a.as_string::<i32>().value(i).to_string(),
        DataType::LargeUtf8 => a.as_string::<i64>().value(i).to_string(),
        DataType::Utf8View => a.as_string_view().value(i).to_string(),
        // A TIMESTAMP_NTZ: its wall clock, without an offset (Spark's
        // `timestampNTZFormat`).
        DataType::Timestamp(_, None) => iso_local(timestamp_micros(a, i)?),
        DataType::Timestamp(..) => {
            let (local, offset) = super::zone::wall_clock(timestamp_micros(a, i)?, a.data_type());
            iso_timestamp_at(local, offset)
        }
        DataType::Date32 => iso_date(a.as_primitive::<Date32Type>().value(i) as i64),
        DataType::Date64 => iso_date(
            a.as_primitive::<Date64Type>()
                .value(i)
                .div_euclid(86_400_000),
        ),
        DataType::Binary
        | DataType::LargeBinary
        | DataType::BinaryView
        | DataType::FixedSizeBinary(_)
        | DataType::Struct(_)
        | DataType::List(_)
        | DataType::LargeList(_)
        | DataType::FixedSizeList(..)
        | DataType::Map(..) => return None,
        _ => pretty_value(a, i),
    })
}

/// `yyyy-MM-dd` of days since the epoch (proleptic Gregorian).
fn iso_date(days: i64) -> String {
    let (y, m, d) = civil(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Spark's JSON/CSV default timestamp text, `yyyy-MM-dd'T'HH:mm:ss.SSSXXX`, of a wall-clock time `local`
/// whose offset is `offset` seconds (`Z` for none).
fn iso_timestamp_at(local: i64, offset: i32) -> String {
    let mut s = iso_local(local);
    if offset == 0 {
        s.push('Z');
    } else {
        s.push_str(&sqlc_compiler::time_zone::offset_id(offset));
    }
    s
}

fn iso_local(us: i64) -> String {
    let secs = us.div_euclid(1_000_000);
    let ms = us.rem_euclid(1_000_000) / 1000;
    let (y, m, d) = civil(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{ms:03}",
        sod / 3600,
        sod / 60 % 60,
        sod % 60
    )
}

/// Year, month, day of days since 1970-01-01 (Hinnant's algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times() {
        assert_eq!(iso_date(0), "1970-01-01");
        assert_eq!(iso_date(16_489), "2015-02-23");
        assert_eq!(iso_date(-1), "1969-12-31");
        assert_eq!(iso_date(11_016), "2000-02-29");
        assert_eq!(
            iso_timestamp_at(1_424_686_733_176_178, 0),
            "2015-02-23T10:18:53.176Z"
        );
        assert_eq!(iso_timestamp_at(-1, 0), "1969-12-31T23:59:59.999Z");
    }

    #[test]
    fn narrow_intervals_are_written_as_spark_writes_them() {
        use sqlc_compiler::ansi_interval::{HOUR, MINUTE};
        use std::sync::Arc;
        // Spark 4.3 writes `INTERVAL '10:20' HOUR TO MINUTE` to CSV and JSON
        let hm = sqlc_compiler::DataType::DayTimeInterval(HOUR, MINUTE);
        let schema = sqlc_compiler::Schema::new(vec![sqlc_compiler::Field::new("hm", hm, true)]);
        let schema = schema.to_arrow();
        let us = (10 * 60 + 20) * 60_000_000i64;
        let col = arrow::array::DurationMicrosecondArray::from(vec![us, -us]);
        let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(col)]).unwrap();
        assert_eq!(
            to_csv(&schema, std::slice::from_ref(&batch)),
            "hm\nINTERVAL '10:20' HOUR TO MINUTE\nINTERVAL '-10:20' HOUR TO MINUTE\n"
        );
        assert_eq!(
            crate::format::json::to_json_lines(&[batch])
                .lines()
                .next()
                .unwrap(),
            r#"{"hm":"INTERVAL '10:20' HOUR TO MINUTE"}"#
        );
    }
}
