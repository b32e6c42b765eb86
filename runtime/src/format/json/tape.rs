//! Spark's JSON value rules for Arrow's fast JSON decoder. Arrow's own
//! decoders are lenient (`"12"` or `1.5` read as a bigint); Spark's
//! `JacksonParser` counts such a value as a malformed record. These decoders
//! fail instead, and the reader then handles the block record by record.
//! Strings use Arrow's decoder with `coerce_primitive` (numbers and booleans
//! become their text, as in Spark); structs use Arrow's with these for their
//! fields.

use std::sync::Arc;

use arrow::array::{ArrayRef, BinaryBuilder, BooleanBuilder, PrimitiveBuilder};
use arrow::datatypes::{
    ArrowPrimitiveType, DataType as ArrowType, Date32Type, FieldRef, Float64Type, Int16Type,
    Int32Type, Int64Type, Int8Type, TimeUnit, TimestampMicrosecondType,
};
use arrow::error::ArrowError;
use arrow::json::reader::{ArrayDecoder, DecoderContext, DecoderFactory, Tape, TapeElement};

use sqlc_compiler::json::syntax::special_double;

use crate::source::parse::{decode_base64, parse_date, parse_timestamp};

/// Makes the strict decoders; register with `ReaderBuilder::with_decoder_factory`.
#[derive(Debug)]
pub struct SparkJsonDecoders {
    /// Whether the strings `"NaN"`, `"Infinity"`, … read into a double
    /// (Spark's `allowNonNumericNumbers`).
    pub specials: bool,
}

impl DecoderFactory for SparkJsonDecoders {
    fn make_default_decoder(
        &self,
        _ctx: &DecoderContext,
        field: &FieldRef,
        _is_nullable: bool,
    ) -> Result<Option<Box<dyn ArrayDecoder>>, ArrowError> {
        let t = field.data_type().clone();
        Ok(match &t {
            ArrowType::Int32 => Some(Box::new(Prim::<Int32Type>::new(t, int32))),
            ArrowType::Int16 => Some(Box::new(Prim::<Int16Type>::new(t, int16))),
            ArrowType::Int8 => Some(Box::new(Prim::<Int8Type>::new(t, int8))),
            ArrowType::Duration(_) | ArrowType::Interval(_) => {
                let ty = sqlc_compiler::types::Field::from_arrow(field)
                    .map(|f| f.data_type)
                    .ok_or_else(|| ArrowError::JsonError(format!("the type {t}")))?;
                Some(Box::new(Interval { ty }))
            }
            ArrowType::Int64 => Some(Box::new(Prim::<Int64Type>::new(t, int64))),
            ArrowType::Float64 if self.specials => {
                Some(Box::new(Prim::<Float64Type>::new(t, float64)))
            }
            ArrowType::Float64 => Some(Box::new(Prim::<Float64Type>::new(t, float64_numbers))),
            ArrowType::Timestamp(TimeUnit::Microsecond, _) => {
                Some(Box::new(Prim::<TimestampMicrosecondType>::new(
                    t, timestamp,
                )))
            }
            ArrowType::Date32 => Some(Box::new(Prim::<Date32Type>::new(t, date))),
            ArrowType::Boolean => Some(Box::new(Bool)),
            ArrowType::Binary => Some(Box::new(Binary)),
            _ => None,
        })
    }
}

type Convert<T> = fn(&Tape<'_>, u32) -> Result<T, ArrowError>;

struct Prim<P: ArrowPrimitiveType> {
    data_type: ArrowType,
    convert: Convert<P::Native>,
}

impl<P: ArrowPrimitiveType> Prim<P> {
    fn new(data_type: ArrowType, convert: Convert<P::Native>) -> Self {
        Prim { data_type, convert }
    }
}

impl<P: ArrowPrimitiveType> ArrayDecoder for Prim<P> {
    fn decode(&mut self, tape: &Tape<'_>, pos: &[u32]) -> Result<ArrayRef, ArrowError> {
        let mut b =
            PrimitiveBuilder::<P>::with_capacity(pos.len()).with_data_type(self.data_type.clone());
        for &p in pos {
            match tape.get(p) {
                TapeElement::Null => b.append_null(),
                _ => b.append_value((self.convert)(tape, p)?),
            }
        }
        Ok(Arc::new(b.finish()))
    }
}

/// An integer token's value (only from `Decoder::serialize`, never from text).
fn tape_int(tape: &Tape<'_>, p: u32) -> Option<i64> {
    match tape.get(p) {
        TapeElement::I32(v) => Some(v as i64),
        TapeElement::I64(high) => match tape.get(p + 1) {
            TapeElement::I32(low) => Some(((high as i64) << 32) | (low as u32) as i64),
            _ => None,
        },
        _ => None,
    }
}

fn int64(tape: &Tape<'_>, p: u32) -> Result<i64, ArrowError> {
    match tape.get(p) {
        // Jackson's VALUE_NUMBER_INT only: "1.0", "1e3" and overflow fail.
        TapeElement::Number(idx) => tape.get_string(idx).parse().ok(),
        _ => tape_int(tape, p),
    }
    .ok_or_else(|| tape.error(p, "bigint"))
}

fn int32(tape: &Tape<'_>, p: u32) -> Result<i32, ArrowError> {
    int64(tape, p)
        .ok()
        .and_then(|v| i32::try_from(v).ok())
        .ok_or_else(|| tape.error(p, "int"))
}

fn int16(tape: &Tape<'_>, p: u32) -> Result<i16, ArrowError> {
    int64(tape, p)
        .ok()
        .and_then(|v| i16::try_from(v).ok())
        .ok_or_else(|| tape.error(p, "smallint"))
}

/// Jackson's `getByteValue`: -128..=255, wrapped (200 is -56).
fn int8(tape: &Tape<'_>, p: u32) -> Result<i8, ArrowError> {
    int64(tape, p)
        .ok()
        .filter(|v| (-128..=255).contains(v))
        .map(|v| v as u8 as i8)
        .ok_or_else(|| tape.error(p, "tinyint"))
}

fn float64(tape: &Tape<'_>, p: u32) -> Result<f64, ArrowError> {
    match tape.get(p) {
        TapeElement::Number(idx) => tape.get_string(idx).parse().ok(),
        TapeElement::String(idx) => special_double(tape.get_string(idx)),
        TapeElement::F32(v) => Some(f32::from_bits(v) as f64),
        TapeElement::F64(high) => match tape.get(p + 1) {
            TapeElement::F32(low) => Some(f64::from_bits(((high as u64) << 32) | low as u64)),
            _ => None,
        },
        _ => tape_int(tape, p).map(|v| v as f64),
    }
    .ok_or_else(|| tape.error(p, "double"))
}

/// [`float64`] without the non-numeric strings (`allowNonNumericNumbers`
/// off: `"NaN"` in a double is a malformed record).
fn float64_numbers(tape: &Tape<'_>, p: u32) -> Result<f64, ArrowError> {
    match tape.get(p) {
        TapeElement::String(_) => Err(tape.error(p, "double")),
        _ => float64(tape, p),
    }
}

fn timestamp(tape: &Tape<'_>, p: u32) -> Result<i64, ArrowError> {
    match tape.get(p) {
        TapeElement::String(idx) => parse_timestamp(tape.get_string(idx)),
        // A JSON integer is seconds since the epoch, as in Spark.
        TapeElement::Number(idx) => tape
            .get_string(idx)
            .parse::<i64>()
            .ok()
            .and_then(|s| s.checked_mul(1_000_000)),
        _ => None,
    }
    .ok_or_else(|| tape.error(p, "timestamp"))
}

fn date(tape: &Tape<'_>, p: u32) -> Result<i32, ArrowError> {
    match tape.get(p) {
        TapeElement::String(idx) => parse_date(tape.get_string(idx)),
        _ => None,
    }
    .ok_or_else(|| tape.error(p, "date"))
}

/// An ANSI interval column of type `ty`: strings only, read as their cast
/// (Spark's text or the bare body).
struct Interval {
    ty: sqlc_compiler::DataType,
}

impl ArrayDecoder for Interval {
    fn decode(&mut self, tape: &Tape<'_>, pos: &[u32]) -> Result<ArrayRef, ArrowError> {
        let mut vals = Vec::with_capacity(pos.len());
        for &p in pos {
            vals.push(match tape.get(p) {
                TapeElement::Null => None,
                TapeElement::String(idx) => Some(
                    sqlc_compiler::ansi_interval::parse_cast(tape.get_string(idx), &self.ty)
                        .ok_or_else(|| tape.error(p, "interval"))?,
                ),
                _ => return Err(tape.error(p, "interval")),
            });
        }
        Ok(sqlc_compiler::ansi_interval::array_of(
            &self.ty,
            vals.into_iter(),
        ))
    }
}

struct Bool;

impl ArrayDecoder for Bool {
    fn decode(&mut self, tape: &Tape<'_>, pos: &[u32]) -> Result<ArrayRef, ArrowError> {
        let mut b = BooleanBuilder::with_capacity(pos.len());
        for &p in pos {
            match tape.get(p) {
                TapeElement::Null => b.append_null(),
                TapeElement::True => b.append_value(true),
                TapeElement::False => b.append_value(false),
                _ => return Err(tape.error(p, "boolean")),
            }
        }
        Ok(Arc::new(b.finish()))
    }
}

struct Binary;

impl ArrayDecoder for Binary {
    fn decode(&mut self, tape: &Tape<'_>, pos: &[u32]) -> Result<ArrayRef, ArrowError> {
        let mut b = BinaryBuilder::with_capacity(pos.len(), pos.len() * 16);
        for &p in pos {
            match tape.get(p) {
                TapeElement::Null => b.append_null(),
                TapeElement::String(idx) => match decode_base64(tape.get_string(idx)) {
                    Some(bytes) => b.append_value(bytes),
                    None => return Err(tape.error(p, "base64 binary")),
                },
                _ => return Err(tape.error(p, "binary")),
            }
        }
        Ok(Arc::new(b.finish()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{Array, AsArray};
    use arrow::datatypes::{Field, Schema};
    use arrow::json::ReaderBuilder;

    fn decode(t: ArrowType, json: &str) -> Result<ArrayRef, ArrowError> {
        let schema = Arc::new(Schema::new(vec![Field::new("v", t, true)]));
        let mut d = ReaderBuilder::new(schema)
            .with_coerce_primitive(true)
            .with_decoder_factory(Arc::new(SparkJsonDecoders { specials: true }))
            .build_decoder()?;
        d.decode(json.as_bytes())?;
        Ok(d.flush()?.unwrap().column(0).clone())
    }

    #[test]
    fn strict_like_spark() {
        let a = decode(ArrowType::Int64, r#"{"v":1} {"v":null} {}"#).unwrap();
        assert_eq!(a.as_primitive::<Int64Type>().value(0), 1);
        assert!(a.is_null(1) && a.is_null(2));
        assert!(decode(ArrowType::Int64, r#"{"v":"1"}"#).is_err());
        assert!(decode(ArrowType::Int64, r#"{"v":1.5}"#).is_err());
        assert!(decode(ArrowType::Int32, r#"{"v":3000000000}"#).is_err());
        let d = decode(ArrowType::Float64, r#"{"v":1} {"v":"-Infinity"}"#).unwrap();
        assert_eq!(d.as_primitive::<Float64Type>().value(0), 1.0);
        assert_eq!(d.as_primitive::<Float64Type>().value(1), f64::NEG_INFINITY);
        assert!(decode(ArrowType::Float64, r#"{"v":"1.5"}"#).is_err());
        assert!(decode(ArrowType::Boolean, r#"{"v":"true"}"#).is_err());
        let s = decode(ArrowType::Utf8, r#"{"v":1.50} {"v":true}"#).unwrap();
        assert_eq!(s.as_string::<i32>().value(0), "1.50");
        assert_eq!(s.as_string::<i32>().value(1), "true");
        let ts = ArrowType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()));
        let t = decode(ts, r#"{"v":"1970-01-01T00:00:01Z"} {"v":2}"#).unwrap();
        assert_eq!(
            t.as_primitive::<TimestampMicrosecondType>().values(),
            &[1_000_000, 2_000_000]
        );
    }
}
