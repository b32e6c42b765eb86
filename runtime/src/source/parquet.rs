//! Reading Parquet files with `parquet::arrow`, converted to sqlc's
//! canonical types. Columns are matched to the schema by name, ignoring
//! case (Spark's default); a column the file lacks reads as nulls.

use std::path::Path;

use arrow::array::{new_null_array, ArrayRef};
use arrow::record_batch::RecordBatch;
use bytes::Bytes;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ProjectionMask;
use sqlc_compiler::scan_spec::ScanSpec;
use sqlc_compiler::types::Schema;

use super::json::BATCH_ROWS;
use super::normalize::{canonical_schema, normalize_array};
use crate::error::{Error, Result};

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
        }
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
        let reader = builder
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
                    None => Ok(new_null_array(&f.data_type.to_arrow(), batch.num_rows())),
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
