//! Map functions, with Spark 4's semantics: `map`, `map_from_arrays`,
//! `map_from_entries`, `str_to_map`, `map_keys`, `map_values`,
//! `map_entries`, `map_contains_key`, `map_concat`, and the map forms of
//! `m[k]`, `element_at`/`try_element_at` (a missing key is NULL) and
//! `size`/`cardinality`.
//!
//! Maps are Arrow maps (entries `key`/`value`, see
//! [`crate::types::map_entries`]). Every map a function builds goes through
//! [`pick_map`], which enforces Spark's rules for keys under its default
//! `spark.sql.mapKeyDedupPolicy=EXCEPTION`: a null key is
//! `[NULL_MAP_KEY]`, a repeated one `[DUPLICATED_MAP_KEY]`. Keys are
//! compared through Arrow's row format, as the array functions compare
//! elements.

use std::collections::HashSet;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, MapArray, StructArray, UInt32Array};
use arrow::buffer::{NullBuffer, OffsetBuffer};
use arrow::compute::{concat, take};
use arrow::datatypes::DataType as ArrowType;
use arrow::util::display::{ArrayFormatter, FormatOptions};

use super::args::*;
use super::array::{as_array, comparable, element_type, pick_list};
use super::{FunctionRef, Resolved, ScalarFunction};
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::ir::TExpr;
use crate::resolve::{cast, common_type};
use crate::scalar_function;
use crate::types::{map_entries, DataType, Field};

pub fn register(v: &mut Vec<FunctionRef>) {
    v.extend([
        FunctionRef::new(MakeMap),
        FunctionRef::new(MapFromArrays),
        FunctionRef::new(MapFromEntries),
        FunctionRef::new(StrToMap),
        FunctionRef::new(MapKeys),
        FunctionRef::new(MapValues),
        FunctionRef::new(MapEntries),
        FunctionRef::new(MapContainsKey),
        FunctionRef::new(MapConcat),
    ]);
}

// ---- shared plumbing ----

/// A map array of `MAP<key, value>` from its parts, as Arrow holds it.
pub fn map_array(
    key: &DataType,
    value: &DataType,
    value_null: bool,
    offsets: Vec<i32>,
    keys: ArrayRef,
    values: ArrayRef,
    nulls: Option<NullBuffer>,
) -> Result<ArrayRef> {
    let entries = map_entries(key, value, value_null);
    let ArrowType::Struct(fields) = entries.data_type() else {
        return Err(Error::internal("a map's entries are not a struct"));
    };
    let keys = crate::types::conform_array(keys, fields[0].data_type())?;
    let values = crate::types::conform_array(values, fields[1].data_type())?;
    let entries_array = StructArray::try_new(fields.clone(), vec![keys, values], None)?;
    Ok(Arc::new(MapArray::try_new(
        entries,
        OffsetBuffer::new(offsets.into()),
        entries_array,
        nulls,
        false,
    )?))
}

pub(super) fn map(a: &ArrayRef) -> Result<&MapArray> {
    a.as_map_opt()
        .ok_or_else(|| Error::internal(format!("a map function got {}", a.data_type())))
}

/// Row `r`'s entries in the flat keys and values, or `None` when null.
fn entries(m: &MapArray, r: usize) -> Option<std::ops::Range<usize>> {
    if m.is_null(r) {
        return None;
    }
    let o = m.value_offsets();
    Some(o[r] as usize..o[r + 1] as usize)
}

/// The key and value types of a map argument, or Spark's type error.
fn map_type(arg: &TExpr, i: usize, call: &Expr) -> Result<(DataType, DataType, bool)> {
    match &arg.ty {
        DataType::Map(k, v, n) => Ok(((**k).clone(), (**v).clone(), *n)),
        DataType::Null => Ok((DataType::Null, DataType::Null, true)),
        other => Err(Error::analysis(
            "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
            format!(
                "Cannot resolve \"{call}\" due to data type mismatch: the {} parameter requires the \"MAP\" type, however \"{arg}\" has the type \"{}\".",
                if i == 1 { "first" } else { "second" },
                other.spark_name().to_uppercase()
            ),
        )),
    }
}

/// Casts a NULL-typed argument to a map so the twin sees a map array.
fn as_map(arg: TExpr) -> Result<TExpr> {
    if arg.ty == DataType::Null {
        let t = DataType::Map(Box::new(DataType::Null), Box::new(DataType::Null), true);
        return cast(arg, t);
    }
    Ok(arg)
}

/// `[DATATYPE_MISMATCH.INVALID_MAP_KEY_TYPE]` for a key type holding a map.
fn check_key_type(key: &DataType, call: &Expr) -> Result<()> {
    if key.contains_map() {
        return Err(Error::analysis(
            "DATATYPE_MISMATCH.INVALID_MAP_KEY_TYPE",
            format!(
                "Cannot resolve \"{call}\" due to data type mismatch: The key of map cannot be/contain \"{}\".",
                sql_type(key)
            ),
        ));
    }
    Ok(())
}

/// A type as Spark's messages print it (`MAP<STRING, INT>`).
pub fn sql_type(t: &DataType) -> String {
    match t {
        DataType::Map(k, v, _) => format!("MAP<{}, {}>", sql_type(k), sql_type(v)),
        DataType::Array(e, _) => format!("ARRAY<{}>", sql_type(e)),
        DataType::Struct(fields) => format!(
            "STRUCT<{}>",
            fields
                .iter()
                .map(|f| format!("{}: {}", f.name, sql_type(&f.data_type)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        t => t.spark_name().to_uppercase(),
    }
}

/// A key as Spark's `[DUPLICATED_MAP_KEY]` shows it.
fn key_text(keys: &ArrayRef, i: usize) -> String {
    match ArrayFormatter::try_new(keys.as_ref(), &FormatOptions::default()) {
        Ok(f) => f.value(i).to_string(),
        Err(_) => format!("#{i}"),
    }
}

/// A map per row: row `r` holds the entries `picks[r]` (a key's and a
/// value's position in the flat `keys` and `values`; no value position is
/// a null value), or is null. Null and repeated keys are Spark's errors.
pub(super) fn pick_map(
    keys: &ArrayRef,
    values: &ArrayRef,
    picks: Vec<Option<Vec<(u32, Option<u32>)>>>,
    key: &DataType,
    value: &DataType,
    value_null: bool,
) -> Result<ArrayRef> {
    let rows = comparable(&[keys])?;
    let mut offsets = Vec::with_capacity(picks.len() + 1);
    offsets.push(0i32);
    let (mut ki, mut vi) = (Vec::new(), Vec::new());
    let mut valid = Vec::with_capacity(picks.len());
    let mut seen: HashSet<&[u8]> = HashSet::new();
    for p in &picks {
        valid.push(p.is_some());
        seen.clear();
        for &(k, v) in p.iter().flatten() {
            if keys.data_type() == &ArrowType::Null || keys.is_null(k as usize) {
                return Err(Error::execution(
                    "NULL_MAP_KEY",
                    "Cannot use null as map key.",
                ));
            }
            if !seen.insert(rows.row(k as usize).data()) {
                return Err(duplicate_key(&key_text(keys, k as usize)));
            }
            ki.push(k);
            vi.push(v);
        }
        offsets.push(i32::try_from(ki.len()).map_err(|_| {
            Error::execution(
                "COLLECTION_SIZE_LIMIT_EXCEEDED",
                "a map result holds more than 2^31 entries",
            )
        })?);
    }
    let k = take(keys.as_ref(), &UInt32Array::from(ki), None)?;
    let v = take(values.as_ref(), &UInt32Array::from(vi), None)?;
    let value_null = value_null || v.null_count() > 0;
    map_array(
        key,
        value,
        value_null,
        offsets,
        k,
        v,
        Some(NullBuffer::from(valid)).filter(|n| n.null_count() > 0),
    )
}

fn duplicate_key(key: &str) -> Error {
    Error::execution(
        "DUPLICATED_MAP_KEY",
        format!("Duplicate map key {key} was found, please check the input data. If you want to remove the duplicated keys, you can set \"spark.sql.mapKeyDedupPolicy\" to \"LAST_WIN\" so that the key inserted at last takes precedence."),
    )
}

/// The common type of `args`, or `[DATATYPE_MISMATCH.<class>]`.
fn common(args: &[&TExpr], class: &'static str, call: &Expr, what: &str) -> Result<DataType> {
    let mut t = DataType::Null;
    for a in args {
        t = common_type(&t, &a.ty).ok_or_else(|| {
            Error::analysis(
                class,
                format!(
                    "Cannot resolve \"{call}\" due to data type mismatch: {what}, but it's [{}].",
                    args.iter()
                        .map(|a| format!("\"{}\"", sql_type(&a.ty)))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?;
    }
    Ok(t)
}

/// Whether widening `from` to `to` reads a string as another type or
/// another type as a string, anywhere inside.
fn string_promoted(from: &DataType, to: &DataType) -> bool {
    match (from, to) {
        (DataType::Map(ak, av, _), DataType::Map(bk, bv, _)) => {
            string_promoted(ak, bk) || string_promoted(av, bv)
        }
        (DataType::Array(a, _), DataType::Array(b, _)) => string_promoted(a, b),
        (DataType::Null, _) => false,
        (a, b) => (*a == DataType::Utf8) != (*b == DataType::Utf8),
    }
}

// ---- constructors ----

scalar_function!(
    /// `map(k1, v1, k2, v2, …)`: keys of their common type, values of theirs.
    MakeMap, "map", [], "map(key0, value0, key1, value1, ...) - Creates a map with the given key/value pairs.",
    resolve(this, args, call) {
        if !args.len().is_multiple_of(2) {
            return Err(Error::analysis(
                "WRONG_NUM_ARGS.WITHOUT_SUGGESTION",
                format!("The `map` requires 2n (n > 0) parameters but the actual number is {}.", args.len()),
            ));
        }
        let keys: Vec<&TExpr> = args.iter().step_by(2).collect();
        let vals: Vec<&TExpr> = args.iter().skip(1).step_by(2).collect();
        let kt = common(&keys, "DATATYPE_MISMATCH.CREATE_MAP_KEY_DIFF_TYPES", call,
            "The given keys of function `map` should all be the same type")?;
        let vt = common(&vals, "DATATYPE_MISMATCH.CREATE_MAP_VALUE_DIFF_TYPES", call,
            "The given values of function `map` should all be the same type")?;
        check_key_type(&kt, call)?;
        let value_null = vals.iter().any(|v| v.nullable);
        let args = args.into_iter().enumerate()
            .map(|(i, a)| cast(a, if i % 2 == 0 { kt.clone() } else { vt.clone() }))
            .collect::<Result<Vec<_>>>()?;
        let ty = DataType::Map(Box::new(kt), Box::new(vt), value_null);
        Ok(Resolved { func: this, args, ty, nullable: false })
    }
    invoke(a, rows) {
        let pairs = a.len() / 2;
        let kt = a.first().and_then(|x| DataType::from_arrow(x.data_type())).unwrap_or(DataType::Null);
        let vt = a.get(1).and_then(|x| DataType::from_arrow(x.data_type())).unwrap_or(DataType::Null);
        let part = |odd: usize| -> Result<ArrayRef> {
            let parts: Vec<&dyn Array> = a.iter().skip(odd).step_by(2).map(|x| x.as_ref()).collect();
            if parts.is_empty() {
                return Ok(arrow::array::new_null_array(&ArrowType::Null, 0));
            }
            Ok(concat(&parts)?)
        };
        let (keys, values) = (part(0)?, part(1)?);
        let picks = (0..rows)
            .map(|r| Some((0..pairs).map(|p| ((p * rows + r) as u32, Some((p * rows + r) as u32))).collect()))
            .collect();
        pick_map(&keys, &values, picks, &kt, &vt, true)
    }
);

scalar_function!(
    /// `map_from_arrays(keys, values)`: the arrays paired up.
    MapFromArrays, "map_from_arrays", [], "map_from_arrays(keys, values) - Creates a map with a pair of the given key/value arrays. All elements in keys should not be null.",
    resolve(this, args, call) {
        arity("map_from_arrays", &args, 2, 2)?;
        let mut it = args.into_iter();
        let (k, v) = (as_array(it.next().expect("arity"))?, as_array(it.next().expect("arity"))?);
        let (kt, _) = element_type(&k, 1, call)?;
        let (vt, vn) = element_type(&v, 2, call)?;
        check_key_type(&kt, call)?;
        let nullable = k.nullable || v.nullable;
        let ty = DataType::Map(Box::new(kt), Box::new(vt), vn);
        Ok(Resolved { func: this, args: vec![k, v], ty, nullable })
    }
    invoke(a, rows) {
        let (kl, vl) = (super::array::list(&a[0])?, super::array::list(&a[1])?);
        let (kt, _) = super::array::list_type(kl);
        let (vt, vn) = super::array::list_type(vl);
        let picks = (0..rows)
            .map(|r| {
                let (Some(kp), Some(vp)) = (super::array::positions(kl, r), super::array::positions(vl, r)) else {
                    return Ok(None);
                };
                if kp.len() != vp.len() {
                    return Err(Error::execution(
                        "_LEGACY_ERROR_TEMP_2128",
                        "The key array and value array of MapData must have the same length.",
                    ));
                }
                Ok(Some(kp.zip(vp).map(|(k, v)| (k as u32, Some(v as u32))).collect()))
            })
            .collect::<Result<Vec<_>>>()?;
        pick_map(kl.values(), vl.values(), picks, &kt, &vt, vn)
    }
);

scalar_function!(
    /// `map_from_entries(array<struct<k, v>>)`: a null entry makes a null map.
    MapFromEntries, "map_from_entries", [], "map_from_entries(arrayOfEntries) - Returns a map created from the given array of entries.",
    resolve(this, args, call) {
        arity("map_from_entries", &args, 1, 1)?;
        let a = as_array(args.into_iter().next().expect("arity"))?;
        let (elem, _) = element_type(&a, 1, call)?;
        let DataType::Struct(fields) = &elem else {
            return Err(Error::analysis("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", format!(
                "Cannot resolve \"{call}\" due to data type mismatch: the first parameter requires the \"ARRAY<STRUCT<KEY, VALUE>>\" type, however \"{a}\" has the type \"{}\".",
                sql_type(&a.ty))));
        };
        if fields.len() != 2 {
            return Err(Error::analysis("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", format!(
                "Cannot resolve \"{call}\" due to data type mismatch: the first parameter requires the \"ARRAY<STRUCT<KEY, VALUE>>\" type, however \"{a}\" has the type \"{}\".",
                sql_type(&a.ty))));
        }
        check_key_type(&fields[0].data_type, call)?;
        let ty = DataType::Map(Box::new(fields[0].data_type.clone()), Box::new(fields[1].data_type.clone()), fields[1].nullable);
        Ok(Resolved { func: this, args: vec![a], ty, nullable: true })
    }
    invoke(a, rows) {
        let l = super::array::list(&a[0])?;
        let s = l.values().as_struct_opt().ok_or_else(|| Error::internal("map_from_entries: entries are not structs"))?;
        let (kt, vt) = (DataType::from_arrow(s.column(0).data_type()).unwrap_or(DataType::Null),
                        DataType::from_arrow(s.column(1).data_type()).unwrap_or(DataType::Null));
        let picks = (0..rows)
            .map(|r| {
                let p = super::array::positions(l, r)?;
                if p.clone().any(|k| s.is_null(k)) {
                    return None;
                }
                Some(p.map(|k| (k as u32, Some(k as u32))).collect())
            })
            .collect();
        pick_map(s.column(0), s.column(1), picks, &kt, &vt, true)
    }
);

scalar_function!(
    /// `str_to_map(text[, pairDelim[, keyValueDelim]])`: text split into
    /// pairs by the regex `pairDelim` (`,`) and each pair into key and value
    /// by `keyValueDelim` (`:`); a pair without one has a null value.
    StrToMap, "str_to_map", [], "str_to_map(text[, pairDelim[, keyValueDelim]]) - Creates a map after splitting the text into key/value pairs using delimiters. Default delimiters are ',' for `pairDelim` and ':' for `keyValueDelim`.",
    resolve(this, args, call) {
        arity("str_to_map", &args, 1, 3)?;
        let mut r = typed(&this, args, &[DataType::Utf8], DataType::Map(Box::new(DataType::Utf8), Box::new(DataType::Utf8), true), call)?;
        r.nullable = r.args[0].nullable;
        Ok(r)
    }
    invoke(a, rows) {
        let text = strs(&a[0])?;
        let delim = |i: usize, d: &str| -> Result<Option<&arrow::array::StringArray>> {
            let _ = d;
            a.get(i).map(strs).transpose()
        };
        let (pd, kd) = (delim(1, ",")?, delim(2, ":")?);
        let mut cache: Vec<(String, regex::Regex)> = Vec::new();
        let mut re = |p: &str| -> Result<regex::Regex> {
            if let Some((_, r)) = cache.iter().find(|(q, _)| q == p) {
                return Ok(r.clone());
            }
            let r = super::regex::compile(p)?;
            cache.push((p.to_string(), r.clone()));
            Ok(r)
        };
        let mut keys: Vec<String> = Vec::new();
        let mut values: Vec<Option<String>> = Vec::new();
        let mut picks = Vec::with_capacity(rows);
        for r in 0..rows {
            let p = match pd { Some(d) => d.at(r), None => Some(",") };
            let k = match kd { Some(d) => d.at(r), None => Some(":") };
            let (Some(t), Some(p), Some(k)) = (text.at(r), p, k) else {
                picks.push(None);
                continue;
            };
            let (pre, kre) = (re(p)?, re(k)?);
            let mut row = Vec::new();
            for pair in super::array::java_split(t, &pre, -1) {
                let mut kv = super::array::java_split(pair, &kre, 2).into_iter();
                let i = keys.len() as u32;
                keys.push(kv.next().unwrap_or("").to_string());
                values.push(kv.next().map(str::to_string));
                row.push((i, Some(i)));
            }
            picks.push(Some(row));
        }
        let keys: ArrayRef = Arc::new(arrow::array::StringArray::from(keys));
        let values: ArrayRef = Arc::new(arrow::array::StringArray::from(values));
        pick_map(&keys, &values, picks, &DataType::Utf8, &DataType::Utf8, true)
    }
);

// ---- parts of a map ----

scalar_function!(
    /// `map_keys(m)`: the keys, in the map's order.
    MapKeys, "map_keys", [], "map_keys(map) - Returns an unordered array containing the keys of the map.",
    resolve(this, args, call) {
        arity("map_keys", &args, 1, 1)?;
        let m = as_map(args.into_iter().next().expect("arity"))?;
        let (k, _, _) = map_type(&m, 1, call)?;
        let nullable = m.nullable;
        Ok(Resolved { func: this, args: vec![m], ty: DataType::Array(Box::new(k), false), nullable })
    }
    invoke(a, rows) {
        let m = map(&a[0])?;
        let kt = DataType::from_arrow(m.key_type()).unwrap_or(DataType::Null);
        let picks = (0..rows).map(|r| entries(m, r).map(|p| p.map(|k| Some(k as u32)).collect())).collect();
        pick_list(m.keys(), picks, &kt, false)
    }
);

scalar_function!(
    /// `map_values(m)`: the values, in the map's order.
    MapValues, "map_values", [], "map_values(map) - Returns an unordered array containing the values of the map.",
    resolve(this, args, call) {
        arity("map_values", &args, 1, 1)?;
        let m = as_map(args.into_iter().next().expect("arity"))?;
        let (_, v, n) = map_type(&m, 1, call)?;
        let nullable = m.nullable;
        Ok(Resolved { func: this, args: vec![m], ty: DataType::Array(Box::new(v), n), nullable })
    }
    invoke(a, rows) {
        let m = map(&a[0])?;
        let vt = DataType::from_arrow(m.value_type()).unwrap_or(DataType::Null);
        let picks = (0..rows).map(|r| entries(m, r).map(|p| p.map(|k| Some(k as u32)).collect())).collect();
        pick_list(m.values(), picks, &vt, true)
    }
);

scalar_function!(
    /// `map_entries(m)`: the entries as structs `{key, value}`.
    MapEntries, "map_entries", [], "map_entries(map) - Returns an unordered array of all entries in the given map.",
    resolve(this, args, call) {
        arity("map_entries", &args, 1, 1)?;
        let m = as_map(args.into_iter().next().expect("arity"))?;
        let (k, v, n) = map_type(&m, 1, call)?;
        let nullable = m.nullable;
        let entry = DataType::Struct(vec![Field::new("key", k, false), Field::new("value", v, n)].into());
        Ok(Resolved { func: this, args: vec![m], ty: DataType::Array(Box::new(entry), false), nullable })
    }
    invoke(a, rows) {
        let m = map(&a[0])?;
        let entries_arr: ArrayRef = Arc::new(m.entries().clone());
        let et = DataType::from_arrow(entries_arr.data_type()).unwrap_or(DataType::Null);
        let picks = (0..rows).map(|r| entries(m, r).map(|p| p.map(|k| Some(k as u32)).collect())).collect();
        pick_list(&entries_arr, picks, &et, false)
    }
);

/// The key argument of a look-up, cast to the map's key type; Spark's
/// `[DATATYPE_MISMATCH.MAP_FUNCTION_DIFF_TYPES]` when it is another type.
fn lookup_args(
    name: &str,
    args: Vec<TExpr>,
    call: &Expr,
) -> Result<(TExpr, TExpr, DataType, bool)> {
    let mut it = args.into_iter();
    let m = as_map(it.next().expect("arity"))?;
    let k = it.next().expect("arity");
    let (kt, vt, _) = map_type(&m, 1, call)?;
    // `m[k]` casts the key as a function argument is cast (`m[1]` of a
    // string-keyed map looks up '1').
    if name == "subscript" {
        let k = coerce(k, &kt, 2, call)?;
        let nullable = m.nullable || k.nullable;
        return Ok((m, k, vt, nullable));
    }
    let same = k.ty == kt
        || k.ty == DataType::Null
        || kt == DataType::Null
        || (k.ty.is_numeric() && kt.is_numeric() && common_type(&k.ty, &kt).as_ref() == Some(&kt));
    if !same {
        return Err(Error::analysis(
            "DATATYPE_MISMATCH.MAP_FUNCTION_DIFF_TYPES",
            format!(
                "Cannot resolve \"{call}\" due to data type mismatch: Input to `{name}` should have been \"MAP\" followed by a value with same key type, but it's [\"{}\", \"{}\"].",
                sql_type(&m.ty),
                sql_type(&k.ty)
            ),
        ));
    }
    let k = cast(k, kt)?;
    let nullable = m.nullable || k.nullable;
    Ok((m, k, vt, nullable))
}

/// Per row, the position of the entry whose key equals the probe's, if any
/// (`None` for the row when the map or the probe is null).
fn find_keys(m: &MapArray, probe: &ArrayRef, rows: usize) -> Result<Vec<Option<Option<usize>>>> {
    let keys = m.keys();
    let cmp = comparable(&[keys, probe])?;
    let base = keys.len();
    Ok((0..rows)
        .map(|r| {
            let p = entries(m, r)?;
            if probe.is_null(r) {
                return None;
            }
            let want = cmp.row(base + r);
            Some(p.into_iter().find(|&k| cmp.row(k) == want))
        })
        .collect())
}

scalar_function!(
    /// `map_contains_key(m, k)`.
    MapContainsKey, "map_contains_key", [], "map_contains_key(map, key) - Returns true if the map contains the key.",
    resolve(this, args, call) {
        arity("map_contains_key", &args, 2, 2)?;
        let (m, k, _, nullable) = lookup_args("map_contains_key", args, call)?;
        Ok(Resolved { func: this, args: vec![m, k], ty: DataType::Boolean, nullable })
    }
    invoke(a, rows) {
        let found = find_keys(map(&a[0])?, &a[1], rows)?;
        let out: arrow::array::BooleanArray = found.into_iter().map(|f| f.map(|k| k.is_some())).collect();
        Ok(Arc::new(out))
    }
);

/// `m[k]`, `element_at(m, k)` and `try_element_at(m, k)`: the value of key
/// `k`, NULL when the map has no such key. Resolved by the array forms'
/// entries when their first argument is a map.
pub struct MapValue {
    name: &'static str,
}

/// Resolves a look-up of a map's value by key (`name` as the call is named).
pub fn resolve_value(name: &'static str, args: Vec<TExpr>, call: &Expr) -> Result<Resolved> {
    arity(name, &args, 2, 2)?;
    let (m, k, vt, _) = lookup_args(name, args, call)?;
    Ok(Resolved {
        func: FunctionRef::new(MapValue { name }),
        args: vec![m, k],
        ty: vt,
        nullable: true,
    })
}

impl ScalarFunction for MapValue {
    fn name(&self) -> &'static str {
        self.name
    }
    fn usage(&self) -> &'static str {
        "map[key], element_at(map, key) - Returns the value for the given key, or NULL if the map has no such key."
    }
    fn instance_key(&self) -> String {
        "map".into()
    }
    fn resolve(&self, args: Vec<TExpr>, call: &Expr) -> Result<Resolved> {
        resolve_value(self.name, args, call)
    }
    fn invoke(&self, a: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
        let m = map(&a[0])?;
        let found = find_keys(m, &a[1], rows)?;
        let idx: UInt32Array = found
            .into_iter()
            .map(|f| f.flatten().map(|k| k as u32))
            .collect();
        Ok(take(m.values().as_ref(), &idx, None)?)
    }
}

/// `size(m)`/`cardinality(m)`: the number of entries; null for a null map.
pub fn size(a: &ArrayRef, rows: usize) -> Result<ArrayRef> {
    let m = map(a)?;
    collect_i32(rows, |r| Ok(entries(m, r).map(|p| p.len() as i32)))
}

scalar_function!(
    /// `map_concat(m1, m2, …)`: the entries of every map, in order; a
    /// null map makes a null result; a key twice is `[DUPLICATED_MAP_KEY]`.
    MapConcat, "map_concat", [], "map_concat(map, ...) - Returns the union of all the given maps.",
    resolve(this, args, call) {
        if args.is_empty() {
            let ty = DataType::Map(Box::new(DataType::Utf8), Box::new(DataType::Utf8), false);
            return Ok(Resolved { func: this, args, ty, nullable: false });
        }
        if args.iter().any(|a| !matches!(a.ty, DataType::Map(..))) {
            return Err(Error::analysis("DATATYPE_MISMATCH.MAP_CONCAT_DIFF_TYPES", format!(
                "Cannot resolve \"{call}\" due to data type mismatch: The `map_concat` should all be of type map, but it's [{}].",
                args.iter().map(|a| format!("\"{}\"", sql_type(&a.ty))).collect::<Vec<_>>().join(", "))));
        }
        let refs: Vec<&TExpr> = args.iter().collect();
        // Spark widens the maps' types here without reading a string as
        // another type (`MAP<STRING, INT>` and `MAP<INT, INT>` do not meet).
        let t = common(&refs, "DATATYPE_MISMATCH.DATA_DIFF_TYPES", call, "Input to `map_concat` should all be the same type")
            .ok()
            .filter(|t| args.iter().all(|a| !string_promoted(&a.ty, t)))
            .ok_or_else(|| Error::analysis("DATATYPE_MISMATCH.DATA_DIFF_TYPES", format!(
                "Cannot resolve \"{call}\" due to data type mismatch: Input to `map_concat` should all be the same type, but it's ({}).",
                args.iter().map(|a| format!("\"{}\"", sql_type(&a.ty))).collect::<Vec<_>>().join(" or "))))?;
        let nullable = args.iter().any(|a| a.nullable);
        let args = args.into_iter().map(|a| cast(a, t.clone())).collect::<Result<Vec<_>>>()?;
        Ok(Resolved { func: this, args, ty: t, nullable })
    }
    invoke(a, rows) {
        if a.is_empty() {
            let empty: ArrayRef = Arc::new(arrow::array::StringArray::from(Vec::<String>::new()));
            return pick_map(&empty, &empty, vec![Some(vec![]); rows], &DataType::Utf8, &DataType::Utf8, false);
        }
        let maps = a.iter().map(map).collect::<Result<Vec<_>>>()?;
        let (kt, vt) = (DataType::from_arrow(maps[0].key_type()).unwrap_or(DataType::Null),
                        DataType::from_arrow(maps[0].value_type()).unwrap_or(DataType::Null));
        let keys: Vec<&dyn Array> = maps.iter().map(|m| m.keys().as_ref()).collect();
        let values: Vec<&dyn Array> = maps.iter().map(|m| m.values().as_ref()).collect();
        let (keys, values) = (concat(&keys)?, concat(&values)?);
        let bases: Vec<usize> = maps.iter().scan(0, |s, m| { let b = *s; *s += m.keys().len(); Some(b) }).collect();
        let picks = (0..rows)
            .map(|r| {
                let mut row = Vec::new();
                for (m, base) in maps.iter().zip(&bases) {
                    for k in entries(m, r)? {
                        row.push(((base + k) as u32, Some((base + k) as u32)));
                    }
                }
                Some(row)
            })
            .collect();
        pick_map(&keys, &values, picks, &kt, &vt, true)
    }
);
