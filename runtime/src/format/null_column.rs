//! All-null columns without fresh memory: the columns a scan does not read.
//!
//! A scan that reads one column of ten still returns batches of the full
//! schema, the others all null. Arrow's `new_null_array` allocates and
//! zeroes a values buffer per column per batch (80 MB of them for a
//! million rows of eight numeric columns, each page faulted in by the
//! kernel). Every buffer of an all-null flat column is zeros — the validity
//! bitmap (all null), the values, a string column's offsets — so they all
//! share slices of one zeroed buffer, made once and grown when a longer
//! batch needs more.

use std::sync::Mutex;

use arrow::array::{make_array, new_null_array, ArrayData, ArrayRef};
use arrow::buffer::{Buffer, MutableBuffer};
use arrow::datatypes::DataType;

/// The shared zeroed buffer (empty until first used).
static ZEROS: Mutex<Option<Buffer>> = Mutex::new(None);

/// `len` zero bytes, shared.
fn zeros(len: usize) -> Buffer {
    let mut shared = ZEROS.lock().unwrap_or_else(|p| p.into_inner());
    let buf = match shared.as_ref() {
        Some(b) if b.len() >= len => b.clone(),
        _ => {
            // Grow geometrically, so a stream of ever longer batches
            // reallocates a few times only.
            let size = len.max(shared.as_ref().map_or(0, |b| b.len() * 2));
            // Arrow's own allocation: aligned for every primitive type.
            let b: Buffer = MutableBuffer::from_len_zeroed(size).into();
            *shared = Some(b.clone());
            b
        }
    };
    buf.slice_with_length(0, len)
}

/// An all-null column of `data_type` and `len` rows: its buffers shared
/// zeros for flat types, Arrow's own null array for nested ones.
pub fn null_column(data_type: &DataType, len: usize) -> ArrayRef {
    let validity = len.div_ceil(8);
    let data = if let Some(width) = data_type.primitive_width() {
        ArrayData::builder(data_type.clone())
            .len(len)
            .null_count(len)
            .null_bit_buffer(Some(zeros(validity)))
            .add_buffer(zeros(width * len))
            .build()
    } else {
        match data_type {
            DataType::Boolean => ArrayData::builder(DataType::Boolean)
                .len(len)
                .null_count(len)
                .null_bit_buffer(Some(zeros(validity)))
                .add_buffer(zeros(validity))
                .build(),
            DataType::Utf8 | DataType::Binary => ArrayData::builder(data_type.clone())
                .len(len)
                .null_count(len)
                .null_bit_buffer(Some(zeros(validity)))
                .add_buffer(zeros(4 * (len + 1)))
                .add_buffer(Buffer::from(Vec::<u8>::new()))
                .build(),
            _ => return new_null_array(data_type, len),
        }
    };
    match data {
        Ok(d) => make_array(d),
        // Not reached (the buffers are the sizes the type needs); Arrow's
        // own null array is always right.
        Err(_) => new_null_array(data_type, len),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::Array;
    use arrow::datatypes::TimeUnit;

    #[test]
    fn equals_arrows_null_array() {
        let types = [
            DataType::Boolean,
            DataType::Int32,
            DataType::Int64,
            DataType::Float32,
            DataType::Float64,
            DataType::Decimal128(38, 2),
            DataType::Utf8,
            DataType::Binary,
            DataType::Date32,
            DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            DataType::new_list(DataType::Int64, true),
        ];
        for t in &types {
            for len in [0, 1, 7, 8, 9, 1000, 70_000] {
                let ours = null_column(t, len);
                ours.to_data().validate_full().unwrap();
                assert_eq!(ours.len(), len);
                assert_eq!(ours.null_count(), len, "{t}");
                assert_eq!(&ours, &new_null_array(t, len), "{t} x {len}");
            }
        }
    }
}
