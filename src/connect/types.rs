//! Spark Connect's `DataType` and `Expression.Literal` messages, to and
//! from sqlc's types and scalars.

use sqlc_compiler::{DataType, Field, Scalar, Schema};
use sqlc_connect::proto::data_type::{self as dt, Kind};
use sqlc_connect::proto::expression::literal::LiteralType;
use sqlc_connect::proto::{self, expression::Literal};

use crate::error::{Error, Result};

/// The protocol's type for an sqlc type.
pub fn to_proto(t: &DataType) -> proto::DataType {
    let kind = match t {
        DataType::Null => Kind::Null(dt::Null::default()),
        DataType::Boolean => Kind::Boolean(dt::Boolean::default()),
        DataType::Int8 => Kind::Byte(dt::Byte::default()),
        DataType::Int16 => Kind::Short(dt::Short::default()),
        DataType::Int32 => Kind::Integer(dt::Integer::default()),
        DataType::Int64 => Kind::Long(dt::Long::default()),
        DataType::Float64 => Kind::Double(dt::Double::default()),
        DataType::Float32 => Kind::Float(dt::Float::default()),
        DataType::Decimal(p, s) => Kind::Decimal(dt::Decimal {
            scale: Some(*s as i32),
            precision: Some(*p as i32),
            type_variation_reference: 0,
        }),
        DataType::Utf8 => Kind::String(dt::String::default()),
        DataType::Binary => Kind::Binary(dt::Binary::default()),
        DataType::Timestamp => Kind::Timestamp(dt::Timestamp::default()),
        DataType::Date => Kind::Date(dt::Date::default()),
        DataType::TimestampNtz => Kind::TimestampNtz(dt::TimestampNtz::default()),
        DataType::YearMonthInterval(a, b) => Kind::YearMonthInterval(dt::YearMonthInterval {
            start_field: Some(*a as i32),
            end_field: Some(*b as i32),
            type_variation_reference: 0,
        }),
        DataType::DayTimeInterval(a, b) => Kind::DayTimeInterval(dt::DayTimeInterval {
            start_field: Some(*a as i32),
            end_field: Some(*b as i32),
            type_variation_reference: 0,
        }),
        DataType::Struct(fields) => Kind::Struct(struct_of(fields.iter())),
        DataType::Array(element, contains_null) => Kind::Array(Box::new(dt::Array {
            element_type: Some(Box::new(to_proto(element))),
            contains_null: *contains_null,
            type_variation_reference: 0,
        })),
        DataType::Map(key, value, value_null) => Kind::Map(Box::new(dt::Map {
            key_type: Some(Box::new(to_proto(key))),
            value_type: Some(Box::new(to_proto(value))),
            value_contains_null: *value_null,
            type_variation_reference: 0,
        })),
    };
    proto::DataType { kind: Some(kind) }
}

fn struct_of<'a>(fields: impl Iterator<Item = &'a Field>) -> dt::Struct {
    dt::Struct {
        fields: fields
            .map(|f| dt::StructField {
                name: f.name.clone(),
                data_type: Some(to_proto(&f.data_type)),
                nullable: f.nullable,
                metadata: None,
            })
            .collect(),
        type_variation_reference: 0,
    }
}

/// A schema as the protocol's struct type.
pub fn schema_to_proto(s: &Schema) -> proto::DataType {
    proto::DataType {
        kind: Some(Kind::Struct(struct_of(s.fields.iter()))),
    }
}

/// An sqlc type for the protocol's type; types sqlc lacks are refused.
pub fn from_proto(t: &proto::DataType) -> Result<DataType> {
    let Some(kind) = &t.kind else {
        return Err(invalid("a DataType without a kind"));
    };
    Ok(match kind {
        Kind::Null(_) => DataType::Null,
        Kind::Boolean(_) => DataType::Boolean,
        Kind::Byte(_) => DataType::Int8,
        Kind::Short(_) => DataType::Int16,
        Kind::Integer(_) => DataType::Int32,
        Kind::Long(_) => DataType::Int64,
        Kind::Float(_) => DataType::Float32,
        Kind::Double(_) => DataType::Float64,
        Kind::Decimal(d) => {
            let (p, s) = (d.precision.unwrap_or(10), d.scale.unwrap_or(0));
            if !(1..=38).contains(&p) || s < 0 || s > p {
                return Err(invalid(format!("the decimal type ({p}, {s})")));
            }
            DataType::Decimal(p as u8, s as u8)
        }
        Kind::String(_) | Kind::Char(_) | Kind::VarChar(_) => DataType::Utf8,
        Kind::Binary(_) => DataType::Binary,
        Kind::Timestamp(_) => DataType::Timestamp,
        Kind::TimestampNtz(_) => DataType::TimestampNtz,
        Kind::YearMonthInterval(i) => {
            let (a, b) = interval_fields(i.start_field, i.end_field, 1)?;
            DataType::YearMonthInterval(a, b)
        }
        Kind::DayTimeInterval(i) => {
            let (a, b) = interval_fields(i.start_field, i.end_field, 3)?;
            DataType::DayTimeInterval(a, b)
        }
        Kind::Date(_) => DataType::Date,
        Kind::Struct(s) => DataType::Struct(
            s.fields
                .iter()
                .map(|f| {
                    let t = f
                        .data_type
                        .as_ref()
                        .ok_or_else(|| invalid("a struct field without a type"))?;
                    Ok(Field::new(f.name.clone(), from_proto(t)?, f.nullable))
                })
                .collect::<Result<Vec<_>>>()?
                .into(),
        ),
        Kind::Array(a) => DataType::Array(
            Box::new(from_proto(a.element_type.as_deref().ok_or_else(|| {
                invalid("an array type without an element type")
            })?)?),
            a.contains_null,
        ),
        Kind::Map(m) => DataType::Map(
            Box::new(from_proto(
                m.key_type
                    .as_deref()
                    .ok_or_else(|| invalid("a map type without a key type"))?,
            )?),
            Box::new(from_proto(
                m.value_type
                    .as_deref()
                    .ok_or_else(|| invalid("a map type without a value type"))?,
            )?),
            m.value_contains_null,
        ),
        Kind::Unparsed(u) => sqlc_compiler::sql::parse_type_name(&u.data_type_string)?,
        other => {
            return Err(Error::not_supported(format!(
                "the data type {other:?} is not supported by sqlc"
            )))
        }
    })
}

/// A literal's value.
pub fn literal(l: &Literal) -> Result<Scalar> {
    let Some(v) = &l.literal_type else {
        return Err(invalid("a Literal without a value"));
    };
    Ok(match v {
        LiteralType::Null(_) => Scalar::Null,
        LiteralType::Binary(b) => Scalar::Binary(b.clone()),
        LiteralType::Boolean(b) => Scalar::Boolean(*b),
        LiteralType::Byte(i) => {
            Scalar::Int8(i8::try_from(*i).map_err(|_| invalid(format!("the byte literal {i}")))?)
        }
        LiteralType::Short(i) => {
            Scalar::Int16(i16::try_from(*i).map_err(|_| invalid(format!("the short literal {i}")))?)
        }
        LiteralType::Integer(i) => Scalar::Int32(*i),
        LiteralType::Long(i) => Scalar::Int64(*i),
        LiteralType::Float(f) => Scalar::Float32(*f),
        LiteralType::Double(f) => Scalar::Float64(*f),
        LiteralType::String(s) => Scalar::Utf8(s.clone()),
        LiteralType::Decimal(d) => {
            let bad = || invalid(format!("the decimal literal {}", d.value));
            let (v, (p, s)) = sqlc_compiler::decimal::literal(&d.value).ok_or_else(bad)?;
            match (d.precision, d.scale) {
                (Some(tp), Some(ts)) if (1..=38).contains(&tp) && (0..=tp).contains(&ts) => {
                    let (tp, ts) = (tp as u8, ts as u8);
                    let v = sqlc_compiler::decimal::rescale(v, s, ts)
                        .filter(|&x| sqlc_compiler::decimal::fits(x, tp))
                        .ok_or_else(bad)?;
                    Scalar::Decimal(v, tp, ts)
                }
                _ => Scalar::Decimal(v, p, s),
            }
        }
        LiteralType::Date(d) => Scalar::Date(*d),
        LiteralType::Timestamp(t) => Scalar::Timestamp(*t),
        LiteralType::TimestampNtz(t) => Scalar::TimestampNtz(*t),
        // PySpark sends a `timedelta` as a day-time interval of days to
        // seconds and has no year-month literal of its own; both as Spark
        // types them (`LiteralValueProtoConverter`).
        LiteralType::DayTimeInterval(us) => Scalar::DayTimeInterval(*us, 0, 3),
        LiteralType::YearMonthInterval(m) => Scalar::YearMonthInterval(*m, 0, 1),
        other => {
            return Err(Error::not_supported(format!(
                "the literal {other:?} is not supported by sqlc"
            )))
        }
    })
}

/// An interval type's start and end fields (Spark's numbering: YEAR 0,
/// MONTH 1; DAY 0, HOUR 1, MINUTE 2, SECOND 3, `last` the highest): both
/// absent is the whole range, an absent end is the start.
fn interval_fields(start: Option<i32>, end: Option<i32>, last: u8) -> Result<(u8, u8)> {
    let (a, b) = match (start, end) {
        (None, None) => (0, last as i32),
        (Some(a), None) => (a, a),
        (a, Some(b)) => (a.unwrap_or(0), b),
    };
    if (0..=b).contains(&a) && b <= last as i32 {
        Ok((a as u8, b as u8))
    } else {
        Err(invalid(format!("the interval fields ({a}, {b})")))
    }
}

/// A request sqlc cannot read (Spark's `INVALID_PLAN_INPUT`).
pub fn invalid(what: impl Into<String>) -> Error {
    Error::analysis("INVALID_PLAN_INPUT", what.into())
}

/// A schema from Spark's JSON form (`StructType.json()`, what PySpark's
/// `schema(StructType)` and `createDataFrame` send).
pub fn schema_from_json(text: &str) -> Result<Schema> {
    let v: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| invalid(format!("the schema is not valid JSON: {e}")))?;
    match json_type(&v)? {
        DataType::Struct(fields) => Ok(Schema::new(fields.to_vec())),
        other => Err(invalid(format!(
            "the schema must be a struct, not {}",
            other.spark_name()
        ))),
    }
}

fn json_type(v: &serde_json::Value) -> Result<DataType> {
    use serde_json::Value;
    match v {
        Value::String(name) => match name.as_str() {
            "null" | "void" => Ok(DataType::Null),
            "boolean" => Ok(DataType::Boolean),
            "byte" => Ok(DataType::Int8),
            "short" => Ok(DataType::Int16),
            "integer" => Ok(DataType::Int32),
            "long" => Ok(DataType::Int64),
            "float" => Ok(DataType::Float32),
            "double" => Ok(DataType::Float64),
            "string" => Ok(DataType::Utf8),
            "binary" => Ok(DataType::Binary),
            "date" => Ok(DataType::Date),
            "timestamp" => Ok(DataType::Timestamp),
            "timestamp_ntz" => Ok(DataType::TimestampNtz),
            n => Ok(sqlc_compiler::sql::parse_type_name(n)?),
        },
        Value::Object(o) if o.get("type").and_then(Value::as_str) == Some("array") => {
            let element = json_type(o.get("elementType").unwrap_or(&Value::Null))?;
            let contains_null = o
                .get("containsNull")
                .and_then(Value::as_bool)
                .unwrap_or(true);
            Ok(DataType::Array(Box::new(element), contains_null))
        }
        Value::Object(o) if o.get("type").and_then(Value::as_str) == Some("map") => {
            let key = json_type(o.get("keyType").unwrap_or(&Value::Null))?;
            let value = json_type(o.get("valueType").unwrap_or(&Value::Null))?;
            let value_null = o
                .get("valueContainsNull")
                .and_then(Value::as_bool)
                .unwrap_or(true);
            Ok(DataType::Map(Box::new(key), Box::new(value), value_null))
        }
        Value::Object(o) if o.get("type").and_then(Value::as_str) == Some("struct") => {
            let fields = o
                .get("fields")
                .and_then(Value::as_array)
                .ok_or_else(|| invalid("a JSON struct type without fields"))?;
            let fields = fields
                .iter()
                .map(|f| {
                    let name = f
                        .get("name")
                        .and_then(Value::as_str)
                        .ok_or_else(|| invalid("a JSON struct field without a name"))?;
                    let t = json_type(f.get("type").unwrap_or(&Value::Null))?;
                    let nullable = f.get("nullable").and_then(Value::as_bool).unwrap_or(true);
                    Ok(Field::new(name, t, nullable))
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(DataType::Struct(fields.into()))
        }
        other => Err(Error::not_supported(format!("the JSON data type {other}"))),
    }
}
