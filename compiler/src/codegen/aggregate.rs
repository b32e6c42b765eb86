//! The aggregate sink: per surviving row and grouping set, hash the key as
//! [`crate::agg_table::hash`] does, probe the [`RawTable`] inline (linear
//! probing), insert a missing group through [`sqlc_agg_insert`], and update
//! the accumulators in place.
//!
//! [`RawTable`]: crate::agg_table::RawTable

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{types, Block, InstBuilder, Value};

use crate::accumulators::{PICK_NULL, PICK_UNSET, PICK_VALUE};
use crate::agg_table::layout::add_to_int_sum;
use crate::agg_table::{
    hash, late_offsets, raw_offsets as raw, sqlc_agg_by, sqlc_agg_distinct, sqlc_agg_insert,
    sqlc_agg_late_row, sqlc_agg_minmax_str, sqlc_agg_pick_str, AccKind, TableLayout,
};
use crate::agg_table::{CANONICAL_NAN, EMPTY_SLOT, UNSET_STR};
use crate::error::{Error, Result};
use crate::ir::{AggFunc, AggSpec};
use crate::types::DataType;

use super::abi::{CTX_GROUPS, CTX_LATE, CTX_TABLE};
use super::gen::{Gen, Val};
use super::pipeline::Env;
use super::sites::SiteKind;

/// One key as the table stores it: its null flag (i8) and its slot's words
/// (zero when null): the encoded value, or a string's address and length.
#[derive(Clone, Copy)]
enum Key {
    Fixed {
        null: Value,
        enc: Value,
    },
    Str {
        null: Value,
        ptr: Value,
        len: Value,
    },
    /// Null by construction (a rolled-up key, or of type NULL): hashed as
    /// null, compared through the null bytes only. `null` is the constant 1.
    Null {
        null: Value,
        string: bool,
    },
}

impl Key {
    fn null(&self) -> Value {
        match self {
            Key::Fixed { null, .. } | Key::Str { null, .. } | Key::Null { null, .. } => *null,
        }
    }
}

/// Code generation state of the aggregate sink.
pub struct AggSink {
    table: Value,
    /// With an event-time key: the late-row context (`ctx.late`), and its
    /// watermark, read once per kernel call (it does not change while a
    /// kernel runs).
    late: Value,
    watermark: Value,
    layout: TableLayout,
}

impl AggSink {
    /// Set up in the kernel's entry block.
    pub fn new(g: &mut Gen, spec: &AggSpec) -> Result<Self> {
        let layout = TableLayout::new(spec)?;
        let ctx = g.ctx;
        let table = g.load(types::I64, ctx, CTX_TABLE);
        // Only a kernel with an event-time key reads the late-row context
        // (probe kernels and the join's build have none).
        let (late, watermark) = if spec.event_time_key.is_some() {
            let late = g.load(types::I64, ctx, CTX_LATE);
            (late, g.load(types::I64, late, late_offsets::WATERMARK))
        } else {
            (g.i64c(0), g.i64c(i64::MIN))
        };
        Ok(AggSink {
            table,
            late,
            watermark,
            layout,
        })
    }

    /// The per-row code: keys and arguments once; a row late by its
    /// event-time key is counted and dropped; then each window covering the
    /// row (one pass without a window), and within it each grouping set.
    pub fn emit_row(&self, g: &mut Gen, spec: &AggSpec, env: &Env, row: Value) -> Result<()> {
        let mut keys = Vec::with_capacity(spec.keys.len());
        for k in &spec.keys {
            let v = g.expr(k, env)?;
            keys.push(encode(g, v, &k.ty));
        }
        let mut args = Vec::with_capacity(spec.aggs.len());
        for a in &spec.aggs {
            let exprs = crate::kernel::compiled_args(a).ok_or_else(|| {
                Error::internal(format!(
                    "{} is not compiled: kernel::needs_interpreter sends it to the twin",
                    a.func.name()
                ))
            })?;
            let mut vals = Vec::with_capacity(exprs.len());
            for e in exprs {
                vals.push((g.expr(e, env)?, e.ty.clone()));
            }
            args.push(vals);
        }
        let done = g.b.create_block();
        let window_key = spec.window.map(|w| w.key);
        if let Some(k) = spec.event_time_key.filter(|&k| Some(k) != window_key) {
            if let Key::Fixed { null, enc } = keys[k] {
                // Late: not null and at or behind the watermark.
                let wm = self.watermark;
                let le = g.b.ins().icmp(IntCC::SignedLessThanOrEqual, enc, wm);
                let valid = g.b.ins().icmp_imm_s(IntCC::Equal, null, 0);
                let late = g.b.ins().band(le, valid);
                self.count_late_if(g, late, Some(row), done);
            }
        }
        match spec.window {
            None => {
                self.emit_sets(g, spec, &keys, &args)?;
                g.b.ins().jump(done, &[]);
            }
            Some(w) => {
                let Key::Fixed { null, enc: t } = keys[w.key] else {
                    return Err(Error::internal("a window's time column is a timestamp"));
                };
                // A row without event time is in no window.
                let has_time = g.b.create_block();
                g.b.ins().brif(null, done, &[], has_time, &[]);
                g.b.switch_to_block(has_time);
                let spec_w = w.window;
                // The latest window start: t - ((t - start) mod⁺ slide).
                let off = g.b.ins().iadd_imm_s(t, -spec_w.start_us);
                let slide = g.i64c(spec_w.slide_us);
                let rem = g.b.ins().srem(off, slide);
                let neg = g.b.ins().icmp_imm_s(IntCC::SignedLessThan, rem, 0);
                let adj = g.b.ins().iadd(rem, slide);
                let rem = g.b.ins().select(neg, adj, rem);
                let last = g.b.ins().isub(t, rem);
                let start_var = g.b.declare_var(types::I64);
                g.b.def_var(start_var, last);
                let header = g.b.create_block();
                let body = g.b.create_block();
                let next = g.b.create_block();
                g.b.ins().jump(header, &[]);
                // Windows from the latest back, while they still cover t.
                g.b.switch_to_block(header);
                let start = g.b.use_var(start_var);
                let end = g.b.ins().iadd_imm_s(start, spec_w.size_us);
                let covers = g.b.ins().icmp(IntCC::SignedGreaterThan, end, t);
                g.b.ins().brif(covers, body, &[], done, &[]);
                g.b.switch_to_block(body);
                if spec.event_time_key == Some(w.key) {
                    let wm = self.watermark;
                    let late = g.b.ins().icmp(IntCC::SignedLessThanOrEqual, end, wm);
                    // The latest window late: every window of the row is.
                    let latest = g.b.ins().icmp(IntCC::Equal, start, last);
                    let note = g.b.ins().band(late, latest);
                    let (noting, counting) = (g.b.create_block(), g.b.create_block());
                    g.b.ins().brif(note, noting, &[], counting, &[]);
                    g.b.switch_to_block(noting);
                    g.call(
                        sqlc_agg_late_row as *const () as usize,
                        &[self.late, row],
                        None,
                    );
                    g.b.ins().jump(counting, &[]);
                    g.b.switch_to_block(counting);
                    self.count_late_if(g, late, None, next);
                }
                let mut wkeys = keys.clone();
                wkeys[w.key] = Key::Fixed {
                    null: g.i8c(0),
                    enc: start,
                };
                self.emit_sets(g, spec, &wkeys, &args)?;
                g.b.ins().jump(next, &[]);
                g.b.switch_to_block(next);
                let prev = g.b.ins().iadd_imm_s(start, -spec_w.slide_us);
                g.b.def_var(start_var, prev);
                g.b.ins().jump(header, &[]);
            }
        }
        g.b.switch_to_block(done);
        Ok(())
    }

    /// If `late`: counts a late row in the late-row context (and notes
    /// `row`, if given, for a late-rows sink) and goes to `skip`.
    fn count_late_if(&self, g: &mut Gen, late: Value, row: Option<Value>, skip: Block) {
        let on_late = g.b.create_block();
        let on_time = g.b.create_block();
        g.b.ins().brif(late, on_late, &[], on_time, &[]);
        g.b.switch_to_block(on_late);
        let one = g.i64c(1);
        bump(g, self.late, late_offsets::COUNT, one);
        if let Some(row) = row {
            g.call(
                sqlc_agg_late_row as *const () as usize,
                &[self.late, row],
                None,
            );
        }
        g.b.ins().jump(skip, &[]);
        g.b.switch_to_block(on_time);
    }

    /// Each grouping set of one (row, window): probe or insert, update.
    fn emit_sets(
        &self,
        g: &mut Gen,
        spec: &AggSpec,
        keys: &[Key],
        args: &[Vec<(Val, DataType)>],
    ) -> Result<()> {
        for &set in &spec.grouping_sets {
            let mut set_keys: Vec<Key> = Vec::with_capacity(keys.len() + 1);
            for (i, k) in keys.iter().enumerate() {
                set_keys.push(if set & (1 << i) != 0 {
                    *k
                } else {
                    null_key(g, &spec.keys[i].ty)
                });
            }
            if spec.has_grouping_id() {
                let (null, enc) = (g.i8c(0), g.i64c(spec.grouping_id(set)));
                set_keys.push(Key::Fixed { null, enc });
            }
            let h = key_hash(g, &set_keys);
            let group = self.find(g, h, &set_keys, true);
            self.update(g, spec, group, args)?;
        }
        Ok(())
    }

    /// The per-row code of a probe: the row's group, or -1 when a key is
    /// null (nulls never join) or the key is absent, stored at
    /// `ctx.groups[row]`.
    pub fn emit_probe(&self, g: &mut Gen, spec: &AggSpec, env: &Env, row: Value) -> Result<()> {
        let mut keys = Vec::with_capacity(spec.keys.len());
        for k in &spec.keys {
            let v = g.expr(k, env)?;
            keys.push(encode(g, v, &k.ty));
        }
        let (look, done) = (g.b.create_block(), g.b.create_block());
        let mut any_null = g.i8c(0);
        for k in &keys {
            any_null = g.b.ins().bor(any_null, k.null());
        }
        g.b.ins().brif(any_null, done, &[], look, &[]);
        g.b.switch_to_block(look);
        let h = key_hash(g, &keys);
        let group = self.find(g, h, &keys, false);
        let ctx = g.ctx;
        let out = g.load(types::I64, ctx, CTX_GROUPS);
        let at = g.b.ins().ishl_imm_u(row, 3);
        let at = g.b.ins().iadd(out, at);
        g.store(group, at, 0);
        g.b.ins().jump(done, &[]);
        g.b.switch_to_block(done);
        Ok(())
    }

    /// Probes for the key; on a miss inserts it (`insert`) or gives -1.
    /// Returns the group (i64).
    fn find(&self, g: &mut Gen, h: Value, keys: &[Key], insert: bool) -> Value {
        let t = self.table;
        let l = &self.layout;
        let slots = g.load(types::I64, t, raw::SLOTS);
        let mask = g.load(types::I64, t, raw::MASK);
        let hashes = g.load(types::I64, t, raw::HASHES);
        let rows = g.load(types::I64, t, raw::KEYS);
        let arena = g.load(types::I64, t, raw::ARENA);
        let null_words = null_words(g, keys);

        let probe = g.b.create_block();
        let idx = g.b.append_block_param(probe, types::I64);
        let check = g.b.create_block();
        let next = g.b.create_block();
        let miss = g.b.create_block();
        let hit = g.b.create_block();
        let group = g.b.append_block_param(hit, types::I64);
        let start = g.b.ins().band(h, mask);
        g.b.ins().jump(probe, &[start.into()]);

        g.b.switch_to_block(probe);
        let at = g.b.ins().ishl_imm_u(idx, 2);
        let at = g.b.ins().iadd(slots, at);
        let s = g.b.ins().uload32(super::gen::mem(), at, 0);
        let empty = g.b.ins().icmp_imm_u(IntCC::Equal, s, EMPTY_SLOT as i64);
        g.b.ins().brif(empty, miss, &[], check, &[]);

        g.b.switch_to_block(check);
        let at = g.b.ins().ishl_imm_u(s, 3);
        let at = g.b.ins().iadd(hashes, at);
        let stored = g.load(types::I64, at, 0);
        let same = g.b.ins().icmp(IntCC::Equal, stored, h);
        let cmp = g.b.create_block();
        g.b.ins().brif(same, cmp, &[], next, &[]);
        g.b.switch_to_block(cmp);
        let row = g.b.ins().imul_imm_s(s, l.key_width as i64);
        let row = g.b.ins().iadd(rows, row);
        for (w, nw) in null_words.iter().enumerate() {
            let stored = g.load(types::I64, row, 8 * w as i32);
            let eq = g.b.ins().icmp(IntCC::Equal, stored, *nw);
            let ok = g.b.create_block();
            g.b.ins().brif(eq, ok, &[], next, &[]);
            g.b.switch_to_block(ok);
        }
        for (k, key) in keys.iter().enumerate() {
            let o = l.key_offsets[k] as i32;
            let eq = match *key {
                Key::Fixed { enc, .. } => {
                    let stored = g.load(types::I64, row, o);
                    g.b.ins().icmp(IntCC::Equal, stored, enc)
                }
                Key::Str { ptr, len, .. } => {
                    let off = g.load(types::I64, row, o);
                    let slen = g.load(types::I64, row, o + 8);
                    let sp = g.b.ins().iadd(arena, off);
                    g.bytes_eq(sp, slen, ptr, len)
                }
                // The null bytes matched: the stored key is null too.
                Key::Null { .. } => continue,
            };
            let ok = g.b.create_block();
            g.b.ins().brif(eq, ok, &[], next, &[]);
            g.b.switch_to_block(ok);
        }
        g.b.ins().jump(hit, &[s.into()]);

        g.b.switch_to_block(next);
        let i1 = g.b.ins().iadd_imm_s(idx, 1);
        let i1 = g.b.ins().band(i1, mask);
        g.b.ins().jump(probe, &[i1.into()]);

        g.b.switch_to_block(miss);
        if !insert {
            let none = g.i64c(-1);
            g.b.ins().jump(hit, &[none.into()]);
            g.b.switch_to_block(hit);
            return group;
        }
        // A new group: the probe row on the stack, then the Rust insert.
        let slot = g.stack_slot(l.key_width.max(8) as u32);
        let p = g.b.ins().stack_addr(types::I64, slot, 0);
        for (w, nw) in null_words.iter().enumerate() {
            g.store(*nw, p, 8 * w as i32);
        }
        for (k, key) in keys.iter().enumerate() {
            let o = l.key_offsets[k] as i32;
            match *key {
                Key::Fixed { enc, .. } => g.store(enc, p, o),
                Key::Str { ptr, len, .. } => {
                    g.store(ptr, p, o);
                    g.store(len, p, o + 8);
                }
                Key::Null { string, .. } => {
                    let z = g.i64c(0);
                    g.store(z, p, o);
                    if string {
                        g.store(z, p, o + 8);
                    }
                }
            }
        }
        let ng = g.call_value(
            sqlc_agg_insert as *const () as usize,
            &[t, h, p],
            types::I64,
        );
        g.b.ins().jump(hit, &[ng.into()]);

        g.b.switch_to_block(hit);
        group
    }

    /// Updates every accumulator of `group` with this row's arguments.
    fn update(
        &self,
        g: &mut Gen,
        spec: &AggSpec,
        group: Value,
        args: &[Vec<(Val, DataType)>],
    ) -> Result<()> {
        let t = self.table;
        let width = self.layout.acc_width() as i64;
        for (i, kind) in self.layout.accs.iter().enumerate() {
            // Reloaded per accumulator: a string min/max call may reallocate.
            let accs = g.load(types::I64, t, raw::ACCS);
            let base = g.b.ins().imul_imm_s(group, width);
            let base = g.b.ins().iadd(accs, base);
            let o = self.layout.acc_offsets[i] as i32;
            let arg = args[i].first();
            if let (AccKind::Side, [value, ord]) = (kind, &args[i][..]) {
                // max_by/min_by (the only side state compiled code offers to).
                self.offer_by(g, group, i, value, ord);
                continue;
            }
            if matches!(arg, Some((_, DataType::Null))) && !matches!(kind, AccKind::Count) {
                continue; // always null: nothing to add
            }
            // 1 when the argument counts (non-null, or count(*)).
            let valid = match arg.and_then(|(v, _)| v.null()) {
                Some(n) => g.bool_not(n),
                None => g.i8c(1),
            };
            let valid = if matches!(arg, Some((_, DataType::Null))) {
                g.i8c(0)
            } else {
                valid
            };
            let inc = g.b.ins().uextend(types::I64, valid);
            match kind {
                AccKind::Count => {
                    let c = g.load(types::I64, base, o);
                    let c = g.b.ins().iadd(c, inc);
                    g.store(c, base, o);
                }
                AccKind::SumDecimal => {
                    return Err(Error::internal(
                        "compiled code does not sum decimals (the twin does)",
                    ))
                }
                AccKind::SumInt => {
                    let (v, _) = arg.ok_or_else(no_arg)?;
                    let x = g.to_i64(v.v()?);
                    let z = g.i64c(0);
                    let x = g.b.ins().select(valid, x, z);
                    let s = g.load(types::I64, base, o);
                    let (s, of) = g.b.ins().sadd_overflow(s, x);
                    let call = &spec.aggs[i];
                    let of = if let Some((_, t @ DataType::YearMonthInterval(..))) = arg {
                        // Months add in an `int` (`add_to_int_sum`).
                        let e = add_to_int_sum(Some(t), i32::MAX.into(), 1, String::new)
                            .expect_err("past an int");
                        let site = g.site_text(call.to_string(), SiteKind::raise(e));
                        let narrow = g.b.ins().ireduce(types::I32, s);
                        let wide = g.b.ins().sextend(types::I64, narrow);
                        let past = g.b.ins().icmp(IntCC::NotEqual, wide, s);
                        g.raise_if(past, site, None);
                        of
                    } else {
                        of
                    };
                    let site = g.site_text(call.to_string(), SiteKind::Overflow("long overflow"));
                    g.raise_if(of, site, None);
                    g.store(s, base, o);
                    bump(g, base, o + 8, inc);
                }
                AccKind::SumFloat => {
                    let (v, ty) = arg.ok_or_else(no_arg)?;
                    let x = to_f64(g, v.v()?, ty);
                    let z = g.b.ins().f64const(0.0);
                    let x = g.b.ins().select(valid, x, z);
                    let s = g.load(types::F64, base, o);
                    let s = g.b.ins().fadd(s, x);
                    g.store(s, base, o);
                    bump(g, base, o + 8, inc);
                }
                AccKind::MinFixed | AccKind::MaxFixed => {
                    let (v, ty) = arg.ok_or_else(no_arg)?;
                    let Key::Fixed { enc, .. } = encode(g, *v, ty) else {
                        continue;
                    };
                    let cur = g.load(types::I64, base, o);
                    let n = g.load(types::I64, base, o + 8);
                    let first = g.b.ins().icmp_imm_s(IntCC::Equal, n, 0);
                    let (a, b) = if *kind == AccKind::MinFixed {
                        (enc, cur)
                    } else {
                        (cur, enc)
                    };
                    let better = match ty {
                        DataType::Float64 | DataType::Float32 => {
                            let fa = g.from_bits(a, types::F64);
                            let fb = g.from_bits(b, types::F64);
                            g.f64_lt(fa, fb)
                        }
                        DataType::Boolean => g.b.ins().icmp(IntCC::UnsignedLessThan, a, b),
                        _ => g.b.ins().icmp(IntCC::SignedLessThan, a, b),
                    };
                    let take = g.b.ins().bor(first, better);
                    let take = g.b.ins().band(take, valid);
                    let nv = g.b.ins().select(take, enc, cur);
                    g.store(nv, base, o);
                    let n = g.b.ins().iadd(n, inc);
                    g.store(n, base, o + 8);
                }
                AccKind::MinStr | AccKind::MaxStr => {
                    let (v, _) = arg.ok_or_else(no_arg)?;
                    self.minmax_str(g, group, i, base, o, *v, valid, *kind == AccKind::MaxStr)?;
                }
                AccKind::Pick { last, ignore_nulls } => {
                    let (v, ty) = arg.ok_or_else(no_arg)?;
                    pick(g, base, o, *v, ty, valid, *last, *ignore_nulls)?;
                }
                AccKind::PickStr { last, ignore_nulls } => {
                    let (v, _) = arg.ok_or_else(no_arg)?;
                    self.pick_str(g, group, i, base, o, *v, valid, *last, *ignore_nulls)?;
                }
                AccKind::Moments => {
                    let (v, ty) = arg.ok_or_else(no_arg)?;
                    let x = to_f64(g, v.v()?, ty);
                    moments_update(g, base, o, x, valid);
                }
                AccKind::Distinct => {
                    let (v, ty) = arg.ok_or_else(no_arg)?;
                    let (a, b) = match *v {
                        Val::Str { ptr, len, .. } => (ptr, len),
                        v => match encode(g, v, ty) {
                            Key::Fixed { enc, .. } => (enc, g.i64c(0)),
                            _ => continue,
                        },
                    };
                    call_if(g, valid, |g| {
                        let acc = g.i64c(i as i64);
                        g.call(
                            sqlc_agg_distinct as *const () as usize,
                            &[t, group, acc, a, b],
                            None,
                        );
                    });
                }
                AccKind::Bits => {
                    let (v, _) = arg.ok_or_else(no_arg)?;
                    let x = g.to_i64(v.v()?);
                    bits_update(g, base, o, x, valid, self.layout.funcs[i].0);
                }
                AccKind::Moments4 => {
                    let (v, ty) = arg.ok_or_else(no_arg)?;
                    let x = to_f64(g, v.v()?, ty);
                    moments4_update(g, base, o, x, valid);
                }
                AccKind::CoMoments => {
                    let (v, ty) = arg.ok_or_else(no_arg)?;
                    let (w, ty2) = args[i].get(1).ok_or_else(no_arg)?;
                    if *ty2 == DataType::Null {
                        continue; // never a pair
                    }
                    // Both of the pair non-null.
                    let valid = match w.null() {
                        Some(n) => g.b.ins().band_not(valid, n),
                        None => valid,
                    };
                    let x = to_f64(g, v.v()?, ty);
                    let y = to_f64(g, w.v()?, ty2);
                    comoments_update(g, base, o, x, y, valid);
                }
                AccKind::Side => {
                    return Err(crate::error::Error::internal(format!(
                        "{} is not compiled: kernel::needs_interpreter sends it to the twin",
                        self.layout.funcs[i].0.name()
                    )))
                }
            }
        }
        Ok(())
    }

    /// max_by/min_by: a row whose ordering is not null offers its ordering
    /// (as the table encodes keys) and its value (a double's own bits; null
    /// allowed) to the state beside the row, through [`sqlc_agg_by`],
    /// which allocates only for a string that improves on the state.
    fn offer_by(
        &self,
        g: &mut Gen,
        group: Value,
        i: usize,
        value: &(Val, DataType),
        ord: &(Val, DataType),
    ) {
        if ord.1 == DataType::Null {
            return; // never offered
        }
        let words = |g: &mut Gen, v: Val, ty: &DataType, raw: bool| -> (Value, Value) {
            let zero = g.i64c(0);
            match v {
                Val::Str { ptr, len, .. } => (ptr, len),
                _ if *ty == DataType::Null => (zero, zero),
                Val::Fixed { v: x, .. } if raw && *ty == DataType::Float64 => (g.bits(x), zero),
                v => match encode(g, v, ty) {
                    Key::Fixed { enc, .. } => (enc, zero),
                    _ => (zero, zero),
                },
            }
        };
        let (oa, ob) = words(g, ord.0, &ord.1, false);
        let (va, vb) = words(g, value.0, &value.1, true);
        let value_null = match value.0.null() {
            _ if value.1 == DataType::Null => g.i8c(1),
            Some(n) => n,
            None => g.i8c(0),
        };
        let value_null = g.b.ins().uextend(types::I64, value_null);
        let has_ord = match ord.0.null() {
            Some(n) => g.bool_not(n),
            None => g.i8c(1),
        };
        call_if(g, has_ord, |g| {
            let acc = g.i64c(i as i64);
            g.call(
                sqlc_agg_by as *const () as usize,
                &[self.table, group, acc, oa, ob, va, vb, value_null],
                None,
            );
        });
    }

    /// String first/last: whether the row is taken is decided inline; the
    /// Rust helper stores the bytes (or the null mark).
    #[allow(clippy::too_many_arguments)]
    fn pick_str(
        &self,
        g: &mut Gen,
        group: Value,
        i: usize,
        base: Value,
        o: i32,
        v: Val,
        valid: Value,
        last: bool,
        ignore_nulls: bool,
    ) -> Result<()> {
        let (p, l) = v.bytes()?;
        let len = g.load(types::I64, base, o + 8);
        let take = pick_takes(g, len, UNSET_STR, valid, last, ignore_nulls);
        call_if(g, take, |g| {
            let acc = g.i64c(i as i64);
            let is_null = g.bool_not(valid);
            let is_null = g.b.ins().uextend(types::I64, is_null);
            g.call(
                sqlc_agg_pick_str as *const () as usize,
                &[self.table, group, acc, p, l, is_null],
                None,
            );
        });
        Ok(())
    }

    /// String min/max: compared inline with the current value, the Rust
    /// helper called only to store a better one.
    #[allow(clippy::too_many_arguments)]
    fn minmax_str(
        &self,
        g: &mut Gen,
        group: Value,
        i: usize,
        base: Value,
        o: i32,
        v: Val,
        valid: Value,
        is_max: bool,
    ) -> Result<()> {
        let (p, l) = v.bytes()?;
        let store = g.b.create_block();
        let compare = g.b.create_block();
        let done = g.b.create_block();
        let go = g.b.create_block();
        g.b.ins().brif(valid, go, &[], done, &[]);
        g.b.switch_to_block(go);
        let off = g.load(types::I64, base, o);
        let len = g.load(types::I64, base, o + 8);
        let unset = g.b.ins().icmp_imm_u(IntCC::Equal, len, UNSET_STR as i64);
        g.b.ins().brif(unset, store, &[], compare, &[]);
        g.b.switch_to_block(compare);
        let arena = g.load(types::I64, self.table, raw::ARENA);
        let cp = g.b.ins().iadd(arena, off);
        let c = g.bytes_cmp(p, l, cp, len);
        let cc = if is_max {
            IntCC::SignedGreaterThan
        } else {
            IntCC::SignedLessThan
        };
        let better = g.b.ins().icmp_imm_s(cc, c, 0);
        g.b.ins().brif(better, store, &[], done, &[]);
        g.b.switch_to_block(store);
        let (acc, max) = (g.i64c(i as i64), g.i64c(is_max as i64));
        g.call(
            sqlc_agg_minmax_str as *const () as usize,
            &[self.table, group, acc, p, l, max],
            None,
        );
        g.b.ins().jump(done, &[]);
        g.b.switch_to_block(done);
        Ok(())
    }
}

/// Fixed-width first/last: `[raw bits][state]` (see [`crate::accumulators`]).
#[allow(clippy::too_many_arguments)]
fn pick(
    g: &mut Gen,
    base: Value,
    o: i32,
    v: Val,
    ty: &DataType,
    valid: Value,
    last: bool,
    ignore_nulls: bool,
) -> Result<()> {
    let x = v.v()?;
    let raw = match ty {
        DataType::Boolean => g.b.ins().uextend(types::I64, x),
        _ => g.bits(x),
    };
    let cur = g.load(types::I64, base, o);
    let state = g.load(types::I64, base, o + 8);
    let take = pick_takes(g, state, PICK_UNSET, valid, last, ignore_nulls);
    let (is_val, is_null) = (g.i64c(PICK_VALUE as i64), g.i64c(PICK_NULL as i64));
    let new_state = g.b.ins().select(valid, is_val, is_null);
    let nv = g.b.ins().select(take, raw, cur);
    let ns = g.b.ins().select(take, new_state, state);
    g.store(nv, base, o);
    g.store(ns, base, o + 8);
    Ok(())
}

/// Whether first/last takes this row, as [`crate::accumulators::pick_takes`]:
/// `state` is the accumulator's state word, `unset` its value while unset.
fn pick_takes(
    g: &mut Gen,
    state: Value,
    unset: u64,
    valid: Value,
    last: bool,
    ignore_nulls: bool,
) -> Value {
    let take = if last {
        g.i8c(1)
    } else {
        g.b.ins().icmp_imm_u(IntCC::Equal, state, unset as i64)
    };
    if ignore_nulls {
        g.b.ins().band(take, valid)
    } else {
        take
    }
}

/// Emits `body` to run only where `cond` (i8) is non-zero.
fn call_if<'a>(g: &mut Gen<'a>, cond: Value, body: impl FnOnce(&mut Gen<'a>)) {
    let then = g.b.create_block();
    let done = g.b.create_block();
    g.b.ins().brif(cond, then, &[], done, &[]);
    g.b.switch_to_block(then);
    body(g);
    g.b.ins().jump(done, &[]);
    g.b.switch_to_block(done);
}

/// A numeric value as a double.
fn to_f64(g: &mut Gen, x: Value, ty: &DataType) -> Value {
    if *ty == DataType::Float64 {
        x
    } else if *ty == DataType::Float32 {
        g.b.ins().fpromote(types::F64, x)
    } else {
        let x = g.to_i64(x);
        g.b.ins().fcvt_from_sint(types::F64, x)
    }
}

/// Central moments, as [`crate::accumulators::moments::update`] (Welford),
/// where `valid`.
fn moments_update(g: &mut Gen, base: Value, o: i32, x: Value, valid: Value) {
    let n = g.load(types::F64, base, o);
    let mean = g.load(types::F64, base, o + 8);
    let m2 = g.load(types::F64, base, o + 16);
    let one = g.b.ins().f64const(1.0);
    let n1 = g.b.ins().fadd(n, one);
    let delta = g.b.ins().fsub(x, mean);
    let delta_n = g.b.ins().fdiv(delta, n1);
    let mean1 = g.b.ins().fadd(mean, delta_n);
    let t = g.b.ins().fsub(delta, delta_n);
    let t = g.b.ins().fmul(delta, t);
    let m2_1 = g.b.ins().fadd(m2, t);
    for (new, old, off) in [(n1, n, 0), (mean1, mean, 8), (m2_1, m2, 16)] {
        let v = g.b.ins().select(valid, new, old);
        g.store(v, base, o + off);
    }
}

/// Co-moments of a pair, as [`crate::accumulators::higher::comoments::update`]
/// (the same operations in the same order), where `valid`.
fn comoments_update(g: &mut Gen, base: Value, o: i32, x: Value, y: Value, valid: Value) {
    let old: Vec<Value> = (0..6)
        .map(|k| g.load(types::F64, base, o + 8 * k))
        .collect();
    let (n, x_avg, y_avg, ck, x_mk, y_mk) = (old[0], old[1], old[2], old[3], old[4], old[5]);
    let one = g.b.ins().f64const(1.0);
    let new_n = g.b.ins().fadd(n, one);
    let dx = g.b.ins().fsub(x, x_avg);
    let dx_n = g.b.ins().fdiv(dx, new_n);
    let dy = g.b.ins().fsub(y, y_avg);
    let dy_n = g.b.ins().fdiv(dy, new_n);
    let new_x_avg = g.b.ins().fadd(x_avg, dx_n);
    let new_y_avg = g.b.ins().fadd(y_avg, dy_n);
    let t = g.b.ins().fsub(y, new_y_avg);
    let t = g.b.ins().fmul(dx, t);
    let new_ck = g.b.ins().fadd(ck, t);
    let t = g.b.ins().fsub(x, new_x_avg);
    let t = g.b.ins().fmul(dx, t);
    let new_x_mk = g.b.ins().fadd(x_mk, t);
    let t = g.b.ins().fsub(y, new_y_avg);
    let t = g.b.ins().fmul(dy, t);
    let new_y_mk = g.b.ins().fadd(y_mk, t);
    for (k, new) in [new_n, new_x_avg, new_y_avg, new_ck, new_x_mk, new_y_mk]
        .into_iter()
        .enumerate()
    {
        let v = g.b.ins().select(valid, new, old[k]);
        g.store(v, base, o + 8 * k as i32);
    }
}

/// bit_and/bit_or/bit_xor of a sign-extended integer, as
/// `accumulators::higher::bits::update` (the first value taken as it
/// is), where `valid`.
fn bits_update(g: &mut Gen, base: Value, o: i32, x: Value, valid: Value, func: AggFunc) {
    let cur = g.load(types::I64, base, o);
    let seen = g.load(types::I64, base, o + 8);
    let combined = match func {
        AggFunc::BitAnd => g.b.ins().band(cur, x),
        AggFunc::BitOr => g.b.ins().bor(cur, x),
        _ => g.b.ins().bxor(cur, x),
    };
    let first = g.b.ins().icmp_imm_s(IntCC::Equal, seen, 0);
    let new = g.b.ins().select(first, x, combined);
    let new = g.b.ins().select(valid, new, cur);
    g.store(new, base, o);
    let inc = g.b.ins().uextend(types::I64, valid);
    bump(g, base, o + 8, inc);
}

/// The first four central moments, as
/// `accumulators::higher::moments4::update` (the same operations in the
/// same order, so both back ends agree to the bit), where `valid`.
fn moments4_update(g: &mut Gen, base: Value, o: i32, x: Value, valid: Value) {
    let old: Vec<Value> = (0..5)
        .map(|k| g.load(types::F64, base, o + 8 * k))
        .collect();
    let (n, avg, m2, m3, m4) = (old[0], old[1], old[2], old[3], old[4]);
    let f = |g: &mut Gen, c: f64| g.b.ins().f64const(c);
    let one = f(g, 1.0);
    let new_n = g.b.ins().fadd(n, one);
    let delta = g.b.ins().fsub(x, avg);
    let delta_n = g.b.ins().fdiv(delta, new_n);
    let new_avg = g.b.ins().fadd(avg, delta_n);
    let t = g.b.ins().fsub(delta, delta_n);
    let t = g.b.ins().fmul(delta, t);
    let new_m2 = g.b.ins().fadd(m2, t);
    let delta2 = g.b.ins().fmul(delta, delta);
    let delta_n2 = g.b.ins().fmul(delta_n, delta_n);
    // m3 - 3 delta_n new_m2 + delta (delta2 - delta_n2)
    let three = f(g, 3.0);
    let a = g.b.ins().fmul(three, delta_n);
    let a = g.b.ins().fmul(a, new_m2);
    let a = g.b.ins().fsub(m3, a);
    let b = g.b.ins().fsub(delta2, delta_n2);
    let b = g.b.ins().fmul(delta, b);
    let new_m3 = g.b.ins().fadd(a, b);
    // m4 - 4 delta_n new_m3 - 6 delta_n2 new_m2
    //    + delta (delta delta2 - delta_n delta_n2)
    let four = f(g, 4.0);
    let a = g.b.ins().fmul(four, delta_n);
    let a = g.b.ins().fmul(a, new_m3);
    let a = g.b.ins().fsub(m4, a);
    let six = f(g, 6.0);
    let c = g.b.ins().fmul(six, delta_n2);
    let c = g.b.ins().fmul(c, new_m2);
    let a = g.b.ins().fsub(a, c);
    let d1 = g.b.ins().fmul(delta, delta2);
    let d2 = g.b.ins().fmul(delta_n, delta_n2);
    let d = g.b.ins().fsub(d1, d2);
    let d = g.b.ins().fmul(delta, d);
    let new_m4 = g.b.ins().fadd(a, d);
    for (k, new) in [new_n, new_avg, new_m2, new_m3, new_m4]
        .into_iter()
        .enumerate()
    {
        let v = g.b.ins().select(valid, new, old[k]);
        g.store(v, base, o + 8 * k as i32);
    }
}

fn no_arg() -> Error {
    Error::internal("an aggregate other than count(*) needs an argument")
}

/// `*(base + o) += inc`.
fn bump(g: &mut Gen, base: Value, o: i32, inc: Value) {
    let n = g.load(types::I64, base, o);
    let n = g.b.ins().iadd(n, inc);
    g.store(n, base, o);
}

/// A key value as the table stores it.
fn encode(g: &mut Gen, v: Val, ty: &DataType) -> Key {
    let null = g.null_flag(v.null());
    let zero = g.i64c(0);
    match v {
        Val::Str { ptr, len, .. } => {
            let ptr = g.b.ins().select(null, zero, ptr);
            let len = g.b.ins().select(null, zero, len);
            Key::Str { null, ptr, len }
        }
        Val::Fixed { v, .. } => {
            let enc = match ty {
                DataType::Null => return null_key(g, ty),
                DataType::Boolean => g.b.ins().uextend(types::I64, v),
                // A FLOAT is kept as its exact double.
                DataType::Float64 | DataType::Float32 => {
                    let v = to_f64(g, v, ty);
                    let bits = g.bits(v);
                    let z = g.b.ins().f64const(0.0);
                    let is_zero = g.b.ins().fcmp(FloatCC::Equal, v, z);
                    let is_nan = g.b.ins().fcmp(FloatCC::Unordered, v, v);
                    let canon = g.i64c(CANONICAL_NAN as i64);
                    let e = g.b.ins().select(is_zero, zero, bits);
                    g.b.ins().select(is_nan, canon, e)
                }
                _ => g.to_i64(v),
            };
            let enc = g.b.ins().select(null, zero, enc);
            Key::Fixed { null, enc }
        }
    }
}

/// A rolled-up (null) key of type `ty`.
fn null_key(g: &mut Gen, ty: &DataType) -> Key {
    Key::Null {
        null: g.i8c(1),
        string: ty.is_string_like(),
    }
}

/// The key row's null bytes as i64 words (one byte per key, padded to 8).
fn null_words(g: &mut Gen, keys: &[Key]) -> Vec<Value> {
    let mut words = Vec::new();
    for chunk in keys.chunks(8) {
        let mut w = g.i64c(0);
        for (j, k) in chunk.iter().enumerate() {
            let n = g.b.ins().uextend(types::I64, k.null());
            let n = g.b.ins().ishl_imm_u(n, 8 * j as i64);
            w = g.b.ins().bor(w, n);
        }
        words.push(w);
    }
    words
}

/// The hash of a key, as [`hash`] computes it.
fn key_hash(g: &mut Gen, keys: &[Key]) -> Value {
    let mut h = g.i64c(hash::SEED as i64);
    let mark = g.i64c(hash::NULL_MARK as i64);
    for k in keys {
        let if_null = g.hash_combine(h, mark);
        let if_val = match *k {
            Key::Fixed { enc, .. } => g.hash_combine(h, enc),
            Key::Str { ptr, len, .. } => g.hash_bytes(h, ptr, len),
            Key::Null { .. } => {
                h = if_null;
                continue;
            }
        };
        h = g.b.ins().select(k.null(), if_null, if_val);
    }
    g.hash_finish(h)
}
