//! The interpreted twin: a [`crate::ir::PipelineSpec`] evaluated column at a
//! time with Arrow compute kernels.

use std::sync::Arc;

use arrow::datatypes::SchemaRef;

use crate::error::Result;
use crate::ir::PipelineSpec;
use crate::kernel::Kernel;

pub fn compile(_spec: &PipelineSpec, _output: SchemaRef) -> Result<Arc<dyn Kernel>> {
    todo!("interp::compile")
}
