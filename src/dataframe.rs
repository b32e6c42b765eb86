//! `DataFrame`: a query, static or streaming, built step by step as in
//! PySpark. Every step resolves its names at once, so a mistake is reported
//! where it is made.

use std::sync::Arc;

use arrow::record_batch::RecordBatch;
use sqlc_compiler::builder::{self, SetOp};
use sqlc_compiler::expr::Expr;
use sqlc_compiler::plan::{JoinType, Plan};
use sqlc_compiler::sql::command::ExplainMode;
use sqlc_compiler::Schema;
use sqlc_runtime::row::Row;

use crate::column::Column;
use crate::error::{Error, Result};
use crate::grouped::GroupedData;
use crate::session::Session;
use crate::stream_writer::DataStreamWriter;

#[derive(Clone)]
pub struct DataFrame {
    session: Session,
    plan: Arc<Plan>,
}

impl std::fmt::Debug for DataFrame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let cols: Vec<String> = self
            .plan
            .schema
            .fields
            .iter()
            .map(|c| format!("{}: {}", c.name, c.data_type))
            .collect();
        write!(f, "DataFrame[{}]", cols.join(", "))
    }
}

/// A filter condition: a [`Column`] or a SQL expression string.
pub enum Predicate {
    Column(Column),
    Sql(String),
}

impl From<Column> for Predicate {
    fn from(c: Column) -> Self {
        Predicate::Column(c)
    }
}
impl From<&str> for Predicate {
    fn from(s: &str) -> Self {
        Predicate::Sql(s.to_string())
    }
}
impl From<String> for Predicate {
    fn from(s: String) -> Self {
        Predicate::Sql(s)
    }
}

/// How to join: on columns named alike on both sides, or on a condition.
pub enum JoinOn {
    Columns(Vec<String>),
    Condition(Column),
}

impl From<&str> for JoinOn {
    fn from(c: &str) -> Self {
        JoinOn::Columns(vec![c.to_string()])
    }
}
impl<const N: usize> From<[&str; N]> for JoinOn {
    fn from(c: [&str; N]) -> Self {
        JoinOn::Columns(c.iter().map(|s| s.to_string()).collect())
    }
}
impl From<Vec<&str>> for JoinOn {
    fn from(c: Vec<&str>) -> Self {
        JoinOn::Columns(c.iter().map(|s| s.to_string()).collect())
    }
}
impl From<Vec<String>> for JoinOn {
    fn from(c: Vec<String>) -> Self {
        JoinOn::Columns(c)
    }
}
impl From<Column> for JoinOn {
    fn from(c: Column) -> Self {
        JoinOn::Condition(c)
    }
}

/// A sort key: a column, ascending unless made with [`SortKey::desc`].
pub struct SortKey {
    col: Column,
    ascending: bool,
    nulls_first: Option<bool>,
}

impl SortKey {
    pub fn asc(c: impl Into<Column>) -> Self {
        SortKey {
            col: c.into(),
            ascending: true,
            nulls_first: None,
        }
    }
    pub fn desc(c: impl Into<Column>) -> Self {
        SortKey {
            col: c.into(),
            ascending: false,
            nulls_first: None,
        }
    }
    pub fn nulls_first(mut self) -> Self {
        self.nulls_first = Some(true);
        self
    }
    pub fn nulls_last(mut self) -> Self {
        self.nulls_first = Some(false);
        self
    }
}

impl<T: Into<Column>> From<T> for SortKey {
    fn from(c: T) -> Self {
        SortKey::asc(c)
    }
}

fn names<I, S>(cols: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    cols.into_iter().map(|s| s.as_ref().to_string()).collect()
}

impl DataFrame {
    pub(crate) fn new(session: Session, plan: Arc<Plan>) -> Self {
        DataFrame { session, plan }
    }

    fn derive(&self, plan: Arc<Plan>) -> DataFrame {
        DataFrame {
            session: self.session.clone(),
            plan,
        }
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    pub fn plan(&self) -> &Arc<Plan> {
        &self.plan
    }

    pub fn schema(&self) -> Schema {
        self.plan.schema.clone()
    }

    pub fn columns(&self) -> Vec<String> {
        self.plan
            .schema
            .fields
            .iter()
            .map(|f| f.name.clone())
            .collect()
    }

    pub fn is_streaming(&self) -> bool {
        self.plan.is_streaming()
    }

    /// Spark's `printSchema()` text.
    pub fn schema_string(&self) -> String {
        self.plan.schema.tree_string()
    }

    pub fn print_schema(&self) {
        print!("{}", self.schema_string());
    }

    pub fn select<I, C>(&self, cols: I) -> Result<DataFrame>
    where
        I: IntoIterator<Item = C>,
        C: Into<Column>,
    {
        let exprs: Vec<Expr> = cols.into_iter().map(|c| c.into().expr).collect();
        Ok(self.derive(builder::project(&self.plan, &exprs)?))
    }

    /// `select_expr(["*", "cast(x as int) as xi"])`: SQL select items.
    pub fn select_expr<I, S>(&self, exprs: I) -> Result<DataFrame>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let exprs = exprs
            .into_iter()
            .map(|s| sqlc_compiler::sql::parse_select_item(s.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(self.derive(builder::project(&self.plan, &exprs)?))
    }

    pub fn filter(&self, condition: impl Into<Predicate>) -> Result<DataFrame> {
        let e = match condition.into() {
            Predicate::Column(c) => c.expr,
            Predicate::Sql(s) => sqlc_compiler::sql::parse_expr(&s)?,
        };
        Ok(self.derive(builder::filter(&self.plan, &e)?))
    }

    /// Same as [`DataFrame::filter`] (`where` is a Rust keyword).
    pub fn where_(&self, condition: impl Into<Predicate>) -> Result<DataFrame> {
        self.filter(condition)
    }

    fn all_columns_but(&self, skip: impl Fn(&str) -> bool) -> Vec<Expr> {
        self.plan
            .schema
            .fields
            .iter()
            .enumerate()
            .filter(|(_, f)| !skip(&f.name))
            .map(|(i, f)| Expr::Column {
                qualifier: self.plan.qualifiers[i].clone(),
                name: f.name.clone(),
            })
            .collect()
    }

    /// Adds a column, or replaces the one with that name.
    pub fn with_column(&self, name: &str, c: Column) -> Result<DataFrame> {
        let exists = self
            .plan
            .schema
            .fields
            .iter()
            .any(|f| f.name.eq_ignore_ascii_case(name));
        let mut exprs = Vec::new();
        for (i, f) in self.plan.schema.fields.iter().enumerate() {
            exprs.push(if f.name.eq_ignore_ascii_case(name) {
                c.expr.clone().alias(name)
            } else {
                Expr::Column {
                    qualifier: self.plan.qualifiers[i].clone(),
                    name: f.name.clone(),
                }
            });
        }
        if !exists {
            exprs.push(c.expr.alias(name));
        }
        Ok(self.derive(builder::project(&self.plan, &exprs)?))
    }

    pub fn with_column_renamed(&self, existing: &str, new: &str) -> Result<DataFrame> {
        let exprs: Vec<Expr> = self
            .plan
            .schema
            .fields
            .iter()
            .map(|f| {
                let c = Expr::col(&f.name);
                if f.name.eq_ignore_ascii_case(existing) {
                    c.alias(new)
                } else {
                    c
                }
            })
            .collect();
        Ok(self.derive(builder::project(&self.plan, &exprs)?))
    }

    /// Drops columns by name; names that match nothing are ignored, as in Spark.
    pub fn drop<I, S>(&self, cols: I) -> Result<DataFrame>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let gone = names(cols);
        let exprs = self.all_columns_but(|n| gone.iter().any(|g| g.eq_ignore_ascii_case(n)));
        Ok(self.derive(builder::project(&self.plan, &exprs)?))
    }

    pub fn group_by<I, C>(&self, cols: I) -> GroupedData
    where
        I: IntoIterator<Item = C>,
        C: Into<Column>,
    {
        GroupedData::new(
            self.clone(),
            cols.into_iter().map(|c| c.into().expr).collect(),
            None,
        )
    }

    /// Grouping sets of every subset of `cols`.
    pub fn cube<I, C>(&self, cols: I) -> GroupedData
    where
        I: IntoIterator<Item = C>,
        C: Into<Column>,
    {
        let keys: Vec<Expr> = cols.into_iter().map(|c| c.into().expr).collect();
        let n = keys.len().min(63);
        let sets = (0..(1u64 << n)).rev().collect();
        GroupedData::new(self.clone(), keys, Some(sets))
    }

    /// Grouping sets of every prefix of `cols`.
    pub fn rollup<I, C>(&self, cols: I) -> GroupedData
    where
        I: IntoIterator<Item = C>,
        C: Into<Column>,
    {
        let keys: Vec<Expr> = cols.into_iter().map(|c| c.into().expr).collect();
        let n = keys.len().min(63);
        let sets = (0..=n)
            .rev()
            .map(|k| if k == 0 { 0 } else { u64::MAX >> (64 - k) })
            .collect();
        GroupedData::new(self.clone(), keys, Some(sets))
    }

    /// A global aggregate: `agg([count("*"), avg("x")])`.
    pub fn agg<I>(&self, aggs: I) -> Result<DataFrame>
    where
        I: IntoIterator<Item = Column>,
    {
        GroupedData::new(self.clone(), vec![], None).agg(aggs)
    }

    /// `join(other, ["gt", "model"], "inner")` or on a condition column.
    pub fn join(&self, other: &DataFrame, on: impl Into<JoinOn>, how: &str) -> Result<DataFrame> {
        let how = JoinType::parse(how).ok_or_else(|| {
            Error::analysis("UNSUPPORTED_JOIN_TYPE", format!(
                "Unsupported join type '{how}'. Supported join types include: 'inner', 'outer', 'full', \
                 'fullouter', 'full_outer', 'leftouter', 'left', 'left_outer', 'rightouter', 'right', \
                 'right_outer', 'leftsemi', 'left_semi', 'semi', 'leftanti', 'left_anti', 'anti'"
            ))
        })?;
        let plan = match on.into() {
            JoinOn::Columns(cols) => builder::join_using(&self.plan, &other.plan, &cols, how)?,
            JoinOn::Condition(c) => builder::join_on(&self.plan, &other.plan, &c.expr, how)?,
        };
        Ok(self.derive(plan))
    }

    /// `with_watermark("event_time", "30 minutes")`.
    pub fn with_watermark(&self, event_time: &str, delay: &str) -> Result<DataFrame> {
        let us = sqlc_compiler::interval::parse_duration_us(delay).ok_or_else(|| {
            Error::Runtime(sqlc_runtime::Error::BadOption {
                name: "delayThreshold".into(),
                value: delay.into(),
                reason: "expected an interval such as '30 minutes'".into(),
            })
        })?;
        Ok(self.derive(builder::watermark(&self.plan, event_time, us)?))
    }

    /// Keeps the first row of each distinct combination of `cols` (all
    /// columns when empty).
    pub fn drop_duplicates<I, S>(&self, cols: I) -> Result<DataFrame>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        Ok(self.derive(builder::deduplicate(&self.plan, &names(cols))?))
    }

    /// Spark 3.5's `dropDuplicatesWithinWatermark`: on a stream (which
    /// needs a watermark), a key is remembered from its first row until the
    /// watermark passes that row's event time plus the watermark delay, so
    /// duplicates that arrive within the delay are dropped and the state
    /// stays bounded even when the event time is not a key.
    pub fn drop_duplicates_within_watermark<I, S>(&self, cols: I) -> Result<DataFrame>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        Ok(self.derive(builder::deduplicate_within_watermark(
            &self.plan,
            &names(cols),
        )?))
    }

    pub fn distinct(&self) -> Result<DataFrame> {
        Ok(self.derive(builder::deduplicate(&self.plan, &[])?))
    }

    /// Spark's `union` (and `unionAll`): the rows of both, columns matched
    /// by position, duplicates kept (SQL's `UNION ALL`).
    pub fn union(&self, other: &DataFrame) -> Result<DataFrame> {
        Ok(self.derive(builder::set_operation(
            SetOp::Union,
            true,
            &self.plan,
            &other.plan,
        )?))
    }

    /// Spark's `unionAll`: the same as [`DataFrame::union`].
    pub fn union_all(&self, other: &DataFrame) -> Result<DataFrame> {
        self.union(other)
    }

    /// Spark's `unionByName`: columns matched by name; with
    /// `allow_missing_columns`, a column one side lacks is null there.
    pub fn union_by_name(
        &self,
        other: &DataFrame,
        allow_missing_columns: bool,
    ) -> Result<DataFrame> {
        Ok(self.derive(builder::union_by_name(
            &self.plan,
            &other.plan,
            allow_missing_columns,
        )?))
    }

    /// Spark's `intersect`: the distinct rows both have.
    pub fn intersect(&self, other: &DataFrame) -> Result<DataFrame> {
        let p = builder::set_operation(SetOp::Intersect, false, &self.plan, &other.plan)?;
        Ok(self.derive(p))
    }

    /// Spark's `intersectAll`: rows both have, as often as both have them.
    pub fn intersect_all(&self, other: &DataFrame) -> Result<DataFrame> {
        let p = builder::set_operation(SetOp::Intersect, true, &self.plan, &other.plan)?;
        Ok(self.derive(p))
    }

    /// Spark's `subtract` (SQL's `EXCEPT`): the distinct rows `other` lacks.
    pub fn subtract(&self, other: &DataFrame) -> Result<DataFrame> {
        let p = builder::set_operation(SetOp::Except, false, &self.plan, &other.plan)?;
        Ok(self.derive(p))
    }

    /// Spark's `exceptAll`: each row as many more times as this has it
    /// than `other` does.
    pub fn except_all(&self, other: &DataFrame) -> Result<DataFrame> {
        let p = builder::set_operation(SetOp::Except, true, &self.plan, &other.plan)?;
        Ok(self.derive(p))
    }

    pub fn order_by<I, K>(&self, keys: I) -> Result<DataFrame>
    where
        I: IntoIterator<Item = K>,
        K: Into<SortKey>,
    {
        let keys: Vec<(Expr, bool, Option<bool>)> = keys
            .into_iter()
            .map(|k| {
                let k = k.into();
                (k.col.expr, k.ascending, k.nulls_first)
            })
            .collect();
        Ok(self.derive(builder::sort(&self.plan, &keys)?))
    }

    pub fn sort<I, K>(&self, keys: I) -> Result<DataFrame>
    where
        I: IntoIterator<Item = K>,
        K: Into<SortKey>,
    {
        self.order_by(keys)
    }

    /// The same rows with every column qualified by `alias`
    /// (`df.alias("a")`, then `col("a.x")`).
    pub fn alias(&self, alias: &str) -> DataFrame {
        self.derive(self.plan.aliased(alias))
    }

    pub fn limit(&self, n: usize) -> DataFrame {
        self.derive(builder::limit(&self.plan, n))
    }

    pub fn create_or_replace_temp_view(&self, name: &str) -> Result<()> {
        self.session.catalog().set_name(name, self.plan.clone());
        Ok(())
    }

    /// Runs a batch query and returns its rows.
    pub fn collect(&self) -> Result<Vec<RecordBatch>> {
        let parts = self.session.shuffle_partitions()?;
        Ok(sqlc_runtime::batch::execute(
            &*self.session.zoned(&self.plan)?,
            self.session.catalog(),
            self.session.exec_mode(),
            parts,
        )?)
    }

    pub fn collect_rows(&self) -> Result<Vec<Row>> {
        Ok(self.collect()?.iter().flat_map(Row::from_batch).collect())
    }

    pub fn count(&self) -> Result<usize> {
        Ok(self.collect()?.iter().map(|b| b.num_rows()).sum())
    }

    /// The table `show(n, truncate)` prints.
    pub fn show_string(&self, n: usize, truncate: usize) -> Result<String> {
        let rows = self.limit(n.saturating_add(1)).collect()?;
        Ok(sqlc_runtime::display::show_string(
            &self.plan.schema.to_arrow(),
            &rows,
            n,
            truncate,
            &self.session.time_zone()?,
        ))
    }

    /// Prints the first 20 rows as Spark's `show()` does.
    pub fn show(&self) -> Result<()> {
        self.show_n(20)
    }

    pub fn show_n(&self, n: usize) -> Result<()> {
        print!("{}", self.show_string(n, 20)?);
        Ok(())
    }

    /// `show(n, truncate)`: `truncate` 0 prints cells whole.
    pub fn show_with(&self, n: usize, truncate: usize) -> Result<()> {
        print!("{}", self.show_string(n, truncate)?);
        Ok(())
    }

    /// The physical plan and every kernel: its typed IR, Cranelift IR,
    /// machine code and compile time (`explain_mode(ExplainMode::Codegen)`).
    pub fn explain(&self) -> Result<String> {
        self.explain_mode(ExplainMode::Codegen)
    }

    /// The plan as Spark's `explain(mode)` shows it: `Simple` the physical
    /// plan, `Extended` the logical plan too, `Codegen` every kernel's typed
    /// IR, Cranelift IR and machine code, `Formatted` an outline and the
    /// typed IR.
    pub fn explain_mode(&self, mode: ExplainMode) -> Result<String> {
        let plan = self.session.zoned(&self.plan)?;
        crate::explain::explain(&plan, self.session.exec_mode(), mode)
    }

    pub fn write_stream(&self) -> DataStreamWriter {
        DataStreamWriter::new(self.clone())
    }
}
