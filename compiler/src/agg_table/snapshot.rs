//! A compact byte form of an [`AggTable`], for the runtime's state store
//! (which does the file I/O). The form is generic over the layout: the
//! group hashes, key rows, accumulator rows and string arena are copied as
//! they are, so any accumulator kind whose 16 bytes are plain data or arena
//! pairs round-trips without code here. The slot index is rebuilt on load.
//!
//! Form (little-endian `u64`s): magic, groups, key width, accumulator
//! width, arena length; then the hashes, key rows, accumulator rows, arena;
//! then, only when the layout has states beside the rows (lists, sketches),
//! those states ([`crate::accumulators::SideStates`]'s own byte form).

use std::sync::Arc;

use super::{in_arena, read_pair, read_u64, AccKind, AggTable, TableLayout, EMPTY_SLOT};
use crate::accumulators::side::Reader;
use crate::accumulators::SideStates;
use crate::error::{Error, Result};
use crate::ir::AggFunc;

const MAGIC: u64 = u64::from_le_bytes(*b"SQLCAGG1");

/// The version of the stored form of groups. Raise it whenever the bytes
/// of a key or accumulator kind change meaning (a new encoding of a type, a
/// reordered accumulator row), so that checkpoints written before are
/// refused clearly instead of misread.
pub const LAYOUT_VERSION: u32 = 1;

impl TableLayout {
    /// A checkpoint's description of the layout, written out field by field
    /// (not a `Debug` dump, which would change with unrelated refactors):
    /// the layout version, key types and their offsets, each accumulator's
    /// kind, offset, function, result and argument types, the window and the
    /// event-time key. Two layouts with the same fingerprint store groups
    /// with the same meaning; a checkpoint records it to refuse a restart
    /// with an incompatible query.
    pub fn fingerprint(&self) -> String {
        use std::fmt::Write;
        let mut f = format!("sqlc-agg-layout v{LAYOUT_VERSION}; keys");
        for (t, o) in self.key_types.iter().zip(&self.key_offsets) {
            let _ = write!(f, " {}@{o}", t.spark_name());
        }
        let _ = write!(f, " (width {}); accs", self.key_width);
        for (i, kind) in self.accs.iter().enumerate() {
            let (func, ty) = &self.funcs[i];
            let arg = self.arg_types[i]
                .as_ref()
                .map_or("-".to_string(), |t| t.spark_name());
            let _ = write!(
                f,
                " {kind:?}@{} {}({arg})->{}",
                self.acc_offsets[i],
                func.name(),
                ty.spark_name()
            );
            // Parameters that change what a state holds.
            match func {
                AggFunc::ApproxCountDistinct { p } => {
                    let _ = write!(f, "[p={p}]");
                }
                AggFunc::PercentileApprox { accuracy, .. } => {
                    let _ = write!(f, "[accuracy={accuracy}]");
                }
                _ => {}
            }
        }
        if let Some(w) = &self.window {
            let s = &w.window;
            let _ = write!(
                f,
                "; window key {} size {}us slide {}us start {}us",
                w.key, s.size_us, s.slide_us, s.start_us
            );
        }
        if let Some(k) = self.event_time_key {
            let _ = write!(f, "; event time key {k}");
        }
        f
    }
}

impl AggTable {
    /// Appends the table's byte form to `out`.
    pub fn serialize_into(&self, out: &mut Vec<u8>) {
        let put = |out: &mut Vec<u8>, v: u64| out.extend_from_slice(&v.to_le_bytes());
        out.reserve(
            40 + self.hashes.len() * 8 + self.keys.len() + self.accs.len() + self.arena.len(),
        );
        put(out, MAGIC);
        put(out, self.hashes.len() as u64);
        put(out, self.layout.key_width as u64);
        put(out, self.layout.acc_width() as u64);
        put(out, self.arena.len() as u64);
        for h in &self.hashes {
            put(out, *h);
        }
        out.extend_from_slice(&self.keys);
        out.extend_from_slice(&self.accs);
        out.extend_from_slice(&self.arena);
        if self.layout.has_side_states() {
            self.side.serialize_into(out);
        }
    }

    /// Rebuilds a table of `layout` from [`AggTable::serialize_into`]'s
    /// bytes. Bytes of another layout, truncated, or whose string keys point
    /// outside the arena are an error, never a panic.
    pub fn deserialize(layout: Arc<TableLayout>, bytes: &[u8]) -> Result<AggTable> {
        let bad = |why: &str| Error::internal(format!("aggregate state: {why}"));
        if bytes.len() < 40 {
            return Err(bad("truncated header"));
        }
        let head = |i: usize| read_u64(bytes, i * 8);
        if head(0) != MAGIC {
            return Err(bad("not an aggregate table"));
        }
        let (groups, kw, aw, arena_len) = (head(1), head(2), head(3), head(4));
        if kw != layout.key_width as u64 || aw != layout.acc_width() as u64 {
            return Err(bad(&format!(
                "rows of {kw}+{aw} bytes, the query's layout has {}+{}",
                layout.key_width,
                layout.acc_width()
            )));
        }
        let need = groups
            .checked_mul(8 + kw + aw)
            .and_then(|n| n.checked_add(arena_len))
            .and_then(|n| n.checked_add(40));
        let side = layout.has_side_states();
        let fits = match need {
            Some(n) if side => n <= bytes.len() as u64,
            Some(n) => n == bytes.len() as u64,
            None => false,
        };
        if !fits || groups >= EMPTY_SLOT as u64 - 1 {
            return Err(bad(&format!(
                "{} bytes do not hold {groups} groups and {arena_len} arena bytes",
                bytes.len()
            )));
        }
        let (g, kw, aw) = (groups as usize, kw as usize, aw as usize);
        let mut at = 40;
        let mut take = |n: usize| {
            let s = &bytes[at..at + n];
            at += n;
            s
        };
        let hashes: Vec<u64> = take(g * 8)
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().expect("8-byte chunk")))
            .collect();
        let keys = take(g * kw).to_vec();
        let accs = take(g * aw).to_vec();
        let arena = take(arena_len as usize).to_vec();
        let states = if side {
            let mut r = Reader { bytes, at };
            let states = SideStates::deserialize(&mut r)?;
            if r.at != bytes.len() {
                return Err(bad("bytes after the side states"));
            }
            for row in accs.chunks_exact(aw.max(1)).take(g) {
                for (i, k) in layout.accs.iter().enumerate() {
                    if *k == AccKind::Side && !states.valid_index(row, layout.acc_offsets[i]) {
                        return Err(bad("an accumulator names a missing side state"));
                    }
                }
            }
            states
        } else {
            SideStates::default()
        };
        // String keys must name arena bytes (accumulators are trusted to
        // the state file's checksum).
        for row in keys.chunks_exact(kw.max(1)).take(g) {
            for (k, t) in layout.key_types.iter().enumerate() {
                if in_arena(t) && row[k] == 0 {
                    let (off, len) = read_pair(row, layout.key_offsets[k]);
                    if off
                        .checked_add(len)
                        .is_none_or(|end| end > arena.len() as u64)
                    {
                        return Err(bad("a string key points outside the arena"));
                    }
                }
            }
        }
        let mut t = AggTable::with_capacity(layout, g);
        t.hashes = hashes;
        t.keys = keys;
        t.accs = accs;
        t.arena = arena;
        t.side = states;
        if (g + 1) * 2 > t.slots.len() {
            t.slots = vec![EMPTY_SLOT; ((g + 1) * 2).next_power_of_two()];
        }
        for i in 0..g {
            t.place(t.hashes[i], i as u32);
        }
        t.refresh();
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::DataType;

    fn layout() -> Arc<TableLayout> {
        use super::super::AccKind;
        use crate::ir::AggFunc;
        Arc::new(TableLayout {
            key_types: vec![DataType::Utf8, DataType::Int64],
            key_offsets: vec![8, 24],
            key_width: 32,
            accs: vec![AccKind::Count, AccKind::MaxStr],
            acc_offsets: vec![0, 16],
            funcs: vec![
                (AggFunc::Count, DataType::Int64),
                (AggFunc::Max, DataType::Utf8),
            ],
            arg_types: vec![None, Some(DataType::Utf8)],
            percentages: vec![vec![], vec![]],
            window: None,
            event_time_key: None,
        })
    }

    fn key(arena_off: u64, len: u64, v: i64) -> Vec<u8> {
        let mut row = vec![0u8; 32];
        super::super::write_pair(&mut row, 8, arena_off, len);
        super::super::write_u64(&mut row, 24, v as u64);
        row
    }

    #[test]
    fn round_trip_keeps_groups_and_lookups() {
        let l = layout();
        let mut t = AggTable::new(l.clone());
        let arena = b"stairsupwalk".to_vec();
        for (i, (off, len)) in [(0u64, 6u64), (6, 2), (8, 4)].into_iter().enumerate() {
            for n in 0..40 {
                let (g, _) =
                    t.find_or_insert_stored(i as u64 * 1000 + n, &key(off, len, n as i64), &arena);
                super::super::write_u64(t.acc_row_mut(g), 0, n + 1);
                t.set_acc_str(g, 1, &arena[off as usize..(off + len) as usize]);
            }
        }
        let mut bytes = Vec::new();
        t.serialize_into(&mut bytes);
        let back = AggTable::deserialize(l.clone(), &bytes).unwrap();
        assert_eq!(back.len(), t.len());
        let all: Vec<usize> = (0..t.len()).collect();
        assert_eq!(back.to_arrow(&all), t.to_arrow(&all));
        // The rebuilt index finds every group again.
        let mut again = back;
        let (g, inserted) = again.find_or_insert_stored(1005, &key(6, 2, 5), &arena);
        assert!(!inserted);
        assert_eq!(g, 45);
    }

    #[test]
    fn damaged_bytes_are_errors() {
        let l = layout();
        let mut t = AggTable::new(l.clone());
        t.find_or_insert_stored(1, &key(0, 3, 1), b"abc");
        let mut bytes = Vec::new();
        t.serialize_into(&mut bytes);
        for cut in [0, 10, 39, 41, bytes.len() - 1] {
            assert!(
                AggTable::deserialize(l.clone(), &bytes[..cut]).is_err(),
                "cut at {cut}"
            );
        }
        let mut bad = bytes.clone();
        bad[40 + 8 + 8] = 0xff; // the string key's arena offset
        assert!(AggTable::deserialize(l.clone(), &bad).is_err());
        let mut other = (*l).clone();
        other.accs.pop();
        other.funcs.pop();
        assert!(AggTable::deserialize(Arc::new(other), &bytes).is_err());
    }
}

#[cfg(test)]
mod fingerprint_tests {
    use super::*;
    use crate::ir::{AggCall, AggFunc, AggSpec, TExpr};
    use crate::types::DataType;

    fn layout(key: DataType, func: AggFunc) -> TableLayout {
        let k = TExpr::column(0, "k", key, true);
        let v = TExpr::column(1, "v", DataType::Int64, true);
        TableLayout::new(&AggSpec {
            keys: vec![k],
            grouping_sets: vec![1],
            aggs: vec![AggCall { func, arg: Some(v) }],
            window: None,
            event_time_key: None,
        })
        .unwrap()
    }

    #[test]
    fn the_fingerprint_is_versioned_and_tells_layouts_apart() {
        let a = layout(DataType::Utf8, AggFunc::Sum);
        let f = a.fingerprint();
        assert!(
            f.starts_with(&format!("sqlc-agg-layout v{LAYOUT_VERSION}; keys string@")),
            "{f}"
        );
        assert_eq!(f, layout(DataType::Utf8, AggFunc::Sum).fingerprint());
        assert_ne!(f, layout(DataType::Int64, AggFunc::Sum).fingerprint());
        assert_ne!(f, layout(DataType::Utf8, AggFunc::Max).fingerprint());
    }
}

#[cfg(test)]
mod side_state_tests {
    use super::*;
    use crate::accumulators::{Offer, Val};
    use crate::ir::{AggCall, AggFunc, AggSpec, ScalarFunc, TExpr, TExprKind};
    use crate::types::{DataType, Field, Scalar};

    fn layout() -> Arc<TableLayout> {
        let k = TExpr::column(0, "k", DataType::Int64, true);
        let v = TExpr::column(1, "v", DataType::Int64, true);
        let s = TExpr::column(2, "s", DataType::Utf8, true);
        let packed = TExpr::new(
            TExprKind::Call {
                func: ScalarFunc::Struct,
                args: vec![v.clone(), TExpr::literal(Scalar::Float64(0.5))],
            },
            DataType::Struct(
                vec![
                    Field::new("col1", DataType::Int64, true),
                    Field::new("col2", DataType::Float64, false),
                ]
                .into(),
            ),
            false,
        );
        let call = |func, arg: &TExpr| AggCall {
            func,
            arg: Some(arg.clone()),
        };
        Arc::new(
            TableLayout::new(&AggSpec {
                keys: vec![k],
                grouping_sets: vec![1],
                aggs: vec![
                    call(AggFunc::CollectList, &s),
                    call(AggFunc::ApproxCountDistinct { p: 9 }, &v),
                    call(AggFunc::Mode, &v),
                    call(
                        AggFunc::PercentileApprox {
                            array: false,
                            accuracy: 100,
                        },
                        &packed,
                    ),
                ],
                window: None,
                event_time_key: None,
            })
            .unwrap(),
        )
    }

    fn table(l: &Arc<TableLayout>) -> AggTable {
        let mut t = AggTable::new(l.clone());
        for k in 0..5u64 {
            let mut key = vec![0u8; l.key_width];
            super::super::write_u64(&mut key, l.key_offsets[0], k);
            let (g, _) = t.find_or_insert_stored(k * 7919, &key, &[]);
            for x in 0..20 + k {
                let s = format!("s{}", x % 3).into_bytes();
                t.side_offer(g, 0, Offer::Val(Val::Bytes(s.into())));
                t.side_offer(g, 1, Offer::Hash(x.wrapping_mul(0x9e37_79b9_7f4a_7c15)));
                t.side_offer(g, 2, Offer::Val(Val::Fixed(x % 4)));
                t.side_offer(g, 3, Offer::Num(x as f64));
            }
        }
        t
    }

    #[test]
    fn side_states_round_trip_and_damage_is_an_error() {
        let l = layout();
        let t = table(&l);
        let mut bytes = Vec::new();
        t.serialize_into(&mut bytes);
        let back = AggTable::deserialize(l.clone(), &bytes).unwrap();
        let all: Vec<usize> = (0..t.len()).collect();
        assert_eq!(back.to_arrow(&all), t.to_arrow(&all));
        // A restored table keeps merging: its states are whole.
        let mut merged = AggTable::new(l.clone());
        merged.merge(&back).unwrap();
        merged.merge(&t).unwrap();
        assert_eq!(merged.len(), 5);
        // Truncated side states, trailing bytes and an unknown state kind
        // are errors, never panics.
        let arena_end = bytes.len() - {
            let mut side = Vec::new();
            t.side.serialize_into(&mut side);
            side.len()
        };
        for cut in [arena_end + 3, arena_end + 9, bytes.len() - 1] {
            assert!(
                AggTable::deserialize(l.clone(), &bytes[..cut]).is_err(),
                "cut at {cut}"
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(AggTable::deserialize(l.clone(), &longer).is_err());
        let mut bad = bytes.clone();
        bad[arena_end + 8] = 99;
        assert!(AggTable::deserialize(l.clone(), &bad).is_err());
    }
}
