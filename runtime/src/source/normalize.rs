//! Converting Arrow data to sqlc's canonical types: every batch a source
//! emits uses exactly `DataType::to_arrow()` of its schema (Int32, Int64,
//! Float32, Float64, Utf8, Binary, Boolean, Timestamp(µs, "UTC"), Date32, and
//! structs, lists and maps of those, every level nullable as Spark's file
//! sources read them). Narrow integers widen, large and view strings become Utf8, any
//! timestamp unit or zone becomes microseconds in UTC (naive timestamps are
//! taken as UTC), dictionaries are decoded, and decimals of up to 38 digits
//! become `Decimal128` (wider ones, which Spark cannot hold, doubles).

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, StructArray, TimestampMicrosecondArray};
use arrow::compute::kernels::cast::{cast, cast_with_options, CastOptions};
use arrow::compute::unary;
use arrow::datatypes::{DataType as ArrowType, Fields, Int64Type, Schema as ArrowSchema, TimeUnit};
use sqlc_compiler::types::{DataType, Field, Schema};

use crate::error::{Error, Result};

/// The sqlc type that holds values of an Arrow type, if any.
pub fn canonical_type(t: &ArrowType) -> Option<DataType> {
    match t {
        ArrowType::Dictionary(_, values) => canonical_type(values),
        ArrowType::Decimal32(p, s)
        | ArrowType::Decimal64(p, s)
        | ArrowType::Decimal128(p, s)
        | ArrowType::Decimal256(p, s)
            if *s >= 0 && *p <= sqlc_compiler::decimal::MAX_PRECISION && *s as u8 <= *p =>
        {
            Some(DataType::Decimal(*p, *s as u8))
        }
        ArrowType::Decimal256(..) => Some(DataType::Float64),
        ArrowType::Struct(fields) => Some(DataType::Struct(
            fields
                .iter()
                .map(|f| Some(Field::new(f.name(), canonical_type(f.data_type())?, true)))
                .collect::<Option<Vec<_>>>()?
                .into(),
        )),
        // Every level nullable, as Spark's file sources read (`asNullable`).
        ArrowType::List(f) | ArrowType::LargeList(f) | ArrowType::FixedSizeList(f, _) => {
            Some(DataType::array_of(canonical_type(f.data_type())?))
        }
        ArrowType::Map(entries, _) => match entries.data_type() {
            ArrowType::Struct(kv) if kv.len() == 2 => Some(DataType::Map(
                Box::new(canonical_type(kv[0].data_type())?),
                Box::new(canonical_type(kv[1].data_type())?),
                true,
            )),
            _ => None,
        },
        t => DataType::from_arrow(t),
    }
}

/// The sqlc schema of a file's Arrow schema, every field nullable (as
/// Spark's file sources make them). `what` names the file in errors.
pub fn canonical_schema(schema: &ArrowSchema, what: &str) -> Result<Schema> {
    schema
        .fields()
        .iter()
        .map(|f| match canonical_type(f.data_type()) {
            Some(t) => Ok(Field::new(f.name(), t, true)),
            None => Err(Error::not_supported(format!(
                "{what}: column `{}` has type {} which sqlc does not support",
                f.name(),
                f.data_type()
            ))),
        })
        .collect::<Result<Vec<_>>>()
        .map(Schema::new)
}

/// Fails if two columns (or two fields of a struct) have the same name
/// ignoring case, as Spark does with its default `spark.sql.caseSensitive`.
pub fn check_unique_names(schema: &Schema) -> Result<()> {
    fn check(fields: &[Field]) -> Result<()> {
        let mut seen = std::collections::HashSet::with_capacity(fields.len());
        for f in fields {
            if !seen.insert(f.name.to_ascii_lowercase()) {
                return Err(Error::analysis("COLUMN_ALREADY_EXISTS", format!(
                    "The column `{}` already exists. Choose another name or rename the existing column.",
                    f.name.to_lowercase()
                )));
            }
            if let DataType::Struct(inner) = &f.data_type {
                check(inner)?;
            }
        }
        Ok(())
    }
    check(&schema.fields)
}

/// `schema` with every field, at every depth, nullable.
pub fn as_nullable(schema: &Schema) -> Schema {
    fn field(f: &Field) -> Field {
        let t = match &f.data_type {
            DataType::Struct(inner) => {
                DataType::Struct(inner.iter().map(field).collect::<Vec<_>>().into())
            }
            t => t.clone(),
        };
        Field::new(f.name.clone(), t, true)
    }
    Schema::new(schema.fields.iter().map(field).collect())
}

/// Converts `array` to the canonical Arrow type of `target`. Fails if the
/// values cannot be read as that type; `what` names the column in errors.
pub fn normalize_array(array: &ArrayRef, target: &DataType, what: &str) -> Result<ArrayRef> {
    let to = target.to_arrow();
    if array.data_type() == &to {
        return Ok(Arc::clone(array));
    }
    let fail = |e: &dyn std::fmt::Display| {
        Error::bad_file(
            what,
            format!("{what}: cannot read {} as {target}: {e}", array.data_type()),
        )
    };
    if !canonical_type(array.data_type()).is_some_and(|from| compatible(&from, target)) {
        return Err(Error::bad_file(
            what,
            format!(
                "{what}: the file holds {} which cannot be read as {target}",
                array.data_type()
            ),
        ));
    }
    match (array.data_type(), target) {
        (ArrowType::Dictionary(_, values), _) => {
            let plain = cast(array, values).map_err(|e| fail(&e))?;
            normalize_array(&plain, target, what)
        }
        // By hand: Arrow's cast would parse the zone names, which needs chrono-tz.
        (ArrowType::Timestamp(unit, _), DataType::Timestamp) => {
            let raw = cast(array, &ArrowType::Int64).map_err(|e| fail(&e))?;
            let scale: fn(i64) -> i64 = match unit {
                TimeUnit::Second => |v| v.saturating_mul(1_000_000),
                TimeUnit::Millisecond => |v| v.saturating_mul(1_000),
                TimeUnit::Microsecond => |v| v,
                TimeUnit::Nanosecond => |v| v.div_euclid(1_000),
            };
            let micros: TimestampMicrosecondArray = unary(raw.as_primitive::<Int64Type>(), scale);
            Ok(Arc::new(micros.with_timezone("UTC")))
        }
        (ArrowType::Struct(_), DataType::Struct(fields)) => {
            let s = array.as_struct();
            let children = fields
                .iter()
                .zip(s.columns())
                .map(|(f, c)| normalize_array(c, &f.data_type, &format!("{what}.{}", f.name)))
                .collect::<Result<Vec<_>>>()?;
            let arrow_fields: Fields = fields.iter().map(Field::to_arrow).collect();
            Ok(Arc::new(
                StructArray::try_new(arrow_fields, children, s.nulls().cloned())
                    .map_err(|e| fail(&e))?,
            ))
        }
        _ => {
            let options = CastOptions {
                safe: false,
                ..Default::default()
            };
            cast_with_options(array, &to, &options).map_err(|e| fail(&e))
        }
    }
}

/// Whether data of sqlc type `from` may be read as `to` (the same type, or
/// a wider number).
fn compatible(from: &DataType, to: &DataType) -> bool {
    match (from, to) {
        (DataType::Null, _) => true,
        (DataType::Int8, DataType::Int16)
        | (
            DataType::Int8 | DataType::Int16,
            DataType::Int32 | DataType::Int64 | DataType::Float64,
        )
        | (DataType::Int32, DataType::Int64 | DataType::Float64)
        | (DataType::Int64 | DataType::Float32, DataType::Float64) => true,
        (DataType::Struct(a), DataType::Struct(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b.iter())
                    .all(|(x, y)| x.name == y.name && compatible(&x.data_type, &y.data_type))
        }
        // Maps whatever their entries are called (Spark's Parquet files
        // say `key_value`) or however their values' nullability is labelled.
        (DataType::Map(ak, av, _), DataType::Map(bk, bv, _)) => ak == bk && compatible(av, bv),
        (DataType::Array(a, _), DataType::Array(b, _)) => compatible(a, b),
        (a, b) => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{Int16Array, LargeStringArray, TimestampNanosecondArray};
    use arrow::datatypes::TimestampMicrosecondType;

    #[test]
    fn canonical_arrays() {
        let a: ArrayRef = Arc::new(Int16Array::from(vec![Some(1), None]));
        let n = normalize_array(&a, &DataType::Int32, "c").unwrap();
        assert_eq!(n.data_type(), &ArrowType::Int32);
        assert!(n.is_null(1));
        let s: ArrayRef = Arc::new(LargeStringArray::from(vec!["x"]));
        assert_eq!(
            normalize_array(&s, &DataType::Utf8, "c")
                .unwrap()
                .as_string::<i32>()
                .value(0),
            "x"
        );
        let t: ArrayRef = Arc::new(
            TimestampNanosecondArray::from(vec![1_500_000_000i64]).with_timezone("Europe/Paris"),
        );
        let t = normalize_array(&t, &DataType::Timestamp, "c").unwrap();
        assert_eq!(
            t.data_type(),
            &ArrowType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
        );
        assert_eq!(
            t.as_primitive::<TimestampMicrosecondType>().value(0),
            1_500_000
        );
        assert!(normalize_array(&s, &DataType::Int64, "c").is_err());
    }

    #[test]
    fn schemas() {
        let s = ArrowSchema::new(vec![
            arrow::datatypes::Field::new("a", ArrowType::UInt16, false),
            arrow::datatypes::Field::new("b", ArrowType::Decimal128(10, 2), true),
        ]);
        let c = canonical_schema(&s, "f").unwrap();
        assert_eq!(c.fields[0], Field::new("a", DataType::Int32, true));
        assert_eq!(c.fields[1].data_type, DataType::Decimal(10, 2));
        let bad = ArrowSchema::new(vec![arrow::datatypes::Field::new(
            "u",
            ArrowType::UInt64,
            true,
        )]);
        assert!(canonical_schema(&bad, "f")
            .unwrap_err()
            .to_string()
            .contains("`u`"));
    }
}
