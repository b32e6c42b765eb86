//! `GroupedData`: what `group_by`, `cube` and `rollup` return.

use sqlc_compiler::builder;
use sqlc_compiler::expr::Expr;
use sqlc_compiler::DataType;

use crate::column::Column;
use crate::dataframe::DataFrame;
use crate::error::Result;

pub struct GroupedData {
    df: DataFrame,
    keys: Vec<Expr>,
    /// Grouping sets as bitmasks over `keys`; `None` for a plain GROUP BY.
    sets: Option<Vec<u64>>,
}

impl GroupedData {
    pub(crate) fn new(df: DataFrame, keys: Vec<Expr>, sets: Option<Vec<u64>>) -> Self {
        GroupedData { df, keys, sets }
    }

    /// The keys, then the given aggregates.
    pub fn agg<I>(&self, aggs: I) -> Result<DataFrame>
    where
        I: IntoIterator<Item = Column>,
    {
        let mut select = self.keys.clone();
        select.extend(aggs.into_iter().map(|c| c.expr));
        let plan = builder::aggregate(self.df.plan(), &self.keys, self.sets.clone(), &select)?;
        Ok(DataFrame::new(self.df.session().clone(), plan))
    }

    /// Rows per group, in a column named `count`.
    pub fn count(&self) -> Result<DataFrame> {
        self.agg([Column::from_expr(
            Expr::call("count", vec![Expr::Star]).alias("count"),
        )])
    }

    /// `func(col)` for each column named, or for every numeric column when
    /// none is (as Spark's `avg()`), each named `func(col)`.
    fn numeric_agg<I, S>(&self, func: &str, cols: I) -> Result<DataFrame>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut names: Vec<String> = cols.into_iter().map(|s| s.as_ref().to_string()).collect();
        if names.is_empty() {
            names = self
                .df
                .plan()
                .schema
                .fields
                .iter()
                .filter(|f| f.data_type.is_numeric() || f.data_type == DataType::Null)
                .map(|f| f.name.clone())
                .collect();
        }
        self.agg(
            names
                .iter()
                .map(|n| Column::from_expr(Expr::call(func, vec![Expr::col(n)]))),
        )
    }

    pub fn avg<I, S>(&self, cols: I) -> Result<DataFrame>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.numeric_agg("avg", cols)
    }

    pub fn mean<I, S>(&self, cols: I) -> Result<DataFrame>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.numeric_agg("avg", cols)
    }

    pub fn sum<I, S>(&self, cols: I) -> Result<DataFrame>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.numeric_agg("sum", cols)
    }

    pub fn min<I, S>(&self, cols: I) -> Result<DataFrame>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.numeric_agg("min", cols)
    }

    pub fn max<I, S>(&self, cols: I) -> Result<DataFrame>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.numeric_agg("max", cols)
    }
}
