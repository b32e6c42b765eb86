//! Expression evaluation, a column at a time, with Spark's evaluation order:
//! a sub-expression that can raise an error is evaluated only on the rows
//! where Spark evaluates it (the taken branch of a CASE, the right side of
//! AND/OR where the left does not decide, an operand whose sibling is not
//! null, ...): the evaluator filters those rows out, evaluates, and
//! scatters the results back.

use std::collections::HashMap;

use arrow::array::{new_null_array, Array, ArrayRef, BooleanArray};
use arrow::compute::kernels::boolean::{and_kleene, is_not_null, is_null, not, or_kleene};
use regex::Regex;
use std::sync::Arc;

use super::columns::{
    all_true, bools, broadcast, conform, internal, mask_and, mask_and_not, scatter, select,
    true_mask, valid_mask, Cols,
};
use super::{arith, cast, compare, functions};
use crate::error::{Error, Result};
use crate::in_set::{float_key, InSet};
use crate::ir::{BinaryOp, ScalarFunc, TExpr, TExprKind, UnaryOp};
use crate::scalar_fns::LikeMatcher;
use crate::types::DataType;

/// Evaluates expressions; holds the LIKE and RLIKE patterns compiled once.
#[derive(Debug, Default)]
pub struct Evaluator {
    likes: HashMap<(String, bool), LikeMatcher>,
    regexes: HashMap<String, Regex>,
}

/// Whether evaluating `e` may raise a runtime (ANSI) error on some row.
pub fn can_fail(e: &TExpr) -> bool {
    crate::depth::grow(|| can_fail_node(e))
}

fn can_fail_node(e: &TExpr) -> bool {
    let own = match &e.kind {
        TExprKind::Unary {
            op: UnaryOp::Neg, ..
        } => e.ty.is_integer(),
        TExprKind::Binary { op, .. } => match op {
            // Decimals overflow their precision.
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul => e.ty.is_integer() || e.ty.is_decimal(),
            BinaryOp::Div | BinaryOp::Mod | BinaryOp::IntDiv => true,
            _ => false,
        },
        TExprKind::Cast { arg } => cast::can_fail(&arg.ty, &e.ty),
        TExprKind::Call {
            func: ScalarFunc::Abs,
            ..
        } => e.ty.is_integer(),
        TExprKind::Call {
            func: ScalarFunc::ToTimestamp | ScalarFunc::TimestampAdd,
            ..
        } => true,
        // A catalog function may raise (pmod by zero, to_binary of a
        // malformed string, …): evaluated only where Spark would.
        TExprKind::Function { .. } => true,
        _ => false,
    };
    own || e.children().into_iter().any(can_fail)
}

impl Evaluator {
    /// Compiles the patterns of every LIKE/RLIKE in `exprs` and checks casts.
    pub fn new<'a>(exprs: impl IntoIterator<Item = &'a TExpr>) -> Result<Self> {
        let mut ev = Evaluator::default();
        for e in exprs {
            ev.prepare(e)?;
        }
        Ok(ev)
    }

    fn prepare(&mut self, e: &TExpr) -> Result<()> {
        crate::depth::grow(|| self.prepare_node(e))
    }

    #[allow(clippy::map_entry)] // building the value can fail (`?`)
    fn prepare_node(&mut self, e: &TExpr) -> Result<()> {
        match &e.kind {
            TExprKind::Like {
                pattern,
                case_insensitive,
                ..
            } => {
                let key = (pattern.clone(), *case_insensitive);
                if !self.likes.contains_key(&key) {
                    let m = LikeMatcher::new(pattern, *case_insensitive).map_err(|reason| {
                        Error::InvalidRegex {
                            pattern: pattern.clone(),
                            reason,
                        }
                    })?;
                    self.likes.insert(key, m);
                }
            }
            TExprKind::RLike { pattern, .. } => {
                if !self.regexes.contains_key(pattern) {
                    let r = Regex::new(pattern).map_err(|err| Error::InvalidRegex {
                        pattern: pattern.clone(),
                        reason: err.to_string(),
                    })?;
                    self.regexes.insert(pattern.clone(), r);
                }
            }
            TExprKind::Cast { arg } if !cast::supported(&arg.ty, &e.ty) => {
                return Err(Error::TypeMismatch {
                    expr: e.to_string(),
                    reason: format!(
                        "cannot cast {} to {}",
                        arg.ty.spark_name(),
                        e.ty.spark_name()
                    ),
                })
            }
            _ => {}
        }
        for c in e.children() {
            self.prepare(c)?;
        }
        Ok(())
    }

    pub(super) fn like(&self, pattern: &str, ci: bool) -> Result<&LikeMatcher> {
        self.likes
            .get(&(pattern.to_string(), ci))
            .ok_or_else(|| internal("LIKE pattern not prepared"))
    }

    pub(super) fn regex(&self, pattern: &str) -> Result<&Regex> {
        self.regexes
            .get(pattern)
            .ok_or_else(|| internal("RLIKE pattern not prepared"))
    }

    /// `e` over every row of `cols`, as an array of `e.ty`'s Arrow type.
    pub fn eval(&self, e: &TExpr, cols: &Cols) -> Result<ArrayRef> {
        let out = self.eval_raw(e, cols)?;
        if out.len() != cols.len {
            return Err(internal(format!(
                "{e} gave {} rows for {}",
                out.len(),
                cols.len
            )));
        }
        conform(&out, &e.ty.to_arrow())
    }

    /// `e` where `mask` (null-free) is true. Elsewhere the result is
    /// unspecified (null or a value): callers must not read it. Rows outside
    /// the mask are never evaluated when that could raise an error.
    pub fn eval_where(&self, e: &TExpr, mask: &BooleanArray, cols: &Cols) -> Result<ArrayRef> {
        let k = mask.true_count();
        if k == cols.len || !can_fail(e) {
            return self.eval(e, cols);
        }
        if k == 0 {
            return Ok(new_null_array(&e.ty.to_arrow(), cols.len));
        }
        let sub = cols.subset(mask, e)?;
        let v = self.eval(e, &sub)?;
        scatter(mask, &v)
    }

    /// `e` where `guard` has no null (Spark skips a null-intolerant
    /// operand's sibling when the operand is null).
    pub fn eval_unless_null(&self, e: &TExpr, guard: &ArrayRef, cols: &Cols) -> Result<ArrayRef> {
        if guard.logical_null_count() == 0 {
            self.eval(e, cols)
        } else {
            self.eval_where(e, &valid_mask(guard.as_ref()), cols)
        }
    }

    fn eval_raw(&self, e: &TExpr, cols: &Cols) -> Result<ArrayRef> {
        crate::depth::grow(|| self.eval_node(e, cols))
    }

    fn eval_node(&self, e: &TExpr, cols: &Cols) -> Result<ArrayRef> {
        use TExprKind::*;
        Ok(match &e.kind {
            Column { index, name } => cols
                .arrays
                .get(*index)
                .cloned()
                .ok_or_else(|| internal(format!("no column {index} ({name})")))?,
            Literal(v) => broadcast(v, &e.ty, cols.len)?,
            Unary {
                op: UnaryOp::Not,
                arg,
            } => {
                let a = self.eval(arg, cols)?;
                Arc::new(not(bools(a.as_ref())?)?)
            }
            Unary {
                op: UnaryOp::Neg,
                arg,
            } => arith::negate(e, &self.eval(arg, cols)?)?,
            Binary {
                op: BinaryOp::And,
                left,
                right,
            } => self.and_or(true, left, right, cols)?,
            Binary {
                op: BinaryOp::Or,
                left,
                right,
            } => self.and_or(false, left, right, cols)?,
            Binary {
                op: op @ (BinaryOp::Div | BinaryOp::Mod | BinaryOp::IntDiv),
                left,
                right,
            } => arith::div_mod(self, e, *op, left, right, cols)?,
            Binary {
                op: BinaryOp::EqNullSafe,
                left,
                right,
            } => {
                let l = self.eval(left, cols)?;
                let r = self.eval(right, cols)?;
                Arc::new(compare::eq_null_safe(&left.ty, &l, &r)?)
            }
            Binary { op, left, right } => {
                let l = self.eval(left, cols)?;
                let r = self.eval_unless_null(right, &l, cols)?;
                if op.is_comparison() {
                    Arc::new(compare::compare(*op, &left.ty, &l, &r)?)
                } else {
                    arith::arith(e, *op, &l, &r)?
                }
            }
            IsNull(a) => Arc::new(is_null(self.eval(a, cols)?.as_ref())?),
            IsNotNull(a) => Arc::new(is_not_null(self.eval(a, cols)?.as_ref())?),
            Like {
                arg,
                pattern,
                negated,
                case_insensitive,
            } => {
                let m = self.like(pattern, *case_insensitive)?;
                functions::match_strings(&self.eval(arg, cols)?, *negated, |s| m.matches(s))?
            }
            RLike {
                arg,
                pattern,
                negated,
            } => {
                let r = self.regex(pattern)?;
                functions::match_strings(&self.eval(arg, cols)?, *negated, |s| r.is_match(s))?
            }
            InList { arg, list, negated } => self.in_list(arg, list, *negated, cols)?,
            Case {
                branches,
                otherwise,
            } => self.case(e, branches, otherwise.as_deref(), cols)?,
            Cast { arg } => cast::cast(e, &arg.ty, &self.eval(arg, cols)?)?,
            Coalesce(args) => self.coalesce(e, args, cols)?,
            Call { func, args } => functions::call(self, e, *func, args, cols)?,
            Function { func, args } => {
                let argv = args
                    .iter()
                    .map(|a| self.eval(a, cols))
                    .collect::<Result<Vec<_>>>()?;
                func.0.invoke(&argv, cols.len)?
            }
            GetField { arg, index } => super::structs::get_field(&self.eval(arg, cols)?, *index)?,
        })
    }

    /// Kleene AND (`is_and`) or OR; the right side only where the left does
    /// not decide the result.
    fn and_or(&self, is_and: bool, left: &TExpr, right: &TExpr, cols: &Cols) -> Result<ArrayRef> {
        let l = self.eval(left, cols)?;
        let lb = bools(l.as_ref())?;
        let decided = if is_and {
            mask_and_not(&valid_mask(lb), &true_mask(lb))
        } else {
            true_mask(lb)
        };
        let need = BooleanArray::new(!decided.values(), None);
        let r = self.eval_where(right, &need, cols)?;
        let rb = bools(r.as_ref())?;
        Ok(Arc::new(if is_and {
            and_kleene(lb, rb)?
        } else {
            or_kleene(lb, rb)?
        }))
    }

    fn case(
        &self,
        e: &TExpr,
        branches: &[(TExpr, TExpr)],
        otherwise: Option<&TExpr>,
        cols: &Cols,
    ) -> Result<ArrayRef> {
        let mut result = new_null_array(&e.ty.to_arrow(), cols.len);
        let mut remaining = all_true(cols.len);
        for (cond, value) in branches {
            if remaining.true_count() == 0 {
                return Ok(result);
            }
            let c = self.eval_where(cond, &remaining, cols)?;
            let take = mask_and(&remaining, &true_mask(bools(c.as_ref())?));
            if take.true_count() > 0 {
                let v = self.eval_where(value, &take, cols)?;
                result = select(&take, &v, &result)?;
            }
            remaining = mask_and_not(&remaining, &take);
        }
        if let Some(o) = otherwise {
            if remaining.true_count() > 0 {
                let v = self.eval_where(o, &remaining, cols)?;
                result = select(&remaining, &v, &result)?;
            }
        }
        Ok(result)
    }

    fn coalesce(&self, e: &TExpr, args: &[TExpr], cols: &Cols) -> Result<ArrayRef> {
        let Some((first, rest)) = args.split_first() else {
            return Ok(new_null_array(&e.ty.to_arrow(), cols.len));
        };
        let mut result = conform(&self.eval(first, cols)?, &e.ty.to_arrow())?;
        for a in rest {
            let missing = BooleanArray::new(!valid_mask(result.as_ref()).values(), None);
            if missing.true_count() == 0 {
                break;
            }
            let v = self.eval_where(a, &missing, cols)?;
            result = select(&missing, &v, &result)?;
        }
        Ok(result)
    }

    /// `arg IN (list)`: items are evaluated in order, only for rows whose
    /// value is not null and not matched yet (as Spark's generated code).
    fn in_list(&self, arg: &TExpr, list: &[TExpr], negated: bool, cols: &Cols) -> Result<ArrayRef> {
        if let Some(set) = InSet::of(&arg.ty, list) {
            return in_set(&set, &self.eval(arg, cols)?, &arg.ty, negated);
        }
        let v = self.eval(arg, cols)?;
        let valid = valid_mask(v.as_ref());
        let mut remaining = valid.clone();
        let mut matched =
            BooleanArray::new(arrow::buffer::BooleanBuffer::new_unset(cols.len), None);
        let mut saw_null = matched.clone();
        for item in list {
            if remaining.true_count() == 0 {
                break;
            }
            let it = self.eval_where(item, &remaining, cols)?;
            let eq = compare::compare(BinaryOp::Eq, &arg.ty, &v, &it)?;
            let hit = mask_and(&remaining, &true_mask(&eq));
            let null_item = mask_and_not(&remaining, &valid_mask(it.as_ref()));
            saw_null = BooleanArray::new(saw_null.values() | null_item.values(), None);
            matched = BooleanArray::new(matched.values() | hit.values(), None);
            remaining = mask_and_not(&remaining, &hit);
        }
        let out: BooleanArray = (0..cols.len)
            .map(|i| {
                if !valid.value(i) {
                    None
                } else if matched.value(i) {
                    Some(!negated)
                } else if saw_null.value(i) {
                    None
                } else {
                    Some(negated)
                }
            })
            .collect();
        Ok(Arc::new(out))
    }
}

/// `v IN set` per row: true when found, NULL when `v` is NULL or not found
/// among a list holding a NULL, false otherwise (negated: NOT of that).
fn in_set(set: &InSet, v: &ArrayRef, ty: &DataType, negated: bool) -> Result<ArrayRef> {
    use arrow::array::AsArray;
    use arrow::datatypes::{
        Date32Type, Float64Type, Int32Type, Int64Type, TimestampMicrosecondType,
    };
    let found: Vec<bool> = match ty {
        DataType::Utf8 => (v.as_string::<i32>().iter())
            .map(|s| s.is_some_and(|s| set.contains_bytes(s.as_bytes())))
            .collect(),
        DataType::Binary => (v.as_binary::<i32>().iter())
            .map(|b| b.is_some_and(|b| set.contains_bytes(b)))
            .collect(),
        DataType::Float64 => (v.as_primitive::<Float64Type>().values().iter())
            .map(|&x| set.contains_fixed(float_key(x)))
            .collect(),
        DataType::Int32 => (v.as_primitive::<Int32Type>().values().iter())
            .map(|&x| set.contains_fixed(x as i64))
            .collect(),
        DataType::Date => (v.as_primitive::<Date32Type>().values().iter())
            .map(|&x| set.contains_fixed(x as i64))
            .collect(),
        DataType::Int64 => (v.as_primitive::<Int64Type>().values().iter())
            .map(|&x| set.contains_fixed(x))
            .collect(),
        DataType::Timestamp => (v.as_primitive::<TimestampMicrosecondType>().values().iter())
            .map(|&x| set.contains_fixed(x))
            .collect(),
        DataType::Boolean => (0..v.len())
            .map(|i| set.contains_fixed(v.as_boolean().value(i) as i64))
            .collect(),
        t => return Err(internal(format!("IN set over {t}"))),
    };
    let out: BooleanArray = found
        .into_iter()
        .enumerate()
        .map(|(i, hit)| {
            if v.is_null(i) || (!hit && set.has_null) {
                None
            } else {
                Some(hit != negated)
            }
        })
        .collect();
    Ok(Arc::new(out))
}
