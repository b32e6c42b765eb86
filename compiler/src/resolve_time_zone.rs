//! Spark's `ResolveTimeZone` rule: the plan's zone-aware expressions take
//! the session time zone. Plans are resolved as if the session were in UTC;
//! the facade runs this pass once over a plan before it is executed or
//! explained, with the zone the session has then. In UTC it returns the
//! plan unchanged, so UTC queries compile exactly as before. What changes
//! per expression is [`crate::functions::zoned`]'s business.

use std::sync::Arc;

use crate::functions::zoned::zone_node;
use crate::ir::TExpr;
use crate::plan::{Plan, PlanNode, SortKey};
use crate::time_zone::TimeZone;

/// `plan` with every zone-aware expression in `tz`.
pub fn apply(plan: &Arc<Plan>, tz: &TimeZone) -> Arc<Plan> {
    if tz.is_utc() {
        return Arc::clone(plan);
    }
    crate::depth::grow(|| rewrite(plan, tz))
}

fn rewrite(plan: &Arc<Plan>, tz: &TimeZone) -> Arc<Plan> {
    let sub = |p: &Arc<Plan>| apply(p, tz);
    let ex = |e: &TExpr| e.clone().transform_up(&mut |n| zone_node(n, tz));
    let node = match &plan.node {
        PlanNode::Scan { .. } => return Arc::clone(plan),
        PlanNode::Filter { input, predicate } => PlanNode::Filter {
            input: sub(input),
            predicate: ex(predicate),
        },
        PlanNode::Project { input, exprs } => PlanNode::Project {
            input: sub(input),
            exprs: exprs.iter().map(ex).collect(),
        },
        PlanNode::Aggregate {
            input,
            keys,
            grouping_sets,
            aggs,
            window,
        } => PlanNode::Aggregate {
            input: sub(input),
            keys: keys.iter().map(ex).collect(),
            grouping_sets: grouping_sets.clone(),
            aggs: aggs
                .iter()
                .map(|a| {
                    let mut a = a.clone();
                    a.arg = a.arg.as_ref().map(ex);
                    a
                })
                .collect(),
            window: *window,
        },
        PlanNode::Join {
            left,
            right,
            how,
            left_keys,
            right_keys,
            condition,
        } => PlanNode::Join {
            left: sub(left),
            right: sub(right),
            how: *how,
            left_keys: left_keys.iter().map(ex).collect(),
            right_keys: right_keys.iter().map(ex).collect(),
            condition: condition.as_ref().map(ex),
        },
        PlanNode::Sort { input, keys } => PlanNode::Sort {
            input: sub(input),
            keys: keys
                .iter()
                .map(|k| SortKey {
                    expr: ex(&k.expr),
                    ..k.clone()
                })
                .collect(),
        },
        PlanNode::Limit {
            input,
            n,
            offset,
            per,
        } => PlanNode::Limit {
            input: sub(input),
            n: *n,
            offset: *offset,
            per: per.clone(),
        },
        PlanNode::Watermark {
            input,
            column,
            delay_us,
        } => PlanNode::Watermark {
            input: sub(input),
            column: *column,
            delay_us: *delay_us,
        },
        PlanNode::Deduplicate {
            input,
            keys,
            within_watermark,
        } => PlanNode::Deduplicate {
            input: sub(input),
            keys: keys.clone(),
            within_watermark: *within_watermark,
        },
        PlanNode::Union { inputs } => PlanNode::Union {
            inputs: inputs.iter().map(sub).collect(),
        },
        PlanNode::Generate {
            input,
            generator,
            args,
            keep,
            outer,
        } => PlanNode::Generate {
            input: sub(input),
            generator: *generator,
            args: args.clone(),
            keep: *keep,
            outer: *outer,
        },
    };
    Arc::new(Plan {
        node,
        schema: plan.schema.clone(),
        qualifiers: plan.qualifiers.clone(),
        hidden: plan.hidden,
    })
}
