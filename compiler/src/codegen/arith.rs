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
use super::sites::{overflow_detail, SiteKind};

impl Gen<'_> {
    /// `l op r` for an arithmetic operator, operands of type `ty`.
    pub fn arith(&mut self, e: &TExpr, op: BinaryOp, l: Val, r: Val, ty: &DataType) -> Result<Val> {
        let null = self.or_null(l.null(), r.null());
        if *ty == DataType::Null || e.ty == DataType::Null {
            return Ok(self.null_of(&e.ty));
        }
        let (a, b) = (l.v()?, r.v()?);
        let v = match ty {
            DataType::Float64 => match op {
                BinaryOp::Add => self.b.ins().fadd(a, b),
                BinaryOp::Sub => self.b.ins().fsub(a, b),
                BinaryOp::Mul => self.b.ins().fmul(a, b),
                BinaryOp::Div | BinaryOp::Mod => {
                    let z = self.b.ins().f64const(0.0);
                    let zero = self.b.ins().fcmp(FloatCC::Equal, b, z);
                    let zero = self.and_valid(zero, null);
                    let site = self.site(e, SiteKind::DivideByZero);
                    self.raise_if(zero, site, None);
                    if op == BinaryOp::Div {
                        self.b.ins().fdiv(a, b)
                    } else {
                        self.call(
                            helpers::sqlc_fmod as *const () as usize,
                            &[a, b],
                            Some(types::F64),
                        )
                        .expect("the helper returns a value")
                    }
                }
                _ => return Err(not_arith(op)),
            },
            DataType::Int32 | DataType::Int64 | DataType::Timestamp | DataType::Date => {
                self.int_arith(e, op, a, b, null, ty)?
            }
            t => return Err(Error::Codegen(format!("no arithmetic on type {t}"))),
        };
        Ok(Val::Fixed { v, null })
    }

    fn int_arith(
        &mut self,
        e: &TExpr,
        op: BinaryOp,
        a: Value,
        b: Value,
        null: Option<Value>,
        ty: &DataType,
    ) -> Result<Value> {
        let (v, overflow) = match op {
            BinaryOp::Add => self.b.ins().sadd_overflow(a, b),
            BinaryOp::Sub => self.b.ins().ssub_overflow(a, b),
            BinaryOp::Mul => self.b.ins().smul_overflow(a, b),
            BinaryOp::Mod => {
                let zero = self.b.ins().icmp_imm_s(IntCC::Equal, b, 0);
                let check = self.and_valid(zero, null);
                let site = self.site(e, SiteKind::DivideByZero);
                self.raise_if(check, site, None);
                // x % -1 is 0 (also for the minimum, where the hardware traps);
                // the divisor of a null row may be 0: divide by 1 instead.
                let m1 = self.b.ins().icmp_imm_s(IntCC::Equal, b, -1);
                let bad = self.b.ins().bor(zero, m1);
                let cty = self.b.func.dfg.value_type(b);
                let one = self.b.ins().iconst(cty, 1);
                let safe = self.b.ins().select(bad, one, b);
                let rem = self.b.ins().srem(a, safe);
                let z = self.b.ins().iconst(cty, 0);
                return Ok(self.b.ins().select(m1, z, rem));
            }
            // Spark's `/` is on doubles; the analyzer casts integers first.
            _ => return Err(not_arith(op)),
        };
        let check = self.and_valid(overflow, null);
        let site = self.site(e, SiteKind::Overflow(overflow_detail(ty)));
        self.raise_if(check, site, None);
        Ok(v)
    }

    /// Unary minus; the minimum integer overflows.
    pub fn neg(&mut self, e: &TExpr, v: Val, ty: &DataType) -> Result<Val> {
        let x = v.v()?;
        let r = match ty {
            DataType::Float64 => self.b.ins().fneg(x),
            DataType::Null => return Ok(self.null_of(&e.ty)),
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
            DataType::Float64 => self.b.ins().fabs(x),
            DataType::Null => return Ok(self.null_of(&e.ty)),
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
    Error::Codegen(format!(
        "{} is not supported on these operand types",
        op.symbol()
    ))
}
