//! `schema_of_json`: the type Spark's `JsonInferSchema` gives one JSON
//! value, with its defaults (integers are BIGINT, or DECIMAL(p, 0) past a
//! long; floats DOUBLE; strings STRING, no date or timestamp inference;
//! object fields sorted by name; element types merged to their wider type,
//! STRING where none; null and empty arrays STRING, empty objects dropped
//! below the top).

use super::Json;
use crate::types::{DataType, Field};

/// An inferred type (beside [`DataType`]: inference works on digit counts
/// and prints Spark's DDL).
#[derive(Clone, Debug, PartialEq)]
pub enum Inferred {
    Null,
    Boolean,
    Long,
    Decimal(u32),
    Double,
    String,
    Array(Box<Inferred>),
    Struct(Vec<(String, Inferred)>),
}

/// The type of one value.
pub fn infer(v: &Json) -> Inferred {
    crate::depth::grow(|| match v {
        Json::Null => Inferred::Null,
        Json::Bool(_) => Inferred::Boolean,
        Json::String(_) => Inferred::String,
        Json::Number { float: true, .. } => Inferred::Double,
        Json::Number { text, .. } => {
            if text.parse::<i64>().is_ok() {
                Inferred::Long
            } else {
                let digits = text.trim_start_matches('-').len() as u32;
                if digits <= 38 {
                    Inferred::Decimal(digits)
                } else {
                    Inferred::Double
                }
            }
        }
        Json::Array(items) => Inferred::Array(Box::new(
            items
                .iter()
                .map(infer)
                .fold(Inferred::Null, |a, b| wider(&a, &b)),
        )),
        Json::Object(fields) => {
            let mut out: Vec<(String, Inferred)> = Vec::new();
            for (k, v) in fields {
                let t = infer(v);
                match out.iter_mut().find(|(n, _)| n == k) {
                    Some((_, old)) => *old = wider(old, &t),
                    None => out.push((k.clone(), t)),
                }
            }
            out.sort_by(|a, b| a.0.cmp(&b.0));
            Inferred::Struct(out)
        }
    })
}

/// Spark's `compatibleType`: the type both values fit, STRING when none.
fn wider(a: &Inferred, b: &Inferred) -> Inferred {
    use Inferred::*;
    match (a, b) {
        (a, b) if a == b => a.clone(),
        (Null, t) | (t, Null) => t.clone(),
        (Long, Double) | (Double, Long) | (Decimal(_), Double) | (Double, Decimal(_)) => Double,
        (Long, Decimal(p)) | (Decimal(p), Long) => Decimal((*p).max(20)),
        (Decimal(p), Decimal(q)) => Decimal((*p).max(*q)),
        (Array(x), Array(y)) => Array(Box::new(wider(x, y))),
        (Struct(x), Struct(y)) => {
            let mut out = x.clone();
            for (k, t) in y {
                match out.iter_mut().find(|(n, _)| n == k) {
                    Some((_, old)) => *old = wider(old, t),
                    None => out.push((k.clone(), t.clone())),
                }
            }
            out.sort_by(|a, b| a.0.cmp(&b.0));
            Struct(out)
        }
        _ => String,
    }
}

impl Inferred {
    /// Spark's `canonicalizeType`: nulls become strings, empty structs
    /// (and arrays of them) vanish; `top` keeps an empty top-level struct.
    pub fn canonical(self, top: bool) -> Option<Inferred> {
        use Inferred::*;
        match self {
            Null => Some(String),
            Array(e) => e.canonical(false).map(|e| Array(Box::new(e))),
            Struct(fields) => {
                let kept: Vec<(std::string::String, Inferred)> = fields
                    .into_iter()
                    .filter_map(|(k, t)| t.canonical(false).map(|t| (k, t)))
                    .collect();
                (top || !kept.is_empty()).then_some(Struct(kept))
            }
            t => Some(t),
        }
    }

    /// The type as Spark's `DataType.sql` prints it (`STRUCT<a: BIGINT>`).
    pub fn sql(&self) -> String {
        match self {
            Inferred::Null => "VOID".into(),
            Inferred::Boolean => "BOOLEAN".into(),
            Inferred::Long => "BIGINT".into(),
            Inferred::Decimal(p) => format!("DECIMAL({p},0)"),
            Inferred::Double => "DOUBLE".into(),
            Inferred::String => "STRING".into(),
            Inferred::Array(e) => format!("ARRAY<{}>", e.sql()),
            Inferred::Struct(fields) => format!(
                "STRUCT<{}>",
                fields
                    .iter()
                    .map(|(k, t)| format!("{}: {}", quote_if_needed(k), t.sql()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    /// sqlc's type for it.
    pub fn data_type(&self) -> DataType {
        match self {
            Inferred::Null => DataType::Null,
            Inferred::Boolean => DataType::Boolean,
            Inferred::Long => DataType::Int64,
            Inferred::Decimal(p) => DataType::Decimal(*p as u8, 0),
            Inferred::Double => DataType::Float64,
            Inferred::String => DataType::Utf8,
            Inferred::Array(e) => DataType::array_of(e.data_type()),
            Inferred::Struct(fields) => DataType::Struct(
                fields
                    .iter()
                    .map(|(k, t)| Field::new(k.clone(), t.data_type(), true))
                    .collect::<Vec<_>>()
                    .into(),
            ),
        }
    }
}

/// A name in back-quotes unless it is a plain identifier.
fn quote_if_needed(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        name.to_string()
    } else {
        format!("`{}`", name.replace('`', "``"))
    }
}

/// `schema_of_json(text)`'s type, or why the text is malformed.
pub fn schema_of(text: &str) -> Result<Inferred, String> {
    schema_of_with(text, &super::Syntax::SPARK)
}

/// `schema_of_json(text, options)`'s type, the text read with `syntax`.
pub fn schema_of_with(text: &str, syntax: &super::Syntax) -> Result<Inferred, String> {
    let v = super::parse_with(text, syntax)?;
    Ok(infer(&v).canonical(true).unwrap_or(Inferred::String))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn infers_as_spark() {
        let s = schema_of(r#"{"a":1,"b":[1.5,2],"c":{"d":"x"},"e":null,"f":[],"g":true, "h":[{"x":1},{"y":"s"}], "i": 1e300, "j": 12345678901234567890}"#).unwrap();
        assert_eq!(s.sql(), "STRUCT<a: BIGINT, b: ARRAY<DOUBLE>, c: STRUCT<d: STRING>, e: STRING, f: ARRAY<STRING>, g: BOOLEAN, h: ARRAY<STRUCT<x: BIGINT, y: STRING>>, i: DOUBLE, j: DECIMAL(20,0)>");
        let s = schema_of(
            r#"{"a":"2024-01-01", "b": 1.0, "c": [null], "d": [1, "x"], "e": [1, 1.5], "f": {}}"#,
        )
        .unwrap();
        assert_eq!(
            s.sql(),
            "STRUCT<a: STRING, b: DOUBLE, c: ARRAY<STRING>, d: ARRAY<STRING>, e: ARRAY<DOUBLE>>"
        );
        assert_eq!(schema_of("[1,2]").unwrap().sql(), "ARRAY<BIGINT>");
        assert_eq!(schema_of("{}").unwrap().sql(), "STRUCT<>");
        assert_eq!(
            schema_of(r#"{"a b":1}"#).unwrap().sql(),
            "STRUCT<`a b`: BIGINT>"
        );
    }
}
