//! Error sites: every place in a kernel that can raise a runtime error gets
//! an index into a table built at compile time, holding the failing
//! expression's text and what kind of error it raises. The kernel passes the
//! index (and the offending value's bits) to a helper, which builds the
//! [`Error`].

use crate::error::Error;
use crate::ir::BinaryOp;
use crate::scalar_fns;
use crate::types::DataType;

/// What a site raises.
#[derive(Clone, Debug, PartialEq)]
pub enum SiteKind {
    /// `[ARITHMETIC_OVERFLOW]` with Spark's detail (`integer overflow`, ...).
    Overflow(&'static str),
    /// A zero divisor; `remainder` for `%` (`[REMAINDER_BY_ZERO]`).
    DivideByZero { remainder: bool },
    /// A value out of the target type's range (the value's type is `from`).
    CastOverflow { from: DataType, to: DataType },
    /// A malformed value (a string that does not parse, a NaN timestamp).
    InvalidCast { from: DataType, to: DataType },
    /// TINYINT or SMALLINT `x op y` past its type's range: Spark's
    /// `BINARY_ARITHMETIC_OVERFLOW` naming the operands, which the raise
    /// passes packed as `x << 32 | y as u32`.
    NarrowOverflow(BinaryOp),
    /// An error of a fixed class and message (interval and datetime
    /// arithmetic, the twin's own errors).
    Raise {
        class: &'static str,
        message: String,
    },
}

impl SiteKind {
    /// The site of `e`, an execution error the twin raises.
    pub fn raise(e: Error) -> SiteKind {
        match e {
            Error::Execution { class, message } => SiteKind::Raise { class, message },
            other => SiteKind::Raise {
                class: "INTERNAL_ERROR",
                message: other.to_string(),
            },
        }
    }
}

/// One entry of a kernel's error table.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorSite {
    /// The failing expression's Display text.
    pub expr: String,
    pub kind: SiteKind,
}

impl ErrorSite {
    /// The error, given the offending value's text (for casts).
    pub fn error(&self, value: String) -> Error {
        let expr = self.expr.clone();
        let up = |t: &DataType| t.spark_name().to_uppercase();
        match &self.kind {
            SiteKind::Overflow(detail) => Error::Overflow {
                expr,
                detail: detail.to_string(),
            },
            SiteKind::DivideByZero { remainder } => Error::DivideByZero {
                expr,
                remainder: *remainder,
            },
            SiteKind::CastOverflow { from, to } => Error::CastOverflow {
                expr,
                value,
                from: up(from),
                to: up(to),
            },
            SiteKind::InvalidCast { from, to } => Error::InvalidCast {
                expr,
                value,
                from: up(from),
                to: up(to),
            },
            SiteKind::Raise { class, message } => Error::execution(class, message.clone()),
            SiteKind::NarrowOverflow(op) => crate::interp::narrow::binary_overflow(*op, 0, 0),
        }
    }

    /// The error for a fixed-width value passed as its 64 bits (integers
    /// sign-extended, doubles as their bits).
    pub fn error_bits(&self, bits: u64) -> Error {
        let from = match &self.kind {
            SiteKind::NarrowOverflow(op) => {
                let (x, y) = ((bits as i64) >> 32, bits as u32 as i32 as i64);
                return crate::interp::narrow::binary_overflow(*op, x, y);
            }
            SiteKind::CastOverflow { from, .. } | SiteKind::InvalidCast { from, .. } => from,
            _ => return self.error(String::new()),
        };
        self.error(value_text(from, bits))
    }
}

/// How Spark shows a value in a cast error (`123`, `123L`, `1.0E20D`,
/// `2024-01-01 00:00:00`), given its bits.
pub fn value_text(ty: &DataType, bits: u64) -> String {
    match ty {
        DataType::Boolean => (bits != 0).to_string(),
        DataType::Int8 => format!("{}Y", bits as i64),
        DataType::Int16 => format!("{}S", bits as i64),
        DataType::Int32 => (bits as i64 as i32).to_string(),
        DataType::Int64 => format!("{}L", bits as i64),
        DataType::Float64 => format!("{}D", scalar_fns::format_f64(f64::from_bits(bits))),
        // As the twin shows a FLOAT: its exact double, without the suffix.
        DataType::Float32 => scalar_fns::format_f64(f64::from_bits(bits)),
        DataType::Timestamp => scalar_fns::format_timestamp(bits as i64),
        DataType::Date => scalar_fns::format_date(bits as i64 as i32),
        _ => "NULL".into(),
    }
}

/// How Spark shows a string in a cast error.
pub fn string_text(s: &str) -> String {
    format!("'{s}'")
}

/// Spark's detail text for an integer overflow of a type.
pub fn overflow_detail(ty: &DataType) -> &'static str {
    match ty {
        DataType::Int32 | DataType::Date => "integer overflow",
        _ => "long overflow",
    }
}
