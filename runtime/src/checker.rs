//! Spark's rules for which streaming queries can run, and in which output
//! modes (its `UnsupportedOperationChecker`), checked at `start()` so a query
//! that cannot run never starts. Errors carry Spark's reasons.

use sqlc_compiler::ir::{TExpr, TExprKind};
use sqlc_compiler::plan::{JoinType, Plan, PlanNode};
use sqlc_compiler::time_bounds::join_bounds;

use crate::error::{Error, Result};
use crate::sink::OutputMode;

/// Spark's refusal of an operation on a stream (its class for these).
fn unsupported(msg: impl Into<String>) -> Error {
    Error::analysis("UNSUPPORTED_STREAMING_OPERATION", msg)
}

/// Checks a streaming plan against the output mode.
pub fn check_streaming(plan: &Plan, mode: OutputMode) -> Result<()> {
    let mut aggs = Vec::new();
    collect_streaming_aggregates(plan, &mut aggs);
    if aggs.len() > 1 {
        return Err(unsupported(
            "Multiple streaming aggregations are not supported with streaming DataFrames/Datasets",
        ));
    }
    if aggs.iter().any(|a| {
        matches!(&a.node, PlanNode::Aggregate { aggs, .. } if aggs.iter().any(|c| c.func.is_distinct()))
    }) {
        return Err(unsupported(
            "Distinct aggregations are not supported on streaming DataFrames/Datasets. Consider using \
             approx_count_distinct() instead.",
        ));
    }
    match (aggs.first(), mode) {
        (None, OutputMode::Complete) => {
            return Err(Error::OutputMode {
                mode: "complete".into(),
                reason: "This output mode is not supported for no streaming aggregations on streaming DataFrames/DataSets."
                    .into(),
            })
        }
        (Some(agg), OutputMode::Append) if !aggregates_on_watermark(agg) => {
            return Err(Error::OutputMode {
                mode: "append".into(),
                reason: "This output mode is not supported for streaming aggregations without watermark on \
                         streaming DataFrames/DataSets."
                    .into(),
            })
        }
        _ => {}
    }
    walk(plan, mode)
}

/// The aggregates whose input is a stream.
fn collect_streaming_aggregates<'a>(p: &'a Plan, out: &mut Vec<&'a Plan>) {
    if let PlanNode::Aggregate { input, .. } = &p.node {
        if input.is_streaming() {
            out.push(p);
        }
    }
    for i in p.inputs() {
        collect_streaming_aggregates(i, out);
    }
}

/// Whether an aggregate groups by an event-time column (one a watermark
/// below marks, directly or through a `window` on it), so its groups can
/// be finalised.
fn aggregates_on_watermark(agg: &Plan) -> bool {
    let PlanNode::Aggregate { input, keys, .. } = &agg.node else {
        return false;
    };
    keys.iter().any(|k| match &k.kind {
        TExprKind::Column { index, .. } => input.event_time_delay(*index).is_some(),
        _ => false,
    })
}

/// Whether a streaming aggregate sits somewhere below `p`.
fn streaming_agg_below(p: &Plan) -> bool {
    p.inputs().iter().any(|i| {
        (matches!(i.node, PlanNode::Aggregate { .. }) && i.is_streaming()) || streaming_agg_below(i)
    })
}

/// Operator-by-operator rules.
fn walk(p: &Plan, mode: OutputMode) -> Result<()> {
    if !p.is_streaming() {
        return Ok(());
    }
    let agg_below = streaming_agg_below(p);
    match &p.node {
        PlanNode::Sort { .. } if !(agg_below && mode == OutputMode::Complete) => {
            return Err(unsupported(
                "Sorting is not supported on streaming DataFrames/Datasets, unless it is on aggregated \
                 DataFrame/Dataset in Complete output mode",
            ))
        }
        PlanNode::Union { inputs } if inputs.iter().any(|i| !i.is_streaming()) => {
            return Err(unsupported(
                "Union between streaming and batch DataFrames/Datasets is not supported",
            ));
        }
        PlanNode::Limit { offset, .. } if *offset > 0 => {
            return Err(unsupported("Offset is not supported on streaming DataFrames/Datasets"));
        }
        PlanNode::Limit { .. } => {
            return Err(unsupported("Limits are not supported on streaming DataFrames/Datasets"));
        }
        PlanNode::Project { exprs, .. } if exprs.iter().any(has_row_ids) => {
            return Err(unsupported(
                "Expression(s): monotonically_increasing_id() is not supported with streaming DataFrames/Datasets",
            ));
        }
        PlanNode::Filter { predicate, .. } if has_row_ids(predicate) => {
            return Err(unsupported(
                "Expression(s): monotonically_increasing_id() is not supported with streaming DataFrames/Datasets",
            ));
        }
        PlanNode::Deduplicate { .. } if agg_below && mode != OutputMode::Append => {
            return Err(unsupported(format!(
                "dropDuplicates after a streaming aggregation is not supported in {mode} output mode"
            )))
        }
        PlanNode::Join {
            left,
            right,
            how,
            left_keys,
            right_keys,
            condition,
        } => {
            let (ls, rs) = (left.is_streaming(), right.is_streaming());
            if agg_below && ls && rs {
                return Err(unsupported("A stream-stream join after a streaming aggregation is not supported"));
            }
            if ls && rs {
                if mode != OutputMode::Append {
                    return Err(unsupported(format!(
                        "Join between two streaming DataFrames/Datasets is not supported in {} output mode, only in Append output mode",
                        capitalize(mode)
                    )));
                }
                check_stream_join(left, right, *how, left_keys, right_keys, condition.as_ref())?;
                return p.inputs().iter().try_for_each(|i| walk(i, mode));
            }
            if ls && matches!(how, JoinType::RightOuter | JoinType::FullOuter) {
                return Err(unsupported(format!(
                    "{} join with a streaming DataFrame/Dataset on the left and a static DataFrame/DataSet on the right is not supported",
                    join_name(*how)
                )));
            }
            if rs && !matches!(how, JoinType::Inner | JoinType::RightOuter) {
                return Err(unsupported(format!(
                    "{} join with a streaming DataFrame/Dataset on the right and a static DataFrame/DataSet on the left is not supported",
                    join_name(*how)
                )));
            }
        }
        _ => {}
    }
    p.inputs().iter().try_for_each(|i| walk(i, mode))
}

/// Whether `e` calls `monotonically_increasing_id()`, which Spark refuses
/// on a stream (its ids would restart with every micro-batch).
fn has_row_ids(e: &TExpr) -> bool {
    matches!(&e.kind, TExprKind::Function { func, .. } if func.name() == "monotonically_increasing_id")
        || e.children().into_iter().any(has_row_ids)
}

/// Which stream–stream joins can run: inner always (its state grows
/// without bound unless the watermark and condition bound it); an outer
/// join only when the watermark and a time-range condition (or equal event
/// times as a key) tell when a row of the outer side can no longer match,
/// so it can be emitted with nulls.
fn check_stream_join(
    left: &Plan,
    right: &Plan,
    how: JoinType,
    left_keys: &[sqlc_compiler::ir::TExpr],
    right_keys: &[sqlc_compiler::ir::TExpr],
    condition: Option<&sqlc_compiler::ir::TExpr>,
) -> Result<()> {
    let time = |p: &Plan| (0..p.schema.len()).find(|&c| p.event_time_delay(c).is_some());
    let b = join_bounds(
        time(left),
        time(right),
        left.schema.len(),
        (left_keys, right_keys),
        condition,
    );
    let outer_ok = match how {
        JoinType::Inner => return Ok(()),
        JoinType::LeftOuter => b.lo.is_some(),
        JoinType::RightOuter => b.hi.is_some(),
        other => {
            return Err(unsupported(format!(
                "{} joins between two streams are not supported by sqlc yet (inner, left outer and right outer are)",
                join_name(other)
            )))
        }
    };
    if !outer_ok {
        return Err(unsupported(format!(
            "Stream-stream {} join between two streaming DataFrame/Datasets is not supported without a \
             watermark in the join keys, or a watermark on the nullable side and an appropriate range \
             condition (such as `r.t BETWEEN l.t AND l.t + INTERVAL 1 HOUR`)",
            join_name(how)
        )));
    }
    Ok(())
}

fn join_name(how: JoinType) -> &'static str {
    match how {
        JoinType::Inner => "Inner",
        JoinType::LeftOuter => "LeftOuter",
        JoinType::RightOuter => "RightOuter",
        JoinType::FullOuter => "FullOuter",
        JoinType::LeftSemi => "LeftSemi",
        JoinType::LeftAnti => "LeftAnti",
    }
}

fn capitalize(mode: OutputMode) -> String {
    let s = mode.to_string();
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}
