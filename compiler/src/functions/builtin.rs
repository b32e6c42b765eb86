//! The functions the resolver knows by itself: the scalar built-ins the JIT
//! emits inline ([`crate::ir::ScalarFunc`], resolved in
//! [`crate::resolve`]), the struct functions, and the aggregates (resolved
//! by [`crate::builder`]). Listed here so that `SHOW FUNCTIONS`,
//! `DESCRIBE FUNCTION` and the suggestions for an unknown name see them.

use super::FunctionInfo;

const fn info(
    name: &'static str,
    aliases: &'static [&'static str],
    usage: &'static str,
    kind: &'static str,
    runs: &'static str,
) -> FunctionInfo {
    FunctionInfo {
        name,
        aliases,
        usage,
        kind,
        runs,
    }
}

const S: &str = "scalar";
const A: &str = "aggregate";
const C: &str = "compiled";
const I: &str = "interpreted";

const BUILTINS: &[FunctionInfo] = &[
    info("lower", &["lcase"], "lower(str) - Returns `str` with all characters changed to lowercase.", S, C),
    info("upper", &["ucase"], "upper(str) - Returns `str` with all characters changed to uppercase.", S, C),
    info("trim", &[], "trim(str) - Removes the leading and trailing space characters from `str`.", S, C),
    info("ltrim", &[], "ltrim(str) - Removes the leading space characters from `str`.", S, C),
    info("rtrim", &[], "rtrim(str) - Removes the trailing space characters from `str`.", S, C),
    info("length", &["char_length", "character_length", "len"], "length(expr) - Returns the character length of string data.", S, C),
    info("substring", &["substr"], "substring(str, pos[, len]) - Returns the substring of `str` that starts at `pos` and is of length `len`.", S, C),
    info("concat", &[], "concat(col1, col2, ..., colN) - Returns the concatenation of col1, col2, ..., colN.", S, C),
    info("abs", &[], "abs(expr) - Returns the absolute value of the numeric value.", S, C),
    info("positive", &[], "positive(expr) - Returns the value of `expr`.", S, C),
    info("floor", &[], "floor(expr) - Returns the largest integer not greater than `expr`.", S, C),
    info("ceil", &["ceiling"], "ceil(expr) - Returns the smallest integer not smaller than `expr`.", S, C),
    info("sqrt", &[], "sqrt(expr) - Returns the square root of `expr`.", S, C),
    info("round", &[], "round(expr, d) - Returns `expr` rounded to `d` decimal places using HALF_UP rounding mode.", S, C),
    info("to_timestamp", &[], "to_timestamp(timestamp_str) - Parses `timestamp_str` to a timestamp.", S, C),
    info("date_trunc", &[], "date_trunc(fmt, ts) - Returns timestamp `ts` truncated to the unit specified by the format model `fmt`.", S, C),
    info("year", &[], "year(date) - Returns the year component of the date/timestamp.", S, C),
    info("month", &[], "month(date) - Returns the month component of the date/timestamp.", S, C),
    info("dayofmonth", &["day"], "dayofmonth(date) - Returns the day of month of the date/timestamp.", S, C),
    info("hour", &[], "hour(timestamp) - Returns the hour component of the string/timestamp.", S, C),
    info("minute", &[], "minute(timestamp) - Returns the minute component of the string/timestamp.", S, C),
    info("second", &[], "second(timestamp) - Returns the second component of the string/timestamp.", S, C),
    info("coalesce", &[], "coalesce(expr1, expr2, ...) - Returns the first non-null argument if exists. Otherwise, null.", S, C),
    info("ifnull", &["nvl"], "ifnull(expr1, expr2) - Returns `expr2` if `expr1` is null, or `expr1` otherwise.", S, C),
    info("isnull", &[], "isnull(expr) - Returns true if `expr` is null, or false otherwise.", S, C),
    info("isnotnull", &[], "isnotnull(expr) - Returns true if `expr` is not null, or false otherwise.", S, C),
    info("struct", &[], "struct(col1, col2, col3, ...) - Creates a struct with the given field values.", S, I),
    info("named_struct", &[], "named_struct(name1, val1, name2, val2, ...) - Creates a struct with the given field names and values.", S, I),
    info("window", &[], "window(time_column, window_duration[, slide_duration[, start_time]]) - Bucketize rows into one or more time windows given a timestamp specifying column.", S, C),
    info("count", &[], "count(*) - Returns the total number of retrieved rows, including rows containing null.", A, C),
    info("sum", &[], "sum(expr) - Returns the sum calculated from values of a group.", A, C),
    info("avg", &["mean"], "avg(expr) - Returns the mean calculated from values of a group.", A, C),
    info("min", &[], "min(expr) - Returns the minimum value of `expr`.", A, C),
    info("max", &[], "max(expr) - Returns the maximum value of `expr`.", A, C),
    info("first", &["first_value"], "first(expr[, isIgnoreNull]) - Returns the first value of `expr` for a group of rows.", A, C),
    info("last", &["last_value"], "last(expr[, isIgnoreNull]) - Returns the last value of `expr` for a group of rows.", A, C),
    info("any_value", &[], "any_value(expr[, isIgnoreNull]) - Returns some value of `expr` for a group of rows.", A, C),
    info("stddev", &["std", "stddev_samp"], "stddev(expr) - Returns the sample standard deviation calculated from values of a group.", A, C),
    info("stddev_pop", &[], "stddev_pop(expr) - Returns the population standard deviation calculated from values of a group.", A, C),
    info("variance", &["var_samp"], "variance(expr) - Returns the sample variance calculated from values of a group.", A, C),
    info("var_pop", &[], "var_pop(expr) - Returns the population variance calculated from values of a group.", A, C),
    info("count_if", &[], "count_if(expr) - Returns the number of rows for which `expr` is true.", A, C),
    info("bool_and", &["every"], "bool_and(expr) - Returns true if all values of `expr` are true.", A, C),
    info("bool_or", &["some", "any"], "bool_or(expr) - Returns true if at least one value of `expr` is true.", A, C),
    info("bit_and", &[], "bit_and(expr) - Returns the bitwise AND of all non-null input values, or null if none.", A, I),
    info("bit_or", &[], "bit_or(expr) - Returns the bitwise OR of all non-null input values, or null if none.", A, I),
    info("bit_xor", &[], "bit_xor(expr) - Returns the bitwise XOR of all non-null input values, or null if none.", A, I),
    info("skewness", &[], "skewness(expr) - Returns the skewness value calculated from values of a group.", A, I),
    info("kurtosis", &[], "kurtosis(expr) - Returns the kurtosis value calculated from values of a group.", A, I),
    info("corr", &[], "corr(expr1, expr2) - Returns Pearson coefficient of correlation between a set of number pairs.", A, I),
    info("covar_pop", &[], "covar_pop(expr1, expr2) - Returns the population covariance of a set of number pairs.", A, I),
    info("covar_samp", &[], "covar_samp(expr1, expr2) - Returns the sample covariance of a set of number pairs.", A, I),
    info("max_by", &[], "max_by(x, y) - Returns the value of `x` associated with the maximum value of `y`.", A, I),
    info("min_by", &[], "min_by(x, y) - Returns the value of `x` associated with the minimum value of `y`.", A, I),
    info("collect_list", &["array_agg"], "collect_list(expr) - Collects and returns a list of non-unique elements.", A, I),
    info("collect_set", &[], "collect_set(expr) - Collects and returns a set of unique elements.", A, I),
    info("median", &[], "median(col) - Returns the median of numeric or ANSI interval column `col`.", A, I),
    info("percentile", &[], "percentile(col, percentage) - Returns the exact percentile value(s) of numeric column `col` at the given percentage(s) (a value or an array of values between 0.0 and 1.0).", A, I),
    info("percentile_approx", &["approx_percentile"], "percentile_approx(col, percentage [, accuracy]) - Returns the approximate `percentile` of the numeric column `col`: the smallest value in the ordered `col` values such that no more than `percentage` of `col` values is less than the value or equal to that value. `accuracy` (default 10000) trades memory for accuracy; the relative error is 1.0/accuracy.", A, I),
    info("approx_count_distinct", &[], "approx_count_distinct(expr[, relativeSD]) - Returns the estimated cardinality by HyperLogLog++. `relativeSD` defines the maximum relative standard deviation allowed.", A, I),
    info("mode", &[], "mode(col[, deterministic]) - Returns the most frequent value for the values within `col`. NULL values are ignored.", A, I),
    info("grouping", &[], "grouping(col) - indicates whether a specified column in a GROUP BY is aggregated or not.", A, C),
    info("grouping_id", &[], "grouping_id([col1[, col2 ..]]) - returns the level of grouping.", A, C),
];

pub fn infos() -> Vec<FunctionInfo> {
    BUILTINS.to_vec()
}
