//! Expression lowering: one [`TExpr`] becomes straight-line code (and
//! blocks where evaluation is lazy: AND/OR, CASE, COALESCE, IN), leaving the
//! builder in the block where the result is available.

use cranelift_codegen::ir::{types, Block, InstBuilder};

use crate::error::{Error, Result};
use crate::ir::{BinaryOp, ScalarFunc, TExpr, TExprKind, UnaryOp};
use crate::scalar_fns::LikeMatcher;
use crate::types::{DataType, Scalar};

use super::gen::{Gen, Val};
use super::helpers;
use super::pipeline::Env;

impl Gen<'_> {
    /// Lowers `e` reading the columns of `env`.
    pub fn expr(&mut self, e: &TExpr, env: &Env) -> Result<Val> {
        crate::depth::grow(|| self.expr_node(e, env))
    }

    fn expr_node(&mut self, e: &TExpr, env: &Env) -> Result<Val> {
        use TExprKind::*;
        match &e.kind {
            Column { index, name } => env.get(*index).and_then(|s| s.val).ok_or_else(|| {
                Error::internal(format!("column {name} (#{index}) is not available"))
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
            Binary {
                op: op @ (BinaryOp::Div | BinaryOp::Mod | BinaryOp::IntDiv),
                left,
                right,
            } => self.div_mod(e, *op, left, right, env),
            Binary {
                op: BinaryOp::EqNullSafe,
                left,
                right,
            } => {
                let l = self.expr(left, env)?;
                let r = self.expr(right, env)?;
                self.compare(BinaryOp::EqNullSafe, l, r, &left.ty)
            }
            Binary { op, left, right } => {
                let ty = &left.ty;
                self.strict(&e.ty, &[left, right], env, |g, v| {
                    if op.is_comparison() {
                        g.compare(*op, v[0], v[1], ty)
                    } else {
                        g.arith(e, *op, v[0], v[1], ty)
                    }
                })
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
                let addr = self.like_matcher(pattern, *case_insensitive)?;
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
                let addr = self.regex(pattern)?;
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
            Function { func, args } if super::interval::compiled(func.name(), args) => {
                self.interval_function(e, func.name(), args, env)
            }
            GetField { .. } | Function { .. } => Err(Error::internal(format!(
                "{e} is run by the interpreted twin"
            ))),
        }
    }

    /// Evaluates `args` in order, each only where those before are not null
    /// (as Spark's generated code for null-intolerant operators), then `f`
    /// on their values. A bare NULL argument makes the result null without
    /// evaluating the rest. An argument that cannot raise an error is
    /// evaluated without a branch (the result is the same).
    pub fn strict(
        &mut self,
        ty: &DataType,
        args: &[&TExpr],
        env: &Env,
        f: impl FnOnce(&mut Self, &[Val]) -> Result<Val>,
    ) -> Result<Val> {
        let mut merge = None;
        let mut vals = Vec::with_capacity(args.len());
        for (i, a) in args.iter().enumerate() {
            let v = self.expr(a, env)?;
            vals.push(v);
            if a.ty == DataType::Null {
                let nv = self.null_of(ty);
                return Ok(self.end_strict(merge, nv, ty));
            }
            if let Some(n) = v.null() {
                if args[i + 1..].iter().any(|e| can_fail(e)) {
                    let m = match merge {
                        Some(m) => m,
                        None => *merge.insert(self.merge_block(ty)),
                    };
                    let nv = self.null_of(ty);
                    let nargs = self.merge_args(nv);
                    let cont = self.b.create_block();
                    self.b.ins().brif(n, m, &nargs, cont, &[]);
                    self.b.switch_to_block(cont);
                }
            }
        }
        let r = f(self, &vals)?;
        Ok(self.end_strict(merge, r, ty))
    }

    /// [`Gen::strict`] for one more argument after an evaluated value `first`.
    pub fn strict_after(
        &mut self,
        ty: &DataType,
        first: Val,
        next: &TExpr,
        env: &Env,
        f: impl FnOnce(&mut Self, Val) -> Result<Val>,
    ) -> Result<Val> {
        let mut merge = None;
        if let (Some(n), true) = (first.null(), can_fail(next)) {
            let m = self.merge_block(ty);
            merge = Some(m);
            let nv = self.null_of(ty);
            let nargs = self.merge_args(nv);
            let cont = self.b.create_block();
            self.b.ins().brif(n, m, &nargs, cont, &[]);
            self.b.switch_to_block(cont);
        }
        let v = self.expr(next, env)?;
        let r = f(self, v)?;
        Ok(self.end_strict(merge, r, ty))
    }

    fn end_strict(&mut self, merge: Option<Block>, v: Val, ty: &DataType) -> Val {
        match merge {
            None => v,
            Some(m) => {
                self.jump_merge(m, v);
                self.enter_merge(m, ty)
            }
        }
    }

    /// A literal of type `ty` (a NULL literal takes the expression's type).
    fn literal(&mut self, s: &Scalar, ty: &DataType) -> Val {
        let v = match s {
            Scalar::Null => return self.null_of(ty),
            Scalar::Boolean(b) => self.i8c(*b as i64),
            Scalar::Int32(v) => self.b.ins().iconst(types::I32, *v as i64),
            Scalar::Int8(v) => self.i8c(*v as i64),
            Scalar::Int16(v) => self.b.ins().iconst(types::I16, *v as i64),
            Scalar::Date(v) => self.b.ins().iconst(types::I32, *v as i64),
            Scalar::Int64(v) | Scalar::Timestamp(v) | Scalar::TimestampNtz(v) => self.i64c(*v),
            Scalar::Float64(v) => self.b.ins().f64const(*v),
            // Pipelines holding a FLOAT run in the twin (`runs_interpreted`).
            Scalar::Float32(v) => self.b.ins().f32const(*v),
            Scalar::Decimal(v, ..) => self.i128c(*v),
            // Pipelines holding an interval run in the twin (`runs_interpreted`).
            Scalar::YearMonthInterval(v, ..) => self.b.ins().iconst(types::I32, *v as i64),
            Scalar::DayTimeInterval(v, ..) => self.i64c(*v),
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

    /// The address of the kernel's matcher for a LIKE pattern (built once).
    fn like_matcher(&mut self, pattern: &str, ci: bool) -> Result<i64> {
        let key = (pattern.to_string(), ci);
        if let Some(a) = self.owned.like_index.get(&key) {
            return Ok(*a);
        }
        let m = LikeMatcher::new(pattern, ci).map_err(|reason| Error::InvalidRegex {
            pattern: pattern.to_string(),
            reason,
        })?;
        let m = Box::new(m);
        let addr = &*m as *const LikeMatcher as i64;
        self.owned.likes.push(m);
        self.owned.like_index.insert(key, addr);
        Ok(addr)
    }

    /// The address of the kernel's compiled regex for an RLIKE pattern.
    fn regex(&mut self, pattern: &str) -> Result<i64> {
        if let Some(a) = self.owned.regex_index.get(pattern) {
            return Ok(*a);
        }
        let r = regex::Regex::new(pattern).map_err(|err| Error::InvalidRegex {
            pattern: pattern.to_string(),
            reason: err.to_string(),
        })?;
        let r = Box::new(r);
        let addr = &*r as *const regex::Regex as i64;
        self.owned.regexes.push(r);
        self.owned.regex_index.insert(pattern.to_string(), addr);
        Ok(addr)
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
        let utf8 = self.i64c((arg.ty == DataType::Utf8) as i64);
        let r = self.call_value(f, &[m, p, l, utf8], types::I64);
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
        if let Some(set) = crate::in_set::InSet::of(&arg.ty, list) {
            return self.in_set(set, arg, negated, env);
        }
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

impl Gen<'_> {
    /// A long IN list of constants: one call looking the value up in the
    /// kernel-owned set (`crate::in_set`).
    fn in_set(
        &mut self,
        set: crate::in_set::InSet,
        arg: &TExpr,
        negated: bool,
        env: &Env,
    ) -> Result<Val> {
        let has_null = set.has_null;
        let set = Box::new(set);
        let addr = &*set as *const crate::in_set::InSet as i64;
        self.owned.in_sets.push(set);
        let a = self.expr(arg, env)?;
        let m = self.i64c(addr);
        let r = match arg.ty {
            DataType::Utf8 | DataType::Binary => {
                let (p, l) = a.bytes()?;
                let f = helpers::sqlc_in_set_bytes as *const () as usize;
                self.call_value(f, &[m, p, l], types::I64)
            }
            _ => {
                let v = a.v()?;
                let bits = self.bits(v);
                let float = self.i64c((arg.ty == DataType::Float64) as i64);
                let f = helpers::sqlc_in_set_fixed as *const () as usize;
                self.call_value(f, &[m, bits, float], types::I64)
            }
        };
        let hit = self.b.ins().ireduce(types::I8, r);
        // Not found among items holding a NULL: NULL.
        let null = match (a.null(), has_null) {
            (n, false) => n,
            (n, true) => {
                let miss = self.bool_not(hit);
                Some(match n {
                    Some(n) => self.b.ins().bor(n, miss),
                    None => miss,
                })
            }
        };
        let v = if negated { self.bool_not(hit) } else { hit };
        Ok(Val::Fixed { v, null })
    }
}

/// Whether evaluating `e` may raise a runtime error on some row (for the
/// generated code: conservative).
pub fn can_fail(e: &TExpr) -> bool {
    crate::depth::grow(|| can_fail_node(e))
}

fn can_fail_node(e: &TExpr) -> bool {
    use TExprKind::*;
    let own = match &e.kind {
        Unary {
            op: UnaryOp::Neg, ..
        } => e.ty != DataType::Float64 && !e.ty.is_decimal(),
        Binary { op, .. } => match op {
            // Compiled decimal arithmetic is exact and cannot overflow.
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul => {
                e.ty != DataType::Float64 && !e.ty.is_decimal()
            }
            BinaryOp::Div | BinaryOp::Mod | BinaryOp::IntDiv => true,
            _ => false,
        },
        Cast { arg } => super::cast::cast_can_fail(&arg.ty, &e.ty),
        // Interval arithmetic overflows; the rest is not compiled.
        Function { .. } => true,
        Call { func, .. } => match func {
            ScalarFunc::Abs => e.ty != DataType::Float64 && !e.ty.is_decimal(),
            ScalarFunc::ToTimestamp | ScalarFunc::TimestampAdd => true,
            _ => false,
        },
        _ => false,
    };
    own || e.children().into_iter().any(can_fail)
}
