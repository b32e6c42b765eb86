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
    hex => "hex", unhex => "unhex", base64 => "base64", unbase64 => "unbase64",
    positive => "positive", negative => "negative", bitwise_not => "~",
);

/// The `try_` operators: `+ - * / %` giving NULL instead of an overflow or
/// division-by-zero error.
macro_rules! two_args {
    ($($f:ident => $name:literal),* $(,)?) => {$(
        #[doc = concat!("Spark's `", $name, "(left, right)`.")]
        pub fn $f(left: impl Into<Column>, right: impl Into<Column>) -> Column {
            call($name, vec![left.into(), right.into()])
        }
    )*};
}

two_args!(
    try_add => "try_add", try_subtract => "try_subtract", try_multiply => "try_multiply",
    try_divide => "try_divide", try_mod => "try_mod",
);

/// `encode(col, charset)`: the string's bytes in `charset` (`utf-8`,
/// `utf-16`, `iso-8859-1`, …).
pub fn encode(c: impl Into<Column>, charset: &str) -> Column {
    call("encode", vec![c.into(), lit(charset)])
}
/// `decode(col, charset)`: bytes in `charset` as a string.
pub fn decode(c: impl Into<Column>, charset: &str) -> Column {
    call("decode", vec![c.into(), lit(charset)])
}
/// `to_binary(col, format)` (`hex`, `utf-8`, `base64`); malformed input is an error.
pub fn to_binary(c: impl Into<Column>, format: &str) -> Column {
    call("to_binary", vec![c.into(), lit(format)])
}
/// `try_to_binary(col, format)`: NULL where `to_binary` fails.
pub fn try_to_binary(c: impl Into<Column>, format: &str) -> Column {
    call("try_to_binary", vec![c.into(), lit(format)])
}
/// `format_string(format, cols…)`: Java's `String.format`.
pub fn format_string<I, C>(format: &str, cs: I) -> Column
where
    I: IntoIterator<Item = C>,
    C: Into<Column>,
{
    let mut args = vec![lit(format)];
    args.extend(cols(cs));
    call("format_string", args)
}
/// `printf(format, cols…)`: as [`format_string`], the format a column.
pub fn printf<I, C>(format: impl Into<Column>, cs: I) -> Column
where
    I: IntoIterator<Item = C>,
    C: Into<Column>,
{
    let mut args = vec![format.into()];
    args.extend(cols(cs));
    call("printf", args)
}
/// `width_bucket(v, min, max, num_buckets)`.
pub fn width_bucket(
    v: impl Into<Column>,
    min: impl Into<Column>,
    max: impl Into<Column>,
    num_buckets: impl Into<Column>,
) -> Column {
    call(
        "width_bucket",
        vec![v.into(), min.into(), max.into(), num_buckets.into()],
    )
}
/// `conv(col, from_base, to_base)`.
pub fn conv(c: impl Into<Column>, from_base: i32, to_base: i32) -> Column {
    call("conv", vec![c.into(), lit(from_base), lit(to_base)])
}
/// `overlay(src, replace, pos, len)` (`len` -1: the length of `replace`).
pub fn overlay(
    src: impl Into<Column>,
    replace: impl Into<Column>,
    pos: impl Into<Column>,
    len: impl Into<Column>,
) -> Column {
    call(
        "overlay",
        vec![src.into(), replace.into(), pos.into(), len.into()],
    )
}
/// `regexp_extract_all(col, pattern, idx)`: group `idx` of every match.
pub fn regexp_extract_all(c: impl Into<Column>, pattern: &str, idx: i32) -> Column {
    call("regexp_extract_all", vec![c.into(), lit(pattern), lit(idx)])
}

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
/// `trunc(date, "MM")`: the date truncated to its year (`YEAR`, `YYYY`,
/// `YY`), quarter, month (`MONTH`, `MM`, `MON`) or week; NULL for other units.
pub fn trunc(c: impl Into<Column>, format: &str) -> Column {
    call("trunc", vec![c.into(), lit(format)])
}
/// `months_between(end, start, round_off)` in the session time zone.
pub fn months_between(end: impl Into<Column>, start: impl Into<Column>, round_off: bool) -> Column {
    call(
        "months_between",
        vec![end.into(), start.into(), lit(round_off)],
    )
}
/// `make_timestamp(year, month, day, hour, min, sec)` on the session's wall
/// clock (`sec` a decimal with microseconds; 60 is the next minute).
pub fn make_timestamp<I, C>(fields: I) -> Column
where
    I: IntoIterator<Item = C>,
    C: Into<Column>,
{
    call("make_timestamp", cols(fields))
}
/// `make_dt_interval(days, hours, mins, secs)`: an `INTERVAL DAY TO
/// SECOND` (fewer fields: the rest are zero; `secs` a decimal with
/// microseconds).
pub fn make_dt_interval<I, C>(fields: I) -> Column
where
    I: IntoIterator<Item = C>,
    C: Into<Column>,
{
    call("make_dt_interval", cols(fields))
}
/// `make_ym_interval(years, months)`: an `INTERVAL YEAR TO MONTH` (fewer
/// fields: the rest are zero).
pub fn make_ym_interval<I, C>(fields: I) -> Column
where
    I: IntoIterator<Item = C>,
    C: Into<Column>,
{
    call("make_ym_interval", cols(fields))
}
/// `rand(seed)`: uniform in [0, 1), Spark's generator seeded with `seed`
/// plus the partition index.
pub fn rand(seed: i64) -> Column {
    call("rand", vec![lit(seed)])
}
/// `randn(seed)`: standard normal, seeded as [`rand`].
pub fn randn(seed: i64) -> Column {
    call("randn", vec![lit(seed)])
}
/// `monotonically_increasing_id()`: the partition index in the upper 31
/// bits, the row's position in its partition below.
pub fn monotonically_increasing_id() -> Column {
    call("monotonically_increasing_id", vec![])
}
/// `spark_partition_id()`: the partition a row is in (a file of a file read).
pub fn spark_partition_id() -> Column {
    call("spark_partition_id", vec![])
}
/// `input_file_name()`: the URI of the file a row was read from, or "".
pub fn input_file_name() -> Column {
    call("input_file_name", vec![])
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
