//! JSON lines: the reader with Spark's malformed-record modes ([`reader`]),
//! the writer the file sink and the CLI use ([`encode`]),
//! the decoder specialized for a scan's projection ([`decode`]) with its
//! vector path for flat records ([`flat`], [`line_masks`]) and the names
//! it remembers ([`known_names`]), the raw-byte
//! pre-filter of pushed-down predicates ([`prefilter`]), the validating
//! scanner shared by inference and the well-formedness check ([`scan`]),
//! lenient records rewritten as strict JSON ([`strict`]), Spark's value
//! rules for Arrow's decoder ([`tape`]) and record-by-record conversion
//! ([`value`]).

pub mod decode;
pub mod encode;
pub(crate) mod flat;
mod known_names;
mod line_masks;
pub mod prefilter;
pub mod reader;
pub(crate) mod scan;
mod strict;
mod tape;
mod value;

pub use encode::to_json_lines;
pub use reader::{batch_rows, corrupt_column_index, malformed, JsonReader, BATCH_ROWS};
