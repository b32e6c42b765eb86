//! SQL type names (in `CAST(x AS …)` and `x::…`) → sqlc types.
//!
//! Integers: TINYINT/BYTE, SMALLINT/SHORT, INT, BIGINT/LONG; FLOAT and REAL are FLOAT (32 bits). `DECIMAL(p, s)` (also `DEC`,
//! `NUMERIC`; `DECIMAL` alone is `DECIMAL(10, 0)`) is exact, as in Spark.
//! CHAR(n)/VARCHAR(n) are strings (as Spark treats them in casts).
//! `TIMESTAMP_NTZ` is a timestamp without a zone; `INTERVAL DAY TO HOUR`,
//! `INTERVAL YEAR`, … are Spark's ANSI interval types.

use sqlparser::ast::DataType as SqlType;

use crate::error::{Error, Result};
use crate::types::DataType;

/// The sqlc type a SQL type name denotes.
pub fn data_type(t: &SqlType) -> Result<DataType> {
    use SqlType as S;
    Ok(match t {
        S::BigInt(_) | S::Int8(_) | S::Int64 => DataType::Int64,
        S::Int(_) | S::Integer(_) | S::Int4(_) | S::Int32 => DataType::Int32,
        S::SmallInt(_) | S::Int2(_) | S::Int16 => DataType::Int16,
        S::TinyInt(_) => DataType::Int8,
        S::Float(_) | S::Float4 | S::Float32 | S::Real => DataType::Float32,
        S::Double(_) | S::DoublePrecision | S::Float8 | S::Float64 => DataType::Float64,
        S::Decimal(info)
        | S::Numeric(info)
        | S::Dec(info)
        | S::BigDecimal(info)
        | S::BigNumeric(info) => decimal_type(info)?,
        S::String(_)
        | S::Varchar(_)
        | S::Char(_)
        | S::Character(_)
        | S::CharVarying(_)
        | S::CharacterVarying(_)
        | S::Nvarchar(_)
        | S::Text => DataType::Utf8,
        S::Boolean | S::Bool => DataType::Boolean,
        S::TimestampNtz(_) => DataType::TimestampNtz,
        S::Timestamp(_, _) | S::Datetime(_) => DataType::Timestamp,
        S::Date => DataType::Date,
        S::Interval {
            fields: Some(f),
            precision: None,
        } => interval_type(f),
        S::Binary(_) | S::Varbinary(_) | S::Bytea | S::Blob(_) => DataType::Binary,
        S::Array(
            sqlparser::ast::ArrayElemTypeDef::AngleBracket(e)
            | sqlparser::ast::ArrayElemTypeDef::SquareBracket(e, None),
        ) => DataType::array_of(data_type(e)?),
        S::Map(k, v, _) => DataType::Map(Box::new(data_type(k)?), Box::new(data_type(v)?), true),
        S::Struct(fields, _) => DataType::Struct(
            fields
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let name = f
                        .field_name
                        .as_ref()
                        .map_or_else(|| format!("col{}", i + 1), super::expr::ident);
                    Ok(crate::types::Field::new(
                        name,
                        data_type(&f.field_type)?,
                        true,
                    ))
                })
                .collect::<Result<Vec<_>>>()?
                .into(),
        ),
        S::Custom(name, modifiers) if modifiers.is_empty() && name.0.len() == 1 => {
            named_type(&name.to_string()).ok_or_else(|| unsupported(t))?
        }
        _ => return Err(unsupported(t)),
    })
}

/// Spark's type names sqlparser does not know (`LONG`, `SHORT`, …).
fn named_type(name: &str) -> Option<DataType> {
    Some(match name.to_ascii_lowercase().as_str() {
        "long" | "bigint" => DataType::Int64,
        "int" | "integer" => DataType::Int32,
        "short" | "smallint" => DataType::Int16,
        "byte" | "tinyint" => DataType::Int8,
        "float" | "real" => DataType::Float32,
        "double" => DataType::Float64,
        "decimal" | "dec" | "numeric" => DataType::Decimal(10, 0),
        "string" | "varchar" | "char" | "text" => DataType::Utf8,
        "boolean" | "bool" => DataType::Boolean,
        "timestamp" | "timestamp_ltz" => DataType::Timestamp,
        "timestamp_ntz" => DataType::TimestampNtz,
        "date" => DataType::Date,
        "binary" => DataType::Binary,
        _ => return None,
    })
}

/// `INTERVAL YEAR TO MONTH`, `INTERVAL DAY`, …: Spark's ANSI interval types.
fn interval_type(f: &sqlparser::ast::IntervalFields) -> DataType {
    use crate::ansi_interval::{DAY, HOUR, MINUTE, MONTH, SECOND, YEAR};
    use sqlparser::ast::IntervalFields as F;
    let (ym, a, b) = match f {
        F::Year => (true, YEAR, YEAR),
        F::Month => (true, MONTH, MONTH),
        F::YearToMonth => (true, YEAR, MONTH),
        F::Day => (false, DAY, DAY),
        F::Hour => (false, HOUR, HOUR),
        F::Minute => (false, MINUTE, MINUTE),
        F::Second => (false, SECOND, SECOND),
        F::DayToHour => (false, DAY, HOUR),
        F::DayToMinute => (false, DAY, MINUTE),
        F::DayToSecond => (false, DAY, SECOND),
        F::HourToMinute => (false, HOUR, MINUTE),
        F::HourToSecond => (false, HOUR, SECOND),
        F::MinuteToSecond => (false, MINUTE, SECOND),
    };
    if ym {
        DataType::YearMonthInterval(a, b)
    } else {
        DataType::DayTimeInterval(a, b)
    }
}

/// `DECIMAL`, `DECIMAL(p)`, `DECIMAL(p, s)` with Spark's checks.
fn decimal_type(info: &sqlparser::ast::ExactNumberInfo) -> Result<DataType> {
    use sqlparser::ast::ExactNumberInfo as I;
    let (p, s) = match *info {
        I::None => return Ok(DataType::Decimal(10, 0)),
        I::Precision(p) => (p, 0),
        I::PrecisionAndScale(p, s) => (p, s),
    };
    let max = crate::decimal::MAX_PRECISION as u64;
    if p == 0 || p > max {
        return Err(Error::analysis(
            "DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION",
            format!("Decimal precision {p} exceeds max precision {max}."),
        ));
    }
    if s < 0 || s as u64 > p {
        return Err(Error::analysis(
            "INVALID_DECIMAL_SCALE",
            format!("Decimal scale ({s}) cannot be greater than precision ({p})."),
        ));
    }
    Ok(DataType::Decimal(p as u8, s as u8))
}

fn unsupported(t: &SqlType) -> Error {
    Error::analysis("UNSUPPORTED_DATATYPE", format!(
        "Unsupported data type \"{t}\": sqlc supports BOOLEAN, INT, BIGINT, DOUBLE, DECIMAL(p, s), STRING, BINARY, TIMESTAMP, DATE, ARRAY<…>, MAP<…, …> and STRUCT<…> (and their aliases)"
    ))
}
