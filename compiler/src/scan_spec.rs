//! What a query reads of each relation it scans: the columns any operator
//! above the scan uses (projection pushdown), and the conjuncts of a filter
//! right above the scan that a file decoder can test on raw bytes before
//! decoding a record (Sparser-style pre-filtering). Computed from the
//! logical plan once per query; the runtime's file sources decode only the
//! listed columns (the others come out as nulls) and may drop nothing the
//! exact predicate would keep — the filter still runs after decoding.

use std::collections::HashMap;
use std::fmt;

use crate::ir::{BinaryOp, TExpr, TExprKind};
use crate::plan::{JoinType, Plan, PlanNode, SourceId};
use crate::types::{DataType, Scalar};

/// What a scan must produce.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScanSpec {
    /// Per column of the scan's schema: whether anything reads it.
    pub columns: Vec<bool>,
    /// Necessary conditions on each row the query keeps (conjuncts of the
    /// filter right above the scan). A decoder may replace a record that
    /// cannot satisfy one by nulls; it must never change a record that can.
    pub filters: Vec<PushedFilter>,
}

/// A conjunct a decoder can test on a record's raw bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PushedFilter {
    /// The string column's value contains each of these fragments
    /// (`LIKE '%stairs%'`, `= 'walk'`): a record whose bytes lack one, and
    /// in which no escape could hide it, cannot match.
    Contains {
        column: usize,
        fragments: Vec<String>,
    },
    /// The column is not null (`IS NOT NULL`, implied by any of the above).
    NotNull { column: usize },
}

impl PushedFilter {
    pub fn column(&self) -> usize {
        match self {
            PushedFilter::Contains { column, .. } | PushedFilter::NotNull { column } => *column,
        }
    }
}

impl ScanSpec {
    /// Every column, no filters: what a scan gives when nothing is known.
    pub fn all(width: usize) -> Self {
        ScanSpec {
            columns: vec![true; width],
            filters: Vec::new(),
        }
    }

    /// Whether every column is read and nothing is filtered.
    pub fn is_all(&self) -> bool {
        self.columns.iter().all(|&c| c) && self.filters.is_empty()
    }

    /// How `explain` shows it, naming columns by `names`.
    pub fn display(&self, names: &[&str]) -> String {
        let name = |i: usize| names.get(i).copied().unwrap_or("?");
        let cols: Vec<&str> = (0..self.columns.len())
            .filter(|&i| self.columns[i])
            .map(name)
            .collect();
        let mut out = if self.columns.iter().all(|&c| c) {
            "all columns".to_string()
        } else {
            format!("columns [{}]", cols.join(", "))
        };
        if !self.filters.is_empty() {
            let f: Vec<String> = self
                .filters
                .iter()
                .map(|f| match f {
                    PushedFilter::Contains { column, fragments } => format!(
                        "{} contains {}",
                        name(*column),
                        fragments
                            .iter()
                            .map(|s| format!("{s:?}"))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    ),
                    PushedFilter::NotNull { column } => format!("{} is not null", name(*column)),
                })
                .collect();
            out.push_str(&format!(", pre-filter [{}]", f.join(", ")));
        }
        out
    }
}

impl fmt::Display for PushedFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

/// The spec of every relation `plan` scans. A relation scanned twice reads
/// the union of the columns and gets no filters.
pub fn scan_specs(plan: &Plan) -> HashMap<SourceId, ScanSpec> {
    let mut out: HashMap<SourceId, (ScanSpec, usize)> = HashMap::new();
    walk(plan, &vec![true; plan.schema.len()], &mut out);
    out.into_iter()
        .map(|(id, (mut spec, times))| {
            if times > 1 {
                spec.filters.clear();
            }
            (id, spec)
        })
        .collect()
}

fn walk(plan: &Plan, needed: &[bool], out: &mut HashMap<SourceId, (ScanSpec, usize)>) {
    let width = |p: &Plan| p.schema.len();
    match &plan.node {
        PlanNode::Scan { source, .. } => {
            let entry = out.entry(source.clone()).or_insert_with(|| {
                (
                    ScanSpec {
                        columns: vec![false; needed.len()],
                        filters: vec![],
                    },
                    0,
                )
            });
            entry.1 += 1;
            for (c, &n) in entry.0.columns.iter_mut().zip(needed) {
                *c |= n;
            }
        }
        PlanNode::Filter { input, predicate } => {
            let mut need = needed.to_vec();
            mark(predicate, &mut need);
            if let PlanNode::Scan { source, .. } = &input.node {
                let mut filters = Vec::new();
                conjuncts(predicate, &mut filters);
                walk(input, &need, out);
                if let Some((spec, _)) = out.get_mut(source) {
                    for f in filters {
                        if !spec.filters.contains(&f) {
                            spec.filters.push(f);
                        }
                    }
                }
                return;
            }
            walk(input, &need, out);
        }
        PlanNode::Project { input, exprs } => {
            let mut need = vec![false; width(input)];
            for (e, &n) in exprs.iter().zip(needed) {
                if n {
                    mark(e, &mut need);
                }
            }
            walk(input, &need, out);
        }
        PlanNode::Aggregate {
            input, keys, aggs, ..
        } => {
            // Every key and aggregate, needed or not: they shape the groups.
            let mut need = vec![false; width(input)];
            keys.iter().for_each(|k| mark(k, &mut need));
            aggs.iter()
                .filter_map(|a| a.arg.as_ref())
                .for_each(|a| mark(a, &mut need));
            walk(input, &need, out);
        }
        PlanNode::Join {
            left,
            right,
            how,
            left_keys,
            right_keys,
            condition,
        } => {
            let n = width(left);
            let mut need_l = vec![false; n];
            let mut need_r = vec![false; width(right)];
            for (i, &x) in needed.iter().enumerate() {
                if !x {
                    continue;
                }
                if i < n {
                    need_l[i] = true;
                } else if !matches!(how, JoinType::LeftSemi | JoinType::LeftAnti) {
                    if let Some(r) = need_r.get_mut(i - n) {
                        *r = true;
                    }
                }
            }
            left_keys.iter().for_each(|k| mark(k, &mut need_l));
            right_keys.iter().for_each(|k| mark(k, &mut need_r));
            if let Some(c) = condition {
                let mut both = vec![false; n + width(right)];
                mark(c, &mut both);
                for (i, x) in both.into_iter().enumerate() {
                    if x && i < n {
                        need_l[i] = true;
                    } else if x {
                        need_r[i - n] = true;
                    }
                }
            }
            walk(left, &need_l, out);
            walk(right, &need_r, out);
        }
        PlanNode::Sort { input, keys } => {
            let mut need = needed.to_vec();
            keys.iter().for_each(|k| mark(&k.expr, &mut need));
            walk(input, &need, out);
        }
        PlanNode::Limit { input, .. } => walk(input, needed, out),
        PlanNode::Watermark { input, column, .. } => {
            let mut need = needed.to_vec();
            need[*column] = true;
            walk(input, &need, out);
        }
        PlanNode::Union { inputs } => {
            // Every input reads what the union's readers need.
            for i in inputs {
                walk(i, needed, out);
            }
        }
        PlanNode::Generate {
            input, args, keep, ..
        } => {
            let mut need = vec![false; width(input)];
            need[..*keep].copy_from_slice(&needed[..*keep]);
            args.iter().for_each(|&a| need[a] = true);
            walk(input, &need, out);
        }
        PlanNode::Deduplicate { input, keys, .. } => {
            let mut need = needed.to_vec();
            keys.iter().for_each(|&k| need[k] = true);
            // The event-time column decides lateness and eviction.
            for c in input.event_time_columns() {
                need[c] = true;
            }
            walk(input, &need, out);
        }
    }
}

/// Marks the columns `e` reads.
fn mark(e: &TExpr, need: &mut [bool]) {
    if let TExprKind::Column { index, .. } = &e.kind {
        if let Some(n) = need.get_mut(*index) {
            *n = true;
        }
    }
    for c in e.children() {
        mark(c, need);
    }
}

/// The conjuncts of `p` a decoder can test on raw bytes.
fn conjuncts(p: &TExpr, out: &mut Vec<PushedFilter>) {
    let string_column = |e: &TExpr| match &e.kind {
        TExprKind::Column { index, .. } if e.ty == DataType::Utf8 => Some(*index),
        _ => None,
    };
    match &p.kind {
        TExprKind::Binary {
            op: BinaryOp::And,
            left,
            right,
        } => {
            conjuncts(left, out);
            conjuncts(right, out);
        }
        TExprKind::IsNotNull(arg) => {
            if let TExprKind::Column { index, .. } = &arg.kind {
                out.push(PushedFilter::NotNull { column: *index });
            }
        }
        TExprKind::Like {
            arg,
            pattern,
            negated: false,
            case_insensitive: false,
        } => {
            if let (Some(column), Some(fragments)) = (string_column(arg), like_fragments(pattern)) {
                out.push(PushedFilter::NotNull { column });
                if !fragments.is_empty() {
                    out.push(PushedFilter::Contains { column, fragments });
                }
            }
        }
        TExprKind::Binary {
            op: BinaryOp::Eq,
            left,
            right,
        } => {
            let pair = match (&left.kind, &right.kind) {
                (_, TExprKind::Literal(Scalar::Utf8(s))) => string_column(left).zip(Some(s)),
                (TExprKind::Literal(Scalar::Utf8(s)), _) => string_column(right).zip(Some(s)),
                _ => None,
            };
            if let Some((column, s)) = pair {
                out.push(PushedFilter::NotNull { column });
                if !s.is_empty() {
                    out.push(PushedFilter::Contains {
                        column,
                        fragments: vec![s.clone()],
                    });
                }
            }
        }
        _ => {}
    }
}

/// The literal runs a string matching LIKE `pattern` must contain, or
/// `None` if the pattern has escapes (kept simple: not pushed).
fn like_fragments(pattern: &str) -> Option<Vec<String>> {
    if pattern.contains('\\') {
        return None;
    }
    Some(
        pattern
            .split(['%', '_'])
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_give_their_literal_runs() {
        assert_eq!(like_fragments("%stairs%"), Some(vec!["stairs".into()]));
        assert_eq!(
            like_fragments("a_b%c"),
            Some(vec!["a".into(), "b".into(), "c".into()])
        );
        assert_eq!(like_fragments("%"), Some(vec![]));
        assert_eq!(like_fragments("a\\%"), None);
    }
}
