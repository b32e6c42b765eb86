//! Array functions over whole arrays, with Spark's semantics: the set
//! operations `array_union`, `array_intersect`, `array_except` (distinct
//! elements, first appearance order, one null kept as a value),
//! `arrays_overlap` (three-valued), and the reshaping `flatten`,
//! `array_compact`, `array_append`, `array_prepend` and `array_sort`
//! (ascending, nulls last). Values are compared in Arrow's row format, as
//! in [`super::array`].

use std::collections::HashSet;

use arrow::array::{Array, ArrayRef};
use arrow::compute::concat;

use super::args::*;
use super::array::{as_array, comparable, element_type, list, list_type, pick_list, positions};
use super::{FunctionRef, Resolved, ScalarFunction};
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::ir::TExpr;
use crate::scalar_function;
use crate::types::DataType;

pub fn register(v: &mut Vec<FunctionRef>) {
    for kind in [Kind::Union, Kind::Intersect, Kind::Except] {
        v.push(FunctionRef::new(SetFn { kind }));
    }
    v.extend([
        FunctionRef::new(ArraysOverlap),
        FunctionRef::new(Flatten),
        FunctionRef::new(ArrayCompact),
        FunctionRef::new(ArrayAdd { front: false }),
        FunctionRef::new(ArrayAdd { front: true }),
        FunctionRef::new(ArraySort),
    ]);
}

/// Two array arguments cast to arrays of their common element type.
fn two_arrays(args: Vec<TExpr>, call: &Expr, name: &str) -> Result<(TExpr, TExpr, DataType)> {
    arity(name, &args, 2, 2)?;
    let mut it = args.into_iter();
    let (a, b) = (
        as_array(it.next().expect("arity"))?,
        as_array(it.next().expect("arity"))?,
    );
    let ((ea, na), (eb, nb)) = (element_type(&a, 1, call)?, element_type(&b, 2, call)?);
    let t = crate::resolve::common_type(&ea, &eb).ok_or_else(|| {
        Error::analysis(
            "DATATYPE_MISMATCH.BINARY_ARRAY_DIFF_TYPES",
            format!(
                "Cannot resolve \"{call}\" due to data type mismatch: Input to function `{name}` should have been two \"ARRAY\" with same element type, but it's [\"{}\", \"{}\"].",
                a.ty.spark_name().to_uppercase(),
                b.ty.spark_name().to_uppercase()
            ),
        )
    })?;
    let ty = DataType::Array(Box::new(t.clone()), na || nb);
    let a = crate::resolve::cast(a, ty.clone())?;
    let b = crate::resolve::cast(b, ty.clone())?;
    Ok((a, b, ty))
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Union,
    Intersect,
    Except,
}

/// `array_union`, `array_intersect`, `array_except`.
pub struct SetFn {
    kind: Kind,
}

impl ScalarFunction for SetFn {
    fn name(&self) -> &'static str {
        match self.kind {
            Kind::Union => "array_union",
            Kind::Intersect => "array_intersect",
            Kind::Except => "array_except",
        }
    }
    fn usage(&self) -> &'static str {
        match self.kind {
            Kind::Union => "array_union(array1, array2) - Returns an array of the elements in the union of array1 and array2, without duplicates.",
            Kind::Intersect => "array_intersect(array1, array2) - Returns an array of the elements in the intersection of array1 and array2, without duplicates.",
            Kind::Except => "array_except(array1, array2) - Returns an array of the elements in array1 but not in array2, without duplicates.",
        }
    }
    fn resolve(&self, args: Vec<TExpr>, call: &Expr) -> Result<Resolved> {
        let (a, b, ty) = two_arrays(args, call, self.name())?;
        let nullable = a.nullable || b.nullable;
        Ok(Resolved {
            func: FunctionRef::new(SetFn { kind: self.kind }),
            args: vec![a, b],
            ty,
            nullable,
        })
    }
    fn invoke(&self, args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
        let (la, lb) = (list(&args[0])?, list(&args[1])?);
        let values = concat(&[la.values().as_ref(), lb.values().as_ref()])?;
        let cmp = comparable(&[&values])?;
        let base = la.values().len();
        let is_null = |k: usize| values.is_null(k);
        let picks = (0..rows)
            .map(|r| {
                let (pa, pb) = (positions(la, r)?, positions(lb, r)?);
                let in_b: HashSet<_> = pb
                    .clone()
                    .map(|k| (!is_null(base + k)).then(|| cmp.row(base + k)))
                    .collect();
                let mut seen = HashSet::new();
                let mut out = Vec::new();
                let mut take = |k: usize| {
                    let key = (!is_null(k)).then(|| cmp.row(k));
                    if seen.insert(key) {
                        out.push(Some(k as u32));
                    }
                };
                match self.kind {
                    Kind::Union => {
                        pa.for_each(&mut take);
                        pb.map(|k| base + k).for_each(&mut take);
                    }
                    Kind::Intersect | Kind::Except => {
                        let keep = self.kind == Kind::Intersect;
                        for k in pa {
                            let key = (!is_null(k)).then(|| cmp.row(k));
                            if in_b.contains(&key) == keep {
                                take(k);
                            }
                        }
                    }
                }
                Some(out)
            })
            .collect();
        let (elem, n) = list_type(la);
        pick_list(&values, picks, &elem, n)
    }
}

scalar_function!(
    /// `arrays_overlap(a, b)`: true when they share a non-null element;
    /// else null when both are non-empty and either holds a null; else false.
    ArraysOverlap, "arrays_overlap", [], "arrays_overlap(a1, a2) - Returns true if a1 contains at least a non-null element present also in a2. If the arrays have no common element and they are both non-empty and either of them contains a null element null is returned, false otherwise.",
    resolve(this, args, call) {
        let (a, b, _) = two_arrays(args, call, "arrays_overlap")?;
        Ok(Resolved { func: this, args: vec![a, b], ty: DataType::Boolean, nullable: true })
    }
    invoke(a, rows) {
        let (la, lb) = (list(&a[0])?, list(&a[1])?);
        let values = concat(&[la.values().as_ref(), lb.values().as_ref()])?;
        let cmp = comparable(&[&values])?;
        let base = la.values().len();
        collect_bool(rows, |r| {
            let (Some(pa), Some(pb)) = (positions(la, r), positions(lb, r)) else { return Ok(None) };
            let mut nulls = false;
            let mut in_a = HashSet::new();
            for k in pa.clone() {
                if values.is_null(k) { nulls = true } else { in_a.insert(cmp.row(k)); }
            }
            for k in pb.clone() {
                if values.is_null(base + k) { nulls = true; continue; }
                if in_a.contains(&cmp.row(base + k)) { return Ok(Some(true)); }
            }
            Ok(if nulls && !pa.is_empty() && !pb.is_empty() { None } else { Some(false) })
        })
    }
);

scalar_function!(
    /// `flatten(array<array<T>>)`: the inner arrays concatenated; null if
    /// any inner array is null.
    Flatten, "flatten", [], "flatten(arrayOfArrays) - Transforms an array of arrays into a single array.",
    resolve(this, args, call) {
        arity("flatten", &args, 1, 1)?;
        let a = as_array(args.into_iter().next().expect("arity"))?;
        let (inner, _) = element_type(&a, 1, call)?;
        let ty = match inner {
            DataType::Array(..) => inner,
            DataType::Null => DataType::array_of(DataType::Null),
            other => return Err(Error::analysis("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", format!(
                "Cannot resolve \"{call}\" due to data type mismatch: the first parameter requires the \"ARRAY<ARRAY>\" type, however it is an array of \"{}\".",
                other.spark_name().to_uppercase()))),
        };
        Ok(Resolved { func: this, args: vec![a], ty, nullable: true })
    }
    invoke(a, rows) {
        let outer = list(&a[0])?;
        let inner = list(outer.values())?;
        let picks = (0..rows).map(|r| {
            let p = positions(outer, r)?;
            let mut out = Vec::new();
            for k in p {
                let q = positions(inner, k)?;
                out.extend(q.map(|v| Some(v as u32)));
            }
            Some(out)
        }).collect();
        let (elem, n) = list_type(inner);
        pick_list(inner.values(), picks, &elem, n)
    }
);

scalar_function!(
    /// `array_compact(a)`: without its nulls.
    ArrayCompact, "array_compact", [], "array_compact(array) - Removes null values from the array.",
    resolve(this, args, call) {
        arity("array_compact", &args, 1, 1)?;
        let a = as_array(args.into_iter().next().expect("arity"))?;
        let (elem, _) = element_type(&a, 1, call)?;
        let nullable = a.nullable;
        Ok(Resolved { func: this, args: vec![a], ty: DataType::Array(Box::new(elem), false), nullable })
    }
    invoke(a, rows) {
        let l = list(&a[0])?;
        let picks = (0..rows).map(|r| {
            Some(positions(l, r)?.filter(|&k| !l.values().is_null(k)).map(|k| Some(k as u32)).collect())
        }).collect();
        let (elem, _) = list_type(l);
        pick_list(l.values(), picks, &elem, false)
    }
);

/// `array_append(a, e)` / `array_prepend(a, e)`: `a` with `e` added at the
/// end (front); null when `a` is.
pub struct ArrayAdd {
    front: bool,
}

impl ScalarFunction for ArrayAdd {
    fn name(&self) -> &'static str {
        if self.front {
            "array_prepend"
        } else {
            "array_append"
        }
    }
    fn usage(&self) -> &'static str {
        if self.front {
            "array_prepend(array, element) - Adds the element at the beginning of the array."
        } else {
            "array_append(array, element) - Adds the element at the end of the array."
        }
    }
    fn resolve(&self, args: Vec<TExpr>, call: &Expr) -> Result<Resolved> {
        arity(self.name(), &args, 2, 2)?;
        let mut it = args.into_iter();
        let (a, e) = (
            as_array(it.next().expect("arity"))?,
            it.next().expect("arity"),
        );
        let (elem, n) = element_type(&a, 1, call)?;
        let t = crate::resolve::common_type(&elem, &e.ty).ok_or_else(|| {
            Error::analysis(
                "DATATYPE_MISMATCH.ARRAY_FUNCTION_DIFF_TYPES",
                format!(
                    "Cannot resolve \"{call}\" due to data type mismatch: Input to `{}` should have been \"ARRAY\" followed by a value with same element type, but it's [\"{}\", \"{}\"].",
                    self.name(),
                    a.ty.spark_name().to_uppercase(),
                    e.ty.spark_name().to_uppercase()
                ),
            )
        })?;
        let ty = DataType::Array(Box::new(t.clone()), n || e.nullable);
        let a = crate::resolve::cast(a, ty.clone())?;
        let e = crate::resolve::cast(e, t)?;
        let nullable = a.nullable;
        Ok(Resolved {
            func: FunctionRef::new(ArrayAdd { front: self.front }),
            args: vec![a, e],
            ty,
            nullable,
        })
    }
    fn invoke(&self, a: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
        let l = list(&a[0])?;
        let e = arrow::compute::cast(&a[1], l.values().data_type())?;
        let values = concat(&[l.values().as_ref(), e.as_ref()])?;
        let base = l.values().len();
        let picks = (0..rows)
            .map(|r| {
                let p = positions(l, r)?;
                let added = Some((base + r) as u32);
                let mut out: Vec<Option<u32>> = p.map(|k| Some(k as u32)).collect();
                if self.front {
                    out.insert(0, added);
                } else {
                    out.push(added);
                }
                Some(out)
            })
            .collect();
        let (elem, _) = list_type(l);
        pick_list(&values, picks, &elem, true)
    }
}

scalar_function!(
    /// `array_sort(a)`: ascending, nulls last (unlike `sort_array`).
    ArraySort, "array_sort", [], "array_sort(expr) - Sorts the input array in ascending order; null elements are placed at the end of the returned array.",
    resolve(this, args, call) {
        arity("array_sort", &args, 1, 1)?;
        let a = as_array(args.into_iter().next().expect("arity"))?;
        element_type(&a, 1, call)?;
        let (ty, nullable) = (a.ty.clone(), a.nullable);
        Ok(Resolved { func: this, args: vec![a], ty, nullable })
    }
    invoke(a, rows) {
        let l = list(&a[0])?;
        let cmp = comparable(&[l.values()])?;
        let picks = (0..rows).map(|r| {
            let mut ks: Vec<usize> = positions(l, r)?.collect();
            ks.sort_by(|&x, &y| match (l.values().is_null(x), l.values().is_null(y)) {
                (true, true) => std::cmp::Ordering::Equal,
                (true, false) => std::cmp::Ordering::Greater,
                (false, true) => std::cmp::Ordering::Less,
                _ => cmp.row(x).cmp(&cmp.row(y)),
            });
            Some(ks.into_iter().map(|k| Some(k as u32)).collect())
        }).collect();
        let (elem, n) = list_type(l);
        pick_list(l.values(), picks, &elem, n)
    }
);
