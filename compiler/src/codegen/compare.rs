//! Comparisons for every type, with Spark's semantics: doubles in a total
//! order where NaN equals NaN and is greater than every other value, and
//! -0.0 equals 0.0; strings and binary bytewise; booleans false < true.

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{types, InstBuilder, Value};

use crate::error::{Error, Result};
use crate::ir::BinaryOp;
use crate::types::DataType;

use super::gen::{Gen, Val};

impl Gen<'_> {
    /// A comparison (`EqNullSafe` included) of two values of type `ty`.
    pub fn compare(&mut self, op: BinaryOp, l: Val, r: Val, ty: &DataType) -> Result<Val> {
        if *ty == DataType::Null {
            let z = self.i8c(0);
            let one = self.i8c(1);
            return Ok(match op {
                BinaryOp::EqNullSafe => Val::Fixed { v: one, null: None },
                _ => Val::Fixed {
                    v: z,
                    null: Some(one),
                },
            });
        }
        if op == BinaryOp::EqNullSafe {
            let eq = self.equal(l, r, ty)?;
            return Ok(Val::Fixed {
                v: match (l.null(), r.null()) {
                    (None, None) => eq,
                    (ln, rn) => {
                        let ln = self.null_flag(ln);
                        let rn = self.null_flag(rn);
                        let both = self.b.ins().band(ln, rn);
                        let either = self.b.ins().bor(ln, rn);
                        let eq = self.b.ins().band_not(eq, either);
                        self.b.ins().bor(both, eq)
                    }
                },
                null: None,
            });
        }
        let v = self.compare_raw(op, l, r, ty)?;
        let null = self.or_null(l.null(), r.null());
        Ok(Val::Fixed { v, null })
    }

    /// Equality of the values (nulls ignored), as an i8.
    pub fn equal(&mut self, l: Val, r: Val, ty: &DataType) -> Result<Value> {
        if *ty == DataType::Null {
            return Ok(self.i8c(0));
        }
        self.compare_raw(BinaryOp::Eq, l, r, ty)
    }

    fn compare_raw(&mut self, op: BinaryOp, l: Val, r: Val, ty: &DataType) -> Result<Value> {
        use BinaryOp::*;
        match ty {
            // Exact as doubles, with the doubles' NaN rules (as the twin).
            DataType::Float32 => {
                let a = self.b.ins().fpromote(types::F64, l.v()?);
                let b = self.b.ins().fpromote(types::F64, r.v()?);
                let (l, r) = (
                    Val::Fixed { v: a, null: None },
                    Val::Fixed { v: b, null: None },
                );
                self.compare_raw(op, l, r, &DataType::Float64)
            }
            DataType::Float64 => {
                let (a, b) = (l.v()?, r.v()?);
                Ok(match op {
                    Eq => self.f64_eq(a, b),
                    NotEq => {
                        let e = self.f64_eq(a, b);
                        self.bool_not(e)
                    }
                    Lt => self.f64_lt(a, b),
                    Gt => self.f64_lt(b, a),
                    LtEq => {
                        let gt = self.f64_lt(b, a);
                        self.bool_not(gt)
                    }
                    GtEq => {
                        let lt = self.f64_lt(a, b);
                        self.bool_not(lt)
                    }
                    _ => return Err(not_comparison(op)),
                })
            }
            DataType::Utf8 | DataType::Binary => {
                let (ap, al) = l.bytes()?;
                let (bp, bl) = r.bytes()?;
                match op {
                    Eq | NotEq => {
                        let e = self.bytes_eq(ap, al, bp, bl);
                        Ok(if op == Eq { e } else { self.bool_not(e) })
                    }
                    _ => {
                        let c = self.bytes_cmp(ap, al, bp, bl);
                        Ok(self.b.ins().icmp_imm_s(int_cc(op, true)?, c, 0))
                    }
                }
            }
            DataType::Boolean => Ok(self.b.ins().icmp(int_cc(op, false)?, l.v()?, r.v()?)),
            // Both sides have one decimal type (the resolver's cast to the
            // wider one): unscaled values compare as integers.
            DataType::Int32
            | DataType::Int64
            | DataType::Int8
            | DataType::Int16
            | DataType::Timestamp
            | DataType::Date
            | DataType::TimestampNtz
            | DataType::YearMonthInterval(..)
            | DataType::DayTimeInterval(..)
            | DataType::Decimal(..) => Ok(self.b.ins().icmp(int_cc(op, true)?, l.v()?, r.v()?)),
            t => Err(Error::internal(format!(
                "cannot compare values of type {t}"
            ))),
        }
    }

    /// `a = b` for doubles: NaN equals NaN, -0.0 equals 0.0.
    fn f64_eq(&mut self, a: Value, b: Value) -> Value {
        let eq = self.b.ins().fcmp(FloatCC::Equal, a, b);
        let an = self.b.ins().fcmp(FloatCC::Unordered, a, a);
        let bn = self.b.ins().fcmp(FloatCC::Unordered, b, b);
        let both = self.b.ins().band(an, bn);
        self.b.ins().bor(eq, both)
    }

    /// `a < b` for doubles, NaN the largest value.
    pub fn f64_lt(&mut self, a: Value, b: Value) -> Value {
        let lt = self.b.ins().fcmp(FloatCC::LessThan, a, b);
        let a_num = self.b.ins().fcmp(FloatCC::Ordered, a, a);
        let b_nan = self.b.ins().fcmp(FloatCC::Unordered, b, b);
        let num_nan = self.b.ins().band(a_num, b_nan);
        self.b.ins().bor(lt, num_nan)
    }
}

fn not_comparison(op: BinaryOp) -> Error {
    Error::internal(format!("{} is not a comparison", op.symbol()))
}

fn int_cc(op: BinaryOp, signed: bool) -> Result<IntCC> {
    use BinaryOp::*;
    Ok(match (op, signed) {
        (Eq, _) => IntCC::Equal,
        (NotEq, _) => IntCC::NotEqual,
        (Lt, true) => IntCC::SignedLessThan,
        (LtEq, true) => IntCC::SignedLessThanOrEqual,
        (Gt, true) => IntCC::SignedGreaterThan,
        (GtEq, true) => IntCC::SignedGreaterThanOrEqual,
        (Lt, false) => IntCC::UnsignedLessThan,
        (LtEq, false) => IntCC::UnsignedLessThanOrEqual,
        (Gt, false) => IntCC::UnsignedGreaterThan,
        (GtEq, false) => IntCC::UnsignedGreaterThanOrEqual,
        _ => return Err(not_comparison(op)),
    })
}
