//! Reading Parquet files with `parquet::arrow`, converted to sqlc's
//! canonical types. Columns are matched to the schema by name, ignoring
//! case (Spark's default); a column the file lacks reads as nulls. Only
//! the column chunks a query reads are read, and a row group whose
//! statistics exclude a pushed filter (`x > 5`, `s = 'a'`, `x IS NOT NULL`)
//! is not read at all: its rows are ones the filter above the scan drops.

use std::path::Path;

use arrow::array::ArrayRef;
use arrow::record_batch::RecordBatch;
use bytes::Bytes;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ProjectionMask;
use parquet::basic::SortOrder;
use parquet::file::metadata::{ColumnChunkMetaData, ParquetMetaData};
use parquet::file::statistics::Statistics;
use sqlc_compiler::ir::BinaryOp;
use sqlc_compiler::scan_spec::{Bound, PushedFilter, ScanSpec};
use sqlc_compiler::types::Schema;

use super::json::BATCH_ROWS;
use super::normalize::{canonical_schema, normalize_array};
use crate::error::{Error, Result};
use crate::format::null_column::null_column;

fn parquet_error(path: &Path, e: parquet::errors::ParquetError) -> Error {
    Error::Parquet {
        path: path.to_path_buf(),
        source: e,
    }
}

/// Runs `f` over the bytes of the Parquet file at `path`, turning a panic
/// of the parquet crate into an error naming the file: a damaged footer or
/// page (`column start and length should not be negative`, an offset past
/// the end) can reach an `assert!` or a slice index inside it, and input
/// from files must never take the process down.
fn guarded<T>(path: &Path, f: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|p| {
        let why = Error::from_panic("the Parquet reader", p);
        Err(parquet_error(
            path,
            parquet::errors::ParquetError::General(format!("the file is damaged ({why})")),
        ))
    })
}

/// The sqlc schema of the Parquet file `data` (from its footer).
pub fn parquet_schema(path: &Path, data: Bytes) -> Result<Schema> {
    guarded(path, || {
        let builder =
            ParquetRecordBatchReaderBuilder::try_new(data).map_err(|e| parquet_error(path, e))?;
        canonical_schema(builder.schema(), &path.display().to_string())
    })
}

/// A Parquet reader for one schema.
#[derive(Debug, Clone)]
pub struct ParquetReader {
    schema: Schema,
    arrow_schema: arrow::datatypes::SchemaRef,
    /// Per field: whether the query reads it (only those column chunks
    /// are read; the others are null).
    read: Vec<bool>,
    /// Conditions every row the query keeps meets (see [`ScanSpec`]).
    filters: Vec<PushedFilter>,
}

impl ParquetReader {
    /// A reader producing batches of `schema`.
    pub fn new(schema: &Schema) -> Self {
        Self::reading(schema, None)
    }

    /// A reader producing batches of `schema`, reading only the columns
    /// `read` says a query reads (`None`: all).
    pub fn reading(schema: &Schema, read: Option<&ScanSpec>) -> Self {
        ParquetReader {
            schema: schema.clone(),
            arrow_schema: schema.to_arrow(),
            read: match read.filter(|r| r.columns.len() == schema.len()) {
                Some(r) => r.columns.clone(),
                None => vec![true; schema.len()],
            },
            filters: read
                .filter(|r| r.columns.len() == schema.len())
                .map_or_else(Vec::new, |r| r.filters.clone()),
        }
    }

    /// The row groups of the file that may hold a row the filters keep
    /// (`sources`: per field, the file's top-level column holding it).
    fn row_groups(&self, meta: &ParquetMetaData, sources: &[Option<usize>]) -> Vec<usize> {
        let schema = meta.file_metadata().schema_descr();
        let file_fields = schema.root_schema().get_fields();
        // Per filter: its leaf column in the file, if the field is one.
        let leaves: Vec<Option<usize>> = self
            .filters
            .iter()
            .map(|f| {
                let root = sources.get(f.column()).copied().flatten()?;
                let name = file_fields.get(root)?.name();
                schema
                    .columns()
                    .iter()
                    .position(|c| c.path().parts() == [name.to_string()])
            })
            .collect();
        (0..meta.num_row_groups())
            .filter(|&g| {
                let group = meta.row_group(g);
                self.filters.iter().zip(&leaves).all(|(f, leaf)| {
                    leaf.is_none_or(|l| may_hold(f, group.column(l), group.num_rows() as u64))
                })
            })
            .collect()
    }

    /// Reads the file `data` (from `path`); a damaged file is an error
    /// naming it.
    pub fn decode_file(&self, path: &Path, data: Bytes) -> Result<Vec<RecordBatch>> {
        guarded(path, || self.decode(path, data))
    }

    fn decode(&self, path: &Path, data: Bytes) -> Result<Vec<RecordBatch>> {
        let builder =
            ParquetRecordBatchReaderBuilder::try_new(data).map_err(|e| parquet_error(path, e))?;
        let file_fields = builder.schema().fields().clone();
        // For each output field, the file's top-level column holding it.
        let sources: Vec<Option<usize>> = self
            .schema
            .fields
            .iter()
            .zip(&self.read)
            .map(|(f, read)| {
                if !read {
                    return None;
                }
                file_fields
                    .iter()
                    .position(|c| c.name() == &f.name)
                    .or_else(|| {
                        file_fields
                            .iter()
                            .position(|c| c.name().eq_ignore_ascii_case(&f.name))
                    })
            })
            .collect();
        let mut roots: Vec<usize> = sources.iter().flatten().copied().collect();
        roots.sort_unstable();
        roots.dedup();
        let mask = ProjectionMask::roots(builder.parquet_schema(), roots.iter().copied());
        let groups = self.row_groups(builder.metadata(), &sources);
        let reader = builder
            .with_row_groups(groups)
            .with_projection(mask)
            .with_batch_size(BATCH_ROWS)
            .build()
            .map_err(|e| parquet_error(path, e))?;
        let mut out = Vec::new();
        for batch in reader {
            let batch = batch.map_err(|e| parquet_error(path, e.into()))?;
            let columns = self
                .schema
                .fields
                .iter()
                .zip(&sources)
                .map(|(f, src)| match src {
                    None => Ok(null_column(&f.data_type.to_arrow(), batch.num_rows())),
                    Some(i) => {
                        let at = roots.binary_search(i).expect("projected");
                        let what = format!("{}: column `{}`", path.display(), f.name);
                        normalize_array(batch.column(at), &f.data_type, &what)
                    }
                })
                .collect::<Result<Vec<ArrayRef>>>()?;
            let options = arrow::record_batch::RecordBatchOptions::new()
                .with_row_count(Some(batch.num_rows()));
            out.push(RecordBatch::try_new_with_options(
                self.arrow_schema.clone(),
                columns,
                &options,
            )?);
        }
        Ok(out)
    }
}

/// Whether a row group (one of its column chunks, and its row count) may
/// hold a row meeting `filter`, by the chunk's statistics: `true` whenever
/// they do not tell (none, or an order the comparison cannot use).
fn may_hold(filter: &PushedFilter, chunk: &ColumnChunkMetaData, rows: u64) -> bool {
    let Some(stats) = chunk.statistics() else {
        return true;
    };
    let order = chunk.column_descr().sort_order();
    match filter {
        PushedFilter::NotNull { .. } => stats.null_count_opt() != Some(rows),
        PushedFilter::Contains { .. } => true,
        PushedFilter::Compare { op, bound, .. } => {
            use std::cmp::Ordering;
            // The bound against the chunk's min and max.
            let (vs_min, vs_max): (Option<Ordering>, Option<Ordering>) = match (bound, stats) {
                (Bound::Long(v), Statistics::Int64(s)) if order == SortOrder::SIGNED => {
                    (s.min_opt().map(|m| v.cmp(m)), s.max_opt().map(|m| v.cmp(m)))
                }
                (Bound::Long(v), Statistics::Int32(s)) if order == SortOrder::SIGNED => (
                    s.min_opt().map(|m| v.cmp(&i64::from(*m))),
                    s.max_opt().map(|m| v.cmp(&i64::from(*m))),
                ),
                // NaN is above every double in Spark, and statistics leave
                // it out: `>` and `>=` only where the chunk has none.
                (Bound::Double(bits), Statistics::Double(s))
                    if matches!(order, SortOrder::SIGNED | SortOrder::TOTAL_ORDER)
                        && (matches!(op, BinaryOp::Eq | BinaryOp::Lt | BinaryOp::LtEq)
                            || s.nan_count_opt() == Some(0)) =>
                {
                    let v = f64::from_bits(*bits);
                    (
                        s.min_opt().and_then(|m| v.partial_cmp(m)),
                        s.max_opt().and_then(|m| v.partial_cmp(m)),
                    )
                }
                (Bound::Str(v), Statistics::ByteArray(s))
                    if order == SortOrder::UNSIGNED && !stats.is_min_max_deprecated() =>
                {
                    let v = v.as_bytes();
                    (
                        s.min_bytes_opt().map(|m| v.cmp(m)),
                        s.max_bytes_opt().map(|m| v.cmp(m)),
                    )
                }
                _ => return true,
            };
            let (Some(vs_min), Some(vs_max)) = (vs_min, vs_max) else {
                return true;
            };
            match op {
                BinaryOp::Eq => vs_min.is_ge() && vs_max.is_le(),
                BinaryOp::Lt => vs_min.is_gt(),
                BinaryOp::LtEq => vs_min.is_ge(),
                BinaryOp::Gt => vs_max.is_lt(),
                BinaryOp::GtEq => vs_max.is_le(),
                _ => true,
            }
        }
    }
}
