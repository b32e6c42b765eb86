//! File formats: how bytes become Arrow batches (and back). One submodule
//! per format, its decoder and encoder side by side; the file sources in
//! [`crate::source`] list, map and split the files and hand blocks of them
//! to these decoders, the file sink hands batches to the encoders.

pub mod json;
pub mod null_column;
