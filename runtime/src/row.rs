//! A row of a result as Rust values, for `foreach` and for tests.

use std::fmt;

use arrow::array::{
    Array, AsArray, BinaryArray, BooleanArray, Date32Array, Float64Array, Int32Array, Int64Array,
    StringArray, TimestampMicrosecondArray,
};
use arrow::datatypes::{DataType as ArrowType, SchemaRef};
use arrow::record_batch::RecordBatch;
use sqlc_compiler::Scalar;

/// One row: its values in column order, with the schema that names them.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub schema: SchemaRef,
    pub values: Vec<Scalar>,
}

impl Row {
    pub fn from_batch(b: &RecordBatch) -> Vec<Row> {
        (0..b.num_rows())
            .map(|i| Row {
                schema: b.schema(),
                values: b
                    .columns()
                    .iter()
                    .map(|c| scalar_at(c.as_ref(), i))
                    .collect(),
            })
            .collect()
    }

    pub fn get(&self, i: usize) -> Option<&Scalar> {
        self.values.get(i)
    }

    /// The value of a column by name (case-insensitive, as in Spark).
    pub fn get_as(&self, name: &str) -> Option<&Scalar> {
        let i = self
            .schema
            .fields()
            .iter()
            .position(|f| f.name().eq_ignore_ascii_case(name))?;
        self.values.get(i)
    }
}

impl fmt::Display for Row {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .schema
            .fields()
            .iter()
            .zip(&self.values)
            .map(|(fl, v)| format!("{}={v}", fl.name()))
            .collect();
        write!(f, "Row({})", parts.join(", "))
    }
}

/// The value at row `i` of an array of one of sqlc's types. A struct (the
/// `window` column) becomes its `{a, b}` text.
pub fn scalar_at(a: &dyn Array, i: usize) -> Scalar {
    if a.is_null(i) {
        return Scalar::Null;
    }
    macro_rules! get {
        ($t:ty) => {
            a.as_any().downcast_ref::<$t>().map(|x| x.value(i))
        };
    }
    match a.data_type() {
        ArrowType::Boolean => get!(BooleanArray).map(Scalar::Boolean),
        ArrowType::Int32 => get!(Int32Array).map(Scalar::Int32),
        ArrowType::Int64 => get!(Int64Array).map(Scalar::Int64),
        ArrowType::Float64 => get!(Float64Array).map(Scalar::Float64),
        ArrowType::Decimal128(p, s) => {
            get!(arrow::array::Decimal128Array).map(|v| Scalar::Decimal(v, *p, *s as u8))
        }
        ArrowType::Utf8 => get!(StringArray).map(|s| Scalar::Utf8(s.to_string())),
        ArrowType::Binary => get!(BinaryArray).map(|s| Scalar::Binary(s.to_vec())),
        ArrowType::Timestamp(_, _) => get!(TimestampMicrosecondArray).map(Scalar::Timestamp),
        ArrowType::Date32 => get!(Date32Array).map(Scalar::Date),
        ArrowType::Struct(_) => {
            let s = a.as_struct();
            let parts: Vec<String> = s
                .columns()
                .iter()
                .map(|c| crate::display::pretty_value(c.as_ref(), i))
                .collect();
            Some(Scalar::Utf8(format!("{{{}}}", parts.join(", "))))
        }
        // An array becomes its `[a, b]` text, as `show()` prints it.
        ArrowType::List(_) => Some(Scalar::Utf8(crate::display::pretty_value(a, i))),
        _ => None,
    }
    .unwrap_or(Scalar::Null)
}
