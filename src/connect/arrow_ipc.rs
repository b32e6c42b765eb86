//! Arrow IPC streams, the form Spark Connect carries rows in: each result
//! batch is sent as a stream of its own (schema, then the batch), and
//! `createDataFrame` sends its rows the same way.

use std::sync::Arc;

use arrow::datatypes::Schema as ArrowSchema;
use arrow::ipc::reader::StreamReader;
use arrow::ipc::writer::StreamWriter;
use arrow::record_batch::RecordBatch;
use sqlc_compiler::Schema;

use crate::error::Result;

/// One batch as an IPC stream.
pub fn write(batch: &RecordBatch) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut w =
            StreamWriter::try_new(&mut out, &batch.schema()).map_err(sqlc_runtime::Error::from)?;
        w.write(batch).map_err(sqlc_runtime::Error::from)?;
        w.finish().map_err(sqlc_runtime::Error::from)?;
    }
    Ok(out)
}

/// Every batch of an IPC stream.
pub fn read(data: &[u8]) -> Result<Vec<RecordBatch>> {
    let r = StreamReader::try_new(std::io::Cursor::new(data), None)
        .map_err(sqlc_runtime::Error::from)?;
    Ok(r.collect::<Result<Vec<_>, _>>()
        .map_err(sqlc_runtime::Error::from)?)
}

/// The batches with the columns cast to `target`'s Arrow types and names
/// (PySpark sends `large_string`, `int8`, …), at least one batch so the
/// schema is kept when there are no rows.
pub fn conform(batches: Vec<RecordBatch>, target: &Schema) -> Result<Vec<RecordBatch>> {
    let schema: Arc<ArrowSchema> = target.to_arrow();
    if batches.is_empty() {
        return Ok(vec![RecordBatch::new_empty(schema)]);
    }
    batches
        .into_iter()
        .map(|b| {
            if b.num_columns() != schema.fields().len() {
                return Err(super::types::invalid(format!(
                    "the local data has {} columns but its schema {}",
                    b.num_columns(),
                    schema.fields().len()
                )));
            }
            let cols = b
                .columns()
                .iter()
                .zip(schema.fields())
                .map(|(c, f)| arrow::compute::cast(c, f.data_type()))
                .collect::<Result<Vec<_>, _>>()
                .map_err(sqlc_runtime::Error::from)?;
            Ok(RecordBatch::try_new(schema.clone(), cols).map_err(sqlc_runtime::Error::from)?)
        })
        .collect()
}
