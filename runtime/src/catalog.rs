//! The relations a session knows: static tables (in memory, or files read
//! when a query runs), memory
//! tables written by memory sinks, streaming source definitions, and temp
//! views (named plans). Plans refer to relations by [`SourceId`]; names are
//! looked up case-insensitively, as in Spark.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use arrow::record_batch::RecordBatch;
use sqlc_compiler::builder;
use sqlc_compiler::partition::Partition;
use sqlc_compiler::plan::{Plan, SourceId};
use sqlc_compiler::scan_spec::ScanSpec;
use sqlc_compiler::{Error as CompileError, Schema};

use crate::connector::SourceDef;
use crate::error::{Error, Result};
use crate::sink::MemoryTable;
use crate::source::FileTable;

/// What a [`SourceId`] stands for.
#[derive(Clone, Debug)]
pub enum Relation {
    /// Rows read once (`spark.read`), or built in memory.
    Static {
        name: String,
        batches: Arc<Vec<RecordBatch>>,
        /// The partition of each batch, where known (a file read: its
        /// file; an inline table: one partition), for the functions that
        /// read it ([`sqlc_compiler::partition`]).
        partitions: Option<Arc<Vec<Partition>>>,
    },
    /// A memory sink's table: its last committed batch.
    Memory {
        name: String,
        table: Arc<MemoryTable>,
    },
    /// Files read in batch (`spark.read…load(path)`): listed when the read
    /// was declared, read when a query runs, as far as it needs.
    Files { name: String, table: Arc<FileTable> },
    /// A streaming source; each query that reads it opens its own instance.
    Stream { name: String, def: SourceDef },
}

impl Relation {
    pub fn name(&self) -> &str {
        match self {
            Relation::Static { name, .. }
            | Relation::Files { name, .. }
            | Relation::Memory { name, .. }
            | Relation::Stream { name, .. } => name,
        }
    }

    /// The rows a batch query sees now, decoded as far as `read` asks (a
    /// file read; other relations are in memory), with the partition of
    /// each batch where known (see [`Relation::Static`]); streams have none
    /// to give.
    fn rows(&self, read: Option<&ScanSpec>) -> Result<(Arc<Vec<RecordBatch>>, Option<Partitions>)> {
        match self {
            Relation::Static {
                batches,
                partitions,
                ..
            } => Ok((batches.clone(), partitions.clone())),
            Relation::Files { table, .. } => {
                let (batches, partitions) = table.read(read)?;
                Ok((Arc::new(batches), Some(Arc::new(partitions))))
            }
            Relation::Memory { table, .. } => Ok((table.snapshot(), None)),
            Relation::Stream { .. } => Err(Error::analysis(
                "_LEGACY_ERROR_TEMP_3102",
                "Queries with streaming sources must be executed with writeStream.start()",
            )),
        }
    }
}

type Partitions = Arc<Vec<Partition>>;

/// The rows of the static and memory relations a plan scans, as of now,
/// and the partition of each batch where known.
#[derive(Default)]
pub struct StaticInputs {
    pub data: HashMap<SourceId, Vec<RecordBatch>>,
    pub partitions: HashMap<SourceId, Partitions>,
}

#[derive(Default)]
pub struct Catalog {
    next_id: AtomicU64,
    relations: RwLock<HashMap<u64, Relation>>,
    /// Lower-cased name → plan (temp views, memory tables, named tables).
    names: RwLock<HashMap<String, Arc<Plan>>>,
}

impl Catalog {
    pub fn new() -> Arc<Self> {
        Arc::new(Catalog::default())
    }

    /// Registers a relation and returns a plan that scans it.
    pub fn add(&self, rel: Relation, schema: Schema) -> Arc<Plan> {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst) + 1;
        let streaming = matches!(rel, Relation::Stream { .. });
        let name = rel.name().to_string();
        self.relations
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id, rel);
        builder::scan(SourceId(id), &name, schema, streaming)
    }

    /// Forgets the relation a bare scan plan (as [`Catalog::add`] gave)
    /// reads, once nothing may run it again — a foreachBatch call's rows,
    /// which would otherwise stay in memory for the session's life.
    pub fn remove_scanned(&self, plan: &Plan) {
        if let sqlc_compiler::plan::PlanNode::Scan { source, .. } = &plan.node {
            self.relations
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .remove(&source.0);
        }
    }

    pub fn relation(&self, id: &SourceId) -> Option<Relation> {
        self.relations
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&id.0)
            .cloned()
    }

    /// Names a plan (`create_or_replace_temp_view`, a memory table).
    pub fn set_name(&self, name: &str, plan: Arc<Plan>) {
        self.names
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name.to_ascii_lowercase(), plan);
    }

    pub fn drop_name(&self, name: &str) -> bool {
        self.names
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&name.to_ascii_lowercase())
            .is_some()
    }

    pub fn lookup(&self, name: &str) -> Option<Arc<Plan>> {
        self.names
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&name.to_ascii_lowercase())
            .cloned()
    }

    pub fn table_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .names
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .keys()
            .cloned()
            .collect();
        v.sort();
        v
    }

    /// The rows of every static or memory relation `plan` scans, as of
    /// now: files are read as `reads` asks for each scan (all of each
    /// record for a scan it does not name).
    pub fn static_inputs(
        &self,
        plan: &Plan,
        reads: &HashMap<SourceId, ScanSpec>,
    ) -> Result<StaticInputs> {
        let mut out = StaticInputs::default();
        for (id, streaming) in plan.scans() {
            if streaming || out.data.contains_key(&id) {
                continue;
            }
            let rel = self
                .relation(&id)
                .ok_or_else(|| Error::internal(format!("unknown relation {id:?}")))?;
            let (batches, partitions) = rel.rows(reads.get(&id))?;
            if let Some(p) = partitions {
                out.partitions.insert(id.clone(), p);
            }
            out.data.insert(id, batches.as_ref().clone());
        }
        Ok(out)
    }
}

/// How many partitions Spark makes of an inline table: `min(rows,
/// defaultParallelism)`, which is 2 under `local[2]` (the oracle's
/// setting). Each slice is a batch, and an aggregate keeps one partial per
/// batch when there are this few, so statistics over `VALUES` merge as
/// Spark's do (`var_pop` of 100000003, 100000004, 100000006, 100000007 is
/// exactly 2.5, Spark's answer, not the one-pass 2.5000000049670534).
pub const INLINE_TABLE_SLICES: usize = 2;

impl sqlc_compiler::sql::Catalog for Catalog {
    fn table(&self, name: &str) -> sqlc_compiler::Result<Arc<Plan>> {
        self.lookup(name)
            .ok_or_else(|| CompileError::TableNotFound(name.to_string()))
    }

    /// An inline table becomes a static relation, its rows cut into
    /// [`INLINE_TABLE_SLICES`] contiguous batches as Spark's
    /// `LocalTableScanExec` cuts them into partitions.
    fn inline_table(
        &self,
        schema: Schema,
        rows: Vec<Vec<sqlc_compiler::Scalar>>,
    ) -> sqlc_compiler::Result<Arc<Plan>> {
        let columns = (0..schema.len())
            .map(|c| {
                let values: Vec<_> = rows.iter().map(|r| r[c].clone()).collect();
                sqlc_compiler::interp::scalars_to_array(&values, &schema.fields[c].data_type)
            })
            .collect::<sqlc_compiler::Result<Vec<_>>>()?;
        let options =
            arrow::record_batch::RecordBatchOptions::new().with_row_count(Some(rows.len()));
        let batch = RecordBatch::try_new_with_options(schema.to_arrow(), columns, &options)?;
        let n = batch.num_rows();
        let slices = n.clamp(1, INLINE_TABLE_SLICES);
        let batches: Vec<RecordBatch> = (0..slices)
            .map(|i| batch.slice(i * n / slices, (i + 1) * n / slices - i * n / slices))
            .collect();
        let name = if schema.is_empty() {
            "OneRowRelation"
        } else {
            "VALUES"
        };
        Ok(self.add(
            Relation::Static {
                name: name.into(),
                // One partition, as Spark evaluates a projection over a
                // local relation (`ConvertToLocalRelation`).
                partitions: Some(Arc::new(vec![Partition::default(); batches.len()])),
                batches: Arc::new(batches),
            },
            schema,
        ))
    }
}
