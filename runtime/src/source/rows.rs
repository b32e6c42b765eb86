//! Building Arrow batches row by row, for the careful paths of the readers
//! (records that need Spark's per-record handling: malformed lines, partial
//! results). The fast paths decode whole blocks with Arrow's own readers.

use std::sync::Arc;

use arrow::array::ListArray;
use arrow::array::{
    ArrayRef, BinaryBuilder, BooleanBuilder, Date32Builder, Decimal128Builder, Float64Builder,
    Int32Builder, Int64Builder, NullArray, StringBuilder, StructArray, TimestampMicrosecondBuilder,
};
use arrow::buffer::{NullBuffer, OffsetBuffer};
use arrow::datatypes::Fields;
use arrow::record_batch::{RecordBatch, RecordBatchOptions};
use sqlc_compiler::types::{DataType, Field, Schema};

use crate::error::Result;

/// One value of a row being built, already converted to its column's type.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Null,
    Bool(bool),
    I32(i32),
    I64(i64),
    F64(f64),
    /// A decimal's unscaled value, at its column's scale.
    Dec(i128),
    Str(String),
    Bin(Vec<u8>),
    /// Microseconds since the epoch.
    Ts(i64),
    /// Days since the epoch.
    Date(i32),
    Struct(Vec<Cell>),
    List(Vec<Cell>),
    /// A map's entries, in order.
    Map(Vec<(Cell, Cell)>),
}

enum Column {
    Null(usize),
    Bool(BooleanBuilder),
    I32(Int32Builder),
    I64(Int64Builder),
    F64(Float64Builder),
    F32(arrow::array::Float32Builder),
    I8(arrow::array::Int8Builder),
    /// A year-month interval's months.
    Ym(arrow::array::IntervalYearMonthBuilder),
    /// A day-time interval's microseconds.
    Dt(arrow::array::DurationMicrosecondBuilder),
    I16(arrow::array::Int16Builder),
    Dec(Decimal128Builder),
    Str(StringBuilder),
    Bin(BinaryBuilder),
    Ts(TimestampMicrosecondBuilder),
    Date(Date32Builder),
    Struct {
        fields: Vec<Field>,
        children: Vec<Column>,
        valid: Vec<bool>,
    },
    List {
        element: DataType,
        contains_null: bool,
        offsets: Vec<i32>,
        child: Box<Column>,
        valid: Vec<bool>,
    },
    Map {
        key: DataType,
        value: DataType,
        value_null: bool,
        offsets: Vec<i32>,
        keys: Box<Column>,
        values: Box<Column>,
        valid: Vec<bool>,
    },
}

impl Column {
    fn new(t: &DataType) -> Column {
        match t {
            DataType::Null => Column::Null(0),
            DataType::Boolean => Column::Bool(BooleanBuilder::new()),
            DataType::Int32 => Column::I32(Int32Builder::new()),
            DataType::Int64 => Column::I64(Int64Builder::new()),
            DataType::Float64 => Column::F64(Float64Builder::new()),
            DataType::Float32 => Column::F32(arrow::array::Float32Builder::new()),
            DataType::Int8 => Column::I8(arrow::array::Int8Builder::new()),
            DataType::Int16 => Column::I16(arrow::array::Int16Builder::new()),
            DataType::Decimal(..) => {
                Column::Dec(Decimal128Builder::new().with_data_type(t.to_arrow()))
            }
            DataType::Utf8 => Column::Str(StringBuilder::new()),
            DataType::Binary => Column::Bin(BinaryBuilder::new()),
            DataType::Timestamp => {
                Column::Ts(TimestampMicrosecondBuilder::new().with_timezone("UTC"))
            }
            DataType::Date => Column::Date(Date32Builder::new()),
            // Wall-clock microseconds, without a zone.
            DataType::TimestampNtz => Column::Ts(TimestampMicrosecondBuilder::new()),
            DataType::YearMonthInterval(..) => {
                Column::Ym(arrow::array::IntervalYearMonthBuilder::new())
            }
            DataType::DayTimeInterval(..) => {
                Column::Dt(arrow::array::DurationMicrosecondBuilder::new())
            }
            DataType::Struct(fields) => Column::Struct {
                fields: fields.to_vec(),
                children: fields.iter().map(|f| Column::new(&f.data_type)).collect(),
                valid: Vec::new(),
            },
            DataType::Array(e, contains_null) => Column::List {
                element: (**e).clone(),
                contains_null: *contains_null,
                offsets: vec![0],
                child: Box::new(Column::new(e)),
                valid: Vec::new(),
            },
            DataType::Map(k, v, value_null) => Column::Map {
                key: (**k).clone(),
                value: (**v).clone(),
                value_null: *value_null,
                offsets: vec![0],
                keys: Box::new(Column::new(k)),
                values: Box::new(Column::new(v)),
                valid: Vec::new(),
            },
        }
    }

    /// Appends `cell`; a cell of the wrong kind (a bug in the caller) is null.
    fn push(&mut self, cell: Cell) {
        match (self, cell) {
            (Column::Null(n), _) => *n += 1,
            (Column::Bool(b), Cell::Bool(v)) => b.append_value(v),
            (Column::I32(b), Cell::I32(v)) => b.append_value(v),
            (Column::I64(b), Cell::I64(v)) => b.append_value(v),
            (Column::F64(b), Cell::F64(v)) => b.append_value(v),
            // a FLOAT column's value arrives as its double (Java's narrowing)
            (Column::F32(b), Cell::F64(v)) => b.append_value(v as f32),
            // a narrow column's value arrives as an INT its reader checked
            (Column::I8(b), Cell::I32(v)) => b.append_value(v as i8),
            // an interval's months or microseconds
            (Column::Ym(b), Cell::I32(v)) => b.append_value(v),
            (Column::Dt(b), Cell::I64(v)) => b.append_value(v),
            (Column::I16(b), Cell::I32(v)) => b.append_value(v as i16),
            (Column::Dec(b), Cell::Dec(v)) => b.append_value(v),
            (Column::Str(b), Cell::Str(v)) => b.append_value(v),
            (Column::Bin(b), Cell::Bin(v)) => b.append_value(v),
            (Column::Ts(b), Cell::Ts(v)) => b.append_value(v),
            (Column::Date(b), Cell::Date(v)) => b.append_value(v),
            (
                Column::Struct {
                    children, valid, ..
                },
                Cell::Struct(cells),
            ) if cells.len() == children.len() => {
                for (c, v) in children.iter_mut().zip(cells) {
                    c.push(v);
                }
                valid.push(true);
            }
            (
                Column::List {
                    offsets,
                    child,
                    valid,
                    ..
                },
                Cell::List(cells),
            ) => {
                let end = offsets.last().copied().unwrap_or(0) + cells.len() as i32;
                cells.into_iter().for_each(|c| child.push(c));
                offsets.push(end);
                valid.push(true);
            }
            (
                Column::Map {
                    offsets,
                    keys,
                    values,
                    valid,
                    ..
                },
                Cell::Map(entries),
            ) => {
                let end = offsets.last().copied().unwrap_or(0) + entries.len() as i32;
                for (k, v) in entries {
                    keys.push(k);
                    values.push(v);
                }
                offsets.push(end);
                valid.push(true);
            }
            (col, _) => col.push_null(),
        }
    }

    fn push_null(&mut self) {
        match self {
            Column::Null(n) => *n += 1,
            Column::Bool(b) => b.append_null(),
            Column::I32(b) => b.append_null(),
            Column::I64(b) => b.append_null(),
            Column::F64(b) => b.append_null(),
            Column::F32(b) => b.append_null(),
            Column::I8(b) => b.append_null(),
            Column::Ym(b) => b.append_null(),
            Column::Dt(b) => b.append_null(),
            Column::I16(b) => b.append_null(),
            Column::Dec(b) => b.append_null(),
            Column::Str(b) => b.append_null(),
            Column::Bin(b) => b.append_null(),
            Column::Ts(b) => b.append_null(),
            Column::Date(b) => b.append_null(),
            Column::Struct {
                children, valid, ..
            } => {
                children.iter_mut().for_each(Column::push_null);
                valid.push(false);
            }
            Column::List { offsets, valid, .. } | Column::Map { offsets, valid, .. } => {
                offsets.push(offsets.last().copied().unwrap_or(0));
                valid.push(false);
            }
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Column::Null(n) => Arc::new(NullArray::new(std::mem::take(n))),
            Column::Bool(b) => Arc::new(b.finish()),
            Column::I32(b) => Arc::new(b.finish()),
            Column::I64(b) => Arc::new(b.finish()),
            Column::F64(b) => Arc::new(b.finish()),
            Column::F32(b) => Arc::new(b.finish()),
            Column::I8(b) => Arc::new(b.finish()),
            Column::Ym(b) => Arc::new(b.finish()),
            Column::Dt(b) => Arc::new(b.finish()),
            Column::I16(b) => Arc::new(b.finish()),
            Column::Dec(b) => Arc::new(b.finish()),
            Column::Str(b) => Arc::new(b.finish()),
            Column::Bin(b) => Arc::new(b.finish()),
            Column::Ts(b) => Arc::new(b.finish()),
            Column::Date(b) => Arc::new(b.finish()),
            Column::Struct {
                fields,
                children,
                valid,
            } => {
                let arrow_fields: Fields = fields.iter().map(Field::to_arrow).collect();
                let arrays: Vec<ArrayRef> = children.iter_mut().map(Column::finish).collect();
                let nulls = NullBuffer::from(std::mem::take(valid));
                Arc::new(StructArray::new(arrow_fields, arrays, Some(nulls)))
            }
            Column::List {
                element,
                contains_null,
                offsets,
                child,
                valid,
            } => {
                let values = child.finish();
                let offsets = OffsetBuffer::new(std::mem::replace(offsets, vec![0]).into());
                let nulls = NullBuffer::from(std::mem::take(valid));
                let item = sqlc_compiler::types::list_item(element, *contains_null);
                Arc::new(ListArray::new(item, offsets, values, Some(nulls)))
            }
            Column::Map {
                key,
                value,
                value_null,
                offsets,
                keys,
                values,
                valid,
            } => {
                let (k, v) = (keys.finish(), values.finish());
                let offsets = std::mem::replace(offsets, vec![0]);
                let nulls = NullBuffer::from(std::mem::take(valid));
                // The builder's parts have the map's types by construction.
                sqlc_compiler::functions::map::map_array(
                    key,
                    value,
                    *value_null,
                    offsets,
                    k,
                    v,
                    Some(nulls),
                )
                .unwrap_or_else(|e| panic!("a map column built row by row: {e}"))
            }
        }
    }
}

/// Accumulates rows of a schema and turns them into a batch.
pub struct RowsBuilder {
    schema: arrow::datatypes::SchemaRef,
    columns: Vec<Column>,
    rows: usize,
}

impl RowsBuilder {
    /// A builder for rows of `schema`.
    pub fn new(schema: &Schema) -> Self {
        RowsBuilder {
            schema: schema.to_arrow(),
            columns: schema
                .fields
                .iter()
                .map(|f| Column::new(&f.data_type))
                .collect(),
            rows: 0,
        }
    }

    /// Appends a row; `cells` holds one cell per column.
    pub fn push(&mut self, cells: Vec<Cell>) {
        debug_assert_eq!(cells.len(), self.columns.len());
        for (c, v) in self.columns.iter_mut().zip(cells) {
            c.push(v);
        }
        self.rows += 1;
    }

    /// Rows appended since the last [`RowsBuilder::finish`].
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether no row was appended since the last finish.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// The rows appended so far as a batch; the builder starts over.
    pub fn finish(&mut self) -> Result<RecordBatch> {
        let arrays = self.columns.iter_mut().map(Column::finish).collect();
        let options = RecordBatchOptions::new().with_row_count(Some(self.rows));
        self.rows = 0;
        Ok(RecordBatch::try_new_with_options(
            self.schema.clone(),
            arrays,
            &options,
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{Array, AsArray};

    #[test]
    fn builds_nested_rows() {
        let inner = DataType::Struct(vec![Field::new("a", DataType::Int64, true)].into());
        let schema = Schema::new(vec![
            Field::new("s", DataType::Utf8, true),
            Field::new("n", inner, true),
            Field::new("t", DataType::Timestamp, true),
        ]);
        let mut b = RowsBuilder::new(&schema);
        b.push(vec![
            Cell::Str("x".into()),
            Cell::Struct(vec![Cell::I64(1)]),
            Cell::Ts(5),
        ]);
        b.push(vec![Cell::Null, Cell::Null, Cell::Null]);
        let batch = b.finish().unwrap();
        assert_eq!(batch.schema(), schema.to_arrow());
        assert_eq!(batch.num_rows(), 2);
        assert!(batch.column(1).is_null(1));
        assert_eq!(batch.column(0).as_string::<i32>().value(0), "x");
        assert!(b.is_empty());
    }
}
