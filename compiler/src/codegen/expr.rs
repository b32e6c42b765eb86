//! Expression lowering: one [`TExpr`] becomes straight-line code (and
//! blocks where evaluation is lazy: AND/OR, CASE, COALESCE, IN), leaving the
//! builder in the block where the result is available.

use cranelift_codegen::ir::{types, InstBuilder};

use crate::error::{Error, Result};
use crate::ir::{BinaryOp, TExpr, TExprKind, UnaryOp};
use crate::scalar_fns::LikeMatcher;
use crate::types::{DataType, Scalar};

use super::gen::{Gen, Val};
use super::helpers;
use super::pipeline::Env;

impl Gen<'_> {
    /// Lowers `e` reading the columns of `env`.
    pub fn expr(&mut self, e: &TExpr, env: &Env) -> Result<Val> {
        use TExprKind::*;
        match &e.kind {
            Column { index, name } => env.get(*index).and_then(|s| s.val).ok_or_else(|| {
                Error::Codegen(format!("column {name} (#{index}) is not available"))
            }),
            Literal(s) => Ok(self.literal(s, &e.ty)),
            Unary {
                op: UnaryOp::Neg,
                arg,
            } => {
                let v = self.expr(arg, env)?;
                self.neg(e, v, &arg.ty)
            }
            Unary {
                op: UnaryOp::Not,
                arg,
            } => {
                let v = self.expr(arg, env)?;
                let x = self.bool_not(v.v()?);
                Ok(Val::Fixed {
                    v: x,
                    null: v.null(),
                })
            }
            Binary {
                op: BinaryOp::And,
                left,
                right,
            } => self.and_or(true, left, right, env),
            Binary {
                op: BinaryOp::Or,
                left,
                right,
            } => self.and_or(false, left, right, env),
            Binary { op, left, right } => {
                let l = self.expr(left, env)?;
                let r = self.expr(right, env)?;
                if op.is_comparison() {
                    self.compare(*op, l, r, &left.ty)
                } else {
                    self.arith(e, *op, l, r, &left.ty)
                }
            }
            IsNull(a) | IsNotNull(a) => {
                let v = self.expr(a, env)?;
                let n = self.null_flag(v.null());
                let v = if matches!(e.kind, IsNull(_)) {
                    n
                } else {
                    self.bool_not(n)
                };
                Ok(Val::Fixed { v, null: None })
            }
            Like {
                arg,
                pattern,
                negated,
                case_insensitive,
            } => {
                let m = LikeMatcher::new(pattern, *case_insensitive).map_err(|reason| {
                    Error::InvalidRegex {
                        pattern: pattern.clone(),
                        reason,
                    }
                })?;
                let m = Box::new(m);
                let addr = &*m as *const LikeMatcher as i64;
                self.owned.likes.push(m);
                self.match_call(
                    helpers::sqlc_like as *const () as usize,
                    addr,
                    *negated,
                    arg,
                    env,
                )
            }
            RLike {
                arg,
                pattern,
                negated,
            } => {
                let r = regex::Regex::new(pattern).map_err(|err| Error::InvalidRegex {
                    pattern: pattern.clone(),
                    reason: err.to_string(),
                })?;
                let r = Box::new(r);
                let addr = &*r as *const regex::Regex as i64;
                self.owned.regexes.push(r);
                self.match_call(
                    helpers::sqlc_rlike as *const () as usize,
                    addr,
                    *negated,
                    arg,
                    env,
                )
            }
            InList { arg, list, negated } => self.in_list(arg, list, *negated, env),
            Case {
                branches,
                otherwise,
            } => self.case(e, branches, otherwise.as_deref(), env),
            Cast { arg } => {
                let v = self.expr(arg, env)?;
                self.cast(e, v, &arg.ty, &e.ty)
            }
            Coalesce(args) => self.coalesce(e, args, env),
            Call { func, args } => self.call_fn(e, *func, args, env),
        }
    }

    /// A literal of type `ty` (a NULL literal takes the expression's type).
    fn literal(&mut self, s: &Scalar, ty: &DataType) -> Val {
        let v = match s {
            Scalar::Null => return self.null_of(ty),
            Scalar::Boolean(b) => self.i8c(*b as i64),
            Scalar::Int32(v) => self.b.ins().iconst(types::I32, *v as i64),
            Scalar::Date(v) => self.b.ins().iconst(types::I32, *v as i64),
            Scalar::Int64(v) | Scalar::Timestamp(v) => self.i64c(*v),
            Scalar::Float64(v) => self.b.ins().f64const(*v),
            Scalar::Utf8(s) => {
                let (ptr, len) = self.owned_bytes(s.as_bytes());
                return Val::Str {
                    ptr,
                    len,
                    null: None,
                };
            }
            Scalar::Binary(b) => {
                let (ptr, len) = self.owned_bytes(b);
                return Val::Str {
                    ptr,
                    len,
                    null: None,
                };
            }
        };
        Val::Fixed { v, null: None }
    }

    /// LIKE/RLIKE: a helper call with the kernel-owned matcher at `addr`.
    fn match_call(
        &mut self,
        f: usize,
        addr: i64,
        negated: bool,
        arg: &TExpr,
        env: &Env,
    ) -> Result<Val> {
        let v = self.expr(arg, env)?;
        let (p, l) = v.bytes()?;
        let m = self.i64c(addr);
        let r = self
            .call(f, &[m, p, l], Some(types::I64))
            .expect("the helper returns a value");
        let mut r = self.b.ins().ireduce(types::I8, r);
        if negated {
            r = self.bool_not(r);
        }
        Ok(Val::Fixed {
            v: r,
            null: v.null(),
        })
    }

    /// Kleene AND (`is_and`) or OR, the right side evaluated only when the
    /// left does not decide.
    fn and_or(&mut self, is_and: bool, left: &TExpr, right: &TExpr, env: &Env) -> Result<Val> {
        let l = self.expr(left, env)?;
        let lv = l.v()?;
        // The deciding value: false for AND, true for OR.
        let decides = if is_and { self.bool_not(lv) } else { lv };
        let decides = self.and_valid(decides, l.null());
        let merge = self.merge_block(&DataType::Boolean);
        let eval_right = self.b.create_block();
        let dv = self.i8c(!is_and as i64);
        let zero = self.i8c(0);
        self.b
            .ins()
            .brif(decides, merge, &[dv.into(), zero.into()], eval_right, &[]);

        self.b.switch_to_block(eval_right);
        let r = self.expr(right, env)?;
        let rv = r.v()?;
        let r_decides = if is_and { self.bool_not(rv) } else { rv };
        let r_decides = self.and_valid(r_decides, r.null());
        // Here the left is the neutral value or null.
        let any_null = self.or_null(l.null(), r.null());
        let null = match any_null {
            None => zero,
            Some(n) => self.b.ins().band_not(n, r_decides),
        };
        // AND: false if the right decides, else true; OR: true if the right decides.
        let v = if is_and {
            self.bool_not(r_decides)
        } else {
            r_decides
        };
        self.b.ins().jump(merge, &[v.into(), null.into()]);
        Ok(self.enter_merge(merge, &DataType::Boolean))
    }

    fn case(
        &mut self,
        e: &TExpr,
        branches: &[(TExpr, TExpr)],
        otherwise: Option<&TExpr>,
        env: &Env,
    ) -> Result<Val> {
        let merge = self.merge_block(&e.ty);
        for (cond, res) in branches {
            let c = self.expr(cond, env)?;
            let t = self.is_true(c)?;
            let then = self.b.create_block();
            let next = self.b.create_block();
            self.b.ins().brif(t, then, &[], next, &[]);
            self.b.switch_to_block(then);
            let v = self.expr(res, env)?;
            let v = self.coerce(v, &res.ty, &e.ty);
            self.jump_merge(merge, v);
            self.b.switch_to_block(next);
        }
        let v = match otherwise {
            Some(o) => {
                let v = self.expr(o, env)?;
                self.coerce(v, &o.ty, &e.ty)
            }
            None => self.null_of(&e.ty),
        };
        self.jump_merge(merge, v);
        Ok(self.enter_merge(merge, &e.ty))
    }

    fn coalesce(&mut self, e: &TExpr, args: &[TExpr], env: &Env) -> Result<Val> {
        let merge = self.merge_block(&e.ty);
        for (i, a) in args.iter().enumerate() {
            let v = self.expr(a, env)?;
            let v = self.coerce(v, &a.ty, &e.ty);
            match v.null() {
                Some(n) if i + 1 < args.len() => {
                    let next = self.b.create_block();
                    let margs = self.merge_args(v);
                    self.b.ins().brif(n, next, &[], merge, &margs);
                    self.b.switch_to_block(next);
                }
                _ => {
                    // Never null, or the last: the result either way.
                    self.jump_merge(merge, v);
                    return Ok(self.enter_merge(merge, &e.ty));
                }
            }
        }
        let v = self.null_of(&e.ty);
        self.jump_merge(merge, v);
        Ok(self.enter_merge(merge, &e.ty))
    }

    fn in_list(&mut self, arg: &TExpr, list: &[TExpr], negated: bool, env: &Env) -> Result<Val> {
        let a = self.expr(arg, env)?;
        let merge = self.merge_block(&DataType::Boolean);
        let (zero, one) = (self.i8c(0), self.i8c(1));
        if let Some(n) = a.null() {
            let go = self.b.create_block();
            self.b
                .ins()
                .brif(n, merge, &[zero.into(), one.into()], go, &[]);
            self.b.switch_to_block(go);
        }
        let mut has_null = zero;
        for item in list {
            let v = self.expr(item, env)?;
            let v = self.coerce(v, &item.ty, &arg.ty);
            let eq = self.equal(a, v, &arg.ty)?;
            let hit = self.and_valid(eq, v.null());
            if let Some(n) = v.null() {
                has_null = self.b.ins().bor(has_null, n);
            }
            let next = self.b.create_block();
            self.b
                .ins()
                .brif(hit, merge, &[one.into(), zero.into()], next, &[]);
            self.b.switch_to_block(next);
        }
        self.b.ins().jump(merge, &[zero.into(), has_null.into()]);
        let r = self.enter_merge(merge, &DataType::Boolean);
        if negated {
            let v = self.bool_not(r.v()?);
            return Ok(Val::Fixed { v, null: r.null() });
        }
        Ok(r)
    }
}
