//! `explain`: the logical plan, the physical plan, and each kernel's typed
//! IR, Cranelift IR and compile time.

use std::fmt::Write;

use sqlc_compiler::ir::{PipelineSink, Step};
use sqlc_compiler::physical::plan_physical;
use sqlc_compiler::plan::Plan;
use sqlc_compiler::ExecMode;

use crate::error::Result;

pub fn explain(plan: &Plan, mode: ExecMode) -> Result<String> {
    let phys = plan_physical(plan, mode)?;
    let mut out = String::new();
    let _ = writeln!(out, "== Logical Plan ==\n{}", plan.display_tree());
    let _ = writeln!(out, "== Physical Plan ==\n{}", phys.display_tree());
    for (label, k) in phys.kernels() {
        let x = k.explain();
        let _ = writeln!(
            out,
            "== Kernel: {label} ({}, compiled in {:.3} ms) ==",
            x.mode.name(),
            x.compile_time.as_secs_f64() * 1e3
        );
        let spec = k.spec();
        let inputs: Vec<String> = spec
            .input
            .iter()
            .enumerate()
            .map(|(i, c)| format!("#{i}: {}", c.ty))
            .collect();
        let _ = writeln!(out, "input: [{}]", inputs.join(", "));
        for s in &spec.steps {
            match s {
                Step::Filter(p) => {
                    let _ = writeln!(out, "filter  {p}");
                }
                Step::Project(es) => {
                    let items: Vec<String> = es.iter().map(|e| format!("{e}: {}", e.ty)).collect();
                    let _ = writeln!(out, "project [{}]", items.join(", "));
                }
            }
        }
        if let PipelineSink::Aggregate(a) = &spec.sink {
            let mut keys: Vec<String> = a.keys.iter().map(|e| e.to_string()).collect();
            if let Some(w) = a.window {
                keys[w.key] = w.window.display(&keys[w.key]);
            }
            let aggs: Vec<String> = a.aggs.iter().map(|c| c.to_string()).collect();
            let late = a
                .event_time_key
                .map(|k| {
                    format!(
                        " late-if key{k}{} <= watermark",
                        if a.window.is_some_and(|w| w.key == k) {
                            ".end"
                        } else {
                            ""
                        }
                    )
                })
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "aggregate keys=[{}] sets={:?} aggs=[{}]{late}",
                keys.join(", "),
                a.grouping_sets,
                aggs.join(", ")
            );
        }
        for f in &x.fallbacks {
            let _ = writeln!(out, "interpreted: {f}");
        }
        if !x.clif.is_empty() {
            let _ = writeln!(out, "-- Cranelift IR --\n{}", x.clif);
        }
        if !x.asm.is_empty() {
            let _ = writeln!(out, "-- machine code --\n{}", x.asm);
        }
    }
    Ok(out)
}
