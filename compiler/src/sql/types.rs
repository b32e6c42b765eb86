//! SQL type names (in `CAST(x AS …)` and `x::…`) → sqlc types.
//!
//! sqlc's integer types are INT and BIGINT: SMALLINT/SHORT and TINYINT/BYTE
//! map to INT. It has no DECIMAL or FLOAT: DECIMAL(p, s), FLOAT and REAL map
//! to DOUBLE. CHAR(n)/VARCHAR(n) are strings (as Spark treats them in casts).

use sqlparser::ast::DataType as SqlType;

use crate::error::{Error, Result};
use crate::types::DataType;

/// The sqlc type a SQL type name denotes.
pub fn data_type(t: &SqlType) -> Result<DataType> {
    use SqlType as S;
    Ok(match t {
        S::BigInt(_) | S::Int8(_) | S::Int64 => DataType::Int64,
        S::Int(_)
        | S::Integer(_)
        | S::Int4(_)
        | S::Int32
        | S::SmallInt(_)
        | S::Int2(_)
        | S::Int16
        | S::TinyInt(_) => DataType::Int32,
        S::Double(_)
        | S::DoublePrecision
        | S::Float(_)
        | S::Float4
        | S::Float8
        | S::Float32
        | S::Float64
        | S::Real
        | S::Decimal(_)
        | S::Numeric(_)
        | S::Dec(_)
        | S::BigDecimal(_)
        | S::BigNumeric(_) => DataType::Float64,
        S::String(_)
        | S::Varchar(_)
        | S::Char(_)
        | S::Character(_)
        | S::CharVarying(_)
        | S::CharacterVarying(_)
        | S::Nvarchar(_)
        | S::Text => DataType::Utf8,
        S::Boolean | S::Bool => DataType::Boolean,
        S::Timestamp(_, _) | S::TimestampNtz(_) | S::Datetime(_) => DataType::Timestamp,
        S::Date => DataType::Date,
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
        "int" | "integer" | "short" | "smallint" | "byte" | "tinyint" => DataType::Int32,
        "double" | "float" | "real" | "decimal" | "dec" | "numeric" => DataType::Float64,
        "string" | "varchar" | "char" | "text" => DataType::Utf8,
        "boolean" | "bool" => DataType::Boolean,
        "timestamp" | "timestamp_ltz" | "timestamp_ntz" => DataType::Timestamp,
        "date" => DataType::Date,
        "binary" => DataType::Binary,
        _ => return None,
    })
}

fn unsupported(t: &SqlType) -> Error {
    Error::analysis("UNSUPPORTED_DATATYPE", format!(
        "Unsupported data type \"{t}\": sqlc supports BOOLEAN, INT, BIGINT, DOUBLE, STRING, BINARY, TIMESTAMP, DATE, ARRAY<…>, MAP<…, …> and STRUCT<…> (and their aliases)"
    ))
}
