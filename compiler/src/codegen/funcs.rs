//! Scalar functions: trims, length and the arithmetic ones inline; those
//! that build strings, parse or do calendar arithmetic through helpers.

use cranelift_codegen::ir::{types, InstBuilder};

use crate::error::{Error, Result};
use crate::ir::{ScalarFunc, TExpr, TExprKind};
use crate::scalar_fns::DatePart;
use crate::types::{DataType, Scalar};

use super::abi::CTX_RET_LEN;
use super::gen::{Gen, Val};
use super::helpers::{self, part_code, ParseAs};
use super::pipeline::Env;
use super::sites::SiteKind;

impl Gen<'_> {
    /// `func(args)`, `e` being the call: arguments in order, each only
    /// where those before are not null (`concat` evaluates all of them).
    pub fn call_fn(
        &mut self,
        e: &TExpr,
        func: ScalarFunc,
        args: &[TExpr],
        env: &Env,
    ) -> Result<Val> {
        // An unknown unit literal: null, the timestamp not even evaluated.
        if let (ScalarFunc::DateTrunc, Some(TExprKind::Literal(Scalar::Utf8(unit)))) =
            (func, args.first().map(|a| &a.kind))
        {
            if crate::scalar_fns::date_trunc(unit, 0).is_none() {
                return Ok(self.null_of(&e.ty));
            }
        }
        if func == ScalarFunc::Concat {
            return self.concat(e, args, env);
        }
        let need = if func == ScalarFunc::DateTrunc { 2 } else { 1 };
        if args.len() < need {
            return Err(Error::internal(format!(
                "{} needs {need} arguments",
                func.name()
            )));
        }
        let refs: Vec<&TExpr> = args.iter().collect();
        self.strict(&e.ty, &refs, env, |g, vals| g.apply_fn(e, func, args, vals))
    }

    /// `concat`: null if any argument is null; every argument evaluated.
    fn concat(&mut self, e: &TExpr, args: &[TExpr], env: &Env) -> Result<Val> {
        let mut vals = Vec::with_capacity(args.len());
        for a in args {
            vals.push(self.expr(a, env)?);
        }
        if args.iter().any(|a| a.ty == DataType::Null) {
            return Ok(self.null_of(&e.ty));
        }
        if vals.is_empty() {
            let (ptr, len) = self.owned_bytes(b"");
            return Ok(Val::Str {
                ptr,
                len,
                null: None,
            });
        }
        let mut null = None;
        for v in &vals {
            null = self.or_null(null, v.null());
        }
        self.guard_null(null, &e.ty, |g| {
            let slot = g.stack_slot(16 * vals.len() as u32);
            let base = g.b.ins().stack_addr(types::I64, slot, 0);
            for (i, v) in vals.iter().enumerate() {
                let (p, l) = v.bytes()?;
                g.store(p, base, 16 * i as i32);
                g.store(l, base, 16 * i as i32 + 8);
            }
            let (ctx, n) = (g.ctx, g.i64c(vals.len() as i64));
            Ok(g.str_call(helpers::sqlc_concat as *const () as usize, &[ctx, base, n]))
        })
    }

    /// A function other than `concat` on evaluated, non-bare-NULL arguments.
    fn apply_fn(
        &mut self,
        e: &TExpr,
        func: ScalarFunc,
        args: &[TExpr],
        vals: &[Val],
    ) -> Result<Val> {
        use ScalarFunc::*;
        let mut null = None;
        for v in vals {
            null = self.or_null(null, v.null());
        }
        let a0 = vals[0];
        let ty0 = &args[0].ty;
        match func {
            Lower | Upper => self.guard_null(null, &e.ty, |g| {
                let (p, l) = a0.bytes()?;
                let (ctx, up) = (g.ctx, g.i64c((func == Upper) as i64));
                let utf8 = g.i64c((*ty0 == DataType::Utf8) as i64);
                Ok(g.str_call(
                    helpers::sqlc_change_case as *const () as usize,
                    &[ctx, p, l, up, utf8],
                ))
            }),
            Length => {
                let (p, l) = a0.bytes()?;
                let n = if *ty0 == DataType::Utf8 {
                    self.char_count(p, l)
                } else {
                    l
                };
                Ok(Val::Fixed {
                    v: self.b.ins().ireduce(types::I32, n),
                    null,
                })
            }
            Trim | LTrim | RTrim => {
                let (p, l) = a0.bytes()?;
                let (ptr, len) = self.trim_spaces(p, l, func != RTrim, func != LTrim);
                Ok(Val::Str { ptr, len, null })
            }
            Substring => {
                let pos = self.to_i64(
                    vals.get(1)
                        .ok_or_else(|| Error::internal("substring needs a position"))?
                        .v()?,
                );
                let (len, has) = match vals.get(2) {
                    Some(v) => (self.to_i64(v.v()?), 1),
                    None => (self.i64c(0), 0),
                };
                let utf8 = (*ty0 == DataType::Utf8) as i64;
                self.guard_null(null, &e.ty, |g| {
                    let (p, l) = a0.bytes()?;
                    let (ctx, has, utf8) = (g.ctx, g.i64c(has), g.i64c(utf8));
                    Ok(g.str_call(
                        helpers::sqlc_substring as *const () as usize,
                        &[ctx, p, l, pos, len, has, utf8],
                    ))
                })
            }
            Concat => Err(Error::internal("concat is lowered by Gen::concat")),
            Abs => self.abs(e, a0, ty0),
            TimestampAdd => {
                let (t, us) = (a0.v()?, vals[1].v()?);
                let (v, overflow) = self.b.ins().sadd_overflow(t, us);
                let check = self.and_valid(overflow, null);
                let site = self.site(e, SiteKind::Overflow("timestamp overflow"));
                self.raise_if(check, site, None);
                Ok(Val::Fixed { v, null })
            }
            Floor | Ceil => self.floor_ceil(a0, ty0, func == Ceil),
            Sqrt => {
                let x = a0.v()?;
                Ok(Val::Fixed {
                    v: self.b.ins().sqrt(x),
                    null,
                })
            }
            Round => {
                let x = a0.v()?;
                let scale = match vals.get(1) {
                    Some(s) => self.to_i64(s.v()?),
                    None => self.i64c(0),
                };
                let r = self.call_value(
                    helpers::sqlc_round as *const () as usize,
                    &[x, scale],
                    types::F64,
                );
                Ok(Val::Fixed { v: r, null })
            }
            ToTimestamp => match ty0 {
                DataType::Utf8 => {
                    let site = self.site(
                        e,
                        SiteKind::InvalidCast {
                            from: DataType::Utf8,
                            to: DataType::Timestamp,
                        },
                    );
                    self.guard_null(null, &e.ty, |g| {
                        let (p, l) = a0.bytes()?;
                        let (ctx, site, kind) =
                            (g.ctx, g.i64c(site), g.i64c(ParseAs::Timestamp as i64));
                        let r = g.call_value(
                            helpers::sqlc_parse as *const () as usize,
                            &[ctx, site, kind, p, l],
                            types::I64,
                        );
                        g.check_failed();
                        Ok(Val::Fixed { v: r, null: None })
                    })
                }
                t => self.cast(e, a0, t, &DataType::Timestamp),
            },
            DateTrunc => {
                let ts = vals[1].v()?;
                // A literal unit (known, see above) is read once, here.
                if let TExprKind::Literal(Scalar::Utf8(unit)) = &args[0].kind {
                    let code = crate::scalar_fns::trunc_unit(unit).unwrap_or(9);
                    let code = self.i64c(code as i64);
                    return self.guard_null(null, &e.ty, |g| {
                        let r = g.call_value(
                            helpers::sqlc_date_trunc_to as *const () as usize,
                            &[ts, code],
                            types::I64,
                        );
                        Ok(Val::Fixed { v: r, null: None })
                    });
                }
                self.guard_null(null, &e.ty, |g| {
                    let (p, l) = a0.bytes()?;
                    let ctx = g.ctx;
                    let r = g.call_value(
                        helpers::sqlc_date_trunc as *const () as usize,
                        &[ctx, p, l, ts],
                        types::I64,
                    );
                    let n = g.load(types::I64, ctx, CTX_RET_LEN);
                    let n = g.b.ins().ireduce(types::I8, n);
                    Ok(Val::Fixed {
                        v: r,
                        null: Some(n),
                    })
                })
            }
            Year | Month | DayOfMonth | Hour | Minute | Second => {
                let part = match func {
                    Year => DatePart::Year,
                    Month => DatePart::Month,
                    DayOfMonth => DatePart::Day,
                    Hour => DatePart::Hour,
                    Minute => DatePart::Minute,
                    _ => DatePart::Second,
                };
                self.guard_null(null, &e.ty, |g| {
                    let x = a0.v()?;
                    let f = if *ty0 == DataType::Date {
                        helpers::sqlc_date_part as *const () as usize
                    } else {
                        helpers::sqlc_ts_part as *const () as usize
                    };
                    let x = g.to_i64(x);
                    let p = g.i64c(part_code(part));
                    let r = g.call_value(f, &[x, p], types::I64);
                    Ok(Val::Fixed {
                        v: g.b.ins().ireduce(types::I32, r),
                        null: None,
                    })
                })
            }
            Struct => Err(Error::internal(format!(
                "{} is run by the interpreted twin",
                func.name()
            ))),
        }
    }
}
