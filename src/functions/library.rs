//! The function catalog's scalar functions (`sqlc_compiler::functions`)
//! by PySpark's names, in snake_case: `date_format(col("t"), "yyyy-MM-dd")`.
//! Each builds a call the resolver looks up in the catalog, so the Rust API,
//! SQL and `expr(..)` run the same function.

use super::{call, cols, lit};
use crate::column::Column;

/// Any function of the catalog by its SQL name: `call_function("soundex", [col("gt")])`.
pub fn call_function<I, C>(name: &str, args: I) -> Column
where
    I: IntoIterator<Item = C>,
    C: Into<Column>,
{
    call(name, cols(args))
}

one_arg!(
    reverse => "reverse", initcap => "initcap", ascii => "ascii", octet_length => "octet_length",
    bit_length => "bit_length", soundex => "soundex", char_length => "char_length",
    exp => "exp", expm1 => "expm1", ln => "ln", log10 => "log10", log2 => "log2", log1p => "log1p",
    signum => "signum", cbrt => "cbrt", degrees => "degrees", radians => "radians",
    sin => "sin", cos => "cos", tan => "tan", cot => "cot", sec => "sec", csc => "csc",
    asin => "asin", acos => "acos", atan => "atan", sinh => "sinh", cosh => "cosh", tanh => "tanh",
    asinh => "asinh", acosh => "acosh", atanh => "atanh", factorial => "factorial", bin => "bin",
    bit_count => "bit_count", isnan => "isnan", last_day => "last_day", dayofweek => "dayofweek",
    dayofyear => "dayofyear", weekofyear => "weekofyear", quarter => "quarter",
    unix_seconds => "unix_seconds", unix_millis => "unix_millis", unix_micros => "unix_micros",
    timestamp_seconds => "timestamp_seconds", timestamp_millis => "timestamp_millis",
    timestamp_micros => "timestamp_micros", md5 => "md5", sha1 => "sha1", crc32 => "crc32",
    typeof_ => "typeof", to_date => "to_date", unix_timestamp => "unix_timestamp",
    from_unixtime => "from_unixtime", raise_error => "raise_error", btrim => "btrim",
);

/// `concat_ws(sep, cols)`: the non-null strings joined by `sep`.
pub fn concat_ws<I, C>(sep: &str, cs: I) -> Column
where
    I: IntoIterator<Item = C>,
    C: Into<Column>,
{
    let mut args = vec![lit(sep)];
    args.extend(cols(cs));
    call("concat_ws", args)
}
pub fn instr(c: impl Into<Column>, substr: &str) -> Column {
    call("instr", vec![c.into(), lit(substr)])
}
/// `locate(substr, col, pos)` (1-based `pos`).
pub fn locate(substr: &str, c: impl Into<Column>, pos: i32) -> Column {
    call("locate", vec![lit(substr), c.into(), lit(pos)])
}
pub fn lpad(c: impl Into<Column>, len: i32, pad: &str) -> Column {
    call("lpad", vec![c.into(), lit(len), lit(pad)])
}
pub fn rpad(c: impl Into<Column>, len: i32, pad: &str) -> Column {
    call("rpad", vec![c.into(), lit(len), lit(pad)])
}
pub fn repeat(c: impl Into<Column>, n: i32) -> Column {
    call("repeat", vec![c.into(), lit(n)])
}
pub fn translate(c: impl Into<Column>, matching: &str, replace: &str) -> Column {
    call("translate", vec![c.into(), lit(matching), lit(replace)])
}
pub fn split_part(c: impl Into<Column>, delimiter: &str, part: i32) -> Column {
    call("split_part", vec![c.into(), lit(delimiter), lit(part)])
}
pub fn substring_index(c: impl Into<Column>, delim: &str, count: i32) -> Column {
    call("substring_index", vec![c.into(), lit(delim), lit(count)])
}
pub fn levenshtein(left: impl Into<Column>, right: impl Into<Column>) -> Column {
    call("levenshtein", vec![left.into(), right.into()])
}
pub fn format_number(c: impl Into<Column>, d: i32) -> Column {
    call("format_number", vec![c.into(), lit(d)])
}
pub fn startswith(c: impl Into<Column>, prefix: impl Into<Column>) -> Column {
    call("startswith", vec![c.into(), prefix.into()])
}
pub fn endswith(c: impl Into<Column>, suffix: impl Into<Column>) -> Column {
    call("endswith", vec![c.into(), suffix.into()])
}
pub fn contains(c: impl Into<Column>, part: impl Into<Column>) -> Column {
    call("contains", vec![c.into(), part.into()])
}
/// `regexp_extract(col, pattern, idx)` (Java regex syntax, a literal pattern).
pub fn regexp_extract(c: impl Into<Column>, pattern: &str, idx: i32) -> Column {
    call("regexp_extract", vec![c.into(), lit(pattern), lit(idx)])
}
/// `regexp_replace(col, pattern, replacement)` (`$1` refers to a group).
pub fn regexp_replace(c: impl Into<Column>, pattern: &str, replacement: &str) -> Column {
    call(
        "regexp_replace",
        vec![c.into(), lit(pattern), lit(replacement)],
    )
}
pub fn regexp_count(c: impl Into<Column>, pattern: &str) -> Column {
    call("regexp_count", vec![c.into(), lit(pattern)])
}
pub fn regexp_like(c: impl Into<Column>, pattern: &str) -> Column {
    call("regexp_like", vec![c.into(), lit(pattern)])
}
pub fn pow(base: impl Into<Column>, exponent: impl Into<Column>) -> Column {
    call("pow", vec![base.into(), exponent.into()])
}
pub fn hypot(a: impl Into<Column>, b: impl Into<Column>) -> Column {
    call("hypot", vec![a.into(), b.into()])
}
pub fn atan2(y: impl Into<Column>, x: impl Into<Column>) -> Column {
    call("atan2", vec![y.into(), x.into()])
}
pub fn pmod(dividend: impl Into<Column>, divisor: impl Into<Column>) -> Column {
    call("pmod", vec![dividend.into(), divisor.into()])
}
pub fn shiftleft(c: impl Into<Column>, n: i32) -> Column {
    call("shiftleft", vec![c.into(), lit(n)])
}
pub fn shiftright(c: impl Into<Column>, n: i32) -> Column {
    call("shiftright", vec![c.into(), lit(n)])
}
pub fn bround(c: impl Into<Column>, scale: i32) -> Column {
    call("bround", vec![c.into(), lit(scale)])
}
pub fn log(base: f64, c: impl Into<Column>) -> Column {
    call("log", vec![lit(base), c.into()])
}
/// `date_format(col, "yyyy-MM-dd HH:mm")` with Spark's datetime patterns.
pub fn date_format(c: impl Into<Column>, format: &str) -> Column {
    call("date_format", vec![c.into(), lit(format)])
}
/// `to_date(col, format)`.
pub fn to_date_with(c: impl Into<Column>, format: &str) -> Column {
    call("to_date", vec![c.into(), lit(format)])
}
pub fn date_add(c: impl Into<Column>, days: i32) -> Column {
    call("date_add", vec![c.into(), lit(days)])
}
pub fn date_sub(c: impl Into<Column>, days: i32) -> Column {
    call("date_sub", vec![c.into(), lit(days)])
}
pub fn datediff(end: impl Into<Column>, start: impl Into<Column>) -> Column {
    call("datediff", vec![end.into(), start.into()])
}
pub fn add_months(c: impl Into<Column>, months: i32) -> Column {
    call("add_months", vec![c.into(), lit(months)])
}
pub fn next_day(c: impl Into<Column>, day_of_week: &str) -> Column {
    call("next_day", vec![c.into(), lit(day_of_week)])
}
pub fn make_date(y: impl Into<Column>, m: impl Into<Column>, d: impl Into<Column>) -> Column {
    call("make_date", vec![y.into(), m.into(), d.into()])
}
pub fn current_date() -> Column {
    call("current_date", vec![])
}
pub fn current_timestamp() -> Column {
    call("current_timestamp", vec![])
}
pub fn sha2(c: impl Into<Column>, bits: i32) -> Column {
    call("sha2", vec![c.into(), lit(bits)])
}
/// Spark's Murmur3 `hash(cols…)` (seed 42), bit for bit.
pub fn hash<I, C>(cs: I) -> Column
where
    I: IntoIterator<Item = C>,
    C: Into<Column>,
{
    call("hash", cols(cs))
}
/// Spark's `xxhash64(cols…)` (seed 42), bit for bit.
pub fn xxhash64<I, C>(cs: I) -> Column
where
    I: IntoIterator<Item = C>,
    C: Into<Column>,
{
    call("xxhash64", cols(cs))
}
pub fn greatest<I, C>(cs: I) -> Column
where
    I: IntoIterator<Item = C>,
    C: Into<Column>,
{
    call("greatest", cols(cs))
}
pub fn least<I, C>(cs: I) -> Column
where
    I: IntoIterator<Item = C>,
    C: Into<Column>,
{
    call("least", cols(cs))
}
pub fn nanvl(a: impl Into<Column>, b: impl Into<Column>) -> Column {
    call("nanvl", vec![a.into(), b.into()])
}
pub fn nullif(a: impl Into<Column>, b: impl Into<Column>) -> Column {
    call("nullif", vec![a.into(), b.into()])
}
pub fn nvl2(a: impl Into<Column>, b: impl Into<Column>, c: impl Into<Column>) -> Column {
    call("nvl2", vec![a.into(), b.into(), c.into()])
}
