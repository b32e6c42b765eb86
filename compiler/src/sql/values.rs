//! sqlparser's literal nodes (numbers, strings, typed literals, intervals)
//! → sqlc literals, with the position of a malformed one.

use sqlparser::ast::{
    Expr as SqlExpr, Ident, Interval, TypedString, UnaryOperator, Value, ValueWithSpan,
};
use sqlparser::tokenizer::Span;

use super::expr::unsupported;
use super::literal;
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::types::Scalar;

/// Gives a parse error raised without a position the position of `span`.
fn at(err: Error, span: Span) -> Error {
    match err {
        Error::Parse {
            message,
            line: 0,
            column: 0,
        } => Error::Parse {
            message,
            line: span.start.line,
            column: span.start.column,
        },
        e => e,
    }
}

/// `-5`, `-1.5`, `-10L` are literals in Spark (so `-2147483648` is an INT).
pub fn negative_literal(e: &SqlExpr) -> Option<Result<Expr>> {
    match e {
        SqlExpr::Value(
            v @ ValueWithSpan {
                value: Value::Number(..),
                ..
            },
        ) => Some(value(v, true)),
        SqlExpr::Identifier(id) => numeric_ident(id, true),
        _ => None,
    }
}

/// Spark's suffixed literals (`10L`, `1.5D`), which the dialect reads as
/// identifiers with a numeric prefix; `None` for a real identifier.
pub fn numeric_ident(id: &Ident, negative: bool) -> Option<Result<Expr>> {
    if id.quote_style.is_some() || !id.value.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    literal::number(&id.value, negative)
        .map(|r| r.map(Expr::Literal).map_err(|err| at(err, id.span)))
}

pub fn value(v: &ValueWithSpan, negative: bool) -> Result<Expr> {
    let scalar = match &v.value {
        Value::Number(n, long) => {
            let text = if *long { format!("{n}L") } else { n.clone() };
            match literal::number(&text, negative) {
                Some(r) => r.map_err(|err| at(err, v.span))?,
                None => return Err(unsupported("this number", &v.value)),
            }
        }
        Value::SingleQuotedString(s) => Scalar::Utf8(literal::unescape(s, '\'')),
        Value::DoubleQuotedString(s) => Scalar::Utf8(literal::unescape(s, '"')),
        Value::SingleQuotedRawStringLiteral(s) | Value::DoubleQuotedRawStringLiteral(s) => {
            Scalar::Utf8(s.clone())
        }
        Value::Boolean(b) => Scalar::Boolean(*b),
        Value::Null => Scalar::Null,
        Value::HexStringLiteral(h) => Scalar::Binary(hex(h).ok_or_else(|| Error::Parse {
            message: format!(
                "[INVALID_TYPED_LITERAL] The value of the typed literal \"X\" is invalid: '{h}'"
            ),
            line: v.span.start.line,
            column: v.span.start.column,
        })?),
        other => return Err(unsupported("this literal", other)),
    };
    Ok(Expr::Literal(scalar))
}

fn hex(h: &str) -> Option<Vec<u8>> {
    let h = if h.len() % 2 == 1 {
        format!("0{h}")
    } else {
        h.to_string()
    };
    (0..h.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(h.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The text of a string literal inside a typed literal or interval.
fn string_of(v: &ValueWithSpan) -> Option<String> {
    match &v.value {
        Value::SingleQuotedString(s) => Some(literal::unescape(s, '\'')),
        Value::DoubleQuotedString(s) => Some(literal::unescape(s, '"')),
        _ => None,
    }
}

pub fn typed_string(t: &TypedString) -> Result<Expr> {
    use sqlparser::ast::DataType as S;
    let kind = match &t.data_type {
        S::TimestampNtz(_) => "TIMESTAMP_NTZ",
        S::Custom(n, _) if n.to_string().eq_ignore_ascii_case("timestamp_ntz") => "TIMESTAMP_NTZ",
        S::Timestamp(_, _) | S::Datetime(_) => "TIMESTAMP",
        S::Custom(n, _) if n.to_string().eq_ignore_ascii_case("timestamp_ltz") => "TIMESTAMP",
        S::Date => "DATE",
        _ => {
            return Err(unsupported(
                &format!("a typed literal of type {}", t.data_type),
                &t.value,
            ))
        }
    };
    let text = string_of(&t.value);
    let scalar = text.as_deref().and_then(|s| match kind {
        "DATE" => literal::parse_date(s).map(Scalar::Date),
        "TIMESTAMP_NTZ" => crate::scalar_fns::parse_timestamp_ntz(s).map(Scalar::TimestampNtz),
        _ => literal::parse_timestamp(s).map(Scalar::Timestamp),
    });
    scalar.map(Expr::Literal).ok_or_else(|| Error::Parse {
        message: format!(
            "[INVALID_TYPED_LITERAL] The value of the typed literal \"{}\" is invalid: {}",
            t.data_type, t.value
        ),
        line: t.value.span.start.line,
        column: t.value.span.start.column,
    })
}

/// An interval literal, typed as Spark types it: a year-month or a
/// day-time interval over the range of its units.
pub fn interval(i: &Interval) -> Result<Expr> {
    if i.leading_precision.is_some() || i.fractional_seconds_precision.is_some() {
        return Err(unsupported("an interval with a precision", i));
    }
    let unit = i.leading_field.as_ref().map(|f| f.to_string());
    let (text, span) = match i.value.as_ref() {
        SqlExpr::Value(v) => match &v.value {
            Value::Number(n, _) => (n.clone(), v.span),
            _ => match string_of(v) {
                Some(s) => (s, v.span),
                None => return Err(unsupported("this interval value", &i.value)),
            },
        },
        SqlExpr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => match expr.as_ref() {
            SqlExpr::Value(
                v @ ValueWithSpan {
                    value: Value::Number(n, _),
                    ..
                },
            ) => (format!("-{n}"), v.span),
            _ => return Err(unsupported("this interval value", &i.value)),
        },
        _ => return Err(unsupported("an interval of a non-literal value", i)),
    };
    let shown = i.to_string();
    let value = match (unit, &i.last_field) {
        (Some(from), Some(to)) => crate::ansi_interval::from_range(&text, &from, &to.to_string()),
        (Some(u), None) => crate::ansi_interval::from_units(&[(&text, &u)], &shown),
        (None, _) => {
            let mut words: Vec<&str> = text.split_whitespace().collect();
            if words
                .first()
                .is_some_and(|w| w.eq_ignore_ascii_case("interval"))
            {
                words.remove(0);
            }
            if words.is_empty() || !words.len().is_multiple_of(2) {
                Err(Error::Parse {
                    message: format!(
                        "[INVALID_INTERVAL_FORMAT] Error parsing interval '{text}': expected \
                         pairs of a number and a unit, as in '10 minutes'"
                    ),
                    line: 0,
                    column: 0,
                })
            } else {
                let pairs: Vec<(&str, &str)> = words.chunks(2).map(|p| (p[0], p[1])).collect();
                crate::ansi_interval::from_units(&pairs, &shown)
            }
        }
    };
    value.map(Expr::Literal).map_err(|err| at(err, span))
}
