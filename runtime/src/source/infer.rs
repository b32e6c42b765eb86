//! Schema inference, as Spark's `JsonInferSchema` and `CSVInferSchema`.
//!
//! JSON: every record is read (Spark's `samplingRatio` 1.0); fields are
//! sorted by name; integers are bigint (decimal beyond it, up to 38
//! digits), reals double, int+real double,
//! booleans boolean, strings string, fields only ever null string, other
//! conflicts string; nested objects are structs, arrays arrays of their
//! elements' type.
//! Malformed lines are skipped, and in PERMISSIVE mode make a
//! `_corrupt_record` string column (at its sorted place).
//!
//! CSV: each value is typed as int, bigint, double, date (`yyyy-MM-dd`),
//! timestamp, boolean or string, and a column takes the narrowest type that
//! holds all its values.

use std::collections::HashMap;
use std::ops::Range;

use sqlc_compiler::json::Syntax;
use sqlc_compiler::types::{DataType, Field, Schema};

use super::json::malformed;
use super::lines::{is_blank, lines, FileLines};
use super::options::ParseMode;
use super::parse::{
    is_plain_date, parse_bool, parse_double, parse_int, parse_long, parse_timestamp,
};
use crate::error::Result;
use crate::format::json::flat::Unchanging;
use crate::format::json::scan::{check_line, scan_line, Mode, Stop};

/// The type inferred so far for a JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum JsonType {
    Null,
    Bool,
    Long,
    /// A decimal of this precision and scale 0: an integer beyond bigint.
    Decimal(u8),
    Double,
    Str,
    /// An array of elements of the inner type; with other values, a string.
    Array(Box<JsonType>),
    Struct(JsonFields),
}

/// The type of a JSON value that is neither null nor nested.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scalar {
    Bool,
    Long,
    Decimal(u8),
    Double,
    Str,
}

impl From<Scalar> for JsonType {
    fn from(t: Scalar) -> JsonType {
        match t {
            Scalar::Bool => JsonType::Bool,
            Scalar::Long => JsonType::Long,
            Scalar::Decimal(p) => JsonType::Decimal(p),
            Scalar::Double => JsonType::Double,
            Scalar::Str => JsonType::Str,
        }
    }
}

/// The fields of a JSON object type, in the order first seen. Look-ups take
/// a hint, the position after the previous field: records usually list their
/// fields in the same order, so most look-ups compare one name; past a few
/// fields, the others are found by a hash index (so a record of 50,000 keys
/// costs linear time, not quadratic).
#[derive(Clone, Debug, Default)]
#[allow(clippy::box_collection)] // boxed: most records have few fields and no index
pub struct JsonFields(
    Vec<(String, JsonType)>,
    Option<Box<HashMap<Vec<u8>, usize>>>,
);

/// Fields from which a look-up goes through the index.
const INDEX_FROM: usize = 16;

impl PartialEq for JsonFields {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl JsonFields {
    /// No fields.
    pub fn new() -> Self {
        Self::default()
    }

    /// The position of field `name`, trying `hint` first.
    pub fn position(&self, name: &[u8], hint: usize) -> Option<usize> {
        match (self.0.get(hint), &self.1) {
            (Some((k, _)), _) if k.as_bytes() == name => Some(hint),
            (_, Some(index)) => index.get(name).copied(),
            (_, None) => self.0.iter().position(|(k, _)| k.as_bytes() == name),
        }
    }

    /// Adds a field of type null; returns its position.
    pub fn push(&mut self, name: &str) -> usize {
        self.0.push((name.to_string(), JsonType::Null));
        let at = self.0.len() - 1;
        match &mut self.1 {
            Some(index) => {
                index.insert(name.as_bytes().to_vec(), at);
            }
            None if self.0.len() >= INDEX_FROM => {
                let index = self.0.iter().enumerate();
                let index = index.map(|(i, (k, _))| (k.as_bytes().to_vec(), i));
                self.1 = Some(Box::new(index.collect()));
            }
            None => {}
        }
        at
    }

    /// The type of the field at `i`.
    pub fn type_mut(&mut self, i: usize) -> &mut JsonType {
        &mut self.0[i].1
    }

    /// The type of the field at `i`.
    pub fn type_of(&self, i: usize) -> &JsonType {
        &self.0[i].1
    }

    /// Whether there are no fields.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The type of field `name`.
    pub fn get(&self, name: &str) -> Option<&JsonType> {
        self.position(name.as_bytes(), 0).map(|i| &self.0[i].1)
    }

    fn merge(&mut self, other: JsonFields) {
        for (k, t) in other.0 {
            let i = self
                .position(k.as_bytes(), 0)
                .unwrap_or_else(|| self.push(&k));
            self.0[i].1.merge(t);
        }
    }

    /// The fields sorted by name, as Spark orders inferred fields.
    fn sorted(&self) -> Vec<&(String, JsonType)> {
        let mut v: Vec<_> = self.0.iter().collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    }
}

impl JsonType {
    /// Widens `self` to hold `other` too (Spark's `compatibleType`).
    pub fn merge(&mut self, other: JsonType) {
        use JsonType::*;
        match (&mut *self, other) {
            (_, Null) => {}
            (Null, o) => *self = o,
            (Struct(a), Struct(b)) => a.merge(b),
            (Array(a), Array(b)) => a.merge(*b),
            (Long, Double) | (Decimal(_), Double) => *self = Double,
            (Double, Long | Decimal(_)) => {}
            // A bigint is a decimal(20, 0).
            (Decimal(p), Long) => *p = (*p).max(20),
            (Long, Decimal(p)) => *self = Decimal(p.max(20)),
            (Decimal(p), Decimal(q)) => *p = (*p).max(q),
            (a, b) if *a == b => {}
            _ => *self = Str,
        }
    }

    /// Whether merging `t` into `self` leaves it as it is.
    pub fn holds(&self, t: Scalar) -> bool {
        use JsonType::*;
        match (self, t) {
            (Str, _) | (Double, Scalar::Long | Scalar::Decimal(_) | Scalar::Double) => true,
            (Decimal(p), Scalar::Long) => *p >= 20,
            (Decimal(p), Scalar::Decimal(q)) => *p >= q,
            (Bool, Scalar::Bool) | (Long, Scalar::Long) => true,
            _ => false,
        }
    }

    /// The column type: `None` for a struct without fields (Spark drops
    /// fields that are only ever empty objects).
    fn to_data_type(&self) -> Option<DataType> {
        Some(match self {
            JsonType::Null | JsonType::Str => DataType::Utf8,
            JsonType::Bool => DataType::Boolean,
            JsonType::Long => DataType::Int64,
            JsonType::Decimal(p) => DataType::Decimal(*p, 0),
            JsonType::Double => DataType::Float64,
            // Spark: an array of only nulls or of nothing is array<string>;
            // an array of objects without fields, of structs with none.
            JsonType::Array(e) => DataType::array_of(e.to_data_type().unwrap_or(DataType::Utf8)),
            JsonType::Struct(m) => DataType::Struct(struct_fields(m)?.into()),
        })
    }
}

fn struct_fields(m: &JsonFields) -> Option<Vec<Field>> {
    let mut fields = Vec::new();
    for (k, t) in m.sorted() {
        if let Some(dt) = t.to_data_type() {
            fields.push(Field::new(k.clone(), dt, true));
        }
    }
    (!fields.is_empty()).then_some(fields)
}

/// What inference found in some lines.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonInference {
    /// The merged fields of the top-level objects.
    pub fields: JsonFields,
    /// Whether a malformed line was seen (PERMISSIVE mode only).
    pub corrupt: bool,
}

impl JsonInference {
    /// Nothing seen yet.
    pub fn new() -> Self {
        JsonInference {
            fields: JsonFields::new(),
            corrupt: false,
        }
    }

    /// Merges the inference of later lines.
    pub fn merge(&mut self, other: JsonInference) {
        let mut mine = JsonType::Struct(std::mem::take(&mut self.fields));
        mine.merge(JsonType::Struct(other.fields));
        let JsonType::Struct(fields) = mine else {
            unreachable!("a struct merged with a struct")
        };
        self.fields = fields;
        self.corrupt |= other.corrupt;
    }

    /// The schema: fields sorted by name, and the corrupt-record column if a
    /// malformed line was seen.
    pub fn into_schema(self, corrupt_column: &str) -> Schema {
        let mut fields = struct_fields(&self.fields).unwrap_or_default();
        if self.corrupt && !fields.iter().any(|f| f.name == corrupt_column) {
            let at = fields.partition_point(|f| f.name.as_str() < corrupt_column);
            fields.insert(at, Field::new(corrupt_column, DataType::Utf8, true));
        }
        Schema::new(fields)
    }
}

impl Default for JsonInference {
    fn default() -> Self {
        Self::new()
    }
}

/// Infers the fields of the JSON lines in `data[block]` of the file at
/// `path`, read with `syntax`.
pub fn infer_json_block(
    src: FileLines<'_>,
    block: Range<usize>,
    mode: ParseMode,
    syntax: &Syntax,
) -> Result<JsonInference> {
    let (path, data) = (src.path, src.data);
    let mut fields = JsonFields::new();
    let mut corrupt = false;
    let mut unchanging = Unchanging::new();
    let bytes = &data[block.clone()];
    for (index, line) in lines(bytes).enumerate() {
        if is_blank(line) || unchanging.holds(bytes, line, &fields, syntax) {
            continue;
        }
        // Most lines fit the schema so far; others are checked before they
        // may change it, so that a malformed line adds nothing.
        let outcome = match scan_line(line, &mut fields, Mode::Frozen, syntax) {
            Err(Stop::Change) => match check_line(line, syntax) {
                Ok(_) => scan_line(line, &mut fields, Mode::Grow, syntax),
                Err(reason) => Err(Stop::Malformed(Box::new(reason))),
            },
            other => other,
        };
        match outcome {
            Ok(_) => {}
            Err(Stop::Change) => unreachable!("only frozen scans stop for a change"),
            Err(Stop::Malformed(reason)) => match mode {
                ParseMode::Permissive => corrupt = true,
                ParseMode::DropMalformed => {}
                ParseMode::FailFast => {
                    let line = src.line_number(block.start, index);
                    return Err(malformed(
                        path,
                        line,
                        format!("{reason} (during schema inference)"),
                    ));
                }
            },
        }
    }
    Ok(JsonInference { fields, corrupt })
}

/// The digits of `s` if it is an integer (an optional sign, then ASCII
/// digits), without leading zeros (at least one), as Java's `BigDecimal`
/// counts its precision.
fn integer_digits(s: &str) -> Option<usize> {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(digits.trim_start_matches('0').len().max(1))
}

/// The type inferred so far for a CSV column, narrowest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum CsvType {
    Null,
    Int,
    Long,
    /// A decimal of this precision and scale 0: an integer beyond bigint.
    Decimal(u8),
    Double,
    Date,
    Timestamp,
    Bool,
    Str,
}

impl CsvType {
    /// The type of one CSV value (already known not to be null).
    pub fn of(s: &str) -> CsvType {
        if parse_int(s).is_some() {
            CsvType::Int
        } else if parse_long(s).is_some() {
            CsvType::Long
        } else if let Some(p) = integer_digits(s).filter(|p| *p <= 38) {
            CsvType::Decimal(p as u8)
        } else if parse_double(s).is_some() {
            CsvType::Double
        } else if is_plain_date(s) {
            CsvType::Date
        } else if parse_timestamp(s).is_some() {
            CsvType::Timestamp
        } else if parse_bool(s).is_some() {
            CsvType::Bool
        } else {
            CsvType::Str
        }
    }

    /// The narrowest type holding values of both (Spark's `compatibleType`).
    pub fn merge(self, other: CsvType) -> CsvType {
        use CsvType::*;
        match (self, other) {
            (Null, t) | (t, Null) => t,
            (a, b) if a == b => a,
            // A bigint is a decimal(20, 0), an int fits any decimal here.
            (Int, Decimal(p)) | (Decimal(p), Int) => Decimal(p),
            (Long, Decimal(p)) | (Decimal(p), Long) => Decimal(p.max(20)),
            (Decimal(p), Decimal(q)) => Decimal(p.max(q)),
            (Int | Long | Decimal(_) | Double, Int | Long | Decimal(_) | Double) => self.max(other),
            (Date | Timestamp, Date | Timestamp) => Timestamp,
            _ => Str,
        }
    }

    /// The column type; a column of only nulls is a string.
    pub fn to_data_type(self) -> DataType {
        match self {
            CsvType::Null | CsvType::Str => DataType::Utf8,
            CsvType::Int => DataType::Int32,
            CsvType::Long => DataType::Int64,
            CsvType::Decimal(p) => DataType::Decimal(p, 0),
            CsvType::Double => DataType::Float64,
            CsvType::Date => DataType::Date,
            CsvType::Timestamp => DataType::Timestamp,
            CsvType::Bool => DataType::Boolean,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn infer(text: &str, mode: ParseMode) -> Result<Schema> {
        let data = text.as_bytes();
        Ok(infer_json_block(
            FileLines::whole(Path::new("t.json"), data),
            0..data.len(),
            mode,
            &Syntax::SPARK,
        )?
        .into_schema("_corrupt_record"))
    }

    #[test]
    fn json_types_like_spark() {
        let s = infer(
            "{\"b\":1,\"a\":\"x\",\"n\":null}\n\n{\"b\":2.5,\"c\":true,\"o\":{\"z\":1,\"y\":{}}}\n{\"c\":3}\n",
            ParseMode::Permissive,
        )
        .unwrap();
        let nested = DataType::Struct(vec![Field::new("z", DataType::Int64, true)].into());
        assert_eq!(
            s,
            Schema::new(vec![
                Field::new("a", DataType::Utf8, true),
                Field::new("b", DataType::Float64, true),
                Field::new("c", DataType::Utf8, true),
                Field::new("n", DataType::Utf8, true),
                Field::new("o", nested, true),
            ])
        );
    }

    /// Integers beyond bigint, as PySpark 4.3 infers them: a decimal of
    /// their digits up to 38, a double past that; with a bigint a
    /// decimal(20, 0), with a double a double, with a string a string.
    #[test]
    fn json_integers_beyond_bigint_like_spark() {
        let big = "12345678901234567890";
        let huge = "123456789012345678901234567890123456789012";
        let lines = [
            format!(
                r#"{{"a":{big},"b":1,"c":{huge},"d":-9223372036854775808,"e":9223372036854775808,"f":{big},"g":{big}}}"#
            ),
            r#"{"a":1,"b":2.5,"c":1,"d":1,"e":1,"f":1.5,"g":"x"}"#.to_string(),
            // Long runs of lines that fit, as the fast path reads them.
            r#"{"a":2,"b":3,"c":4,"d":5,"e":6,"f":7,"g":"y"}"#.to_string(),
        ];
        let s = infer(&lines.join("\n"), ParseMode::FailFast).unwrap();
        let types: Vec<String> = s.fields.iter().map(|f| f.data_type.to_string()).collect();
        assert_eq!(
            types,
            [
                "decimal(20,0)",
                "double",
                "double",
                "bigint",
                "decimal(20,0)",
                "double",
                "string"
            ]
        );
        let alone = infer(
            &format!("{{\"a\":{big}}}\n{{\"a\":-{big}9}}"),
            ParseMode::FailFast,
        );
        assert_eq!(alone.unwrap().fields[0].data_type, DataType::Decimal(21, 0));
    }

    #[test]
    fn json_malformed_lines() {
        let text = "{\"a\":1}\n{\"a\":\n[{\"b\":1}]\n";
        let s = infer(text, ParseMode::Permissive).unwrap();
        let names: Vec<&str> = s.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["_corrupt_record", "a", "b"]);
        assert_eq!(infer(text, ParseMode::DropMalformed).unwrap().len(), 2);
        match infer(text, ParseMode::FailFast) {
            Err(crate::error::Error::MalformedRecord { line, .. }) => assert_eq!(line, 2),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            infer("5\n{\"a\":1}", ParseMode::Permissive).unwrap().len(),
            2
        );
    }

    #[test]
    fn json_arrays_infer_their_element_types() {
        let s = infer(
            "{\"a\":1}\n{\"o\":{\"tags\":[1,2]},\"m\":[1,2.5],\"e\":[],\"x\":[1]}\n{\"x\":\"s\"}",
            ParseMode::Permissive,
        )
        .unwrap();
        let t = |n: &str| s.fields[s.matches(n)[0]].data_type.clone();
        assert_eq!(
            t("o"),
            DataType::Struct(
                vec![Field::new(
                    "tags",
                    DataType::array_of(DataType::Int64),
                    true
                )]
                .into()
            )
        );
        assert_eq!(t("m"), DataType::array_of(DataType::Float64));
        // Only empty arrays: strings, as Spark; an array beside a string: a string.
        assert_eq!(t("e"), DataType::array_of(DataType::Utf8));
        assert_eq!(t("x"), DataType::Utf8);
    }

    #[test]
    fn csv_types() {
        let t = |vals: &[&str]| {
            vals.iter()
                .fold(CsvType::Null, |t, v| t.merge(CsvType::of(v)))
        };
        assert_eq!(t(&["1", "2"]), CsvType::Int);
        assert_eq!(t(&["1", "30000000000"]), CsvType::Long);
        assert_eq!(t(&["1", "2.5"]), CsvType::Double);
        assert_eq!(t(&["true", "False"]), CsvType::Bool);
        assert_eq!(
            t(&["2020-01-01", "2020-01-01 10:00:00"]),
            CsvType::Timestamp
        );
        assert_eq!(t(&["2020-01-01"]), CsvType::Date);
        assert_eq!(t(&["1", "true"]), CsvType::Str);
        assert_eq!(t(&[]).to_data_type(), DataType::Utf8);
        // Integers beyond bigint, as PySpark 4.3 infers them.
        let big = "12345678901234567890";
        assert_eq!(t(&[big, "1"]), CsvType::Decimal(20));
        assert_eq!(t(&["1", big]), CsvType::Decimal(20));
        assert_eq!(
            t(&["30000000000", "9223372036854775808"]),
            CsvType::Decimal(20)
        );
        assert_eq!(t(&["-9223372036854775809"]), CsvType::Decimal(19));
        assert_eq!(
            t(&["123456789012345678901234567890123456789012", "1"]),
            CsvType::Double
        );
        assert_eq!(t(&["1.5E10", "2"]), CsvType::Double);
        assert_eq!(t(&[big, "2.5"]), CsvType::Double);
        assert_eq!(
            CsvType::Decimal(20).to_data_type(),
            DataType::Decimal(20, 0)
        );
    }
}
