//! The partition a batch's rows belong to, for the functions whose value
//! depends on it (Spark's `Nondeterministic` expressions, initialized once
//! per partition): `spark_partition_id()`, `monotonically_increasing_id()`,
//! `rand(seed)`/`randn(seed)`, `input_file_name()` and
//! `input_file_block_start()`/`_length()` (`functions/partitioned.rs`).
//!
//! What a partition is: for a batch file read, Spark's file partition
//! (files cut into splits and packed, the runtime's
//! `source::file_partitions`; its batches in order, each batch's file set
//! with [`set_file`]); for a stream's micro-batch, one file; the whole of
//! an inline table
//! (`VALUES`, a SELECT without FROM: partition 0, as Spark evaluates a
//! projection over a local relation), and otherwise each batch a pipeline
//! is given. The runtime scopes each partition's batches with
//! [`with_partition`], one after another in row order; a pipeline that holds
//! none of these functions ([`reads_partition`]) runs as before, batch by
//! batch in parallel. Outside any scope (a kernel run on its own), each
//! call is a partition of its own, numbered from 0 per thread.
//!
//! The functions keep per-call-site state for the partition (a row count,
//! a random generator) with [`with_state`]: a call site is the address of
//! its resolved function instance, the same for every batch of a run.

use std::any::Any;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use crate::ir::{PipelineSpec, Step, TExpr, TExprKind};

/// The file a batch reads, as Spark's `input_file_*` functions give it:
/// the file's URI (`file:///…`) and the byte range of its split.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputFile {
    pub uri: Arc<str>,
    pub start: i64,
    pub length: i64,
}

/// A partition: its index and, for a file scan, its file.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Partition {
    pub index: u32,
    pub file: Option<InputFile>,
    /// A stream's micro-batch: a seed drawn for the batch, which replaces
    /// the seeds `rand`/`randn` were given, as Spark's `IncrementalExecution`
    /// gives them fresh seeds in every micro-batch (SPARK-25010).
    pub reseed: Option<i64>,
}

struct Current {
    partition: Partition,
    states: HashMap<usize, Box<dyn Any>>,
}

thread_local! {
    static CURRENT: RefCell<Option<Current>> = const { RefCell::new(None) };
}

/// Runs `f` (the evaluation of a partition's batches, in order) in
/// `partition`, with fresh per-call-site state.
pub fn with_partition<T>(partition: &Partition, f: impl FnOnce() -> T) -> T {
    /// Puts the outer scope back, also when `f` unwinds.
    struct Restore(Option<Current>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let outer = self.0.take();
            CURRENT.with(|c| *c.borrow_mut() = outer);
        }
    }
    let inner = Current {
        partition: partition.clone(),
        states: HashMap::new(),
    };
    let _restore = Restore(CURRENT.with(|c| c.borrow_mut().replace(inner)));
    f()
}

/// Sets the file the current partition's next batches read (a partition
/// packs several files, or splits of them), keeping the per-call-site state.
pub fn set_file(file: Option<InputFile>) {
    CURRENT.with(|c| {
        if let Some(cur) = c.borrow_mut().as_mut() {
            cur.partition.file = file;
        }
    })
}

/// The partition of the enclosing [`with_partition`] (partition 0 with no
/// file outside one).
pub fn current() -> Partition {
    CURRENT.with(|c| {
        c.borrow()
            .as_ref()
            .map(|c| c.partition.clone())
            .unwrap_or_default()
    })
}

/// `f` of the state of call site `site` in the current partition, made by
/// `init(partition)` at the site's first use in the partition.
/// Outside a [`with_partition`] the state lives for this call only.
pub fn with_state<S: 'static, T>(
    site: usize,
    init: impl FnOnce(&Partition) -> S,
    f: impl FnOnce(&mut S) -> T,
) -> T {
    CURRENT.with(|c| {
        let mut c = c.borrow_mut();
        match c.as_mut() {
            Some(cur) => {
                let state = cur.states.entry(site).or_insert_with(|| Box::new(()));
                if !state.is::<S>() {
                    // New here (or another type at the same address: a
                    // site that outlived its run): start it afresh.
                    *state = Box::new(init(&cur.partition));
                }
                f(state.downcast_mut::<S>().expect("set above"))
            }
            None => f(&mut init(&Partition::default())),
        }
    })
}

/// Whether `spec` computes any of the partition-dependent functions, so
/// that the runtime must run it partition by partition.
pub fn reads_partition(spec: &PipelineSpec) -> bool {
    let mut found = spec.steps.iter().any(step_reads_partition);
    let mut visit = |e: &TExpr| found |= expr_reads_partition(e);
    if let Some(a) = spec.sink.table_spec() {
        a.keys.iter().for_each(&mut visit);
        a.aggs
            .iter()
            .filter_map(|c| c.arg.as_ref())
            .for_each(&mut visit);
    }
    found
}

/// Whether a pipeline step computes a partition-dependent function.
pub fn step_reads_partition(step: &Step) -> bool {
    match step {
        Step::Filter(e) => expr_reads_partition(e),
        Step::Project(es) => es.iter().any(expr_reads_partition),
    }
}

/// Whether an expression computes a partition-dependent function.
pub fn expr_reads_partition(e: &TExpr) -> bool {
    if let TExprKind::Function { func, .. } = &e.kind {
        if crate::functions::partitioned::NAMES.contains(&func.name()) {
            return true;
        }
    }
    e.children()
        .into_iter()
        .any(|c| crate::depth::grow(|| expr_reads_partition(c)))
}
