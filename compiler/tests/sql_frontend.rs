//! The SQL front end: Spark SQL text → expressions and resolved plans.
//! Plans are compared with the ones the DataFrame operations build, and
//! checked through their output schemas and trees.
//!
//! No test here resolves LIKE (it needs `scalar_fns::LikeMatcher`) or prints
//! timestamp literals (they need `scalar_fns::format_timestamp`).

use std::sync::Arc;

use sqlc_compiler::builder;
use sqlc_compiler::expr::Expr;
use sqlc_compiler::ir::{AggFunc, BinaryOp};
use sqlc_compiler::plan::{JoinType, Plan, PlanNode, SourceId};
use sqlc_compiler::sql::{parse_expr, plan_query, Catalog};
use sqlc_compiler::{DataType, Error, Field, Result, Scalar, Schema};

/// Expression parsing: `parse_expr` and `parse_select_item`.
#[path = "sql/expressions.rs"]
mod expressions;

fn activity_schema() -> Schema {
    let f = |n: &str, t: DataType| Field::new(n, t, true);
    Schema::new(vec![
        f("Arrival_Time", DataType::Int64),
        f("Creation_Time", DataType::Int64),
        f("Device", DataType::Utf8),
        f("Index", DataType::Int64),
        f("Model", DataType::Utf8),
        f("User", DataType::Utf8),
        f("gt", DataType::Utf8),
        f("x", DataType::Float64),
        f("y", DataType::Float64),
        f("z", DataType::Float64),
    ])
}

fn static_schema() -> Schema {
    Schema::new(vec![
        Field::new("gt", DataType::Utf8, true),
        Field::new("model", DataType::Utf8, true),
        Field::new("label", DataType::Utf8, false),
        Field::new("weight", DataType::Float64, true),
    ])
}

struct TestCatalog {
    activity: Arc<Plan>,
    static_t: Arc<Plan>,
}

impl Catalog for TestCatalog {
    fn table(&self, name: &str) -> Result<Arc<Plan>> {
        match name.to_ascii_lowercase().as_str() {
            "activity" => Ok(self.activity.clone()),
            "static_t" => Ok(self.static_t.clone()),
            _ => Err(Error::TableNotFound(name.to_string())),
        }
    }
}

fn catalog() -> TestCatalog {
    TestCatalog {
        activity: builder::scan(SourceId(1), "activity", activity_schema(), true),
        static_t: builder::scan(SourceId(2), "static_t", static_schema(), false),
    }
}

fn activity() -> Arc<Plan> {
    catalog().activity
}

fn plan(sql: &str) -> Arc<Plan> {
    plan_query(sql, &catalog()).unwrap_or_else(|e| panic!("{sql}\n  failed: {e}"))
}

fn err(sql: &str) -> Error {
    match plan_query(sql, &catalog()) {
        Ok(p) => panic!("{sql}\n  planned, expected an error:\n{}", p.display_tree()),
        Err(e) => e,
    }
}

fn names(p: &Plan) -> Vec<&str> {
    p.schema.fields.iter().map(|f| f.name.as_str()).collect()
}

fn col(n: &str) -> Expr {
    Expr::col(n)
}

fn e(text: &str) -> Expr {
    parse_expr(text).unwrap_or_else(|err| panic!("{text}: {err}"))
}

fn lit(v: Scalar) -> Expr {
    Expr::Literal(v)
}

fn count_star() -> Expr {
    Expr::call("count", vec![Expr::Star])
}

fn grouping_sets(p: &Plan) -> Vec<u64> {
    match &p.node {
        PlanNode::Aggregate { grouping_sets, .. } => grouping_sets.clone(),
        _ => match p.inputs().first() {
            Some(input) => grouping_sets(input),
            None => panic!("no aggregate in the plan"),
        },
    }
}

// ---------------------------------------------------------------- queries

#[test]
fn seed_count_by_gt() {
    let p = plan("SELECT gt, count(*) AS count FROM activity GROUP BY gt");
    assert_eq!(names(&p), ["gt", "count"]);
    assert_eq!(p.schema.fields[0].data_type, DataType::Utf8);
    assert_eq!(
        p.schema.fields[1],
        Field::new("count", DataType::Int64, false)
    );
    let df = builder::aggregate(
        &activity(),
        &[col("gt")],
        None,
        &[col("gt"), count_star().alias("count")],
    )
    .unwrap();
    assert_eq!(p, df);
    assert_eq!(grouping_sets(&p), [1]);
}

#[test]
fn unaliased_aggregate_names_follow_spark() {
    let p = plan("SELECT gt, count(*), avg(x), max(Index) FROM activity GROUP BY gt");
    assert_eq!(names(&p), ["gt", "count(1)", "avg(x)", "max(Index)"]);
    let p = plan("SELECT count(1), sum(x + 1) FROM activity");
    assert_eq!(names(&p), ["count(1)", "sum((x + 1))"]);
}

#[test]
fn seed_select_star_where() {
    let p = plan("SELECT * FROM activity WHERE gt IS NOT NULL");
    let a = activity();
    let filtered = builder::filter(&a, &Expr::IsNotNull(Box::new(col("gt")))).unwrap();
    let df = builder::project(&filtered, &[Expr::Wildcard { qualifier: None }]).unwrap();
    assert_eq!(p, df);
    assert_eq!(names(&p), names(&a));
}

#[test]
fn seed_cube() {
    let p = plan("SELECT gt, model, avg(x), avg(y), avg(z) FROM activity GROUP BY CUBE(gt, model)");
    assert_eq!(names(&p), ["gt", "model", "avg(x)", "avg(y)", "avg(z)"]);
    assert_eq!(grouping_sets(&p), [0b11, 0b01, 0b10, 0b00]);
    assert!(p.schema.fields.iter().all(|f| f.nullable));
    let avg = |c: &str| Expr::call("avg", vec![col(c)]);
    let df = builder::aggregate(
        &activity(),
        &[col("gt"), col("model")],
        Some(vec![3, 1, 2, 0]),
        &[col("gt"), col("model"), avg("x"), avg("y"), avg("z")],
    )
    .unwrap();
    assert_eq!(p, df);
}

#[test]
fn rollup_and_grouping_sets() {
    let rollup = plan("SELECT gt, model, count(*) FROM activity GROUP BY ROLLUP(gt, model)");
    assert_eq!(grouping_sets(&rollup), [0b11, 0b01, 0b00]);
    let suffix = plan("SELECT gt, model, count(*) FROM activity GROUP BY gt, model WITH ROLLUP");
    assert_eq!(rollup, suffix);
    let cube = plan("SELECT gt, model, count(*) FROM activity GROUP BY gt, model WITH CUBE");
    assert_eq!(grouping_sets(&cube), [0b11, 0b01, 0b10, 0b00]);
    let sets = plan(
        "SELECT gt, model, count(*) FROM activity GROUP BY GROUPING SETS ((gt, model), (gt), ())",
    );
    assert_eq!(grouping_sets(&sets), [0b11, 0b01, 0b00]);
    assert_eq!(rollup, sets);
    let mixed = plan("SELECT gt, model, count(*) FROM activity GROUP BY gt, CUBE(model)");
    assert_eq!(grouping_sets(&mixed), [0b11, 0b01]);
    // a single full set is a plain GROUP BY
    let one = plan("SELECT gt, count(*) FROM activity GROUP BY GROUPING SETS ((gt))");
    assert_eq!(one, plan("SELECT gt, count(*) FROM activity GROUP BY gt"));
}

#[test]
fn group_by_ordinal_alias_and_all() {
    let by_expr = plan("SELECT lower(gt) AS g, count(*) FROM activity GROUP BY lower(gt)");
    assert_eq!(names(&by_expr), ["g", "count(1)"]);
    assert_eq!(
        by_expr,
        plan("SELECT lower(gt) AS g, count(*) FROM activity GROUP BY 1")
    );
    assert_eq!(
        by_expr,
        plan("SELECT lower(gt) AS g, count(*) FROM activity GROUP BY g")
    );
    assert_eq!(
        by_expr,
        plan("SELECT lower(gt) AS g, count(*) FROM activity GROUP BY ALL")
    );
    // an input column wins over an alias of the same name
    let p = plan("SELECT lower(gt) AS gt, count(*) FROM activity GROUP BY gt");
    assert!(plan_query(
        "SELECT lower(gt) AS gt FROM activity GROUP BY gt",
        &catalog()
    )
    .is_ok());
    assert_eq!(names(&p), ["gt", "count(1)"]);
    let e = err("SELECT gt, count(*) FROM activity GROUP BY 3");
    assert!(e.to_string().contains("GROUP_BY_POS_OUT_OF_RANGE"), "{e}");
    let e = err("SELECT gt, count(*) FROM activity GROUP BY 2");
    assert!(e.to_string().contains("GROUP_BY_POS_AGGREGATE"), "{e}");
}

#[test]
fn having() {
    let p = plan("SELECT gt, count(*) AS n FROM activity GROUP BY gt HAVING count(*) > 10");
    assert_eq!(names(&p), ["gt", "n"]);
    assert!(p.display_tree().contains("Filter"), "{}", p.display_tree());
    let df = builder::aggregate_having(
        &activity(),
        &[col("gt")],
        None,
        &[col("gt"), count_star().alias("n")],
        Some(&count_star().binary(BinaryOp::Gt, lit(Scalar::Int32(10)))),
    )
    .unwrap();
    assert_eq!(p, df);
    // HAVING may name a select alias
    assert_eq!(
        p,
        plan("SELECT gt, count(*) AS n FROM activity GROUP BY gt HAVING n > 10")
    );
    // and a grouping column
    plan("SELECT gt, count(*) AS n FROM activity GROUP BY gt HAVING gt IS NOT NULL");
}

#[test]
fn joins_using_and_on() {
    let p = plan("SELECT * FROM activity JOIN static_t USING (gt)");
    let c = catalog();
    // SQL keeps each side's key hidden after the output (`static_t.gt`).
    let df = builder::join_using_keys(&c.activity, &c.static_t, &["gt".into()], JoinType::Inner)
        .unwrap();
    assert_eq!(
        p.node,
        builder::project(&df, &[Expr::Wildcard { qualifier: None }])
            .unwrap()
            .node
    );
    assert_eq!(names(&p)[0], "gt");
    assert_eq!(names(&p).len(), 10 + 4 - 1);

    let p = plan(
        "SELECT a.gt, s.label FROM activity AS a LEFT OUTER JOIN static_t s \
         ON a.gt = s.gt AND a.Model = s.model",
    );
    assert_eq!(names(&p), ["gt", "label"]);
    assert!(
        p.schema.fields[1].nullable,
        "right side of a left join is nullable"
    );
    let join = p.inputs()[0];
    match &join.node {
        PlanNode::Join { how, left_keys, .. } => {
            assert_eq!(*how, JoinType::LeftOuter);
            assert_eq!(left_keys.len(), 2);
        }
        other => panic!("expected a join, got {other:?}"),
    }

    for (sql, how) in [
        ("LEFT SEMI JOIN", JoinType::LeftSemi),
        ("LEFT ANTI JOIN", JoinType::LeftAnti),
        ("RIGHT JOIN", JoinType::RightOuter),
        ("FULL OUTER JOIN", JoinType::FullOuter),
        ("INNER JOIN", JoinType::Inner),
    ] {
        let p = plan(&format!(
            "SELECT * FROM activity a {sql} static_t s ON a.gt = s.gt"
        ));
        assert!(
            matches!(&p.inputs()[0].node, PlanNode::Join { how: h, .. } if *h == how),
            "{sql}"
        );
        let width = if matches!(how, JoinType::LeftSemi | JoinType::LeftAnti) {
            10
        } else {
            14
        };
        assert_eq!(p.schema.len(), width, "{sql}");
    }
    // the seed's stream–static join on two columns
    let p = plan(
        "SELECT * FROM (SELECT gt, model, avg(x) FROM activity GROUP BY CUBE(gt, model)) c \
         JOIN (SELECT gt, model, avg(weight) FROM static_t GROUP BY gt, model) s USING (gt, model)",
    );
    assert_eq!(names(&p), ["gt", "model", "avg(x)", "avg(weight)"]);
}

#[test]
fn order_by_alias_ordinal_expression_and_hidden_column() {
    let by_alias = plan("SELECT gt, count(*) AS n FROM activity GROUP BY gt ORDER BY n DESC");
    match &by_alias.node {
        PlanNode::Sort { keys, .. } => {
            assert!(!keys[0].ascending);
            assert!(!keys[0].nulls_first, "DESC sorts nulls last by default");
        }
        other => panic!("expected a sort, got {other:?}"),
    }
    assert_eq!(
        by_alias,
        plan("SELECT gt, count(*) AS n FROM activity GROUP BY gt ORDER BY 2 DESC")
    );
    assert_eq!(
        by_alias,
        plan("SELECT gt, count(*) AS n FROM activity GROUP BY gt ORDER BY count(*) DESC")
    );
    let nulls = plan("SELECT gt FROM activity ORDER BY gt DESC NULLS FIRST, x");
    match &nulls.inputs()[0].node {
        PlanNode::Sort { keys, .. } => {
            assert!(keys[0].nulls_first && !keys[0].ascending);
            assert!(keys[1].nulls_first && keys[1].ascending, "ASC: nulls first");
        }
        other => panic!("expected a sort under the projection, got {other:?}"),
    }
    // x is not selected: sorted on, then projected away
    assert_eq!(names(&nulls), ["gt"]);
    let hidden = plan("SELECT gt FROM activity GROUP BY gt ORDER BY count(*)");
    assert_eq!(names(&hidden), ["gt"]);
    let e = err("SELECT gt FROM activity ORDER BY 2");
    assert!(e.to_string().contains("ORDER_BY_POS_OUT_OF_RANGE"), "{e}");
    let limited = plan("SELECT gt FROM activity ORDER BY 1 LIMIT 5");
    assert!(matches!(limited.node, PlanNode::Limit { n: 5, .. }));
}

#[test]
fn distinct_and_distinct_on() {
    let p = plan("SELECT DISTINCT ON (User, gt) * FROM activity");
    match &p.node {
        PlanNode::Deduplicate { keys, .. } => assert_eq!(keys, &[5, 6]),
        other => panic!("expected a dedup, got {other:?}"),
    }
    let p = plan("SELECT DISTINCT gt, model FROM activity");
    assert!(matches!(&p.node, PlanNode::Deduplicate { keys, .. } if keys == &[0, 1]));
    let e = err("SELECT DISTINCT gt FROM activity ORDER BY x");
    assert_eq!(e.class(), "UNRESOLVED_COLUMN", "{e}");
}

#[test]
fn ctes_and_subqueries() {
    let p = plan(
        "WITH c AS (SELECT gt, count(*) AS n FROM activity GROUP BY gt), \
              d AS (SELECT * FROM c WHERE n > 5) \
         SELECT d.gt, n FROM d",
    );
    assert_eq!(names(&p), ["gt", "n"]);
    // a CTE shadows a table of the same name
    let p = plan("WITH activity AS (SELECT gt FROM static_t) SELECT * FROM activity");
    assert_eq!(names(&p), ["gt"]);
    assert!(!p.is_streaming());

    let p = plan("SELECT t.gt, t.x FROM (SELECT gt, x FROM activity WHERE x > 0) AS t");
    assert_eq!(names(&p), ["gt", "x"]);
    let p = plan("SELECT g, v + 1 FROM (SELECT gt, x FROM activity) AS t (g, v)");
    assert_eq!(names(&p), ["g", "(v + 1)"]);
    let e = err("SELECT t.gt FROM (SELECT gt FROM activity) AS u");
    assert_eq!(e.class(), "UNRESOLVED_COLUMN");
    // qualifiers do not leave an unaliased subquery (as in Spark)
    let e = err("SELECT a.gt FROM (SELECT a.gt FROM activity a)");
    assert_eq!(e.class(), "UNRESOLVED_COLUMN");
    plan("SELECT gt FROM (SELECT a.gt FROM activity a)");
}

#[test]
fn table_aliases_qualify_columns() {
    let p = plan("SELECT a.gt, a.* FROM activity AS a WHERE a.x > 1");
    assert_eq!(names(&p).len(), 11);
    plan("SELECT activity.gt FROM activity");
    plan("SELECT ACTIVITY.GT FROM Activity");
    assert_eq!(
        err("SELECT activity.gt FROM activity a").class(),
        "UNRESOLVED_COLUMN"
    );
}

#[test]
fn case_insensitive_names_keep_the_query_spelling() {
    let p = plan("SELECT model, GT, `User` FROM ACTIVITY");
    assert_eq!(names(&p), ["model", "GT", "User"]);
    assert_eq!(p.schema.fields[0].data_type, DataType::Utf8);
    let p = plan("SELECT `avg(x)` FROM (SELECT avg(x) FROM activity)");
    assert_eq!(names(&p), ["avg(x)"]);
    assert_eq!(p.schema.fields[0].data_type, DataType::Float64);
}

#[test]
fn projection_names_and_types() {
    let p = plan(
        "SELECT x + 1, -x, x != 1, Index * 2, 1, 10L, 1.5, 'a', CAST(Index AS STRING), \
         CAST(x + 1 AS INT), x AS renamed FROM activity",
    );
    assert_eq!(
        names(&p),
        [
            "(x + 1)",
            "(- x)",
            "(NOT (x = 1))",
            "(Index * 2)",
            "1",
            "10",
            "1.5",
            "a",
            "Index",
            "CAST((x + 1) AS INT)",
            "renamed",
        ]
    );
    let types: Vec<&DataType> = p.schema.fields.iter().map(|f| &f.data_type).collect();
    use DataType::*;
    assert_eq!(
        types,
        [
            &Float64,
            &Float64,
            &Boolean,
            &Int64,
            &Int32,
            &Int64,
            &Decimal(2, 1),
            &Utf8,
            &Utf8,
            &Int32,
            &Float64
        ]
    );
    assert!(!p.schema.fields[4].nullable, "a literal is not nullable");
    let p = plan(
        "SELECT cast(cast(Creation_Time as double)/1000000000 as timestamp) as event_time, * FROM activity",
    );
    assert_eq!(
        p.schema.fields[0],
        Field::new("event_time", DataType::Timestamp, true)
    );
    assert_eq!(p.schema.len(), 11);
}

// ---------------------------------------------------------------- errors

#[test]
fn error_unknown_column() {
    let e = err("SELECT nope FROM activity");
    assert_eq!(e.class(), "UNRESOLVED_COLUMN");
    assert!(e.to_string().contains("nope"), "{e}");
    assert_eq!(
        err("SELECT gt FROM activity WHERE nope > 1").class(),
        "UNRESOLVED_COLUMN"
    );
    assert_eq!(
        err("SELECT gt, count(*) FROM activity GROUP BY nope").class(),
        "UNRESOLVED_COLUMN"
    );
}

#[test]
fn error_unknown_table() {
    let e = err("SELECT * FROM nowhere");
    assert_eq!(e, Error::TableNotFound("nowhere".into()));
    assert_eq!(
        err("SELECT * FROM activity JOIN nowhere USING (gt)").class(),
        "TABLE_OR_VIEW_NOT_FOUND"
    );
}

#[test]
fn error_syntax_with_position() {
    match err("SELECT gt\nFROM activity WHERE x > > 1") {
        Error::Parse {
            message,
            line,
            column,
        } => {
            assert_eq!((line, column), (2, 25), "{message}");
            assert!(message.contains("found: >"), "{message}");
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
    // at the end of the text
    match err("SELECT gt FROM activity WHERE") {
        Error::Parse { line, column, .. } => assert_eq!((line, column), (1, 30)),
        other => panic!("expected a parse error, got {other:?}"),
    }
    match err("SELECT 'unterminated FROM activity") {
        Error::Parse { line, column, .. } => assert_eq!((line, column), (1, 8)),
        other => panic!("expected a parse error, got {other:?}"),
    }
}

#[test]
fn error_unsupported_statement() {
    for sql in [
        "INSERT INTO activity VALUES (1)",
        "DROP TABLE activity",
        "CREATE TABLE t (a INT)",
    ] {
        let e = err(sql);
        assert!(e.class().starts_with("UNSUPPORTED_"), "{sql}: {e}");
        assert!(e.to_string().contains("UNSUPPORTED_STATEMENT"), "{e}");
    }
    assert!(err("SELECT gt FROM activity; SELECT gt FROM activity")
        .to_string()
        .contains("one statement"));
    // A union of a stream and a table plans (Spark refuses it when the
    // query starts); INTERSECT and EXCEPT of a stream sqlc refuses here.
    assert!(matches!(
        plan("SELECT gt FROM activity UNION ALL SELECT gt FROM static_t").node,
        PlanNode::Union { .. }
    ));
    let e = err("SELECT gt FROM activity INTERSECT SELECT gt FROM static_t");
    assert_eq!(e.class(), "UNSUPPORTED_FEATURE", "{e}");
    // A comma-separated FROM list is a cross join.
    assert!(matches!(
        plan("SELECT activity.gt FROM activity, static_t").inputs()[0].node,
        PlanNode::Join {
            how: JoinType::Inner,
            ..
        }
    ));
    // A SELECT without FROM reads an inline one-row table, which this
    // test catalog (holding no data) refuses clearly.
    assert!(err("SELECT 1").to_string().contains("inline tables"));
    assert!(err("SELECT sum(x) OVER (PARTITION BY gt) FROM activity")
        .to_string()
        .contains("OVER"));
    // OFFSET plans (a stream's query refuses it when it starts, as Spark).
    assert!(matches!(
        plan("SELECT gt FROM activity LIMIT 1 OFFSET 2").node,
        PlanNode::Limit {
            n: 1,
            offset: 2,
            ..
        }
    ));
}

#[test]
fn error_missing_aggregation() {
    let e = err("SELECT gt, x FROM activity GROUP BY gt");
    assert!(e.to_string().contains("MISSING_AGGREGATION"), "{e}");
    let e = err("SELECT x, count(*) FROM activity");
    assert!(e.to_string().contains("MISSING_AGGREGATION"), "{e}");
}

#[test]
fn aggregate_kinds_in_plans() {
    let p = plan("SELECT count(x), sum(Index), min(gt), max(y) FROM activity");
    match &p.inputs()[0].node {
        PlanNode::Aggregate { aggs, keys, .. } => {
            assert!(keys.is_empty());
            let funcs: Vec<AggFunc> = aggs.iter().map(|a| a.func).collect();
            assert_eq!(
                funcs,
                [AggFunc::Count, AggFunc::Sum, AggFunc::Min, AggFunc::Max]
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn correlated_subqueries_on_a_stream() {
    // Over static data by WHERE equalities: joins of the stream with the
    // static side; nothing reads the stream twice.
    let p = plan(
        "SELECT gt FROM activity a WHERE EXISTS (SELECT 1 FROM static_t s WHERE s.gt = a.gt) \
         AND Model NOT IN (SELECT model FROM static_t s WHERE s.label = a.User) \
         AND x > (SELECT count(*) FROM static_t s WHERE s.gt = a.gt)",
    );
    assert_eq!(names(&p), ["gt"]);
    // Spark's refusal of a subquery that reads a stream; a correlation
    // sqlc plans only over the distinct outer values, refused on a stream.
    let e = err("SELECT gt FROM static_t WHERE gt IN (SELECT gt FROM activity)");
    assert!(e.class().starts_with("INVALID_SUBQUERY_EXPRESSION"), "{e}");
    let e = err(
        "SELECT gt FROM activity a WHERE EXISTS (SELECT 1 FROM static_t s WHERE s.weight > a.x)",
    );
    assert_eq!(e.class(), "UNSUPPORTED_FEATURE", "{e}");
    // Outer references one level up only, as Spark 4.
    let e = err(
        "SELECT gt FROM static_t t WHERE EXISTS (SELECT 1 FROM static_t u WHERE u.gt = t.gt \
         AND EXISTS (SELECT 1 FROM static_t w WHERE w.model = t.model))",
    );
    assert_eq!(e.class(), "UNRESOLVED_COLUMN", "{e}");
}

#[test]
fn positional_references_keep_the_names_they_read() {
    // Columns of the same name are read by position (`Expr::ColumnAt`)
    // after a scalar subquery's value is joined in and dropped again, and
    // keep their names; a column cannot be named by a position.
    let p = plan(
        "SELECT * FROM (SELECT gt, gt FROM activity) WHERE 1 < (SELECT count(*) FROM static_t)",
    );
    assert_eq!(names(&p), ["gt", "gt"]);
    let p = plan("SELECT count(*), count(*) FROM activity ORDER BY 1");
    assert_eq!(names(&p), ["count(1)", "count(1)"]);
    assert_eq!(
        err("SELECT `#agg0` FROM activity").class(),
        "UNRESOLVED_COLUMN"
    );
}

/// Each correlated subquery of a select list is planned over the input
/// alone, not over the input with the earlier subqueries joined on: the
/// plan grows with their number, not exponentially (eight such subqueries
/// once made a plan of thousands of nodes that ran for minutes).
#[test]
fn correlated_subqueries_plan_in_linear_size() {
    let size = |n: usize| {
        let list: Vec<String> = (0..n)
            .map(|i| format!("(SELECT count(*) FROM static_t u WHERE u.weight < t.weight) AS s{i}"))
            .collect();
        let sql = format!("SELECT gt, {} FROM static_t t", list.join(", "));
        plan(&sql).display_tree().lines().count()
    };
    let (one, eight) = (size(1), size(8));
    assert!(eight <= 8 * one + 8, "1 subquery: {one} lines; 8: {eight}");
}
