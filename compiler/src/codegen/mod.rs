//! Cranelift code generation: a [`crate::ir::PipelineSpec`] becomes one
//! native function that loops once over a batch.

use std::sync::Arc;

use arrow::datatypes::SchemaRef;

use crate::error::Result;
use crate::ir::PipelineSpec;
use crate::kernel::Kernel;

pub fn compile(_spec: &PipelineSpec, _output: SchemaRef) -> Result<Arc<dyn Kernel>> {
    todo!("codegen::compile")
}
