//! Streaming deduplication: the first row of each key passes, later ones
//! are dropped. With an event-time column, rows at or behind the watermark
//! are late and dropped; remembered keys are evicted once the watermark
//! passes their event time (when it is one of the keys) or, for
//! `drop_duplicates_within_watermark`, their first row's event time plus
//! the watermark delay — as Spark's StreamingDeduplicate(WithinWatermark)Exec.

use arrow::array::{Array, ArrayRef, TimestampMicrosecondArray, UInt32Array};
use arrow::compute::take;
use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use arrow::row::{RowConverter, SortField};
use sqlc_compiler::physical::{EventTime, PhysPlan};

use super::keyed::KeyMap;
use super::operator::{wrong_node, OpBatch, OpOutput, StatefulOperator};
use super::OperatorMetrics;
use crate::error::Result;

/// Deduplication as a stateful operator: its state and its input's schema.
pub struct DedupOp {
    state: DedupState,
    schema: SchemaRef,
    /// The key types and event-time options, as the checkpoint records them.
    layout: String,
}

impl DedupOp {
    pub fn new(node: &PhysPlan) -> Result<Self> {
        let PhysPlan::Deduplicate {
            input,
            keys,
            event_time,
            within_watermark,
            ..
        } = node
        else {
            return Err(wrong_node("deduplicate", node));
        };
        let schema = input.schema();
        let types: Vec<_> = keys
            .iter()
            .map(|&k| schema.field(k).data_type().clone())
            .collect();
        let timed = event_time.is_some();
        Ok(DedupOp {
            state: DedupState::new(&schema, keys, *event_time, *within_watermark)?,
            schema,
            layout: format!("keys={types:?};eventTime={timed};withinWatermark={within_watermark}"),
        })
    }
}

impl StatefulOperator for DedupOp {
    fn name(&self) -> &'static str {
        "dedupe"
    }

    fn run(&mut self, inputs: Vec<Vec<RecordBatch>>, batch: &OpBatch) -> Result<OpOutput> {
        let d = &mut self.state;
        d.keep_late = batch.keep_late;
        if batch.track_changes {
            d.changes_lost |= d.changes.is_some();
            d.changes = Some(DedupChanges::default());
        }
        let rows = d.run(
            &self.schema,
            inputs.into_iter().flatten().collect(),
            batch.late_watermark_us,
            batch.watermark_us,
        )?;
        Ok(OpOutput {
            rows,
            late_rows: std::mem::take(&mut d.late_rows),
        })
    }

    fn metrics(&self) -> Option<OperatorMetrics> {
        let d = &self.state;
        Some(OperatorMetrics::new(
            self.name(),
            d.len() as u64,
            d.updated,
            d.removed,
            d.memory_bytes() as u64,
            d.late,
        ))
    }

    fn state_schema(&self) -> String {
        self.layout.clone()
    }

    fn snapshot(&self) -> Result<Vec<(usize, Vec<u8>)>> {
        Ok(vec![(0, self.state.to_bytes())])
    }

    fn restore(&mut self, parts: Vec<(usize, &[u8])>) -> std::result::Result<(), String> {
        self.state
            .restore_bytes(parts.first().map_or(&[][..], |p| p.1))
    }

    fn take_changes(&mut self) -> Result<Option<Vec<(usize, Vec<u8>)>>> {
        let d = &mut self.state;
        let changes = d.changes.take();
        if std::mem::take(&mut d.changes_lost) {
            return Ok(None);
        }
        Ok(Some(
            changes
                .filter(|c| !c.added.is_empty() || !c.removed.is_empty())
                .map(|c| (0, c.to_bytes()))
                .into_iter()
                .collect(),
        ))
    }

    fn apply_changes(
        &mut self,
        _partition: usize,
        bytes: &[u8],
    ) -> std::result::Result<(), String> {
        let (removed, added) = DedupChanges::from_bytes(bytes)?;
        for k in removed {
            self.state.seen.remove(&k);
        }
        self.state.seen.extend(added);
        Ok(())
    }
}

/// What one deduplicate operator remembers between batches.
pub struct DedupState {
    /// Each key seen (its arrow row bytes), with the event time at which it may be forgotten
    /// (`None`: never).
    seen: Keys,
    converter: RowConverter,
    keys: Vec<usize>,
    /// The event-time column and whether it is a key; `within_watermark`.
    event_time: Option<EventTime>,
    time_is_key: bool,
    within_watermark: bool,
    pub updated: u64,
    pub late: u64,
    pub removed: u64,
    /// Whether late rows are kept for a late-rows sink, and those of the
    /// last batch.
    pub keep_late: bool,
    pub late_rows: Vec<RecordBatch>,
    /// With change tracking: what the batch changed, until a checkpoint
    /// takes it, and whether a batch's record was lost (not taken).
    changes: Option<DedupChanges>,
    changes_lost: bool,
}

impl DedupState {
    pub fn new(
        schema: &SchemaRef,
        keys: &[usize],
        event_time: Option<EventTime>,
        within_watermark: bool,
    ) -> Result<Self> {
        let fields = keys
            .iter()
            .map(|&k| SortField::new(schema.field(k).data_type().clone()))
            .collect();
        Ok(DedupState {
            seen: Keys::default(),
            converter: RowConverter::new(fields)?,
            keys: keys.to_vec(),
            time_is_key: event_time.is_some_and(|e| keys.contains(&e.column)),
            event_time,
            within_watermark,
            updated: 0,
            late: 0,
            removed: 0,
            keep_late: false,
            late_rows: Vec::new(),
            changes: None,
            changes_lost: false,
        })
    }

    pub fn len(&self) -> usize {
        self.seen.len()
    }

    pub fn memory_bytes(&self) -> usize {
        self.seen.keys().map(|r| r.len() + 48).sum()
    }

    /// Runs one batch: drops rows late by `late_watermark` and repeated
    /// keys, then evicts the keys `watermark` has passed.
    pub fn run(
        &mut self,
        schema: &SchemaRef,
        batches: Vec<RecordBatch>,
        late_watermark: Option<i64>,
        watermark: Option<i64>,
    ) -> Result<Vec<RecordBatch>> {
        self.updated = 0;
        self.late = 0;
        self.removed = 0;
        let late_wm = late_watermark.filter(|_| self.event_time.is_some());
        let mut out = Vec::new();
        let mut late_noted = Vec::new();
        for (bi, b) in batches.iter().enumerate() {
            let times = self.event_time.and_then(|e| {
                b.column(e.column)
                    .as_any()
                    .downcast_ref::<TimestampMicrosecondArray>()
                    .cloned()
            });
            let time = |i: usize| {
                times
                    .as_ref()
                    .and_then(|t| t.is_valid(i).then(|| t.value(i)))
            };
            let cols: Vec<ArrayRef> = self.keys.iter().map(|&k| b.column(k).clone()).collect();
            let rows = self.converter.convert_columns(&cols)?;
            let mut keep = Vec::new();
            for i in 0..b.num_rows() {
                let t = time(i);
                if let (Some(wm), Some(t)) = (late_wm, t) {
                    if t <= wm {
                        self.late += 1;
                        if self.keep_late {
                            late_noted.push((bi as u32, i as u32));
                        }
                        continue;
                    }
                }
                let expires = match (self.within_watermark, self.time_is_key, self.event_time) {
                    (true, _, Some(e)) => t.map(|t| t.saturating_add(e.delay_us)),
                    (false, true, _) => t,
                    _ => None,
                };
                let row = rows.row(i);
                if !self.seen.contains_key(row.as_ref()) {
                    self.seen.insert(row.as_ref().into(), expires);
                    if let Some(c) = &mut self.changes {
                        c.added.push((row.as_ref().into(), expires));
                    }
                    keep.push(i as u32);
                    self.updated += 1;
                }
            }
            let idx = UInt32Array::from(keep);
            let cols: Vec<ArrayRef> = b
                .columns()
                .iter()
                .map(|c| take(c.as_ref(), &idx, None))
                .collect::<Result<_, _>>()?;
            out.push(RecordBatch::try_new(schema.clone(), cols)?);
        }
        self.late_rows = super::aggregate::gather_rows(&batches, late_noted.into_iter())?;
        if let Some(wm) = watermark.filter(|_| self.event_time.is_some()) {
            let before = self.seen.len();
            let mut changes = self.changes.as_mut();
            self.seen.retain(|k, exp| {
                let keep = exp.is_none_or(|e| e > wm);
                if let (false, Some(c)) = (keep, changes.as_mut()) {
                    c.removed.push(k.clone());
                }
                keep
            });
            self.removed = (before - self.seen.len()) as u64;
        }
        Ok(out)
    }
}

/// The remembered keys as bytes, for checkpoints (the files are the
/// checkpoint module's business).
impl DedupState {
    /// Each key with its eviction time ([`write_keys`]), sorted so that
    /// equal state gives equal bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut keys: Vec<(&Box<[u8]>, &Option<i64>)> = self.seen.iter().collect();
        keys.sort_unstable();
        let mut out = Vec::new();
        write_keys(&mut out, keys.into_iter());
        out
    }

    /// Replaces the remembered keys by those of [`DedupState::to_bytes`].
    pub fn restore_bytes(&mut self, bytes: &[u8]) -> std::result::Result<(), String> {
        self.seen = read_keys(bytes)?;
        Ok(())
    }
}

/// What a batch changed in the remembered keys, for a checkpoint's delta:
/// keys added (with their eviction times) and keys evicted.
#[derive(Default)]
struct DedupChanges {
    added: Vec<(Box<[u8]>, Option<i64>)>,
    removed: Vec<Box<[u8]>>,
}

/// Keys with their eviction times, as the state holds them.
type Keys = KeyMap<Option<i64>>;

impl DedupChanges {
    /// `u64` count of removed keys, each (`u32` length, bytes); then the
    /// added keys in [`write_keys`]'s form.
    fn to_bytes(&self) -> Vec<u8> {
        let mut out = (self.removed.len() as u64).to_le_bytes().to_vec();
        for k in &self.removed {
            out.extend_from_slice(&(k.len() as u32).to_le_bytes());
            out.extend_from_slice(k);
        }
        write_keys(&mut out, self.added.iter().map(|(k, t)| (k, t)));
        out
    }

    /// The removed and the added keys of [`DedupChanges::to_bytes`].
    fn from_bytes(bytes: &[u8]) -> std::result::Result<(Vec<Box<[u8]>>, Keys), String> {
        let mut r = Reader(bytes);
        let n = u64::from_le_bytes(r.take(8)?.try_into().expect("8 bytes"));
        let mut removed = Vec::new();
        for _ in 0..n {
            let len = u32::from_le_bytes(r.take(4)?.try_into().expect("4 bytes")) as usize;
            removed.push(r.take(len)?.into());
        }
        Ok((removed, read_keys(r.0)?))
    }
}

/// Reads a byte form front to back.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> std::result::Result<&'a [u8], String> {
        let (a, b) = self.0.split_at_checked(n).ok_or("truncated dedup state")?;
        self.0 = b;
        Ok(a)
    }
}

/// Each key (`u32` length, its row bytes) with its eviction time (a `u8`
/// flag, then an `i64` if set).
fn write_keys<'a>(out: &mut Vec<u8>, keys: impl Iterator<Item = (&'a Box<[u8]>, &'a Option<i64>)>) {
    for (k, t) in keys {
        out.extend_from_slice(&(k.len() as u32).to_le_bytes());
        out.extend_from_slice(k);
        match t {
            Some(t) => {
                out.push(1);
                out.extend_from_slice(&t.to_le_bytes());
            }
            None => out.push(0),
        }
    }
}

/// The keys [`write_keys`] wrote.
fn read_keys(bytes: &[u8]) -> std::result::Result<Keys, String> {
    let mut r = Reader(bytes);
    let mut seen = Keys::default();
    while !r.0.is_empty() {
        let len = u32::from_le_bytes(r.take(4)?.try_into().expect("4 bytes")) as usize;
        let key: Box<[u8]> = r.take(len)?.into();
        let t = match r.take(1)?[0] {
            0 => None,
            1 => Some(i64::from_le_bytes(r.take(8)?.try_into().expect("8 bytes"))),
            f => return Err(format!("bad dedup state flag {f}")),
        };
        seen.insert(key, t);
    }
    Ok(seen)
}
