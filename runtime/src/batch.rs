//! Batch queries (`df.collect()`, `session.sql(..)`): the plan runs once over
//! everything its static and memory relations hold now, on the same compiled
//! kernels streaming queries use.

use arrow::record_batch::RecordBatch;
use sqlc_compiler::physical::plan_physical;
use sqlc_compiler::plan::Plan;
use sqlc_compiler::ExecMode;

use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::exec::{BatchInput, Emit, Executor};

pub fn execute(
    plan: &Plan,
    catalog: &Catalog,
    mode: ExecMode,
    partitions: usize,
) -> Result<Vec<RecordBatch>> {
    if plan.is_streaming() {
        return Err(Error::analysis(
            "_LEGACY_ERROR_TEMP_3102",
            // Spark 4.3's class and text for this mistake.
            "Queries with streaming sources must be executed with writeStream.start()",
        ));
    }
    let phys = plan_physical(plan, mode)?;
    let inputs = catalog.static_inputs(plan, &phys.scan_specs())?;
    let mut exec = Executor::new(phys, partitions).with_input_partitions(inputs.partitions);
    exec.run(&BatchInput {
        batch_id: 0,
        data: &inputs.data,
        emit: Emit::All,
        watermark_us: None,
        late_watermark_us: None,
    })
}
