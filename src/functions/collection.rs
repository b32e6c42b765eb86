//! Array functions and generators by PySpark's names: `split`, `array`,
//! `size`, `element_at`, …, and `explode`/`posexplode`/`inline` (with their
//! `_outer` forms), which `select` turns into a generate step, as Spark's
//! `df.select(explode(split(col("value"), " ")).alias("word"))`.

use super::{call, cols, lit};
use crate::column::Column;

one_arg!(
    explode => "explode", explode_outer => "explode_outer", posexplode => "posexplode",
    posexplode_outer => "posexplode_outer", inline => "inline", inline_outer => "inline_outer",
    size => "size", cardinality => "cardinality", array_size => "array_size",
    array_distinct => "array_distinct", array_max => "array_max", array_min => "array_min",
    flatten => "flatten", array_compact => "array_compact", array_sort => "array_sort",
);

macro_rules! two_args {
    ($($f:ident => $name:literal),* $(,)?) => {$(
        #[doc = concat!("Spark's `", $name, "(a, b)`.")]
        pub fn $f(a: impl Into<Column>, b: impl Into<Column>) -> Column {
            call($name, vec![a.into(), b.into()])
        }
    )*};
}

two_args!(
    array_union => "array_union", array_intersect => "array_intersect",
    array_except => "array_except", arrays_overlap => "arrays_overlap",
    array_append => "array_append", array_prepend => "array_prepend",
);

/// `split(str, pattern)`: `str` split around matches of the (Java) regex.
pub fn split(c: impl Into<Column>, pattern: &str) -> Column {
    call("split", vec![c.into(), lit(pattern)])
}

/// `split(str, pattern, limit)`: at most `limit` parts (all when ≤ 0).
pub fn split_limit(c: impl Into<Column>, pattern: &str, limit: i32) -> Column {
    call("split", vec![c.into(), lit(pattern), lit(limit)])
}

/// `array(c1, c2, …)`.
pub fn array<I, C>(cs: I) -> Column
where
    I: IntoIterator<Item = C>,
    C: Into<Column>,
{
    call("array", cols(cs))
}

/// `element_at(array, i)`: 1-based; negative counts from the end.
/// `arrays_zip(cols…)`: the arrays side by side, an array of structs whose
/// fields are named after the columns.
pub fn arrays_zip<I, C>(cs: I) -> Column
where
    I: IntoIterator<Item = C>,
    C: Into<Column>,
{
    call("arrays_zip", cols(cs))
}
pub fn element_at(c: impl Into<Column>, i: impl Into<Column>) -> Column {
    call("element_at", vec![c.into(), i.into()])
}

/// `get(array, i)`: 0-based; null out of bounds.
pub fn get(c: impl Into<Column>, i: impl Into<Column>) -> Column {
    call("get", vec![c.into(), i.into()])
}

pub fn array_contains(c: impl Into<Column>, value: impl Into<Column>) -> Column {
    call("array_contains", vec![c.into(), value.into()])
}

pub fn array_position(c: impl Into<Column>, value: impl Into<Column>) -> Column {
    call("array_position", vec![c.into(), value.into()])
}

pub fn array_remove(c: impl Into<Column>, value: impl Into<Column>) -> Column {
    call("array_remove", vec![c.into(), value.into()])
}

pub fn array_join(c: impl Into<Column>, delimiter: &str) -> Column {
    call("array_join", vec![c.into(), lit(delimiter)])
}

pub fn array_repeat(c: impl Into<Column>, count: impl Into<Column>) -> Column {
    call("array_repeat", vec![c.into(), count.into()])
}

/// `sort_array(array, asc)`: nulls first ascending, last descending.
pub fn sort_array(c: impl Into<Column>, asc: bool) -> Column {
    call("sort_array", vec![c.into(), lit(asc)])
}

/// `slice(array, start, length)`: `start` 1-based, negative from the end.
pub fn slice(c: impl Into<Column>, start: impl Into<Column>, length: impl Into<Column>) -> Column {
    call("slice", vec![c.into(), start.into(), length.into()])
}

pub fn sequence(start: impl Into<Column>, stop: impl Into<Column>) -> Column {
    call("sequence", vec![start.into(), stop.into()])
}

/// `stack(n, v1, v2, …)`: the values as `n` rows.
pub fn stack<I, C>(n: i32, values: I) -> Column
where
    I: IntoIterator<Item = C>,
    C: Into<Column>,
{
    let mut args = vec![lit(n)];
    args.extend(cols(values));
    call("stack", args)
}
