//! Interval and TIMESTAMP_NTZ arithmetic in compiled code: the catalog
//! functions the resolver makes of `+ - * /` over intervals, dates and
//! TIMESTAMP_NTZ values (see [`crate::functions::interval`] and
//! [`crate::functions::ntz`]), with the twin's semantics and errors.
//! Adding, subtracting and negating are inline checked integer
//! operations; scaling by a number and adding months (a calendar walk)
//! call the twin's own per-value routines. Arithmetic with a zoned
//! TIMESTAMP stays in the twin.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{types, InstBuilder, MemFlagsData, Value};

use crate::error::{Error, Result};
use crate::functions::{interval as iv, ntz};
use crate::ir::TExpr;
use crate::scalar_fns::MICROS_PER_DAY;
use crate::types::DataType::{self, Date, DayTimeInterval, TimestampNtz, YearMonthInterval};

use super::abi::{KernelCtx, CTX_RET_LEN};
use super::gen::{Gen, Val};
use super::pipeline::Env;
use super::sites::SiteKind;

/// Whether compiled code computes the catalog function `name` over `args`.
pub fn compiled(name: &str, args: &[TExpr]) -> bool {
    let tys: Vec<&DataType> = args.iter().map(|a| &a.ty).collect();
    let number = |t: &DataType| matches!(t, DataType::Int64 | DataType::Float64) || t.is_decimal();
    match (name, tys.as_slice()) {
        ("interval_add" | "interval_subtract", [a, b]) => a.is_interval() && a == b,
        ("interval_negate" | "abs", [a]) => a.is_interval(),
        ("interval_multiply" | "interval_divide", [a, n]) => a.is_interval() && number(n),
        ("date_add_days", [Date, DayTimeInterval(..)])
        | ("subtract_dates", [Date, Date])
        | ("date_add_months", [Date, YearMonthInterval(..)])
        | ("timestamp_ntz_add_interval", [TimestampNtz, DayTimeInterval(..)])
        | ("timestamp_ntz_add_months", [TimestampNtz, YearMonthInterval(..)])
        | ("subtract_timestamp_ntz", [TimestampNtz, TimestampNtz]) => true,
        _ => false,
    }
}

impl Gen<'_> {
    /// A catalog function [`compiled`] admits: strict in its arguments.
    pub fn interval_function(
        &mut self,
        e: &TExpr,
        name: &str,
        args: &[TExpr],
        env: &Env,
    ) -> Result<Val> {
        let refs: Vec<&TExpr> = args.iter().collect();
        let ty = e.ty.clone();
        self.strict(&ty, &refs, env, |g, v| {
            let null = v.iter().fold(None, |n, x| g.or_null(n, x.null()));
            let x = v[0].v()?;
            let y = v.get(1).map(|a| a.v()).transpose()?;
            let fixed = |v: Value| Ok(Val::Fixed { v, null });
            match (name, y) {
                ("interval_add" | "interval_subtract", Some(y)) => {
                    let add = name == "interval_add";
                    let (r, of) = if add {
                        g.b.ins().sadd_overflow(x, y)
                    } else {
                        g.b.ins().ssub_overflow(x, y)
                    };
                    let hint = if add { "try_add" } else { "try_subtract" };
                    g.raise_where(e, of, null, iv::overflow(Some(hint)));
                    fixed(r)
                }
                ("interval_negate", None) => {
                    let z = g.zero(g.b.func.dfg.value_type(x));
                    let (r, of) = g.b.ins().ssub_overflow(z, x);
                    g.raise_where(e, of, null, iv::overflow(None));
                    fixed(r)
                }
                ("abs", None) => {
                    let min = match args[0].ty {
                        YearMonthInterval(..) => i32::MIN as i64,
                        _ => i64::MIN,
                    };
                    let is_min = g.b.ins().icmp_imm_s(IntCC::Equal, x, min);
                    g.raise_where(e, is_min, null, iv::overflow(None));
                    fixed(g.b.ins().iabs(x))
                }
                ("interval_multiply" | "interval_divide", Some(k)) => {
                    let divide = name == "interval_divide";
                    g.guard_null(null, &ty, |g| g.scale_interval(&args[1].ty, x, k, divide))
                }
                ("date_add_days", Some(us)) => {
                    let d = g.b.ins().sextend(types::I64, x);
                    let q = g.b.ins().sdiv_imm_s(us, MICROS_PER_DAY);
                    let days = g.b.ins().iadd(d, q);
                    let n = g.b.ins().ireduce(types::I32, days);
                    let back = g.b.ins().sextend(types::I64, n);
                    let out = g.b.ins().icmp(IntCC::NotEqual, back, days);
                    g.raise_where(e, out, null, iv::datetime_overflow());
                    fixed(n)
                }
                // As the twin: wrapping for dates 2^63 microseconds apart.
                ("subtract_dates", Some(y)) => {
                    let (a, b) = (
                        g.b.ins().sextend(types::I64, x),
                        g.b.ins().sextend(types::I64, y),
                    );
                    let d = g.b.ins().isub(a, b);
                    fixed(g.b.ins().imul_imm_s(d, MICROS_PER_DAY))
                }
                ("date_add_months" | "timestamp_ntz_add_months", Some(m)) => {
                    let date = name == "date_add_months";
                    g.guard_null(null, &ty, |g| {
                        let x = g.to_i64(x);
                        let m = g.to_i64(m);
                        let ctx = g.ctx;
                        let f = if date {
                            sqlc_date_add_months as *const () as usize
                        } else {
                            sqlc_ntz_add_months as *const () as usize
                        };
                        let r = g.call_value(f, &[ctx, x, m], types::I64);
                        if date {
                            g.check_failed();
                            return Ok(Val::Fixed {
                                v: g.b.ins().ireduce(types::I32, r),
                                null: None,
                            });
                        }
                        // Past the range the twin's value is NULL.
                        let ctx = g.ctx;
                        let n = g.load(types::I64, ctx, CTX_RET_LEN);
                        let n = g.b.ins().ireduce(types::I8, n);
                        Ok(Val::Fixed {
                            v: r,
                            null: Some(n),
                        })
                    })
                }
                ("timestamp_ntz_add_interval", Some(us)) => {
                    let (r, of) = g.b.ins().sadd_overflow(x, us);
                    g.raise_where(e, of, null, ntz::overflow());
                    fixed(r)
                }
                ("subtract_timestamp_ntz", Some(y)) => {
                    let (r, of) = g.b.ins().ssub_overflow(x, y);
                    g.raise_where(e, of, null, ntz::overflow());
                    fixed(r)
                }
                _ => Err(Error::internal(format!("{e} is not compiled"))),
            }
        })
    }

    /// Raises `err` (the twin's error) where `cond` holds on a non-null row.
    fn raise_where(&mut self, e: &TExpr, cond: Value, null: Option<Value>, err: Error) {
        let check = self.and_valid(cond, null);
        let site = self.site(e, SiteKind::raise(err));
        self.raise_if(check, site, None);
    }

    /// An interval `x` times or divided by `k` (of type `kty`), by the
    /// twin's routine ([`iv::scale_value`]).
    fn scale_interval(&mut self, kty: &DataType, x: Value, k: Value, divide: bool) -> Result<Val> {
        let ym = self.b.func.dfg.value_type(x) == types::I32;
        let (kind, lo, hi, scale) = match kty {
            DataType::Int64 => (0, k, self.i64c(0), 0),
            DataType::Float64 => {
                let bits = self.b.ins().bitcast(types::I64, MemFlagsData::new(), k);
                (1, bits, self.i64c(0), 0)
            }
            t => {
                let s = t.decimal_ps().map_or(0, |(_, s)| s) as i64;
                let (lo, hi) = self.b.ins().isplit(k);
                (2, lo, hi, s)
            }
        };
        let flags = self.i64c(kind | (ym as i64) << 2 | (divide as i64) << 3 | scale << 8);
        let x = self.to_i64(x);
        let ctx = self.ctx;
        let r = self.call_value(
            sqlc_interval_scale as *const () as usize,
            &[ctx, flags, x, lo, hi],
            types::I64,
        );
        self.check_failed();
        let v = if ym {
            self.b.ins().ireduce(types::I32, r)
        } else {
            r
        };
        Ok(Val::Fixed { v, null: None })
    }
}

/// An interval (months or microseconds) scaled by a number: `flags` holds
/// the number's kind (0 BIGINT, 1 DOUBLE as bits, 2 decimal `hi:lo`), bit
/// 2 year-month, bit 3 divide, bits 8.. the decimal's scale.
///
/// # Safety
/// `c` is the running call's ctx (see [`super::helpers`]).
unsafe extern "C" fn sqlc_interval_scale(
    c: *mut KernelCtx,
    flags: u64,
    x: i64,
    lo: u64,
    hi: u64,
) -> i64 {
    // SAFETY: the kernel passes its own ctx, which outlives the call.
    let c = unsafe { &mut *c };
    let k = match flags & 3 {
        0 => iv::Factor::Long(lo as i64),
        1 => iv::Factor::Double(f64::from_bits(lo)),
        _ => iv::Factor::Decimal(
            ((hi as u128) << 64 | lo as u128) as i128,
            (flags >> 8) as u8,
        ),
    };
    let ym = flags & 4 != 0;
    let r = iv::scale_value(x as i128, k, flags & 8 != 0).and_then(|v| {
        if ym {
            i32::try_from(v).map(i64::from).ok()
        } else {
            i64::try_from(v).ok()
        }
        .ok_or_else(|| iv::overflow(None))
    });
    r.unwrap_or_else(|e| {
        c.fail(e);
        0
    })
}

/// `date + months` (the twin's `add_months`); out of range a
/// `DATETIME_OVERFLOW`.
///
/// # Safety
/// As [`sqlc_interval_scale`].
unsafe extern "C" fn sqlc_date_add_months(c: *mut KernelCtx, days: i64, months: i64) -> i64 {
    // SAFETY: the kernel passes its own ctx, which outlives the call.
    let c = unsafe { &mut *c };
    let d = iv::add_months(days, months);
    if i32::try_from(d).is_err() {
        c.fail(iv::datetime_overflow());
    }
    d
}

/// `timestamp_ntz + months` on the wall clock; past the range NULL (as the
/// twin), flagged in `ctx.ret_len`.
///
/// # Safety
/// As [`sqlc_interval_scale`].
unsafe extern "C" fn sqlc_ntz_add_months(c: *mut KernelCtx, t: i64, months: i64) -> i64 {
    // SAFETY: the kernel passes its own ctx, which outlives the call.
    let c = unsafe { &mut *c };
    let r = ntz::add_months(t, months);
    c.ret_len = r.is_none() as u64;
    r.unwrap_or(0)
}
