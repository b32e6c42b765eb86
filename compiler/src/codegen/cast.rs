//! ANSI casts between Boolean, Int32, Int64, Float64, Utf8, Binary,
//! Timestamp and Date. Numeric and calendar conversions are inline; parsing
//! and formatting strings call helpers built on [`crate::scalar_fns`].

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{types, InstBuilder, Type, Value};

use crate::error::{Error, Result};
use crate::ir::TExpr;
use crate::types::DataType;

use super::abi::CTX_RET_LEN;
use super::gen::{clif_type, Gen, Val};
use super::helpers::{self, ParseAs};
use super::sites::SiteKind;

const MICROS_PER_SECOND: i64 = crate::scalar_fns::MICROS_PER_SECOND;
const MICROS_PER_DAY: i64 = crate::scalar_fns::MICROS_PER_DAY;

/// Whether CAST(from AS to) can raise an error on some value.
pub fn cast_can_fail(from: &DataType, to: &DataType) -> bool {
    use DataType::*;
    if from == to || *from == Null || *to == Utf8 {
        return false;
    }
    matches!(
        (from, to),
        (Utf8, _)
            | (Int64, Int32)
            | (Float64, Int32 | Int64 | Timestamp)
            | (Float32, Int32 | Int64)
            | (Timestamp, Int32)
            | (Date, Timestamp)
            | (Int16 | Int32 | Int64, Int8)
            | (Int32 | Int64, Int16)
    )
}

impl Gen<'_> {
    /// CAST(v AS to), `v` of type `from`; `e` is the cast (for errors).
    pub fn cast(&mut self, e: &TExpr, v: Val, from: &DataType, to: &DataType) -> Result<Val> {
        use DataType::*;
        if from == to {
            return Ok(v);
        }
        if *from == Null {
            return Ok(self.null_of(to));
        }
        let null = v.null();
        let fixed = |v: Value| Ok(Val::Fixed { v, null });
        // TINYINT/SMALLINT, as `interp::narrow::cast`: from one, the exact
        // INT it is, cast on as an INT; to one from an integer, checked
        // against the range (the value shown as its type shows it).
        if from.is_narrow_integer() && !to.is_narrow_integer() {
            let x = self.b.ins().sextend(types::I32, v.v()?);
            return self.cast(e, Val::Fixed { v: x, null }, &Int32, to);
        }
        if to.is_narrow_integer() {
            let x = self.to_i64(v.v()?);
            let (lo, hi) = if *to == Int8 {
                (i8::MIN as i64, i8::MAX as i64)
            } else {
                (i16::MIN as i64, i16::MAX as i64)
            };
            let below = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, x, lo);
            let above = self.b.ins().icmp_imm_s(IntCC::SignedGreaterThan, x, hi);
            let bad = self.b.ins().bor(below, above);
            let check = self.and_valid(bad, null);
            let site = self.site(
                e,
                SiteKind::CastOverflow {
                    from: from.clone(),
                    to: to.clone(),
                },
            );
            self.raise_if(check, site, Some(x));
            return fixed(self.b.ins().ireduce(clif_type(to), x));
        }
        match (from, to) {
            // A widening that cannot overflow (see `kernel::jit_decimal`):
            // the unscaled value times 10^(scale difference).
            (Decimal(_, s1), Decimal(_, s2)) if crate::kernel::decimal_widens(from, to) => {
                let v = self.scale_up(v.v()?, s2 - s1);
                fixed(v)
            }
            // An integer into a decimal it always fits: its unscaled value.
            (Int32 | Int64, Decimal(_, s)) if crate::kernel::integer_fits(from, to) => {
                let x = self.b.ins().sextend(types::I128, v.v()?);
                fixed(self.scale_up(x, *s))
            }
            (Utf8, Binary) => Ok(v),
            (Binary, Utf8) => self.guard_null(null, to, |g| {
                let (p, l) = v.bytes()?;
                let ctx = g.ctx;
                Ok(g.str_call(
                    helpers::sqlc_binary_to_utf8 as *const () as usize,
                    &[ctx, p, l],
                ))
            }),
            (Boolean, Utf8) => {
                let (tp, tl) = self.owned_bytes(b"true");
                let (fp, fl) = self.owned_bytes(b"false");
                let x = v.v()?;
                let ptr = self.b.ins().select(x, tp, fp);
                let len = self.b.ins().select(x, tl, fl);
                Ok(Val::Str { ptr, len, null })
            }
            (Int32 | Int64 | Float64 | Timestamp | Date, Utf8) => {
                let kind = ParseAs::of(from).map_or(0, |k| k as i64);
                self.guard_null(null, to, |g| {
                    let bits = g.bits(v.v()?);
                    let (ctx, kind) = (g.ctx, g.i64c(kind));
                    Ok(g.str_call(
                        helpers::sqlc_format as *const () as usize,
                        &[ctx, kind, bits],
                    ))
                })
            }
            (Utf8, Boolean | Int32 | Int64 | Float64 | Timestamp | Date) => {
                let kind = ParseAs::of(to).map_or(0, |k| k as i64);
                let site = self.site(
                    e,
                    SiteKind::InvalidCast {
                        from: from.clone(),
                        to: to.clone(),
                    },
                );
                self.guard_null(null, to, |g| {
                    let (p, l) = v.bytes()?;
                    let (ctx, site, kind) = (g.ctx, g.i64c(site), g.i64c(kind));
                    let bits = g.call_value(
                        helpers::sqlc_parse as *const () as usize,
                        &[ctx, site, kind, p, l],
                        types::I64,
                    );
                    g.check_failed();
                    Ok(Val::Fixed {
                        v: g.from_bits(bits, clif_type(to)),
                        null: None,
                    })
                })
            }
            // FLOAT: widened exactly, narrowed as Java narrows (one rounding).
            (Float32, Float64) => fixed(self.b.ins().fpromote(types::F64, v.v()?)),
            (Float64, Float32) => fixed(self.b.ins().fdemote(types::F32, v.v()?)),
            (Int32 | Int64, Float32) => fixed(self.b.ins().fcvt_from_sint(types::F32, v.v()?)),
            (Boolean, Float32) => {
                let x = self.b.ins().uextend(types::I32, v.v()?);
                fixed(self.b.ins().fcvt_from_sint(types::F32, x))
            }
            (Float32, Boolean) => {
                let z = self.b.ins().f32const(0.0);
                fixed(self.b.ins().fcmp(FloatCC::NotEqual, v.v()?, z))
            }
            // An interval cast to a range ending at a larger field keeps
            // whole units of it (toward zero); it cannot overflow.
            (YearMonthInterval(..), YearMonthInterval(_, end)) => {
                let u = crate::ansi_interval::ym_unit(*end) as i64;
                fixed(self.truncate_to(v.v()?, u))
            }
            (DayTimeInterval(..), DayTimeInterval(_, end)) => {
                let u = crate::ansi_interval::dt_unit(*end);
                fixed(self.truncate_to(v.v()?, u))
            }
            (Boolean, Int32 | Int64) => fixed(self.b.ins().uextend(clif_type(to), v.v()?)),
            (Boolean, Float64) => {
                let x = self.b.ins().uextend(types::I32, v.v()?);
                fixed(self.b.ins().fcvt_from_sint(types::F64, x))
            }
            (Int32, Int64) => fixed(self.b.ins().sextend(types::I64, v.v()?)),
            (Int32 | Int64, Float64) => fixed(self.b.ins().fcvt_from_sint(types::F64, v.v()?)),
            (Int32 | Int64, Boolean) => fixed(self.nonzero(v.v()?)),
            (Float64, Boolean) => {
                let z = self.b.ins().f64const(0.0);
                fixed(self.b.ins().fcmp(FloatCC::NotEqual, v.v()?, z))
            }
            (Int64, Int32) => {
                let x = v.v()?;
                fixed(self.narrow_to_i32(e, x, x, null, from, to))
            }
            (Float64 | Float32, Int32 | Int64) => {
                // A FLOAT is checked as its exact double; errors name it FLOAT.
                let x = match from {
                    Float32 => self.b.ins().fpromote(types::F64, v.v()?),
                    _ => v.v()?,
                };
                let (lo, hi) = if *to == Int32 {
                    (i32::MIN as f64, i32::MAX as f64)
                } else {
                    (i64::MIN as f64, i64::MAX as f64)
                };
                let (lo, hi) = (self.b.ins().f64const(lo), self.b.ins().f64const(hi));
                let fl = self.b.ins().floor(x);
                let ce = self.b.ins().ceil(x);
                let below = self.b.ins().fcmp(FloatCC::LessThanOrEqual, fl, hi);
                let above = self.b.ins().fcmp(FloatCC::GreaterThanOrEqual, ce, lo);
                let ok = self.b.ins().band(below, above);
                let bad = self.bool_not(ok);
                let bad = self.and_valid(bad, null);
                let site = self.site(
                    e,
                    SiteKind::CastOverflow {
                        from: from.clone(),
                        to: to.clone(),
                    },
                );
                let bits = self.bits(x);
                self.raise_if(bad, site, Some(bits));
                fixed(self.b.ins().fcvt_to_sint_sat(clif_type(to), x))
            }
            (Int32, Timestamp) => {
                let x = self.to_i64(v.v()?);
                fixed(self.b.ins().imul_imm_s(x, MICROS_PER_SECOND))
            }
            // Spark's SECONDS.toMicros saturates.
            (Int64, Timestamp) => {
                let x = v.v()?;
                let k = self.i64c(MICROS_PER_SECOND);
                let (r, of) = self.b.ins().smul_overflow(x, k);
                let neg = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, x, 0);
                let (min, max) = (self.i64c(i64::MIN), self.i64c(i64::MAX));
                let sat = self.b.ins().select(neg, min, max);
                fixed(self.b.ins().select(of, sat, r))
            }
            (Date, Timestamp) => {
                let x = self.to_i64(v.v()?);
                fixed(self.checked_scale(e, x, MICROS_PER_DAY, null, from, to, v.v()?))
            }
            (Float64, Timestamp) => {
                let site = self.site(
                    e,
                    SiteKind::CastOverflow {
                        from: from.clone(),
                        to: to.clone(),
                    },
                );
                self.guard_null(null, to, |g| {
                    let x = v.v()?;
                    let (ctx, site) = (g.ctx, g.i64c(site));
                    let r = g.call_value(
                        helpers::sqlc_f64_to_ts as *const () as usize,
                        &[ctx, site, x],
                        types::I64,
                    );
                    g.check_failed();
                    Ok(Val::Fixed { v: r, null: None })
                })
            }
            (Timestamp, Int64) => fixed(self.floor_div(v.v()?, MICROS_PER_SECOND)),
            (Timestamp, Int32) => {
                let secs = self.floor_div(v.v()?, MICROS_PER_SECOND);
                fixed(self.narrow_to_i32(e, secs, v.v()?, null, from, to))
            }
            (Timestamp, Float64) => {
                let f = self.b.ins().fcvt_from_sint(types::F64, v.v()?);
                let d = self.b.ins().f64const(MICROS_PER_SECOND as f64);
                fixed(self.b.ins().fdiv(f, d))
            }
            (Timestamp, Date) => {
                let days = self.floor_div(v.v()?, MICROS_PER_DAY);
                fixed(self.b.ins().ireduce(types::I32, days))
            }
            _ => Err(Error::TypeMismatch {
                expr: e.to_string(),
                reason: format!("cannot cast {} to {}", from.spark_name(), to.spark_name()),
            }),
        }
    }

    /// Runs `f` (which may call a helper that fails on garbage) only for a
    /// non-null value; a null gives a null of type `to`.
    pub fn guard_null(
        &mut self,
        null: Option<Value>,
        to: &DataType,
        f: impl FnOnce(&mut Self) -> Result<Val>,
    ) -> Result<Val> {
        let Some(n) = null else { return f(self) };
        let merge = self.merge_block(to);
        let nv = self.null_of(to);
        let nargs = self.merge_args(nv);
        let body = self.b.create_block();
        self.b.ins().brif(n, merge, &nargs, body, &[]);
        self.b.switch_to_block(body);
        let v = f(self)?;
        self.jump_merge(merge, v);
        Ok(self.enter_merge(merge, to))
    }

    /// Calls a helper returning a string (address; length in `ctx.ret_len`).
    pub fn str_call(&mut self, f: usize, args: &[Value]) -> Val {
        let ptr = self.call_value(f, args, types::I64);
        let ctx = self.ctx;
        let len = self.load(types::I64, ctx, CTX_RET_LEN);
        Val::Str {
            ptr,
            len,
            null: None,
        }
    }

    /// An i64 of bits as a value of type `ty`.
    #[allow(clippy::wrong_self_convention)] // emits code: `self` is the function builder
    pub fn from_bits(&mut self, bits: Value, ty: Type) -> Value {
        match ty {
            types::I64 => bits,
            types::F64 => {
                self.b
                    .ins()
                    .bitcast(types::F64, cranelift_codegen::ir::MemFlagsData::new(), bits)
            }
            t => self.b.ins().ireduce(t, bits),
        }
    }

    /// `x` less its remainder by `unit` (toward zero).
    fn truncate_to(&mut self, x: Value, unit: i64) -> Value {
        if unit == 1 {
            return x;
        }
        let r = self.b.ins().srem_imm_s(x, unit);
        self.b.ins().isub(x, r)
    }

    /// Floor division by a positive constant.
    fn floor_div(&mut self, x: Value, d: i64) -> Value {
        let q = self.b.ins().sdiv_imm_s(x, d);
        let r = self.b.ins().srem_imm_s(x, d);
        let neg = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, r, 0);
        let neg = self.b.ins().uextend(types::I64, neg);
        self.b.ins().isub(q, neg)
    }

    /// An i64 into an i32, out of range raising CAST_OVERFLOW naming `orig`.
    #[allow(clippy::too_many_arguments)]
    fn narrow_to_i32(
        &mut self,
        e: &TExpr,
        x: Value,
        orig: Value,
        null: Option<Value>,
        from: &DataType,
        to: &DataType,
    ) -> Value {
        let lo = self
            .b
            .ins()
            .icmp_imm_s(IntCC::SignedLessThan, x, i32::MIN as i64);
        let hi = self
            .b
            .ins()
            .icmp_imm_s(IntCC::SignedGreaterThan, x, i32::MAX as i64);
        let bad = self.b.ins().bor(lo, hi);
        let bad = self.and_valid(bad, null);
        let site = self.site(
            e,
            SiteKind::CastOverflow {
                from: from.clone(),
                to: to.clone(),
            },
        );
        self.raise_if(bad, site, Some(orig));
        self.b.ins().ireduce(types::I32, x)
    }

    /// `x * k`, overflow raising CAST_OVERFLOW naming `orig`.
    #[allow(clippy::too_many_arguments)]
    fn checked_scale(
        &mut self,
        e: &TExpr,
        x: Value,
        k: i64,
        null: Option<Value>,
        from: &DataType,
        to: &DataType,
        orig: Value,
    ) -> Value {
        let kv = self.i64c(k);
        let (r, of) = self.b.ins().smul_overflow(x, kv);
        let bad = self.and_valid(of, null);
        let site = self.site(
            e,
            SiteKind::CastOverflow {
                from: from.clone(),
                to: to.clone(),
            },
        );
        let bits = self.bits(orig);
        self.raise_if(bad, site, Some(bits));
        r
    }
}
