//! Cranelift code generation: a [`crate::ir::PipelineSpec`] becomes one
//! native function that loops once over a batch (HyPer-style: no
//! intermediate arrays), finalized with `cranelift-jit`.
//!
//! - [`abi`]: the structs the kernel and Rust share;
//! - `pipeline`: the row loop, input columns and steps;
//! - `expr`, `compare`, `arith`, `cast`, `funcs`, `strings`, [`interval`]:
//!   expressions;
//! - `aggregate`, `collect`: the sinks;
//! - [`helpers`]: the `extern "C"` Rust functions kernels call;
//! - [`sites`]: the table of error sites behind runtime errors.

pub mod abi;
mod aggregate;
mod arith;
mod cast;
mod collect;
mod compare;
mod expr;
mod funcs;
mod gen;
pub mod helpers;
pub mod interval;
mod pipeline;
pub mod sites;
mod strings;

use std::sync::Arc;
use std::time::{Duration, Instant};

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use cranelift_codegen::ir::{types, AbiParam, UserFuncName};
use cranelift_codegen::settings::{self, Configurable};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{default_libcall_names, Linkage, Module};

use crate::agg_table::{AggTable, LateRows, TableLayout};
use crate::error::{Error, Result};
use crate::ir::{PipelineSink, PipelineSpec};
use crate::kernel::{ExecMode, Kernel, KernelExplain};

use abi::{column_view, ColumnView, KernelCtx, ERR};
use collect::{CollectSink, OutCol, OutputBuffers};
use gen::{Gen, Owned};
use sites::ErrorSite;

/// The compiled function: see [`abi`].
type KernelFn = unsafe extern "C" fn(*mut KernelCtx, u64, u64) -> u64;

/// Compiles `spec` to native code. `output` names and types the columns of
/// a `Collect` sink (ignored for aggregates).
pub fn compile(spec: &PipelineSpec, output: SchemaRef) -> Result<Arc<dyn Kernel>> {
    let t0 = Instant::now();
    let cg = |e: &dyn std::fmt::Display| Error::internal(e.to_string());
    let mut flags = settings::builder();
    flags.set("opt_level", "speed").map_err(|e| cg(&e))?;
    flags
        .set("use_colocated_libcalls", "false")
        .map_err(|e| cg(&e))?;
    flags.set("is_pic", "false").map_err(|e| cg(&e))?;
    let isa = cranelift_native::builder()
        .map_err(|e| cg(&e))?
        .finish(settings::Flags::new(flags))
        .map_err(|e| cg(&e))?;
    if isa.pointer_type() != types::I64 {
        return Err(Error::internal("the JIT needs a 64-bit target"));
    }
    let call_conv = isa.default_call_conv();
    let mut module = JITModule::new(JITBuilder::with_isa(isa, default_libcall_names()));
    let mut ctx = module.make_context();
    let mut sig = module.make_signature();
    sig.params.extend([AbiParam::new(types::I64); 3]);
    sig.returns.push(AbiParam::new(types::I64));
    let id = module
        .declare_function("sqlc_kernel", Linkage::Local, &sig)
        .map_err(|e| cg(&e))?;
    ctx.func.signature = sig;
    ctx.func.name = UserFuncName::user(0, id.as_u32());

    let mut collect = match &spec.sink {
        PipelineSink::Collect => Some(CollectSink::plan(spec, &output)?),
        PipelineSink::Aggregate(_) | PipelineSink::Probe(_) => None,
    };
    let layout = spec.sink.table_spec().map(TableLayout::new).transpose()?;
    let mut fctx = FunctionBuilderContext::new();
    let (sites, owned) = {
        let mut b = FunctionBuilder::new(&mut ctx.func, &mut fctx);
        let entry = b.create_block();
        b.append_block_params_for_function_params(entry);
        b.switch_to_block(entry);
        let p = b.block_params(entry).to_vec();
        let mut g = Gen::new(b, p[0], call_conv);
        pipeline::gen_pipeline(&mut g, spec, p[1], p[2], collect.as_mut())?;
        g.finish(module.target_config())
    };
    let clif = ctx.func.display().to_string();
    ctx.set_disasm(true);
    module
        .define_function(id, &mut ctx)
        .map_err(|e| Error::internal(format!("{e:?}")))?;
    let asm = ctx
        .compiled_code()
        .and_then(|c| c.vcode.clone())
        .unwrap_or_default();
    module.clear_context(&mut ctx);
    module.finalize_definitions().map_err(|e| cg(&e))?;
    let code = module.get_finalized_function(id);
    // SAFETY: the function was declared with the signature of `KernelFn`
    // (three i64 parameters and an i64 result, the ISA's default C calling
    // convention) and its code is finalized (executable) in `module`, which
    // the kernel keeps alive.
    let func: KernelFn = unsafe { std::mem::transmute::<*const u8, KernelFn>(code) };
    Ok(Arc::new(JitKernel {
        spec: spec.clone(),
        output,
        func,
        _owned: owned,
        sites,
        collect: collect.map(|c| c.cols),
        layout,
        clif,
        asm,
        compile_time: t0.elapsed(),
        module: Some(ModuleHolder(module)),
    }))
}

/// Owns the JIT memory holding a kernel's code.
struct ModuleHolder(JITModule);

// SAFETY: after `finalize_definitions` the module is never used again
// except to free its memory on drop: the code it holds is immutable and
// may be executed from any thread; nothing reaches the module's interior
// mutability (its symbol cache) any more.
unsafe impl Send for ModuleHolder {}
unsafe impl Sync for ModuleHolder {}

/// A compiled kernel.
pub struct JitKernel {
    spec: PipelineSpec,
    output: SchemaRef,
    func: KernelFn,
    /// Literals, LIKE matchers and regexes the code points to.
    _owned: Owned,
    sites: Vec<ErrorSite>,
    /// The collect sink's plan (`None` for an aggregate).
    collect: Option<Vec<OutCol>>,
    /// The aggregate table's layout (`None` for a collect).
    layout: Option<TableLayout>,
    clif: String,
    asm: String,
    compile_time: Duration,
    module: Option<ModuleHolder>,
}

impl Drop for JitKernel {
    fn drop(&mut self) {
        if let Some(m) = self.module.take() {
            // SAFETY: `func` points into this memory and dies with `self`;
            // no call can be running (that would need a borrow of `self`).
            unsafe { m.0.free_memory() };
        }
    }
}

impl std::fmt::Debug for JitKernel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JitKernel")
            .field("inputs", &self.spec.input.len())
            .field("steps", &self.spec.steps.len())
            .field("compile_time", &self.compile_time)
            .finish()
    }
}

impl JitKernel {
    /// The views of `batch`'s columns, checked against the spec.
    fn views(&self, batch: &RecordBatch) -> Result<Vec<ColumnView>> {
        if batch.num_columns() != self.spec.input.len() {
            return Err(Error::internal(format!(
                "kernel expects {} input columns, the batch has {}",
                self.spec.input.len(),
                batch.num_columns()
            )));
        }
        if batch.num_rows() >= u32::MAX as usize {
            return Err(Error::internal(
                "a kernel batch holds fewer than 2^32-1 rows",
            ));
        }
        batch
            .columns()
            .iter()
            .zip(&self.spec.input)
            .enumerate()
            .map(|(i, (a, c))| column_view(a, &c.ty, c.nullable, i))
            .collect()
    }

    /// Runs the kernel over every row of the batch `ctx` describes.
    fn run(&self, ctx: &mut KernelCtx, rows: usize) -> Result<u64> {
        // SAFETY: `ctx` holds views of live arrays of at least `rows` rows
        // (checked against the spec's types by `views`), output buffers
        // of `rows` entries or a table of the spec's layout; the code
        // is alive as long as `self`.
        let r = unsafe { (self.func)(ctx, 0, rows as u64) };
        if let Some(e) = ctx.error.take() {
            return Err(e);
        }
        if r == ERR {
            return Err(Error::internal("a kernel failed without an error"));
        }
        Ok(r)
    }
}

impl Kernel for JitKernel {
    fn spec(&self) -> &PipelineSpec {
        &self.spec
    }

    fn output_schema(&self) -> &SchemaRef {
        &self.output
    }

    fn collect(&self, batch: &RecordBatch) -> Result<RecordBatch> {
        let plan = self
            .collect
            .as_ref()
            .ok_or_else(|| Error::internal("not a collect kernel"))?;
        let views = self.views(batch)?;
        let rows = batch.num_rows();
        let mut bufs = OutputBuffers::new(plan, rows);
        let mut ctx = KernelCtx::new(&views, &self.sites);
        ctx.sel = bufs.sel.as_mut_ptr();
        ctx.outs = bufs.views.as_ptr();
        let k = self.run(&mut ctx, rows)?;
        drop(ctx);
        if k as usize > rows {
            return Err(Error::internal(format!(
                "a kernel selected {k} of {rows} rows"
            )));
        }
        // SAFETY: the kernel returned normally having selected `k` rows, so
        // it wrote output rows 0..k of every computed column (see `abi`).
        unsafe { bufs.finish(plan, k as usize, batch, &self.output) }
    }

    fn aggregate(
        &self,
        batch: &RecordBatch,
        table: &mut AggTable,
        late: &mut LateRows,
    ) -> Result<()> {
        let layout = self
            .layout
            .as_ref()
            .ok_or_else(|| Error::internal("not an aggregate kernel"))?;
        if **table.layout() != *layout {
            return Err(Error::internal(
                "the aggregate table's layout is not the kernel's",
            ));
        }
        let views = self.views(batch)?;
        let mut ctx = KernelCtx::new(&views, &self.sites);
        ctx.table = table.raw_ptr();
        ctx.late = late;
        let r = self.run(&mut ctx, batch.num_rows());
        drop(ctx);
        if let Some(e) = table.take_error() {
            return Err(e);
        }
        r.map(|_| ())
    }

    fn probe(&self, batch: &RecordBatch, table: &AggTable) -> Result<Vec<i64>> {
        let layout = match (&self.spec.sink, &self.layout) {
            (PipelineSink::Probe(_), Some(l)) => l,
            _ => return Err(Error::internal("not a probe kernel")),
        };
        if table.layout().key_types != layout.key_types {
            return Err(Error::internal(
                "the probed table's keys are not the kernel's",
            ));
        }
        let views = self.views(batch)?;
        let mut groups = vec![-1i64; batch.num_rows()];
        let mut ctx = KernelCtx::new(&views, &self.sites);
        // The probe only reads the table (it never inserts): the pointer is
        // mutable for the ctx's sake alone.
        ctx.table = table as *const AggTable as *mut AggTable;
        ctx.groups = groups.as_mut_ptr();
        let r = self.run(&mut ctx, batch.num_rows());
        drop(ctx);
        r.map(|_| groups)
    }

    fn explain(&self) -> KernelExplain {
        KernelExplain {
            mode: ExecMode::Jit,
            clif: self.clif.clone(),
            asm: self.asm.clone(),
            compile_time: self.compile_time,
            fallbacks: Vec::new(),
        }
    }
}
