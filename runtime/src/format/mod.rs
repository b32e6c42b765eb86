//! File formats: how bytes become Arrow batches (and back). One submodule
//! per format; the file sources in [`crate::source`] list, map and split the
//! files and hand blocks of them to these decoders.

pub mod json;
