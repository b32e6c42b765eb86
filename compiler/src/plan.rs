//! The logical plan, shared by SQL and the DataFrame API. Nodes are built
//! resolved: every expression is already typed IR over its input's columns,
//! and every node knows its output schema — so a bad name or type is reported
//! where the user wrote it, as Spark reports it eagerly.

use std::fmt::{self, Write};
use std::sync::Arc;

use crate::ir::{AggCall, TExpr, TExprKind, WindowKey};
use crate::types::Schema;

/// Identifies a relation the runtime provides (a file source, a memory
/// table, a static table). The compiler never looks inside.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SourceId(pub u64);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JoinType {
    Inner,
    LeftOuter,
    RightOuter,
    FullOuter,
    LeftSemi,
    LeftAnti,
}

impl JoinType {
    /// Spark's names: inner, left/left_outer/leftouter, right…, full/outer…,
    /// semi/left_semi, anti/left_anti.
    pub fn parse(how: &str) -> Option<JoinType> {
        Some(match how.to_ascii_lowercase().replace('_', "").as_str() {
            "inner" => JoinType::Inner,
            "left" | "leftouter" => JoinType::LeftOuter,
            "right" | "rightouter" => JoinType::RightOuter,
            "full" | "outer" | "fullouter" => JoinType::FullOuter,
            "semi" | "leftsemi" => JoinType::LeftSemi,
            "anti" | "leftanti" => JoinType::LeftAnti,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SortKey {
    pub expr: TExpr,
    pub ascending: bool,
    pub nulls_first: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum PlanNode {
    Scan {
        source: SourceId,
        name: String,
        streaming: bool,
    },
    Filter {
        input: Arc<Plan>,
        predicate: TExpr,
    },
    Project {
        input: Arc<Plan>,
        exprs: Vec<TExpr>,
    },
    /// Output: the keys, then (with several grouping sets) the grouping id
    /// column `spark_grouping_id`, then the aggregates.
    Aggregate {
        input: Arc<Plan>,
        keys: Vec<TExpr>,
        grouping_sets: Vec<u64>,
        aggs: Vec<AggCall>,
        /// A `window(..)` key: its key expression is the time column.
        window: Option<WindowKey>,
    },
    /// Equi-join on key pairs; output: the left columns then the right ones
    /// (only the left for semi and anti joins).
    Join {
        left: Arc<Plan>,
        right: Arc<Plan>,
        how: JoinType,
        left_keys: Vec<TExpr>,
        right_keys: Vec<TExpr>,
        /// What else a pair must satisfy, over the left columns then the
        /// right ones (`b.t BETWEEN a.t AND a.t + INTERVAL 1 HOUR`).
        condition: Option<TExpr>,
    },
    Sort {
        input: Arc<Plan>,
        keys: Vec<SortKey>,
    },
    /// The first `n` rows after skipping `offset` (`usize::MAX`: all of
    /// them); with `per` columns, of each value of those columns, counted
    /// null-safely (a correlated subquery's LIMIT, per outer value).
    Limit {
        input: Arc<Plan>,
        n: usize,
        offset: usize,
        per: Vec<usize>,
    },
    /// Event-time watermark on column `column`, `delay_us` behind the max.
    Watermark {
        input: Arc<Plan>,
        column: usize,
        delay_us: i64,
    },
    /// Keep the first row of each key (drop_duplicates / DISTINCT).
    /// `within_watermark`: Spark's dropDuplicatesWithinWatermark — a key is
    /// remembered until the watermark passes its first row's event time
    /// plus the watermark delay.
    Deduplicate {
        input: Arc<Plan>,
        keys: Vec<usize>,
        within_watermark: bool,
    },
    /// The rows of every input, one input after another (`UNION ALL`).
    /// Every input has the output's column types (the builder casts them
    /// to the widest); names come from the first.
    Union {
        inputs: Vec<Arc<Plan>>,
    },
    /// Per input row, the rows a generator makes of it (`explode`,
    /// `posexplode`, `inline`, `stack`, …). Output: the first `keep` input
    /// columns, then the generated ones. The generator reads the input
    /// columns `args` (the builder computes them below, so the runtime
    /// evaluates no expression here). `outer`: a row that generates
    /// nothing still gives one row, of nulls.
    Generate {
        input: Arc<Plan>,
        generator: Generator,
        args: Vec<usize>,
        keep: usize,
        outer: bool,
    },
}

pub use crate::generator::Generator;

#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub node: PlanNode,
    pub schema: Schema,
    /// Per output column, the relation name it can be qualified with
    /// (`t.gt`), if any.
    pub qualifiers: Vec<Option<String>>,
    /// How many trailing columns are hidden: a SQL `USING`/`NATURAL`
    /// join's key of each side (`nt1.k`, `nt2.k`, Spark's hidden join
    /// columns), in pairs after its output. Only a qualified name or
    /// `t.*` sees them; [`crate::builder::visible`] drops them.
    pub hidden: usize,
}

impl Plan {
    pub fn new(node: PlanNode, schema: Schema) -> Arc<Plan> {
        let qualifiers = vec![None; schema.len()];
        Arc::new(Plan {
            node,
            schema,
            qualifiers,
            hidden: 0,
        })
    }

    pub fn with_qualifiers(
        node: PlanNode,
        schema: Schema,
        qualifiers: Vec<Option<String>>,
    ) -> Arc<Plan> {
        Arc::new(Plan {
            node,
            schema,
            qualifiers,
            hidden: 0,
        })
    }

    /// Whether column `i` is one of the hidden trailing columns.
    pub fn is_hidden(&self, i: usize) -> bool {
        i + self.hidden >= self.schema.len()
    }

    /// The same plan, every column qualified by `alias` (`FROM t AS a`).
    pub fn aliased(self: &Arc<Plan>, alias: &str) -> Arc<Plan> {
        let mut p = (**self).clone();
        p.qualifiers = vec![Some(alias.to_string()); p.schema.len()];
        Arc::new(p)
    }

    pub fn inputs(&self) -> Vec<&Arc<Plan>> {
        match &self.node {
            PlanNode::Scan { .. } => vec![],
            PlanNode::Filter { input, .. }
            | PlanNode::Project { input, .. }
            | PlanNode::Aggregate { input, .. }
            | PlanNode::Sort { input, .. }
            | PlanNode::Limit { input, .. }
            | PlanNode::Watermark { input, .. }
            | PlanNode::Deduplicate { input, .. }
            | PlanNode::Generate { input, .. } => vec![input],
            PlanNode::Join { left, right, .. } => vec![left, right],
            PlanNode::Union { inputs } => inputs.iter().collect(),
        }
    }

    /// The watermark delay (µs) of output column `col` when it is an
    /// event-time column: the column a `with_watermark` marked, passed
    /// through unchanged (selected, renamed, filtered, joined), or a window
    /// over it — as Spark carries the watermark in a column's metadata.
    pub fn event_time_delay(&self, col: usize) -> Option<i64> {
        match &self.node {
            PlanNode::Scan { .. } => None,
            PlanNode::Filter { input, .. }
            | PlanNode::Sort { input, .. }
            | PlanNode::Limit { input, .. }
            | PlanNode::Deduplicate { input, .. } => input.event_time_delay(col),
            PlanNode::Project { input, exprs } => match &exprs.get(col)?.kind {
                TExprKind::Column { index, .. } => input.event_time_delay(*index),
                _ => None,
            },
            PlanNode::Watermark {
                input,
                column,
                delay_us,
            } => {
                if col == *column {
                    Some(*delay_us)
                } else {
                    input.event_time_delay(col)
                }
            }
            // Spark keeps the first input's column metadata.
            PlanNode::Union { inputs } => inputs.first()?.event_time_delay(col),
            PlanNode::Generate { input, keep, .. } if col < *keep => input.event_time_delay(col),
            PlanNode::Generate { .. } => None,
            PlanNode::Aggregate { input, keys, .. } => match &keys.get(col)?.kind {
                TExprKind::Column { index, .. } => input.event_time_delay(*index),
                _ => None,
            },
            PlanNode::Join { left, right, .. } => {
                let n = left.schema.len();
                if col < n {
                    left.event_time_delay(col)
                } else if self.schema.len() > n {
                    right.event_time_delay(col - n)
                } else {
                    None
                }
            }
        }
    }

    /// The output columns that are event-time columns.
    pub fn event_time_columns(&self) -> Vec<usize> {
        (0..self.schema.len())
            .filter(|&c| self.event_time_delay(c).is_some())
            .collect()
    }

    /// A plan is streaming when any of its scans is.
    pub fn is_streaming(&self) -> bool {
        match &self.node {
            PlanNode::Scan { streaming, .. } => *streaming,
            _ => self.inputs().iter().any(|p| p.is_streaming()),
        }
    }

    /// Every scan in the plan, left to right.
    pub fn scans(&self) -> Vec<(SourceId, bool)> {
        let mut out = Vec::new();
        fn walk(p: &Plan, out: &mut Vec<(SourceId, bool)>) {
            if let PlanNode::Scan {
                source, streaming, ..
            } = &p.node
            {
                out.push((source.clone(), *streaming));
            }
            for i in p.inputs() {
                walk(i, out);
            }
        }
        walk(self, &mut out);
        out
    }

    /// The indented tree `explain` prints.
    pub fn display_tree(&self) -> String {
        let mut out = String::new();
        self.fmt_tree(&mut out, 0);
        out
    }

    fn fmt_tree(&self, out: &mut String, depth: usize) {
        let pad = if depth == 0 {
            String::new()
        } else {
            format!("{}+- ", "   ".repeat(depth - 1))
        };
        let names: Vec<&str> = self.schema.fields.iter().map(|f| f.name.as_str()).collect();
        let list = |v: &[TExpr]| {
            v.iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let line = match &self.node {
            PlanNode::Scan {
                name, streaming, ..
            } => {
                format!(
                    "{}Scan {name} [{}]",
                    if *streaming { "Streaming" } else { "" },
                    names.join(", ")
                )
            }
            PlanNode::Filter { predicate, .. } => format!("Filter {predicate}"),
            PlanNode::Project { exprs, .. } => {
                let items: Vec<String> = exprs
                    .iter()
                    .zip(&names)
                    .map(|(e, n)| {
                        if e.to_string() == *n {
                            n.to_string()
                        } else {
                            format!("{e} AS {n}")
                        }
                    })
                    .collect();
                format!("Project [{}]", items.join(", "))
            }
            PlanNode::Aggregate {
                keys,
                grouping_sets,
                aggs,
                window,
                ..
            } => {
                let aggs: Vec<String> = aggs.iter().map(|a| a.to_string()).collect();
                let sets = if grouping_sets.len() > 1 {
                    format!(" sets={grouping_sets:?}")
                } else {
                    String::new()
                };
                let mut keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
                if let Some(w) = window {
                    keys[w.key] = w.window.display(&keys[w.key]);
                }
                format!(
                    "Aggregate keys=[{}]{sets} aggs=[{}]",
                    keys.join(", "),
                    aggs.join(", ")
                )
            }
            PlanNode::Join {
                how,
                left_keys,
                right_keys,
                condition,
                ..
            } => {
                let cond = condition
                    .as_ref()
                    .map(|c| format!(" AND {c}"))
                    .unwrap_or_default();
                format!(
                    "Join {how:?} [{}] = [{}]{cond}",
                    list(left_keys),
                    list(right_keys)
                )
            }
            PlanNode::Sort { keys, .. } => {
                let k: Vec<String> = keys
                    .iter()
                    .map(|k| format!("{} {}", k.expr, if k.ascending { "ASC" } else { "DESC" }))
                    .collect();
                format!("Sort [{}]", k.join(", "))
            }
            PlanNode::Limit { n, offset, per, .. } => limit_label(*n, *offset, per),
            PlanNode::Watermark {
                column, delay_us, ..
            } => {
                format!(
                    "EventTimeWatermark {}, delay {} ms",
                    names[*column],
                    delay_us / 1000
                )
            }
            PlanNode::Deduplicate {
                keys,
                within_watermark,
                ..
            } => {
                let k: Vec<&str> = keys.iter().map(|&i| names[i]).collect();
                let w = if *within_watermark {
                    "WithinWatermark"
                } else {
                    ""
                };
                format!("Deduplicate{w} [{}]", k.join(", "))
            }
            PlanNode::Union { .. } => format!("Union [{}]", names.join(", ")),
            PlanNode::Generate {
                generator,
                args,
                keep,
                outer,
                input,
            } => {
                let args: Vec<&str> = args
                    .iter()
                    .map(|&i| input.schema.fields[i].name.as_str())
                    .collect();
                format!(
                    "Generate {}({}){} [{}]",
                    generator.name(*outer),
                    args.join(", "),
                    if *keep == 0 { ", no input columns" } else { "" },
                    names.join(", ")
                )
            }
        };
        let _ = writeln!(out, "{pad}{line}");
        for i in self.inputs() {
            i.fmt_tree(out, depth + 1);
        }
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display_tree())
    }
}

/// How `explain` shows a limit: `Limit 5`, `Limit 1 OFFSET 2 PER [3]`.
pub fn limit_label(n: usize, offset: usize, per: &[usize]) -> String {
    let mut s = match n {
        usize::MAX => "Limit ALL".to_string(),
        n => format!("Limit {n}"),
    };
    if offset > 0 {
        s.push_str(&format!(" OFFSET {offset}"));
    }
    if !per.is_empty() {
        s.push_str(&format!(" PER {per:?}"));
    }
    s
}
