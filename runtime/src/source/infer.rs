//! Schema inference, as Spark's `JsonInferSchema` and `CSVInferSchema`.
//!
//! JSON: every record is read (Spark's `samplingRatio` 1.0); fields are
//! sorted by name; integers are bigint, reals double, int+real double,
//! booleans boolean, strings string, fields only ever null string, other
//! conflicts string; nested objects are structs; arrays are not supported.
//! Malformed lines are skipped, and in PERMISSIVE mode make a
//! `_corrupt_record` string column (at its sorted place).
//!
//! CSV: each value is typed as int, bigint, double, date (`yyyy-MM-dd`),
//! timestamp, boolean or string, and a column takes the narrowest type that
//! holds all its values.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::Path;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use sqlc_compiler::types::{DataType, Field, Schema};

use super::json::malformed;
use super::lines::{is_blank, line_number, lines};
use super::options::ParseMode;
use super::parse::{is_plain_date, parse_bool, parse_double, parse_int, parse_long, parse_timestamp};
use crate::error::{Error, Result};

/// The type inferred so far for a JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum JsonType {
    Null,
    Bool,
    Long,
    Double,
    Str,
    Struct(BTreeMap<String, JsonType>),
}

impl JsonType {
    /// Widens `self` to hold `other` too (Spark's `compatibleType`).
    pub fn merge(&mut self, other: JsonType) {
        use JsonType::*;
        match (&mut *self, other) {
            (_, Null) => {}
            (Null, o) => *self = o,
            (Struct(a), Struct(b)) => {
                for (k, t) in b {
                    a.entry(k).or_insert(Null).merge(t);
                }
            }
            (Long, Double) => *self = Double,
            (Double, Long) => {}
            (a, b) if *a == b => {}
            _ => *self = Str,
        }
    }

    fn to_data_type(&self) -> Option<DataType> {
        Some(match self {
            JsonType::Null | JsonType::Str => DataType::Utf8,
            JsonType::Bool => DataType::Boolean,
            JsonType::Long => DataType::Int64,
            JsonType::Double => DataType::Float64,
            // Spark drops fields that are only ever empty objects.
            JsonType::Struct(m) => DataType::Struct(struct_fields(m)?.into()),
        })
    }
}

fn struct_fields(m: &BTreeMap<String, JsonType>) -> Option<Vec<Field>> {
    let fields: Vec<Field> =
        m.iter().filter_map(|(k, t)| Some(Field::new(k.clone(), t.to_data_type()?, true))).collect();
    (!fields.is_empty()).then_some(fields)
}

/// What inference found in some lines.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonInference {
    /// The merged fields of the top-level objects.
    pub fields: BTreeMap<String, JsonType>,
    /// Whether a malformed line was seen (PERMISSIVE mode only).
    pub corrupt: bool,
}

impl JsonInference {
    /// Nothing seen yet.
    pub fn new() -> Self {
        JsonInference { fields: BTreeMap::new(), corrupt: false }
    }

    /// Merges the inference of later lines.
    pub fn merge(&mut self, other: JsonInference) {
        let mut mine = JsonType::Struct(std::mem::take(&mut self.fields));
        mine.merge(JsonType::Struct(other.fields));
        let JsonType::Struct(fields) = mine else { unreachable!("a struct merged with a struct") };
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

/// Infers the fields of the JSON lines in `data[block]` of the file at `path`.
pub fn infer_json_block(path: &Path, data: &[u8], block: Range<usize>, mode: ParseMode) -> Result<JsonInference> {
    let mut root = JsonType::Struct(BTreeMap::new());
    let mut corrupt = false;
    let ctx = Ctx { array_field: RefCell::new(None), bad_root: Cell::new(false) };
    for (index, line) in lines(&data[block.clone()]).enumerate() {
        if is_blank(line) {
            continue;
        }
        // Check first, so a malformed line adds nothing to the schema.
        let mut reason = serde_json::from_slice::<IgnoredAny>(line).err().map(|e| e.to_string());
        if reason.is_none() {
            ctx.bad_root.set(false);
            let mut de = serde_json::Deserializer::from_slice(line);
            let seed = Merge { slot: &mut root, name: "", root: true, ctx: &ctx };
            if let Err(e) = seed.deserialize(&mut de) {
                if let Some(field) = ctx.array_field.borrow_mut().take() {
                    return Err(Error::Unsupported(format!(
                        "{}:{}: field `{field}` holds a JSON array, and sqlc does not support array \
                         columns yet; give a schema without it to skip the field",
                        path.display(),
                        line_number(data, block.start, index)
                    )));
                }
                reason = Some(e.to_string());
            } else if ctx.bad_root.get() {
                reason = Some("the line is not a JSON object".into());
            }
        }
        if let Some(reason) = reason {
            match mode {
                ParseMode::Permissive => corrupt = true,
                ParseMode::DropMalformed => {}
                ParseMode::FailFast => {
                    let line = line_number(data, block.start, index);
                    return Err(malformed(path, line, format!("{reason} (during schema inference)")));
                }
            }
        }
    }
    let JsonType::Struct(fields) = root else { unreachable!("the root stays a struct") };
    Ok(JsonInference { fields, corrupt })
}

struct Ctx {
    /// Set when an array is met: the field holding it.
    array_field: RefCell<Option<String>>,
    /// Set when the top level of a line is not an object (or array of them).
    bad_root: Cell<bool>,
}

/// Merges the type of one JSON value into `slot`, without building the value.
struct Merge<'a> {
    slot: &'a mut JsonType,
    name: &'a str,
    root: bool,
    ctx: &'a Ctx,
}

impl Merge<'_> {
    fn scalar<E>(self, t: JsonType) -> std::result::Result<(), E> {
        if self.root {
            self.ctx.bad_root.set(true);
        } else {
            self.slot.merge(t);
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Merge<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Merge<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> std::result::Result<(), E> {
        self.scalar(JsonType::Bool)
    }
    fn visit_i64<E>(self, _: i64) -> std::result::Result<(), E> {
        self.scalar(JsonType::Long)
    }
    fn visit_u64<E>(self, v: u64) -> std::result::Result<(), E> {
        // Spark makes a decimal of an integer beyond bigint; sqlc a double.
        self.scalar(if v > i64::MAX as u64 { JsonType::Double } else { JsonType::Long })
    }
    fn visit_f64<E>(self, _: f64) -> std::result::Result<(), E> {
        self.scalar(JsonType::Double)
    }
    fn visit_str<E>(self, _: &str) -> std::result::Result<(), E> {
        self.scalar(JsonType::Str)
    }
    fn visit_unit<E>(self) -> std::result::Result<(), E> {
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        if *self.slot == JsonType::Null {
            *self.slot = JsonType::Struct(BTreeMap::new());
        }
        let JsonType::Struct(fields) = self.slot else {
            // An object where other values were seen: a string.
            self.slot.merge(JsonType::Str);
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(());
        };
        while let Some(key) = map.next_key_seed(KeySeed)? {
            if !fields.contains_key(key.as_ref()) {
                fields.insert(key.to_string(), JsonType::Null);
            }
            let slot = fields.get_mut(key.as_ref()).expect("inserted above");
            map.next_value_seed(Merge { slot, name: &key, root: false, ctx: self.ctx })?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        if self.root {
            // A top-level array of objects is several records.
            while seq.next_element_seed(Merge { slot: &mut *self.slot, name: "", root: true, ctx: self.ctx })?.is_some() {}
            return Ok(());
        }
        *self.ctx.array_field.borrow_mut() = Some(self.name.to_string());
        Err(de::Error::custom("arrays are not supported"))
    }
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_str(KeySeed)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> std::result::Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
}

/// The type inferred so far for a CSV column, narrowest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum CsvType {
    Null,
    Int,
    Long,
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
            (Int | Long | Double, Int | Long | Double) => self.max(other),
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

    fn infer(text: &str, mode: ParseMode) -> Result<Schema> {
        let data = text.as_bytes();
        Ok(infer_json_block(Path::new("t.json"), data, 0..data.len(), mode)?.into_schema("_corrupt_record"))
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

    #[test]
    fn json_malformed_lines() {
        let text = "{\"a\":1}\n{\"a\":\n[{\"b\":1}]\n";
        let s = infer(text, ParseMode::Permissive).unwrap();
        let names: Vec<&str> = s.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["_corrupt_record", "a", "b"]);
        assert_eq!(infer(text, ParseMode::DropMalformed).unwrap().len(), 2);
        match infer(text, ParseMode::FailFast) {
            Err(Error::MalformedRecord { line, .. }) => assert_eq!(line, 2),
            other => panic!("{other:?}"),
        }
        assert_eq!(infer("5\n{\"a\":1}", ParseMode::Permissive).unwrap().len(), 2);
    }

    #[test]
    fn json_arrays_are_unsupported() {
        let e = infer("{\"a\":1}\n{\"tags\":[1,2]}", ParseMode::Permissive).unwrap_err().to_string();
        assert!(e.contains("t.json:2") && e.contains("`tags`") && e.contains("array"), "{e}");
    }

    #[test]
    fn csv_types() {
        let t = |vals: &[&str]| vals.iter().fold(CsvType::Null, |t, v| t.merge(CsvType::of(v)));
        assert_eq!(t(&["1", "2"]), CsvType::Int);
        assert_eq!(t(&["1", "30000000000"]), CsvType::Long);
        assert_eq!(t(&["1", "2.5"]), CsvType::Double);
        assert_eq!(t(&["true", "False"]), CsvType::Bool);
        assert_eq!(t(&["2020-01-01", "2020-01-01 10:00:00"]), CsvType::Timestamp);
        assert_eq!(t(&["2020-01-01"]), CsvType::Date);
        assert_eq!(t(&["1", "true"]), CsvType::Str);
        assert_eq!(t(&[]).to_data_type(), DataType::Utf8);
    }
}
