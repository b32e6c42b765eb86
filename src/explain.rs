//! `explain(mode)`, Spark's modes: `simple` (the physical plan),
//! `extended` (the logical plan too), `codegen` (each kernel's typed IR,
//! Cranelift IR, machine code and compile time) and `formatted` (a numbered
//! outline of the physical plan, then each kernel's typed IR).

use std::fmt::Write;

use sqlc_compiler::ir::{PipelineSink, Step};
use sqlc_compiler::physical::{plan_physical, PhysPlan};
use sqlc_compiler::plan::Plan;
use sqlc_compiler::sql::command::ExplainMode;
use sqlc_compiler::ExecMode;

use crate::error::Result;

pub fn explain(plan: &Plan, exec: ExecMode, mode: ExplainMode) -> Result<String> {
    let phys = plan_physical(plan, exec)?;
    let mut out = String::new();
    match mode {
        ExplainMode::Simple => {
            let _ = writeln!(out, "== Physical Plan ==\n{}", phys.display_tree());
        }
        ExplainMode::Extended => {
            let _ = writeln!(out, "== Logical Plan ==\n{}", plan.display_tree());
            let _ = writeln!(out, "== Physical Plan ==\n{}", phys.display_tree());
        }
        ExplainMode::Codegen => {
            let _ = writeln!(out, "== Physical Plan ==\n{}", phys.display_tree());
            kernels(&phys, true, &mut out);
        }
        ExplainMode::Formatted => {
            let _ = writeln!(out, "== Physical Plan ==");
            for (i, line) in phys.display_tree().lines().enumerate() {
                let body = line.trim_start();
                let pad = &line[..line.len() - body.len()];
                let _ = writeln!(out, "{pad}({}) {body}", i + 1);
            }
            let _ = writeln!(out);
            kernels(&phys, false, &mut out);
        }
    }
    Ok(out)
}

/// Each kernel's typed IR, and with `native` its Cranelift IR and machine code.
fn kernels(phys: &PhysPlan, native: bool, out: &mut String) {
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
        if !native {
            continue;
        }
        if !x.clif.is_empty() {
            let _ = writeln!(out, "-- Cranelift IR --\n{}", x.clif);
        }
        if !x.asm.is_empty() {
            let _ = writeln!(out, "-- machine code --\n{}", x.asm);
        }
    }
}
