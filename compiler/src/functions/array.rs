//! Array functions, with Spark 4's (ANSI) semantics: `array`, `split`,
//! `size`, `element_at`, `get`, `a[i]`, `array_contains`, `array_position`,
//! `array_join`, `sort_array`, `array_distinct`, `array_max`/`array_min`,
//! `array_repeat`, `slice`, `sequence`, `array_remove`.
//!
//! Arrays are Arrow lists (item field `item`, see
//! [`crate::types::list_item`]). Most functions pick, per row, positions in
//! the list's flat values and build the result with one `take`; values are
//! compared through Arrow's row format, which orders and hashes every type
//! as Spark's comparison does for these types.

use std::collections::HashSet;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, Int32Array, Int64Array, ListArray, UInt32Array};
use arrow::buffer::{NullBuffer, OffsetBuffer};
use arrow::compute::{concat, take};
use arrow::row::{RowConverter, Rows, SortField};
use regex::Regex;

use super::args::*;
use super::{FunctionRef, Resolved, ScalarFunction};
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::ir::TExpr;
use crate::scalar_function;
use crate::types::{list_item, DataType, Scalar};

pub fn register(v: &mut Vec<FunctionRef>) {
    v.extend([
        FunctionRef::new(MakeArray),
        FunctionRef::new(Split { re: None }),
        FunctionRef::new(Size),
        FunctionRef::new(ArraySize),
        FunctionRef::new(ElementAt { try_: false }),
        FunctionRef::new(ElementAt { try_: true }),
        FunctionRef::new(Get),
        FunctionRef::new(ArrayContains),
        FunctionRef::new(ArrayPosition),
        FunctionRef::new(ArrayJoin),
        FunctionRef::new(SortArray),
        FunctionRef::new(ArrayDistinct),
        FunctionRef::new(ArrayExtreme { max: true }),
        FunctionRef::new(ArrayExtreme { max: false }),
        FunctionRef::new(ArrayRepeat),
        FunctionRef::new(Slice),
        FunctionRef::new(Sequence),
        FunctionRef::new(ArrayRemove),
    ]);
}

// ---- shared plumbing ----

pub(super) fn list(a: &ArrayRef) -> Result<&ListArray> {
    a.as_list_opt::<i32>().ok_or_else(|| {
        Error::internal(format!(
            "an array function got {} for an array",
            a.data_type()
        ))
    })
}

/// The element type of an array argument, or Spark's type error.
pub(super) fn element_type(arg: &TExpr, i: usize, call: &Expr) -> Result<(DataType, bool)> {
    match &arg.ty {
        DataType::Array(e, n) => Ok(((**e).clone(), *n)),
        DataType::Null => Ok((DataType::Null, true)),
        other => Err(Error::analysis(
            "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
            format!(
                "Cannot resolve \"{call}\" due to data type mismatch: the {} parameter requires the \"ARRAY\" type, however \"{arg}\" has the type \"{}\".",
                if i == 1 { "first" } else { "second" },
                other.spark_name().to_uppercase()
            ),
        )),
    }
}

/// Casts a NULL-typed argument to an array of nulls so the twin sees a list.
pub(super) fn as_array(arg: TExpr) -> Result<TExpr> {
    if arg.ty == DataType::Null {
        return crate::resolve::cast(arg, DataType::array_of(DataType::Null));
    }
    Ok(arg)
}

/// A list of `rows` rows: row `r` holds the flat `values` at the positions
/// `picks[r]`, or is null. `None` inside a pick is a null element.
pub(super) fn pick_list(
    values: &ArrayRef,
    picks: Vec<Option<Vec<Option<u32>>>>,
    element: &DataType,
    contains_null: bool,
) -> Result<ArrayRef> {
    let mut offsets = Vec::with_capacity(picks.len() + 1);
    offsets.push(0i32);
    let mut idx: Vec<Option<u32>> = Vec::new();
    let mut valid = Vec::with_capacity(picks.len());
    for p in picks {
        valid.push(p.is_some());
        if let Some(p) = p {
            idx.extend(p);
        }
        offsets.push(i32::try_from(idx.len()).map_err(|_| {
            Error::execution(
                "COLLECTION_SIZE_LIMIT_EXCEEDED",
                "an array result holds more than 2^31 elements",
            )
        })?);
    }
    let flat = take(values.as_ref(), &UInt32Array::from(idx), None)?;
    let flat = conform(flat, element)?;
    let nulls = NullBuffer::from(valid);
    Ok(Arc::new(ListArray::try_new(
        list_item(element, contains_null),
        OffsetBuffer::new(offsets.into()),
        flat,
        Some(nulls).filter(|n| n.null_count() > 0),
    )?))
}

/// Flat values as the element type's Arrow type.
fn conform(a: ArrayRef, element: &DataType) -> Result<ArrayRef> {
    Ok(crate::types::conform_array(a, &element.to_arrow())?)
}

/// Row `r`'s positions in the flat values, or `None` when it is null.
pub(super) fn positions(l: &ListArray, r: usize) -> Option<std::ops::Range<usize>> {
    if l.is_null(r) {
        return None;
    }
    let o = l.value_offsets();
    Some(o[r] as usize..o[r + 1] as usize)
}

/// The flat values of `l` (and of `others`, appended) in Arrow's row format.
pub(super) fn comparable(arrays: &[&ArrayRef]) -> Result<Rows> {
    let t = arrays[0].data_type().clone();
    let conv = RowConverter::new(vec![SortField::new(t.clone())])?;
    let parts: Vec<ArrayRef> = arrays
        .iter()
        .map(|a| {
            conform(
                (*a).clone(),
                &DataType::from_arrow(&t).unwrap_or(DataType::Null),
            )
        })
        .collect::<Result<_>>()?;
    let refs: Vec<&dyn Array> = parts.iter().map(|p| p.as_ref()).collect();
    let all = concat(&refs)?;
    Ok(conv.convert_columns(&[all])?)
}

/// Finds a common element type for a value searched in an array.
fn search_args(args: Vec<TExpr>, call: &Expr) -> Result<(TExpr, TExpr)> {
    let mut it = args.into_iter();
    let (a, v) = (
        as_array(it.next().expect("arity"))?,
        it.next().expect("arity"),
    );
    let (elem, _) = element_type(&a, 1, call)?;
    let t = crate::resolve::common_type(&elem, &v.ty).ok_or_else(|| {
        Error::analysis(
            "DATATYPE_MISMATCH.ARRAY_FUNCTION_DIFF_TYPES",
            format!(
                "Cannot resolve \"{call}\" due to data type mismatch: Input to `{}` should have been \"ARRAY\" followed by a value with same element type, but it's [\"{}\", \"{}\"].",
                call_name(call),
                a.ty.spark_name().to_uppercase(),
                v.ty.spark_name().to_uppercase()
            ),
        )
    })?;
    let a = crate::resolve::cast(a, DataType::Array(Box::new(t.clone()), true))?;
    let v = crate::resolve::cast(v, t)?;
    Ok((a, v))
}

fn call_name(call: &Expr) -> String {
    match call {
        Expr::Function { name, .. } => name.to_lowercase(),
        other => other.to_string(),
    }
}

// ---- constructors ----

scalar_function!(
    /// `array(e1, e2, …)`: the values as an array of their common type.
    MakeArray, "array", [], "array(expr, ...) - Returns an array with the given elements.",
    resolve(this, args, call) {
        let mut t = DataType::Null;
        for a in &args {
            t = crate::resolve::common_type(&t, &a.ty).ok_or_else(|| Error::analysis(
                "DATATYPE_MISMATCH.DATA_DIFF_TYPES",
                format!("Cannot resolve \"{call}\" due to data type mismatch: Input to `array` should all be the same type, but it's {}.",
                    args.iter().map(|a| format!("\"{}\"", a.ty.spark_name().to_uppercase())).collect::<Vec<_>>().join(", ")),
            ))?;
        }
        let contains_null = args.iter().any(|a| a.nullable);
        let args = args.into_iter().map(|a| crate::resolve::cast(a, t.clone())).collect::<Result<Vec<_>>>()?;
        Ok(Resolved { func: this, args, ty: DataType::Array(Box::new(t), contains_null), nullable: false })
    }
    invoke(a, rows) {
        let k = a.len();
        let element = a.first().and_then(|x| DataType::from_arrow(x.data_type())).unwrap_or(DataType::Null);
        if k == 0 {
            let empty = arrow::array::new_null_array(&element.to_arrow(), 0);
            return pick_list(&empty, vec![Some(vec![]); rows], &element, false);
        }
        let refs: Vec<&dyn Array> = a.iter().map(|x| x.as_ref()).collect();
        let all = concat(&refs)?;
        let picks = (0..rows)
            .map(|r| Some((0..k).map(|i| Some((i * rows + r) as u32)).collect()))
            .collect();
        pick_list(&all, picks, &element, true)
    }
);

/// `split(str, regex[, limit])`: Java's `String.split`, as Spark calls it
/// (a limit ≤ 0 keeps trailing empty strings; an empty pattern splits into
/// characters). The pattern must be a literal; it is compiled once.
pub struct Split {
    re: Option<Arc<Regex>>,
}

impl ScalarFunction for Split {
    fn name(&self) -> &'static str {
        "split"
    }
    fn usage(&self) -> &'static str {
        "split(str, regex[, limit]) - Splits `str` around occurrences that match `regex` and returns an array with a length of at most `limit` (all when limit <= 0)."
    }
    fn resolve(&self, args: Vec<TExpr>, call: &Expr) -> Result<Resolved> {
        arity("split", &args, 2, 3)?;
        let mut r = typed(
            &FunctionRef::new(Split { re: None }),
            args,
            &[DataType::Utf8, DataType::Utf8, DataType::Int32],
            DataType::Array(Box::new(DataType::Utf8), false),
            call,
        )?;
        let re = match literal_str(&r.args[1], "split", "pattern")? {
            Some(p) => Some(Arc::new(super::regex::compile(p)?)),
            None => None,
        };
        r.func = FunctionRef(Arc::new(Split { re }));
        Ok(r)
    }
    fn invoke(&self, a: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
        let s = strs(&a[0])?;
        let limit = a.get(2).map(i32s).transpose()?;
        let mut values = arrow::array::StringBuilder::new();
        let mut offsets = vec![0i32];
        let mut valid = Vec::with_capacity(rows);
        let mut n = 0i32;
        for i in 0..rows {
            let lim = match limit {
                Some(l) => l.at(i),
                None => Some(-1),
            };
            match (s.at(i), &self.re, lim) {
                (Some(text), Some(re), Some(lim)) => {
                    for part in java_split(text, re, lim) {
                        values.append_value(part);
                        n += 1;
                    }
                    valid.push(true);
                }
                _ => valid.push(false),
            }
            offsets.push(n);
        }
        Ok(Arc::new(ListArray::try_new(
            list_item(&DataType::Utf8, false),
            OffsetBuffer::new(offsets.into()),
            Arc::new(values.finish()),
            Some(NullBuffer::from(valid)).filter(|b| b.null_count() > 0),
        )?))
    }
}

/// Java's `String.split(regex, limit)` with Spark's tweaks: limit 0 is -1,
/// and an empty pattern splits a non-empty string into its characters.
pub fn java_split<'s>(s: &'s str, re: &Regex, limit: i32) -> Vec<&'s str> {
    let limit = if limit <= 0 {
        usize::MAX
    } else {
        limit as usize
    };
    if re.as_str().is_empty() && !s.is_empty() {
        let mut out: Vec<&str> = Vec::new();
        let mut rest = s;
        while out.len() + 1 < limit {
            let Some(c) = rest.chars().next() else { break };
            out.push(&rest[..c.len_utf8()]);
            rest = &rest[c.len_utf8()..];
            if rest.is_empty() {
                return out;
            }
        }
        out.push(rest);
        return out;
    }
    let mut out = Vec::new();
    let mut last = 0;
    for m in re.find_iter(s) {
        if out.len() + 1 >= limit {
            break;
        }
        // A zero-width match at the start gives no leading empty string.
        if m.end() == 0 {
            continue;
        }
        out.push(&s[last..m.start()]);
        last = m.end();
    }
    out.push(&s[last..]);
    out
}

scalar_function!(
    /// `array_repeat(e, n)`: `e` `n` times (none when `n` ≤ 0).
    ArrayRepeat, "array_repeat", [], "array_repeat(element, count) - Returns the array containing element count times.",
    resolve(this, args, call) {
        arity("array_repeat", &args, 2, 2)?;
        let mut it = args.into_iter();
        let e = it.next().expect("arity");
        let n = coerce(it.next().expect("arity"), &DataType::Int32, 2, call)?;
        let nullable = n.nullable;
        let ty = DataType::Array(Box::new(e.ty.clone()), e.nullable);
        Ok(Resolved { func: this, args: vec![e, n], ty, nullable })
    }
    invoke(a, rows) {
        let n = i32s(&a[1])?;
        let element = DataType::from_arrow(a[0].data_type()).unwrap_or(DataType::Null);
        let picks = (0..rows)
            .map(|r| n.at(r).map(|k| (0..k.max(0)).map(|_| Some(r as u32)).collect()))
            .collect();
        pick_list(&a[0], picks, &element, true)
    }
);

scalar_function!(
    /// `sequence(start, stop[, step])` over integers: inclusive, the step
    /// 1 or -1 by default.
    Sequence, "sequence", [], "sequence(start, stop[, step]) - Generates an array of integers from start to stop (inclusive), incrementing by step.",
    resolve(this, args, call) {
        arity("sequence", &args, 2, 3)?;
        let t = if args.iter().any(|a| a.ty == DataType::Int64) { DataType::Int64 } else { DataType::Int32 };
        if let Some(a) = args.iter().find(|a| !a.ty.is_integer() && a.ty != DataType::Null) {
            return Err(Error::analysis("DATATYPE_MISMATCH.SEQUENCE_WRONG_INPUT_TYPES", format!(
                "Cannot resolve \"{call}\" due to data type mismatch: `sequence` uses the wrong parameter type. The parameter type must conform to: the start and stop expressions must resolve to the same type (an integral type here, not \"{}\").",
                a.ty.spark_name().to_uppercase())));
        }
        let mut r = typed(&this, args, std::slice::from_ref(&t), DataType::Array(Box::new(t.clone()), false), call)?;
        r.nullable = r.args.iter().any(|a| a.nullable);
        Ok(r)
    }
    invoke(a, rows) {
        let get = |x: &ArrayRef, i: usize| -> Result<Option<i64>> {
            Ok(match x.data_type() {
                arrow::datatypes::DataType::Int32 => i32s(x)?.at(i).map(i64::from),
                _ => i64s(x)?.at(i),
            })
        };
        let wide = *a[0].data_type() == arrow::datatypes::DataType::Int64;
        let mut vals: Vec<i64> = Vec::new();
        let mut offsets = vec![0i32];
        let mut valid = Vec::with_capacity(rows);
        for r in 0..rows {
            let (start, stop) = (get(&a[0], r)?, get(&a[1], r)?);
            let step = match a.get(2) { Some(s) => get(s, r)?, None => match (start, stop) {
                (Some(x), Some(y)) => Some(if x <= y { 1 } else { -1 }),
                _ => None,
            }};
            match (start, stop, step) {
                (Some(x), Some(y), Some(s)) => {
                    if s == 0 && x != y || (s > 0 && x > y) || (s < 0 && x < y) {
                        return Err(Error::execution("ILLEGAL_SEQUENCE_BOUNDARIES", format!(
                            "Illegal sequence boundaries: {x} to {y} by {s}")));
                    }
                    let len = if s == 0 { 1 } else { ((y - x) / s + 1) as u64 };
                    if len > 100_000_000 || vals.len() as u64 + len > i32::MAX as u64 {
                        return Err(Error::execution("COLLECTION_SIZE_LIMIT_EXCEEDED", format!(
                            "Can't create array with {len} elements which exceeding the array size limit 2147483632.")));
                    }
                    let mut v = x;
                    for _ in 0..len { vals.push(v); v = v.wrapping_add(s); }
                    valid.push(true);
                }
                _ => valid.push(false),
            }
            offsets.push(vals.len() as i32);
        }
        let (values, elem): (ArrayRef, DataType) = if wide {
            (Arc::new(Int64Array::from(vals)), DataType::Int64)
        } else {
            (Arc::new(Int32Array::from(vals.into_iter().map(|v| v as i32).collect::<Vec<_>>())), DataType::Int32)
        };
        Ok(Arc::new(ListArray::try_new(
            list_item(&elem, false),
            OffsetBuffer::new(offsets.into()),
            values,
            Some(NullBuffer::from(valid)).filter(|b| b.null_count() > 0),
        )?))
    }
);

// ---- size and access ----

scalar_function!(
    /// `size(a)` / `cardinality(a)`: the number of elements; null for a
    /// null array (Spark 4, ANSI).
    Size, "size", ["cardinality"], "size(expr) - Returns the size of an array. Returns null for null input.",
    resolve(this, args, call) {
        arity("size", &args, 1, 1)?;
        let a = as_array(args.into_iter().next().expect("arity"))?;
        if !matches!(a.ty, DataType::Map(..)) {
            element_type(&a, 1, call)?;
        }
        let nullable = a.nullable;
        Ok(Resolved { func: this, args: vec![a], ty: DataType::Int32, nullable })
    }
    invoke(a, rows) {
        if matches!(a[0].data_type(), arrow::datatypes::DataType::Map(..)) {
            return super::map::size(&a[0], rows);
        }
        let l = list(&a[0])?;
        collect_i32(rows, |r| Ok(positions(l, r).map(|p| p.len() as i32)))
    }
);

scalar_function!(
    /// `array_size(a)`: the number of elements; null for a null array.
    ArraySize, "array_size", [], "array_size(expr) - Returns the size of an array. Returns null for null input.",
    resolve(this, args, call) {
        Size.resolve(args, call).map(|r| Resolved { func: this, ..r })
    }
    invoke(a, rows) {
        Size.invoke(a, rows)
    }
);

/// `element_at(a, i)` (1-based, negative from the end; out of range is an
/// ANSI error) and `try_element_at` (null instead).
pub struct ElementAt {
    try_: bool,
}

impl ScalarFunction for ElementAt {
    fn name(&self) -> &'static str {
        if self.try_ {
            "try_element_at"
        } else {
            "element_at"
        }
    }
    fn usage(&self) -> &'static str {
        if self.try_ {
            "try_element_at(array, index) - Returns the element of array at the given (1-based) index, or null when the index is out of bounds."
        } else {
            "element_at(array, index) - Returns the element of array at the given (1-based) index; a negative index counts from the end."
        }
    }
    fn resolve(&self, args: Vec<TExpr>, call: &Expr) -> Result<Resolved> {
        arity(self.name(), &args, 2, 2)?;
        if matches!(args[0].ty, DataType::Map(..)) {
            return super::map::resolve_value(self.name(), args, call);
        }
        access(FunctionRef::new(ElementAt { try_: self.try_ }), args, call)
    }
    fn invoke(&self, a: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
        let l = list(&a[0])?;
        let idx = i32s(&a[1])?;
        let picks = (0..rows)
            .map(|r| {
                let (Some(p), Some(i)) = (positions(l, r), idx.at(r)) else {
                    return Ok(None);
                };
                let n = p.len() as i64;
                if i == 0 {
                    if self.try_ {
                        return Ok(None);
                    }
                    return Err(Error::execution(
                        "INVALID_INDEX_OF_ZERO",
                        "The index 0 is invalid. An index shall be either < 0 or > 0 (the first element has index 1).",
                    ));
                }
                let k = if i > 0 { i as i64 - 1 } else { n + i as i64 };
                if k < 0 || k >= n {
                    if self.try_ {
                        return Ok(None);
                    }
                    return Err(Error::execution(
                        "INVALID_ARRAY_INDEX_IN_ELEMENT_AT",
                        format!("The index {i} is out of bounds. The array has {n} elements. Use `try_element_at` to tolerate accessing element at invalid index and return NULL instead."),
                    ));
                }
                Ok(Some(p.start as u32 + k as u32))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(take(l.values().as_ref(), &UInt32Array::from(picks), None)?)
    }
}

/// An element access: the array, its index as an int, the element type.
fn access(func: FunctionRef, args: Vec<TExpr>, call: &Expr) -> Result<Resolved> {
    let mut it = args.into_iter();
    let a = as_array(it.next().expect("arity"))?;
    let (elem, _) = element_type(&a, 1, call)?;
    let i = coerce(it.next().expect("arity"), &DataType::Int32, 2, call)?;
    Ok(Resolved {
        func,
        args: vec![a, i],
        ty: elem,
        nullable: true,
    })
}

scalar_function!(
    /// `get(a, i)`: the element at 0-based `i`, null when out of bounds.
    Get, "get", [], "get(array, index) - Returns the element of array at the given (0-based) index, or null when the index is out of bounds.",
    resolve(this, args, call) {
        arity("get", &args, 2, 2)?;
        access(this, args, call)
    }
    invoke(a, rows) {
        subscript(a, rows, true)
    }
);

/// `a[i]`: the element at 0-based `i`; out of bounds is Spark's ANSI
/// `[INVALID_ARRAY_INDEX]`. Not in the catalog by name: SQL's brackets and
/// `Column::get_item` call it.
pub struct Subscript;

impl ScalarFunction for Subscript {
    fn name(&self) -> &'static str {
        "subscript"
    }
    fn usage(&self) -> &'static str {
        "array[index] - Returns the element of array at the given (0-based) index."
    }
    fn resolve(&self, args: Vec<TExpr>, call: &Expr) -> Result<Resolved> {
        access(FunctionRef::new(Subscript), args, call)
    }
    fn invoke(&self, a: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
        subscript(a, rows, false)
    }
}

fn subscript(a: &[ArrayRef], rows: usize, lenient: bool) -> Result<ArrayRef> {
    let l = list(&a[0])?;
    let idx = i32s(&a[1])?;
    let picks = (0..rows)
        .map(|r| {
            let (Some(p), Some(i)) = (positions(l, r), idx.at(r)) else {
                return Ok(None);
            };
            if i < 0 || i as usize >= p.len() {
                if lenient {
                    return Ok(None);
                }
                return Err(Error::execution(
                    "INVALID_ARRAY_INDEX",
                    format!(
                        "The index {i} is out of bounds. The array has {} elements. Use the SQL function `get()` to tolerate accessing element at invalid index and return NULL instead.",
                        p.len()
                    ),
                ));
            }
            Ok(Some((p.start + i as usize) as u32))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(take(l.values().as_ref(), &UInt32Array::from(picks), None)?)
}

// ---- searching ----

scalar_function!(
    /// `array_contains(a, v)`: true if found; null when not found and the
    /// array holds a null (or either argument is null).
    ArrayContains, "array_contains", [], "array_contains(array, value) - Returns true if the array contains the value.",
    resolve(this, args, call) {
        arity("array_contains", &args, 2, 2)?;
        let (a, v) = search_args(args, call)?;
        let nullable = true;
        Ok(Resolved { func: this, args: vec![a, v], ty: DataType::Boolean, nullable })
    }
    invoke(a, rows) {
        let l = list(&a[0])?;
        let rowsf = comparable(&[l.values(), &a[1]])?;
        let base = l.values().len();
        collect_bool(rows, |r| {
            let Some(p) = positions(l, r) else { return Ok(None) };
            if a[1].is_null(r) { return Ok(None); }
            let want = rowsf.row(base + r);
            let mut saw_null = false;
            for k in p {
                if l.values().is_null(k) { saw_null = true; continue; }
                if rowsf.row(k) == want { return Ok(Some(true)); }
            }
            Ok(if saw_null { None } else { Some(false) })
        })
    }
);

scalar_function!(
    /// `array_position(a, v)`: the 1-based position of the first `v`, 0 if none.
    ArrayPosition, "array_position", [], "array_position(array, element) - Returns the (1-based) index of the first matching element of the array as long, or 0 if no match is found.",
    resolve(this, args, call) {
        arity("array_position", &args, 2, 2)?;
        let (a, v) = search_args(args, call)?;
        let nullable = a.nullable || v.nullable;
        Ok(Resolved { func: this, args: vec![a, v], ty: DataType::Int64, nullable })
    }
    invoke(a, rows) {
        let l = list(&a[0])?;
        let rowsf = comparable(&[l.values(), &a[1]])?;
        let base = l.values().len();
        collect_i64(rows, |r| {
            let Some(p) = positions(l, r) else { return Ok(None) };
            if a[1].is_null(r) { return Ok(None); }
            let want = rowsf.row(base + r);
            let start = p.start;
            Ok(Some(p.into_iter()
                .find(|&k| !l.values().is_null(k) && rowsf.row(k) == want)
                .map_or(0, |k| (k - start + 1) as i64)))
        })
    }
);

scalar_function!(
    /// `array_remove(a, v)`: the array without the elements equal to `v`.
    ArrayRemove, "array_remove", [], "array_remove(array, element) - Removes all elements that equal to element from array.",
    resolve(this, args, call) {
        arity("array_remove", &args, 2, 2)?;
        let (a, v) = search_args(args, call)?;
        let ty = a.ty.clone();
        let nullable = a.nullable || v.nullable;
        Ok(Resolved { func: this, args: vec![a, v], ty, nullable })
    }
    invoke(a, rows) {
        let l = list(&a[0])?;
        let rowsf = comparable(&[l.values(), &a[1]])?;
        let base = l.values().len();
        let picks = (0..rows).map(|r| {
            let p = positions(l, r)?;
            if a[1].is_null(r) { return None; }
            let want = rowsf.row(base + r);
            Some(p.filter(|&k| l.values().is_null(k) || rowsf.row(k) != want).map(|k| Some(k as u32)).collect())
        }).collect();
        let (elem, n) = list_type(l);
        pick_list(l.values(), picks, &elem, n)
    }
);

pub(super) fn list_type(l: &ListArray) -> (DataType, bool) {
    match l.data_type() {
        arrow::datatypes::DataType::List(f) => (
            DataType::from_arrow(f.data_type()).unwrap_or(DataType::Null),
            f.is_nullable(),
        ),
        _ => (DataType::Null, true),
    }
}

// ---- reshaping ----

scalar_function!(
    /// `array_join(a, delimiter[, null_replacement])`: the elements as
    /// strings joined; nulls skipped unless replaced.
    ArrayJoin, "array_join", [], "array_join(array, delimiter[, nullReplacement]) - Concatenates the elements of the given array using the delimiter and an optional string to replace nulls.",
    resolve(this, args, call) {
        arity("array_join", &args, 2, 3)?;
        let mut it = args.into_iter();
        let a = as_array(it.next().expect("arity"))?;
        let (elem, _) = element_type(&a, 1, call)?;
        let a = if elem == DataType::Utf8 { a } else {
            crate::resolve::cast(a, DataType::array_of(DataType::Utf8))?
        };
        let rest = it.enumerate().map(|(i, x)| coerce(x, &DataType::Utf8, i + 2, call)).collect::<Result<Vec<_>>>()?;
        let nullable = a.nullable || rest.iter().any(|x| x.nullable);
        let mut args = vec![a];
        args.extend(rest);
        Ok(Resolved { func: this, args, ty: DataType::Utf8, nullable })
    }
    invoke(a, rows) {
        let l = list(&a[0])?;
        let vals = strs(l.values())?;
        let delim = strs(&a[1])?;
        let repl = a.get(2).map(strs).transpose()?;
        collect_strings(rows, |r| {
            let (Some(p), Some(d)) = (positions(l, r), delim.at(r)) else { return Ok(None) };
            let rep = match repl { Some(x) => match x.at(r) { Some(s) => Some(s), None => return Ok(None) }, None => None };
            let parts: Vec<&str> = p.filter_map(|k| vals.at(k).or(rep)).collect();
            Ok(Some(parts.join(d)))
        })
    }
);

scalar_function!(
    /// `sort_array(a[, asc])`: sorted; nulls first ascending, last descending.
    SortArray, "sort_array", [], "sort_array(array[, ascendingOrder]) - Sorts the input array in ascending or descending order according to the natural ordering of the array elements.",
    resolve(this, args, call) {
        arity("sort_array", &args, 1, 2)?;
        let mut it = args.into_iter();
        let a = as_array(it.next().expect("arity"))?;
        element_type(&a, 1, call)?;
        let mut args = vec![a];
        if let Some(asc) = it.next() {
            if !matches!(literal(&asc), Some(Scalar::Boolean(_))) {
                return Err(Error::analysis("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", format!(
                    "Cannot resolve \"{call}\" due to data type mismatch: the second parameter requires a boolean literal, however \"{asc}\" is not.")));
            }
            args.push(asc);
        }
        let ty = args[0].ty.clone();
        let nullable = args[0].nullable;
        Ok(Resolved { func: this, args, ty, nullable })
    }
    invoke(a, rows) {
        let l = list(&a[0])?;
        let asc = match a.get(1) { Some(x) => bools(x)?.at(0).unwrap_or(true), None => true };
        let rowsf = comparable(&[l.values()])?;
        let picks = (0..rows).map(|r| {
            let p = positions(l, r)?;
            let mut ks: Vec<usize> = p.collect();
            ks.sort_by(|&x, &y| {
                let (nx, ny) = (l.values().is_null(x), l.values().is_null(y));
                let o = match (nx, ny) {
                    (true, true) => std::cmp::Ordering::Equal,
                    (true, false) => std::cmp::Ordering::Less,
                    (false, true) => std::cmp::Ordering::Greater,
                    _ => rowsf.row(x).cmp(&rowsf.row(y)),
                };
                if asc { o } else { o.reverse() }
            });
            Some(ks.into_iter().map(|k| Some(k as u32)).collect())
        }).collect();
        let (elem, n) = list_type(l);
        pick_list(l.values(), picks, &elem, n)
    }
);

scalar_function!(
    /// `array_distinct(a)`: the first of each distinct element, in order.
    ArrayDistinct, "array_distinct", [], "array_distinct(array) - Removes duplicate values from the array.",
    resolve(this, args, call) {
        arity("array_distinct", &args, 1, 1)?;
        let a = as_array(args.into_iter().next().expect("arity"))?;
        element_type(&a, 1, call)?;
        let (ty, nullable) = (a.ty.clone(), a.nullable);
        Ok(Resolved { func: this, args: vec![a], ty, nullable })
    }
    invoke(a, rows) {
        let l = list(&a[0])?;
        let rowsf = comparable(&[l.values()])?;
        let picks = (0..rows).map(|r| {
            let p = positions(l, r)?;
            let mut seen = HashSet::new();
            let mut null_seen = false;
            Some(p.filter(|&k| {
                if l.values().is_null(k) { return !std::mem::replace(&mut null_seen, true); }
                seen.insert(rowsf.row(k))
            }).map(|k| Some(k as u32)).collect())
        }).collect();
        let (elem, n) = list_type(l);
        pick_list(l.values(), picks, &elem, n)
    }
);

/// `array_max(a)` / `array_min(a)`: the largest (smallest) non-null element.
pub struct ArrayExtreme {
    max: bool,
}

impl ScalarFunction for ArrayExtreme {
    fn name(&self) -> &'static str {
        if self.max {
            "array_max"
        } else {
            "array_min"
        }
    }
    fn usage(&self) -> &'static str {
        if self.max {
            "array_max(array) - Returns the maximum value in the array. NaN is greater than any non-NaN elements for double type. NULL elements are skipped."
        } else {
            "array_min(array) - Returns the minimum value in the array. NULL elements are skipped."
        }
    }
    fn resolve(&self, args: Vec<TExpr>, call: &Expr) -> Result<Resolved> {
        arity(self.name(), &args, 1, 1)?;
        let a = as_array(args.into_iter().next().expect("arity"))?;
        let (elem, _) = element_type(&a, 1, call)?;
        Ok(Resolved {
            func: FunctionRef::new(ArrayExtreme { max: self.max }),
            args: vec![a],
            ty: elem,
            nullable: true,
        })
    }
    fn invoke(&self, a: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
        let l = list(&a[0])?;
        let rowsf = comparable(&[l.values()])?;
        let picks: Vec<Option<u32>> = (0..rows)
            .map(|r| {
                let p = positions(l, r)?;
                let it = p.filter(|&k| !l.values().is_null(k));
                let best = if self.max {
                    it.max_by(|&x, &y| rowsf.row(x).cmp(&rowsf.row(y)))
                } else {
                    it.min_by(|&x, &y| rowsf.row(x).cmp(&rowsf.row(y)))
                };
                best.map(|k| k as u32)
            })
            .collect();
        Ok(take(l.values().as_ref(), &UInt32Array::from(picks), None)?)
    }
}

scalar_function!(
    /// `slice(a, start, length)`: `length` elements from 1-based `start`
    /// (negative from the end).
    Slice, "slice", [], "slice(x, start, length) - Subsets array x starting from index start (array indices start at 1, or starting from the end if start is negative) with the specified length.",
    resolve(this, args, call) {
        arity("slice", &args, 3, 3)?;
        let mut it = args.into_iter();
        let a = as_array(it.next().expect("arity"))?;
        element_type(&a, 1, call)?;
        let s = coerce(it.next().expect("arity"), &DataType::Int32, 2, call)?;
        let n = coerce(it.next().expect("arity"), &DataType::Int32, 3, call)?;
        let nullable = a.nullable || s.nullable || n.nullable;
        let ty = a.ty.clone();
        Ok(Resolved { func: this, args: vec![a, s, n], ty, nullable })
    }
    invoke(a, rows) {
        let l = list(&a[0])?;
        let (st, ln) = (i32s(&a[1])?, i32s(&a[2])?);
        let picks = (0..rows).map(|r| {
            let (Some(p), Some(s), Some(n)) = (positions(l, r), st.at(r), ln.at(r)) else { return Ok(None) };
            if s == 0 {
                return Err(Error::execution("INVALID_PARAMETER_VALUE.START",
                    "The value of parameter(s) `start` in `slice` is invalid: Expects a positive or a negative value for `start`, but got 0."));
            }
            if n < 0 {
                return Err(Error::execution("INVALID_PARAMETER_VALUE.LENGTH",
                    format!("The value of parameter(s) `length` in `slice` is invalid: Expects `length` greater than or equal to 0, but got {n}.")));
            }
            let len = p.len() as i64;
            let from = if s > 0 { s as i64 - 1 } else { len + s as i64 };
            if from < 0 || from >= len { return Ok(Some(vec![])); }
            let to = (from + n as i64).min(len);
            Ok(Some((from..to).map(|k| Some((p.start as i64 + k) as u32)).collect()))
        }).collect::<Result<Vec<_>>>()?;
        let (elem, nn) = list_type(l);
        pick_list(l.values(), picks, &elem, nn)
    }
);
