//! Arithmetic with ANSI checks: integer overflow raises `ARITHMETIC_OVERFLOW`,
//! a zero divisor `DIVIDE_BY_ZERO` (only when both operands are non-null,
//! as in Spark); and the numeric functions that stay inline.

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{types, InstBuilder, Value};

use crate::error::{Error, Result};
use crate::ir::{BinaryOp, TExpr};
use crate::types::DataType;

use super::gen::{Gen, Val};
use super::helpers;
use super::pipeline::Env;
use super::sites::{overflow_detail, SiteKind};

impl Gen<'_> {
    /// `l op r` for `+`, `-` and `*`, operands of type `ty`.
    pub fn arith(&mut self, e: &TExpr, op: BinaryOp, l: Val, r: Val, ty: &DataType) -> Result<Val> {
        if e.ty.is_decimal() {
            return self.decimal_arith(e, op, l, r);
        }
        let null = self.or_null(l.null(), r.null());
        let (a, b) = (l.v()?, r.v()?);
        if ty.is_narrow_integer() {
            return Ok(Val::Fixed {
                v: self.narrow_arith(e, op, a, b, ty, null)?,
                null,
            });
        }
        let v = match (ty, op) {
            (DataType::Float64, BinaryOp::Add) => self.b.ins().fadd(a, b),
            (DataType::Float64, BinaryOp::Sub) => self.b.ins().fsub(a, b),
            (DataType::Float64, BinaryOp::Mul) => self.b.ins().fmul(a, b),
            // FLOAT arithmetic in single precision, as the twin's (Java's).
            (DataType::Float32, BinaryOp::Add) => self.b.ins().fadd(a, b),
            (DataType::Float32, BinaryOp::Sub) => self.b.ins().fsub(a, b),
            (DataType::Float32, BinaryOp::Mul) => self.b.ins().fmul(a, b),
            (DataType::Int32 | DataType::Int64 | DataType::Timestamp | DataType::Date, _) => {
                let (v, overflow) = match op {
                    BinaryOp::Add => self.b.ins().sadd_overflow(a, b),
                    BinaryOp::Sub => self.b.ins().ssub_overflow(a, b),
                    BinaryOp::Mul => self.b.ins().smul_overflow(a, b),
                    _ => return Err(not_arith(op)),
                };
                let check = self.and_valid(overflow, null);
                let site = self.site(e, SiteKind::Overflow(overflow_detail(ty)));
                self.raise_if(check, site, None);
                v
            }
            _ => return Err(not_arith(op)),
        };
        Ok(Val::Fixed { v, null })
    }

    /// TINYINT/SMALLINT `a op b` as the twin computes it
    /// (`interp::narrow::arith`): in an `i32`, which cannot overflow, then
    /// checked against the narrow range; past it Spark's
    /// `BINARY_ARITHMETIC_OVERFLOW` naming both operands.
    fn narrow_arith(
        &mut self,
        e: &TExpr,
        op: BinaryOp,
        a: Value,
        b: Value,
        ty: &DataType,
        null: Option<Value>,
    ) -> Result<Value> {
        let cty = self.b.func.dfg.value_type(a);
        let x = self.b.ins().sextend(types::I32, a);
        let y = self.b.ins().sextend(types::I32, b);
        let w = match op {
            BinaryOp::Add => self.b.ins().iadd(x, y),
            BinaryOp::Sub => self.b.ins().isub(x, y),
            BinaryOp::Mul => self.b.ins().imul(x, y),
            _ => return Err(not_arith(op)),
        };
        let v = self.b.ins().ireduce(cty, w);
        let back = self.b.ins().sextend(types::I32, v);
        let past = self.b.ins().icmp(IntCC::NotEqual, back, w);
        let check = self.and_valid(past, null);
        let site = self.site(e, SiteKind::NarrowOverflow(op));
        // Both operands in one word: x << 32 | y as u32.
        let hi = self.b.ins().sextend(types::I64, x);
        let hi = self.b.ins().ishl_imm_u(hi, 32);
        let lo = self.b.ins().uextend(types::I64, y);
        let bits = self.b.ins().bor(hi, lo);
        debug_assert!(ty.is_narrow_integer());
        self.raise_if(check, site, Some(bits));
        Ok(v)
    }

    /// `+ - *` of decimals whose exact result fits its type (what
    /// `kernel::jit_decimal` lets through): the operands scaled up to the
    /// result's scale, then one `i128` operation; nothing can overflow.
    fn decimal_arith(&mut self, e: &TExpr, op: BinaryOp, l: Val, r: Val) -> Result<Val> {
        let crate::ir::TExprKind::Binary { left, right, .. } = &e.kind else {
            return Err(Error::internal(format!("decimal arithmetic in {e}")));
        };
        let scale = |t: &DataType| t.decimal_ps().map_or(0, |(_, s)| s);
        let (sa, sb, rs) = (scale(&left.ty), scale(&right.ty), scale(&e.ty));
        let null = self.or_null(l.null(), r.null());
        let (a, b) = (l.v()?, r.v()?);
        let v = match op {
            BinaryOp::Mul => self.b.ins().imul(a, b),
            BinaryOp::Add | BinaryOp::Sub => {
                let a = self.scale_up(a, rs - sa);
                let b = self.scale_up(b, rs - sb);
                if op == BinaryOp::Add {
                    self.b.ins().iadd(a, b)
                } else {
                    self.b.ins().isub(a, b)
                }
            }
            _ => return Err(not_arith(op)),
        };
        Ok(Val::Fixed { v, null })
    }

    /// `a / b` or `a % b` of unscaled decimals (types `lt`, `rt`) at
    /// `e`'s type, by [`crate::decimal::div`]/[`crate::decimal::rem`]: a
    /// helper call (costly anyway), overflow Spark's error.
    fn decimal_div(
        &mut self,
        e: &TExpr,
        op: BinaryOp,
        a: Value,
        b: Value,
        lt: &DataType,
        rt: &DataType,
    ) -> Result<Val> {
        let ps = |t: &DataType| t.decimal_ps().unwrap_or((38, 0));
        let ((_, sa), (_, sb), (rp, rs)) = (ps(lt), ps(rt), ps(&e.ty));
        let flags = (op == BinaryOp::Mod) as i64
            | (sa as i64) << 8
            | (sb as i64) << 16
            | (rp as i64) << 24
            | (rs as i64) << 32;
        let slot = self.stack_slot(16);
        let out = self.b.ins().stack_addr(types::I64, slot, 0);
        let (alo, ahi) = self.b.ins().isplit(a);
        let (blo, bhi) = self.b.ins().isplit(b);
        let (ctx, flags) = (self.ctx, self.i64c(flags));
        self.call(
            helpers::sqlc_decimal_div as *const () as usize,
            &[ctx, flags, alo, ahi, blo, bhi, out],
            None,
        );
        self.check_failed();
        let v = self.load(types::I128, out, 0);
        Ok(Val::Fixed { v, null: None })
    }

    /// An unscaled decimal times 10^k.
    pub fn scale_up(&mut self, v: Value, k: u8) -> Value {
        if k == 0 {
            return v;
        }
        let f = self.i128c(crate::decimal::pow10(k as u32));
        self.b.ins().imul(v, f)
    }

    /// `/` and `%` in Spark's order: the divisor first; the dividend only
    /// where the divisor is not null; a zero divisor fails before the
    /// dividend is evaluated when neither side is nullable, else after it
    /// and only where it is not null.
    pub fn div_mod(
        &mut self,
        e: &TExpr,
        op: BinaryOp,
        left: &TExpr,
        right: &TExpr,
        env: &Env,
    ) -> Result<Val> {
        let r = self.expr(right, env)?;
        if right.ty == DataType::Null || left.ty == DataType::Null {
            if right.ty != DataType::Null {
                self.expr(left, env)?;
            }
            return Ok(self.null_of(&e.ty));
        }
        let ty = &left.ty;
        let site = self.site(
            e,
            SiteKind::DivideByZero {
                remainder: op == BinaryOp::Mod,
            },
        );
        let early = !left.nullable && !right.nullable;
        if early {
            let zero = self.is_zero(r.v()?, ty);
            let check = self.and_valid(zero, r.null());
            self.raise_if(check, site, None);
        }
        self.strict_after(&e.ty, r, left, env, |g, l| {
            let null = g.or_null(l.null(), r.null());
            let (a, b) = (l.v()?, r.v()?);
            let zero = g.is_zero(b, ty);
            if !early {
                let check = g.and_valid(zero, null);
                g.raise_if(check, site, None);
            }
            let v = match (ty, op) {
                (DataType::Float64, BinaryOp::Div) => g.b.ins().fdiv(a, b),
                (DataType::Float64, _) => g.call_value(
                    helpers::sqlc_fmod as *const () as usize,
                    &[a, b],
                    types::F64,
                ),
                // A float remainder is exact, so the doubles' is the floats'.
                (DataType::Float32, BinaryOp::Mod) => {
                    let (a, b) = (
                        g.b.ins().fpromote(types::F64, a),
                        g.b.ins().fpromote(types::F64, b),
                    );
                    let r = g.call_value(
                        helpers::sqlc_fmod as *const () as usize,
                        &[a, b],
                        types::F64,
                    );
                    g.b.ins().fdemote(types::F32, r)
                }
                // Decimals: the twin's exact routine, per row where both
                // sides are present (the zero divisor was raised above).
                (DataType::Decimal(..), BinaryOp::Div | BinaryOp::Mod) => {
                    let (lt, rt) = (&left.ty, &right.ty);
                    return g.guard_null(null, &e.ty, |g| g.decimal_div(e, op, a, b, lt, rt));
                }
                // A narrow remainder, in an `i32` (Java's `%` on the
                // widened values never leaves the range).
                (DataType::Int8 | DataType::Int16, BinaryOp::Mod) => {
                    let cty = g.b.func.dfg.value_type(a);
                    let x = g.b.ins().sextend(types::I32, a);
                    let y = g.b.ins().sextend(types::I32, b);
                    let one = g.b.ins().iconst(types::I32, 1);
                    let safe = g.b.ins().select(zero, one, y);
                    let rem = g.b.ins().srem(x, safe);
                    g.b.ins().ireduce(cty, rem)
                }
                (DataType::Int32 | DataType::Int64, BinaryOp::Mod) => {
                    // x % -1 is 0 (also for the minimum, where the hardware
                    // traps); a zero divisor on a null row divides by 1.
                    let m1 = g.b.ins().icmp_imm_s(IntCC::Equal, b, -1);
                    let bad = g.b.ins().bor(zero, m1);
                    let cty = g.b.func.dfg.value_type(b);
                    let one = g.b.ins().iconst(cty, 1);
                    let safe = g.b.ins().select(bad, one, b);
                    let rem = g.b.ins().srem(a, safe);
                    let z = g.b.ins().iconst(cty, 0);
                    g.b.ins().select(m1, z, rem)
                }
                (DataType::Int64, BinaryOp::IntDiv) => {
                    // MIN div -1 overflows (the hardware would trap); a
                    // zero divisor on a null row divides by 1.
                    let m1 = g.b.ins().icmp_imm_s(IntCC::Equal, b, -1);
                    let min = g.b.ins().icmp_imm_s(IntCC::Equal, a, i64::MIN);
                    let over = g.b.ins().band(m1, min);
                    let check = g.and_valid(over, null);
                    let site = g.site(e, SiteKind::Overflow("Overflow in integral divide"));
                    g.raise_if(check, site, None);
                    let bad = g.b.ins().bor(zero, over);
                    let one = g.b.ins().iconst(types::I64, 1);
                    let safe = g.b.ins().select(bad, one, b);
                    g.b.ins().sdiv(a, safe)
                }
                // Spark's `/` is on doubles; the analyzer casts integers first.
                _ => return Err(not_arith(op)),
            };
            Ok(Val::Fixed { v, null })
        })
    }

    /// `v == 0` for an integer, a double or a float (-0.0 included), as an i8.
    fn is_zero(&mut self, v: Value, ty: &DataType) -> Value {
        if *ty == DataType::Float64 {
            let z = self.b.ins().f64const(0.0);
            self.b.ins().fcmp(FloatCC::Equal, v, z)
        } else if *ty == DataType::Float32 {
            let z = self.b.ins().f32const(0.0);
            self.b.ins().fcmp(FloatCC::Equal, v, z)
        } else if ty.is_decimal() {
            let z = self.i128c(0);
            self.b.ins().icmp(IntCC::Equal, v, z)
        } else {
            self.b.ins().icmp_imm_s(IntCC::Equal, v, 0)
        }
    }

    /// Unary minus; the minimum integer overflows.
    pub fn neg(&mut self, e: &TExpr, v: Val, ty: &DataType) -> Result<Val> {
        let x = v.v()?;
        let r = match ty {
            DataType::Float64 | DataType::Float32 => self.b.ins().fneg(x),
            DataType::Null => return Ok(self.null_of(&e.ty)),
            // An unscaled decimal: its range is symmetric, nothing overflows.
            DataType::Decimal(..) => {
                let z = self.i128c(0);
                self.b.ins().isub(z, x)
            }
            t if t.is_narrow_integer() => self.narrow_unary(x, v.null(), false),
            t => {
                let cty = self.b.func.dfg.value_type(x);
                let z = self.b.ins().iconst(cty, 0);
                let (r, of) = self.b.ins().ssub_overflow(z, x);
                let check = self.and_valid(of, v.null());
                let site = self.site(e, SiteKind::Overflow(overflow_detail(t)));
                self.raise_if(check, site, None);
                r
            }
        };
        Ok(Val::Fixed {
            v: r,
            null: v.null(),
        })
    }

    /// `abs`; the minimum integer overflows.
    pub fn abs(&mut self, e: &TExpr, v: Val, ty: &DataType) -> Result<Val> {
        let x = v.v()?;
        let r = match ty {
            DataType::Float64 | DataType::Float32 => self.b.ins().fabs(x),
            DataType::Null => return Ok(self.null_of(&e.ty)),
            DataType::Decimal(..) => {
                let z = self.i128c(0);
                let n = self.b.ins().isub(z, x);
                let neg = self.b.ins().icmp(IntCC::SignedLessThan, x, z);
                self.b.ins().select(neg, n, x)
            }
            t if t.is_narrow_integer() => self.narrow_unary(x, v.null(), true),
            t => {
                let min = if self.b.func.dfg.value_type(x) == types::I32 {
                    i32::MIN as i64
                } else {
                    i64::MIN
                };
                let is_min = self.b.ins().icmp_imm_s(IntCC::Equal, x, min);
                let check = self.and_valid(is_min, v.null());
                let site = self.site(e, SiteKind::Overflow(overflow_detail(t)));
                self.raise_if(check, site, None);
                self.b.ins().iabs(x)
            }
        };
        Ok(Val::Fixed {
            v: r,
            null: v.null(),
        })
    }

    /// `-x` or `abs(x)` of a TINYINT/SMALLINT: the minimum overflows, with
    /// the twin's error (`interp::narrow::unary_overflow`).
    fn narrow_unary(&mut self, x: Value, null: Option<Value>, abs: bool) -> Value {
        let cty = self.b.func.dfg.value_type(x);
        let min = if cty == types::I8 {
            i8::MIN as i64
        } else {
            i16::MIN as i64
        };
        let is_min = self.b.ins().icmp_imm_s(IntCC::Equal, x, min);
        let check = self.and_valid(is_min, null);
        let site = self.site_text(
            String::new(),
            SiteKind::raise(crate::interp::narrow::unary_overflow()),
        );
        self.raise_if(check, site, None);
        let w = self.b.ins().sextend(types::I32, x);
        let r = if abs {
            self.b.ins().iabs(w)
        } else {
            self.b.ins().ineg(w)
        };
        self.b.ins().ireduce(cty, r)
    }

    /// `floor`/`ceil` of a double into a bigint (saturating, NaN to 0, as
    /// Java's `(long)` conversion).
    pub fn floor_ceil(&mut self, v: Val, ty: &DataType, ceil: bool) -> Result<Val> {
        let x = v.v()?;
        let r = match ty {
            DataType::Float64 => {
                let f = if ceil {
                    self.b.ins().ceil(x)
                } else {
                    self.b.ins().floor(x)
                };
                self.b.ins().fcvt_to_sint_sat(types::I64, f)
            }
            DataType::Int32 | DataType::Date => self.b.ins().sextend(types::I64, x),
            _ => x,
        };
        Ok(Val::Fixed {
            v: r,
            null: v.null(),
        })
    }
}

fn not_arith(op: BinaryOp) -> Error {
    Error::internal(format!(
        "{} is not supported on these operand types",
        op.symbol()
    ))
}
