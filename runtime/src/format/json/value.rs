//! Converting one JSON record to a row, record by record, with Spark's rules
//! (`JacksonParser` and `FailureSafeParser`): the careful path of the JSON
//! reader. The same rules as the fast path's decoders (`json_tape`), plus
//! what only a record-at-a-time reader can do: a field of the wrong type
//! makes the record malformed but keeps the fields that did convert (Spark's
//! partial results), objects and arrays read into a string column as their
//! JSON text, and a top-level array of objects is several rows.

use serde_json::{Map, Value};
use sqlc_compiler::types::{DataType, Field};

use sqlc_compiler::json::syntax::special_double;

use crate::source::parse::{decode_base64, parse_date, parse_timestamp};
use crate::source::rows::Cell;

/// A record that is not a row of the schema.
#[derive(Debug)]
pub struct BadRecord {
    /// The fields that did convert (one row), if the record was an object.
    pub partial: Option<Vec<Cell>>,
    /// Why, for FAILFAST's error.
    pub reason: String,
}

/// Converts one line holding a JSON record (strict JSON) to rows of
/// `fields`; `specials`: whether the strings `"NaN"`, `"Infinity"`, … read
/// into a double (Spark's `allowNonNumericNumbers`).
pub fn convert_line(
    line: &[u8],
    fields: &[Field],
    specials: bool,
) -> Result<Vec<Vec<Cell>>, BadRecord> {
    let value: Value = serde_json::from_slice(line).map_err(|e| BadRecord {
        partial: None,
        reason: e.to_string(),
    })?;
    match value {
        Value::Object(map) => {
            let (mut cells, error) = convert_fields(&map, fields, specials);
            keep_map_order(line, fields, &mut cells);
            match error {
                None => Ok(vec![cells]),
                Some(reason) => Err(BadRecord {
                    partial: Some(cells),
                    reason,
                }),
            }
        }
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::Object(map) => match convert_fields(map, fields, specials) {
                    (cells, None) => Ok(cells),
                    (_, Some(reason)) => Err(reason),
                },
                other => Err(format!(
                    "expected an object in the top-level array, found {}",
                    kind(other)
                )),
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|reason| BadRecord {
                partial: None,
                reason,
            }),
        other => Err(BadRecord {
            partial: None,
            reason: format!("expected a JSON object, found {}", kind(&other)),
        }),
    }
}

/// The row of a top-level object: each field converted, a field that does
/// not convert left null, and the first such failure returned.
fn convert_fields(
    map: &Map<String, Value>,
    fields: &[Field],
    specials: bool,
) -> (Vec<Cell>, Option<String>) {
    let mut error = None;
    let cells = fields
        .iter()
        .map(|f| match map.get(&f.name) {
            None => Cell::Null,
            Some(v) => convert(v, &f.data_type, specials).unwrap_or_else(|e| {
                error.get_or_insert_with(|| format!("field `{}`: {e}", f.name));
                Cell::Null
            }),
        })
        .collect();
    (cells, error)
}

/// serde_json's map holds an object's fields by name; a top-level map
/// column's entries go back to the order the record wrote them in, which
/// the compiler's order-keeping JSON parser reads off the line.
fn keep_map_order(line: &[u8], fields: &[Field], cells: &mut [Cell]) {
    if !fields
        .iter()
        .any(|f| matches!(f.data_type, DataType::Map(..)))
    {
        return;
    }
    let Some(doc) = std::str::from_utf8(line)
        .ok()
        .and_then(|l| sqlc_compiler::json::parse(l).ok())
    else {
        return;
    };
    for (f, cell) in fields.iter().zip(cells.iter_mut()) {
        let (DataType::Map(..), Cell::Map(entries), Some(sqlc_compiler::json::Json::Object(kv))) =
            (&f.data_type, &mut *cell, doc.field(&f.name))
        else {
            continue;
        };
        let place = |k: &Cell| match k {
            Cell::Str(s) => kv.iter().position(|(n, _)| n == s),
            _ => None,
        };
        entries.sort_by_key(|(k, _)| place(k));
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Converts one JSON value to a cell of type `t`.
pub fn convert(v: &Value, t: &DataType, specials: bool) -> Result<Cell, String> {
    if v.is_null() {
        return Ok(Cell::Null);
    }
    let cell = match (t, v) {
        (DataType::Null, _) => Some(Cell::Null),
        (DataType::Boolean, Value::Bool(b)) => Some(Cell::Bool(*b)),
        // `as_i64` is `Some` only for an integer token that fits, as Jackson's
        // VALUE_NUMBER_INT with `getLongValue`.
        (DataType::Int64, Value::Number(n)) => n.as_i64().map(Cell::I64),
        (DataType::Int32, Value::Number(n)) => n
            .as_i64()
            .and_then(|i| i32::try_from(i).ok())
            .map(Cell::I32),
        // Spark's JSON reader takes an interval only as a string.
        (DataType::YearMonthInterval(..) | DataType::DayTimeInterval(..), Value::String(s)) => {
            crate::source::parse::parse_interval(s, t)
        }
        (DataType::Int16, Value::Number(n)) => n
            .as_i64()
            .and_then(|i| i16::try_from(i).ok())
            .map(|v| Cell::I32(v.into())),
        // Jackson's `getByteValue` takes -128..=255 and wraps (200 is -56).
        (DataType::Int8, Value::Number(n)) => n
            .as_i64()
            .filter(|i| (-128..=255).contains(i))
            .map(|v| Cell::I32((v as u8 as i8).into())),
        (DataType::Float64 | DataType::Float32, Value::Number(n)) => n.as_f64().map(Cell::F64),
        (DataType::Float64 | DataType::Float32, Value::String(s)) if specials => {
            special_double(s).map(Cell::F64)
        }
        // The number's text (exact for integers and for up to 17 digits).
        (DataType::Decimal(p, s), Value::Number(n)) => {
            crate::source::parse::parse_decimal(&n.to_string(), (*p, *s)).map(Cell::Dec)
        }
        (DataType::Decimal(p, s), Value::String(t)) => {
            crate::source::parse::parse_decimal(t, (*p, *s)).map(Cell::Dec)
        }
        (DataType::Utf8, Value::String(s)) => Some(Cell::Str(s.clone())),
        (DataType::Utf8, other) => Some(Cell::Str(other.to_string())),
        (DataType::Binary, Value::String(s)) => decode_base64(s).map(Cell::Bin),
        (DataType::Timestamp, Value::String(s)) => parse_timestamp(s).map(Cell::Ts),
        (DataType::Timestamp, Value::Number(n)) => n
            .as_i64()
            .and_then(|s| s.checked_mul(1_000_000))
            .map(Cell::Ts),
        (DataType::Date, Value::String(s)) => parse_date(s).map(Cell::Date),
        (DataType::Struct(fields), Value::Object(map)) => {
            let mut cells = Vec::with_capacity(fields.len());
            for f in fields.iter() {
                let cell = match map.get(&f.name) {
                    None => Cell::Null,
                    Some(v) => {
                        convert(v, &f.data_type, specials).map_err(|e| format!("{}.{e}", f.name))?
                    }
                };
                cells.push(cell);
            }
            Some(Cell::Struct(cells))
        }
        (DataType::Array(elem, _), Value::Array(items)) => {
            let cells = items
                .iter()
                .enumerate()
                .map(|(i, v)| convert(v, elem, specials).map_err(|e| format!("[{i}]: {e}")))
                .collect::<Result<Vec<_>, _>>()?;
            Some(Cell::List(cells))
        }
        // Entries in the order serde_json's map keeps (by key).
        (DataType::Map(kt, vt, _), Value::Object(map)) => {
            let cells = map
                .iter()
                .map(|(k, v)| {
                    let key = convert(&Value::String(k.clone()), kt, specials)?;
                    let value = convert(v, vt, specials).map_err(|e| format!("{k}: {e}"))?;
                    Ok((key, value))
                })
                .collect::<Result<Vec<_>, String>>()?;
            Some(Cell::Map(cells))
        }
        _ => None,
    };
    cell.ok_or_else(|| format!("cannot read {} {} as {}", kind(v), short(v), t.spark_name()))
}

fn short(v: &Value) -> String {
    let mut s = v.to_string();
    if s.len() > 40 {
        let mut end = 40;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert_line_spark(line: &[u8], fields: &[Field]) -> Result<Vec<Vec<Cell>>, BadRecord> {
        convert_line(line, fields, true)
    }

    fn fields() -> Vec<Field> {
        vec![
            Field::new("a", DataType::Int64, true),
            Field::new("b", DataType::Utf8, true),
            Field::new("c", DataType::Float64, true),
        ]
    }

    #[test]
    fn good_records() {
        let rows = convert_line_spark(br#"{"a":1,"b":{"x":[1]},"c":2}"#, &fields()).unwrap();
        assert_eq!(
            rows,
            vec![vec![
                Cell::I64(1),
                Cell::Str(r#"{"x":[1]}"#.into()),
                Cell::F64(2.0)
            ]]
        );
        let rows = convert_line_spark(br#"[{"a":1},{"c":"NaN"}]"#, &fields()).unwrap();
        assert_eq!(rows.len(), 2);
        assert!(matches!(rows[1][2], Cell::F64(v) if v.is_nan()));
    }

    #[test]
    fn bad_records_keep_partial_results() {
        let bad = convert_line_spark(br#"{"a":"1","b":"x"}"#, &fields()).unwrap_err();
        assert_eq!(
            bad.partial,
            Some(vec![Cell::Null, Cell::Str("x".into()), Cell::Null])
        );
        assert!(bad.reason.contains("field `a`"), "{}", bad.reason);
        let bad = convert_line_spark(br#"{"a":1"#, &fields()).unwrap_err();
        assert!(bad.partial.is_none());
        assert!(convert_line_spark(b"17", &fields()).is_err());
        assert!(convert_line_spark(br#"{"a":1.0}"#, &fields()).is_err());
    }
}
