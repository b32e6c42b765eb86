//! Reading text files: one `value` string row per line (`\n` or `\r\n`;
//! empty lines are empty strings), or one row per file with `wholetext`.

use std::sync::Arc;

use arrow::array::StringBuilder;
use arrow::record_batch::RecordBatch;
use sqlc_compiler::types::{DataType, Field, Schema};

use super::json::BATCH_ROWS;
use super::lines::lines;
use super::options::Options;
use crate::error::{Error, Result};

/// The schema of the text source: `value string`.
pub fn text_schema() -> Schema {
    Schema::new(vec![Field::new("value", DataType::Utf8, true)])
}

/// A text reader.
#[derive(Debug, Clone)]
pub struct TextReader {
    arrow_schema: arrow::datatypes::SchemaRef,
    /// One row per file rather than per line.
    pub whole_text: bool,
}

impl TextReader {
    /// A reader for `schema`, which must be one string column (any name).
    pub fn new(schema: &Schema, options: &Options) -> Result<Self> {
        if schema.len() != 1 || schema.fields[0].data_type != DataType::Utf8 {
            return Err(Error::analysis("INVALID_SCHEMA", format!(
                "Text data source supports only a single column of string type, and you have {} ({})",
                schema.len(),
                schema.fields.iter().map(|f| format!("{}: {}", f.name, f.data_type)).collect::<Vec<_>>().join(", ")
            )));
        }
        Ok(TextReader {
            arrow_schema: schema.to_arrow(),
            whole_text: options.get_bool("wholetext", false)?,
        })
    }

    /// One row per line of `bytes` (whole lines).
    pub fn decode_lines(&self, bytes: &[u8]) -> Result<Vec<RecordBatch>> {
        let mut out = Vec::new();
        let mut builder = StringBuilder::with_capacity(BATCH_ROWS, bytes.len().min(64 << 20));
        let mut rows = 0;
        for line in lines(bytes) {
            builder.append_value(String::from_utf8_lossy(line));
            rows += 1;
            if rows == BATCH_ROWS {
                out.push(self.batch(&mut builder)?);
                rows = 0;
            }
        }
        if rows > 0 {
            out.push(self.batch(&mut builder)?);
        }
        Ok(out)
    }

    /// One row holding all of `bytes`.
    pub fn decode_whole(&self, bytes: &[u8]) -> Result<RecordBatch> {
        let mut builder = StringBuilder::new();
        builder.append_value(String::from_utf8_lossy(bytes));
        self.batch(&mut builder)
    }

    fn batch(&self, builder: &mut StringBuilder) -> Result<RecordBatch> {
        Ok(RecordBatch::try_new(
            self.arrow_schema.clone(),
            vec![Arc::new(builder.finish())],
        )?)
    }
}
