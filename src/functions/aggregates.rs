//! The statistical and collecting aggregates by PySpark's names
//! (`pyspark.sql.functions`), in snake_case: each builds the same call the
//! SQL text would.

use super::{call, lit};
use crate::column::Column;

one_arg!(
    any_value => "any_value",
    count_if => "count_if",
    bool_and => "bool_and",
    every => "every",
    bool_or => "bool_or",
    some => "some",
    bit_and => "bit_and",
    bit_or => "bit_or",
    bit_xor => "bit_xor",
    skewness => "skewness",
    kurtosis => "kurtosis",
    collect_list => "collect_list",
    array_agg => "array_agg",
    collect_set => "collect_set",
    median => "median",
    mode => "mode",
    approx_count_distinct => "approx_count_distinct",
);

macro_rules! two_args {
    ($($f:ident => $name:literal),* $(,)?) => {$(
        #[doc = concat!("Spark's `", $name, "(col1, col2)`.")]
        pub fn $f(a: impl Into<Column>, b: impl Into<Column>) -> Column {
            call($name, vec![a.into(), b.into()])
        }
    )*};
}

two_args!(
    corr => "corr",
    covar_pop => "covar_pop",
    covar_samp => "covar_samp",
    max_by => "max_by",
    min_by => "min_by",
);

/// `approx_count_distinct(col, rsd)`: HyperLogLog++ with relative standard
/// deviation `rsd` (PySpark's `approx_count_distinct(col, rsd)`).
pub fn approx_count_distinct_rsd(c: impl Into<Column>, rsd: f64) -> Column {
    call("approx_count_distinct", vec![c.into(), lit(rsd)])
}

/// The percentages of a percentile: one, or several (an array result).
pub enum Percentages {
    One(f64),
    Many(Vec<f64>),
}

impl From<f64> for Percentages {
    fn from(p: f64) -> Self {
        Percentages::One(p)
    }
}
impl From<Vec<f64>> for Percentages {
    fn from(p: Vec<f64>) -> Self {
        Percentages::Many(p)
    }
}
impl From<&[f64]> for Percentages {
    fn from(p: &[f64]) -> Self {
        Percentages::Many(p.to_vec())
    }
}

impl Percentages {
    fn column(self) -> Column {
        match self {
            Percentages::One(p) => lit(p),
            Percentages::Many(ps) => call("array", ps.into_iter().map(lit).collect()),
        }
    }
}

/// `percentile(col, percentage)`: the exact percentile(s), interpolated.
pub fn percentile(c: impl Into<Column>, percentage: impl Into<Percentages>) -> Column {
    call("percentile", vec![c.into(), percentage.into().column()])
}

/// `percentile_approx(col, percentage, accuracy)` (PySpark's default
/// accuracy is 10000).
pub fn percentile_approx(
    c: impl Into<Column>,
    percentage: impl Into<Percentages>,
    accuracy: i64,
) -> Column {
    approx("percentile_approx", c.into(), percentage.into(), accuracy)
}

/// `approx_percentile(col, percentage, accuracy)`, as [`percentile_approx`].
pub fn approx_percentile(
    c: impl Into<Column>,
    percentage: impl Into<Percentages>,
    accuracy: i64,
) -> Column {
    approx("approx_percentile", c.into(), percentage.into(), accuracy)
}

fn approx(name: &str, c: Column, p: Percentages, accuracy: i64) -> Column {
    call(name, vec![c, p.column(), lit(accuracy)])
}
