//! The SQL front end: Spark SQL text → logical expressions and resolved
//! plans, parsed with sqlparser's Databricks dialect (Spark SQL's).
//!
//! Plans are built with [`crate::builder`], the operations the DataFrame
//! API calls too, so a query gives the same plan either way. Identifiers
//! match case-insensitively; an output column is named as the query wrote
//! it (or as Spark prints the expression).
//!
//! sqlc has no DECIMAL type: decimal literals and casts become DOUBLE; and
//! no SMALLINT/TINYINT: those become INT.

mod catalog_command;
pub mod command;
mod correlate;
mod dialect;
mod expr;
mod group;
mod inline;
pub(crate) mod literal;
mod order;
mod parser;
mod query;
mod rewrite;
pub mod script;
mod select;
mod set_command;
mod types;
mod values;

use std::sync::Arc;

use sqlparser::ast::Statement;

use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::plan::Plan;

pub use catalog_command::{catalog_command, CatalogAnswer};
pub use dialect::SparkDialect;
pub use set_command::{conf_command, ConfCommand};

/// Where `FROM` names come from: tables, views and memory tables.
pub trait Catalog {
    /// The plan of the relation called `name` (a dotted name is passed
    /// joined with `.`); case-insensitivity is the catalog's business.
    /// An unknown name is [`Error::TableNotFound`].
    fn table(&self, name: &str) -> Result<Arc<Plan>>;

    /// A relation holding `rows` of `schema` (an inline table, or the one
    /// row of a SELECT without FROM), registered for the query being planned.
    fn inline_table(
        &self,
        _schema: crate::types::Schema,
        _rows: Vec<Vec<crate::types::Scalar>>,
    ) -> Result<Arc<Plan>> {
        Err(Error::not_supported(
            "inline tables (VALUES) in this catalog",
        ))
    }
}

/// Parses one expression, as `expr("gt like '%stairs%'")`,
/// `where_("gt is not null")` and `with_column` take it. Like Spark's
/// `expr`, it accepts an alias (`count(*) AS n`) and `*`. Unlike
/// [`parse_select_item`] it never adds an alias of its own.
pub fn parse_expr(text: &str) -> Result<Expr> {
    let item = parser::parse_all(text, |p| p.parse_select_item())?;
    select::item(&item, false)
}

/// Parses one select-list item, as `select_expr` takes it: an expression
/// with an optional alias (`… AS event_time` → [`Expr::Alias`]), `*` or
/// `t.*`. Unaliased items are named as Spark names them (`CAST(value AS
/// STRING)` is `value`).
pub fn parse_select_item(text: &str) -> Result<Expr> {
    let item = parser::parse_all(text, |p| p.parse_select_item())?;
    select::item(&item, true)
}

/// Plans one SELECT statement over `catalog`'s relations.
pub fn plan_query(sql: &str, catalog: &dyn Catalog) -> Result<Arc<Plan>> {
    let statements = parser::statements(sql)?;
    match statements.as_slice() {
        [Statement::Query(q)] => query::Planner::new(catalog).query(q),
        [] => Err(Error::Parse {
            message: "Syntax error: the query is empty".into(),
            line: 1,
            column: 1,
        }),
        [other] => Err(Error::analysis(
            "UNSUPPORTED_STATEMENT",
            format!(
                "only a SELECT query can be run here, not `{}`",
                shorten(&other.to_string())
            ),
        )),
        many => Err(Error::analysis(
            "UNSUPPORTED_STATEMENT",
            format!("expected one statement, found {}", many.len()),
        )),
    }
}

fn shorten(s: &str) -> String {
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// Parses a DDL schema string, as `read_stream().schema("gt STRING, x
/// DOUBLE")` and `from_json` take it: comma-separated `name TYPE [NOT NULL]`.
pub fn parse_ddl_schema(text: &str) -> Result<crate::types::Schema> {
    let cols = parser::parse_all(text, |p| p.parse_comma_separated(|p| p.parse_column_def()))?;
    let mut fields = Vec::with_capacity(cols.len());
    for c in cols {
        let not_null = c
            .options
            .iter()
            .any(|o| matches!(o.option, sqlparser::ast::ColumnOption::NotNull));
        fields.push(crate::types::Field::new(
            expr::ident(&c.name),
            types::data_type(&c.data_type)?,
            !not_null,
        ));
    }
    Ok(crate::types::Schema::new(fields))
}

/// Parses the schema arguments of a call of `name` — `from_json(json, 'a
/// INT')`'s second — so that resolving it never parses text: a string
/// literal there becomes [`Expr::Schema`], holding the type (a type name, or
/// a DDL list of fields as a struct of nullable fields) or why it does not
/// parse. Every front end building a call runs it (SQL, the DataFrame
/// functions, Spark Connect).
pub fn parse_schema_args(name: &str, args: &mut [Expr]) {
    if !name.eq_ignore_ascii_case("from_json") {
        return;
    }
    if let Some(arg) = args.get_mut(1) {
        if let Expr::Literal(crate::types::Scalar::Utf8(ddl)) = arg {
            let parsed = schema_type(ddl).map_err(|err| err.to_string());
            *arg = Expr::Schema {
                ddl: std::mem::take(ddl),
                parsed,
            };
        }
    }
}

/// A schema string's type: a type name, or a DDL list of fields as a struct
/// of nullable fields.
fn schema_type(ddl: &str) -> Result<crate::types::DataType> {
    parse_type_name(ddl).or_else(|_| {
        parse_ddl_schema(ddl).map(|s| {
            crate::types::DataType::Struct(
                s.fields
                    .into_iter()
                    .map(|mut f| {
                        f.nullable = true;
                        f
                    })
                    .collect::<Vec<_>>()
                    .into(),
            )
        })
    })
}

/// Parses a SQL type name (`double`, `BIGINT`, `timestamp`), as
/// `Column::cast` takes it.
pub fn parse_type_name(text: &str) -> Result<crate::types::DataType> {
    let t = parser::parse_all(text, |p| p.parse_data_type())?;
    types::data_type(&t)
}
