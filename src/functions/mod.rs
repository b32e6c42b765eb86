//! Functions that build columns, as `pyspark.sql.functions`: this file
//! holds the basic aggregates, windows and the compiled built-ins;
//! `aggregates.rs` the statistical and collecting aggregates; `library.rs`
//! the rest of the function catalog by PySpark's names, in snake_case;
//! `collection.rs` the array functions and generators; `maps.rs` the map
//! and JSON functions.

/// `one_arg!(name => "sql_name", …)`: a function per catalog function of
/// one column, by PySpark's name (used by `library` and `collection`).
macro_rules! one_arg {
    ($($f:ident => $name:literal),* $(,)?) => {$(
        #[doc = concat!("Spark's `", $name, "(col)`.")]
        pub fn $f(c: impl Into<Column>) -> Column {
            call($name, vec![c.into()])
        }
    )*};
}

mod aggregates;
mod collection;
mod library;
mod maps;

pub use aggregates::*;
pub use collection::*;
pub use library::*;
pub use maps::*;

use sqlc_compiler::expr::Expr;
use sqlc_compiler::Scalar;

use crate::column::Column;
use crate::error::Result;

/// A column by name (`col("gt")`, `col("t.gt")`, `col("*")`).
pub fn col(name: &str) -> Column {
    Column::from(name)
}

/// A literal: `lit(5)`, `lit("walk")`, `lit(0.5)`, `lit(true)`.
pub fn lit(v: impl Into<Lit>) -> Column {
    Column::from_expr(Expr::Literal(v.into().0))
}

/// A literal value, for [`lit`].
pub struct Lit(pub Scalar);

impl From<&str> for Lit {
    fn from(s: &str) -> Self {
        Lit(Scalar::Utf8(s.into()))
    }
}
impl From<String> for Lit {
    fn from(s: String) -> Self {
        Lit(Scalar::Utf8(s))
    }
}
impl From<i32> for Lit {
    fn from(v: i32) -> Self {
        Lit(Scalar::Int32(v))
    }
}
impl From<i64> for Lit {
    fn from(v: i64) -> Self {
        Lit(Scalar::Int64(v))
    }
}
impl From<f64> for Lit {
    fn from(v: f64) -> Self {
        Lit(Scalar::Float64(v))
    }
}
impl From<bool> for Lit {
    fn from(v: bool) -> Self {
        Lit(Scalar::Boolean(v))
    }
}

/// A Spark SQL expression string: `expr("gt like '%stairs%'")`.
pub fn expr(sql: &str) -> Result<Column> {
    Ok(Column::from_expr(sqlc_compiler::sql::parse_expr(sql)?))
}

pub(crate) fn call(name: &str, args: Vec<Column>) -> Column {
    let mut args: Vec<Expr> = args.into_iter().map(|c| c.expr).collect();
    sqlc_compiler::sql::parse_schema_args(name, &mut args);
    Column::from_expr(Expr::call(name, args))
}

fn agg_arg(c: Column) -> Expr {
    match c.expr {
        Expr::Wildcard { qualifier: None } => Expr::Star,
        e => e,
    }
}

/// `count("*")` counts rows; `count(col)` counts non-null values.
pub fn count(c: impl Into<Column>) -> Column {
    Column::from_expr(Expr::call("count", vec![agg_arg(c.into())]))
}
pub fn sum(c: impl Into<Column>) -> Column {
    call("sum", vec![c.into()])
}
pub fn avg(c: impl Into<Column>) -> Column {
    call("avg", vec![c.into()])
}
pub fn mean(c: impl Into<Column>) -> Column {
    call("avg", vec![c.into()])
}
pub fn min(c: impl Into<Column>) -> Column {
    call("min", vec![c.into()])
}
pub fn max(c: impl Into<Column>) -> Column {
    call("max", vec![c.into()])
}

/// `first(col, ignorenulls)`: the value of the first row in input order
/// (a null one too unless `ignorenulls`).
pub fn first(c: impl Into<Column>, ignorenulls: bool) -> Column {
    call("first", vec![c.into(), lit(ignorenulls)])
}
/// `last(col, ignorenulls)`: the value of the last row in input order.
pub fn last(c: impl Into<Column>, ignorenulls: bool) -> Column {
    call("last", vec![c.into(), lit(ignorenulls)])
}
pub fn first_value(c: impl Into<Column>, ignorenulls: bool) -> Column {
    call("first_value", vec![c.into(), lit(ignorenulls)])
}
pub fn last_value(c: impl Into<Column>, ignorenulls: bool) -> Column {
    call("last_value", vec![c.into(), lit(ignorenulls)])
}

fn distinct_call(name: &str, c: Column) -> Column {
    Column::from_expr(Expr::Function {
        name: name.into(),
        args: vec![c.expr],
        distinct: true,
    })
}
/// `count(DISTINCT col)` (static data only, as in Spark).
pub fn count_distinct(c: impl Into<Column>) -> Column {
    distinct_call("count", c.into())
}
/// `sum(DISTINCT col)` (static data only, as in Spark).
pub fn sum_distinct(c: impl Into<Column>) -> Column {
    distinct_call("sum", c.into())
}

/// `grouping(col)`: 1 where `col` is rolled up (cube, rollup, grouping sets).
pub fn grouping(c: impl Into<Column>) -> Column {
    call("grouping", vec![c.into()])
}
/// `grouping_id(cols)`: the grouping id (no columns, or all grouping columns
/// in order).
pub fn grouping_id<I, C>(cols: I) -> Column
where
    I: IntoIterator<Item = C>,
    C: Into<Column>,
{
    call("grouping_id", cols.into_iter().map(Into::into).collect())
}

macro_rules! unary_fns {
    ($($f:ident),*) => {$(
        #[doc = concat!("Spark's `", stringify!($f), "`.")]
        pub fn $f(c: impl Into<Column>) -> Column {
            call(stringify!($f), vec![c.into()])
        }
    )*};
}
unary_fns!(
    stddev,
    std,
    stddev_samp,
    stddev_pop,
    variance,
    var_samp,
    var_pop,
    lower,
    upper,
    length,
    trim,
    ltrim,
    rtrim,
    abs,
    floor,
    ceil,
    sqrt,
    to_timestamp,
    year,
    month,
    dayofmonth,
    hour,
    minute,
    second
);

pub fn round(c: impl Into<Column>, scale: i32) -> Column {
    call("round", vec![c.into(), lit(scale)])
}
pub fn substring(c: impl Into<Column>, pos: i32, len: i32) -> Column {
    call("substring", vec![c.into(), lit(pos), lit(len)])
}
pub fn concat<I, C>(cols: I) -> Column
where
    I: IntoIterator<Item = C>,
    C: Into<Column>,
{
    call("concat", cols.into_iter().map(Into::into).collect())
}
pub fn coalesce<I, C>(cols: I) -> Column
where
    I: IntoIterator<Item = C>,
    C: Into<Column>,
{
    call("coalesce", cols.into_iter().map(Into::into).collect())
}
/// `date_trunc("hour", col("event_time"))`.
pub fn date_trunc(unit: &str, c: impl Into<Column>) -> Column {
    call("date_trunc", vec![lit(unit), c.into()])
}

/// A tumbling event-time window: `window(col("event_time"), "10 minutes")`.
pub fn window(time_col: impl Into<Column>, duration: &str) -> Column {
    call("window", vec![time_col.into(), lit(duration)])
}

/// A sliding event-time window: `window_sliding(col("t"), "10 minutes", "5 minutes")`.
pub fn window_sliding(time_col: impl Into<Column>, duration: &str, slide: &str) -> Column {
    call("window", vec![time_col.into(), lit(duration), lit(slide)])
}

/// A window whose starts are offset from the epoch by `start` (PySpark's
/// `window(col, duration, slide, startTime)`): hourly windows starting at
/// quarter past are `window_offset(col("t"), "1 hour", "1 hour", "15 minutes")`.
pub fn window_offset(
    time_col: impl Into<Column>,
    duration: &str,
    slide: &str,
    start: &str,
) -> Column {
    call(
        "window",
        vec![time_col.into(), lit(duration), lit(slide), lit(start)],
    )
}

/// `from_json(col, "gt STRING, x DOUBLE")`: parses JSON strings into a
/// struct, array (`"ARRAY<INT>"`) or map (`"MAP<STRING, INT>"`) of that
/// DDL schema; a malformed record gives a struct of nulls (a null array or
/// map), as Spark's PERMISSIVE mode.
pub fn from_json(c: impl Into<Column>, schema: &str) -> Column {
    call(
        "from_json",
        vec![
            c.into(),
            Column::from_expr(Expr::Literal(Scalar::Utf8(schema.into()))),
        ],
    )
}

/// `to_json(col)`: a struct, array or map as JSON text per row.
pub fn to_json(c: impl Into<Column>) -> Column {
    Column::from_expr(Expr::call("to_json", vec![c.into().expr().clone()]))
}

/// `struct_([col("a"), col("b")])`: a struct of the columns (PySpark's
/// `struct`; fields named after the columns or their aliases).
pub fn struct_<I, C>(cols: I) -> Column
where
    I: IntoIterator<Item = C>,
    C: Into<Column>,
{
    let args = cols.into_iter().map(|c| c.into().expr().clone()).collect();
    Column::from_expr(Expr::call("struct", args))
}

/// Columns from anything that converts to one.
fn cols<I, C>(cs: I) -> Vec<Column>
where
    I: IntoIterator<Item = C>,
    C: Into<Column>,
{
    cs.into_iter().map(Into::into).collect()
}
