//! Timestamps on the session's wall clock. Spark prints a timestamp in the
//! session time zone everywhere it turns one into text (`show`, the console
//! sink, JSON and CSV files). sqlc's arrays are tagged `UTC`; [`in_zone`]
//! retags a batch's timestamp columns with the session zone (metadata
//! only), and the renderings here read the zone from the tag.

use std::cell::RefCell;
use std::sync::Arc;

use arrow::array::ArrayRef;
use arrow::compute::cast;
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use sqlc_compiler::time_zone::TimeZone;

/// `batches` with every timestamp (also inside structs, arrays and maps)
/// tagged with `tz`; the batches themselves where `tz` is UTC.
pub fn in_zone(batches: &[RecordBatch], tz: &TimeZone) -> Vec<RecordBatch> {
    if tz.is_utc() {
        return batches.to_vec();
    }
    batches.iter().map(|b| retag_batch(b, tz.id())).collect()
}

fn retag_batch(b: &RecordBatch, id: &str) -> RecordBatch {
    let schema = b.schema();
    if !schema.fields().iter().any(|f| has_timestamp(f.data_type())) {
        return b.clone();
    }
    let mut fields = Vec::with_capacity(schema.fields().len());
    let mut cols: Vec<ArrayRef> = Vec::with_capacity(fields.capacity());
    for (f, c) in schema.fields().iter().zip(b.columns()) {
        let to = retag(f.data_type(), id);
        match cast(c, &to) {
            Ok(a) => {
                fields.push(
                    Field::new(f.name(), to, f.is_nullable()).with_metadata(f.metadata().clone()),
                );
                cols.push(a);
            }
            // A type Arrow cannot retag is printed as it was (in UTC).
            Err(_) => {
                fields.push(f.as_ref().clone());
                cols.push(c.clone());
            }
        }
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), cols).unwrap_or_else(|_| b.clone())
}

fn has_timestamp(t: &DataType) -> bool {
    match t {
        // A timestamp without a zone (TIMESTAMP_NTZ) is printed as it is.
        DataType::Timestamp(_, Some(_)) => true,
        DataType::List(f) | DataType::LargeList(f) | DataType::Map(f, _) => {
            has_timestamp(f.data_type())
        }
        DataType::Struct(fs) => fs.iter().any(|f| has_timestamp(f.data_type())),
        _ => false,
    }
}

fn retag(t: &DataType, id: &str) -> DataType {
    let field = |f: &Arc<Field>| {
        Arc::new(
            Field::new(f.name(), retag(f.data_type(), id), f.is_nullable())
                .with_metadata(f.metadata().clone()),
        )
    };
    match t {
        DataType::Timestamp(unit, Some(_)) => DataType::Timestamp(*unit, Some(id.into())),
        DataType::List(f) => DataType::List(field(f)),
        DataType::LargeList(f) => DataType::LargeList(field(f)),
        DataType::Map(f, sorted) => DataType::Map(field(f), *sorted),
        DataType::Struct(fs) => DataType::Struct(fs.iter().map(field).collect()),
        other => other.clone(),
    }
}

thread_local! {
    static LAST: RefCell<Option<(Arc<str>, TimeZone)>> = const { RefCell::new(None) };
}

/// The zone a timestamp type is tagged with; UTC when untagged or unknown.
fn zone_of(tag: &str) -> TimeZone {
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        match last.as_ref() {
            Some((t, z)) if t.as_ref() == tag => z.clone(),
            _ => {
                let z = TimeZone::parse(tag).unwrap_or(TimeZone::Utc);
                *last = Some((Arc::from(tag), z.clone()));
                z
            }
        }
    })
}

/// The wall-clock time (as if UTC) and the offset in seconds of the
/// instant `us` in the zone of the type `t` is tagged with.
pub(crate) fn wall_clock(us: i64, t: &DataType) -> (i64, i32) {
    match t {
        DataType::Timestamp(_, Some(tag)) if !matches!(tag.as_ref(), "UTC" | "+00:00" | "Z") => {
            let z = zone_of(tag);
            (z.to_local(us), z.offset_at(us))
        }
        _ => (us, 0),
    }
}
