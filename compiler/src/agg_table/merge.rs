//! Merging tables (a worker's partial into the state, group by group, each
//! accumulator by its kind) and evicting groups.

use super::*;

impl AggTable {
    /// Merges every group of `other` (same layout) into this table; returns
    /// the groups of this table that changed.
    pub fn merge(&mut self, other: &AggTable) -> Result<Vec<usize>> {
        self.merge_groups(other, 0..other.len())
    }

    /// Merges the given groups of `other` into this table.
    pub fn merge_groups(
        &mut self,
        other: &AggTable,
        groups: impl IntoIterator<Item = usize>,
    ) -> Result<Vec<usize>> {
        let mut touched = Vec::new();
        for og in groups {
            let (g, _) =
                self.find_or_insert_stored(other.hashes[og], other.key_row(og), &other.arena);
            self.combine_accs(g, other, og)?;
            touched.push(g);
        }
        Ok(touched)
    }

    pub(super) fn combine_accs(&mut self, g: usize, other: &AggTable, og: usize) -> Result<()> {
        let layout = self.layout.clone();
        for (i, kind) in layout.accs.iter().enumerate() {
            let o = layout.acc_offsets[i];
            let src = other.acc_row(og);
            let (sa, sb) = (read_u64(src, o), read_u64(src, o + 8));
            match kind {
                AccKind::Count => {
                    let dst = self.acc_row_mut(g);
                    let a = read_u64(dst, o) as i64;
                    write_u64(dst, o, (a + sa as i64) as u64);
                }
                AccKind::SumInt => {
                    let dst = self.acc_row_mut(g);
                    let a = read_u64(dst, o) as i64;
                    let n = read_u64(dst, o + 8) as i64;
                    let sum = super::layout::add_to_int_sum(
                        layout.arg_types[i].as_ref(),
                        a,
                        sa as i64,
                        || layout.funcs[i].0.name().to_string(),
                    )?;
                    write_u64(dst, o, sum as u64);
                    write_u64(dst, o + 8, (n + sb as i64) as u64);
                }
                AccKind::SumFloat => {
                    let dst = self.acc_row_mut(g);
                    let a = f64::from_bits(read_u64(dst, o));
                    let n = read_u64(dst, o + 8) as i64;
                    write_u64(dst, o, (a + f64::from_bits(sa)).to_bits());
                    write_u64(dst, o + 8, (n + sb as i64) as u64);
                }
                AccKind::MinFixed | AccKind::MaxFixed => {
                    if sb == 0 {
                        continue;
                    }
                    let ty = layout.arg_types[i].clone().unwrap_or(DataType::Null);
                    let dst = self.acc_row_mut(g);
                    let (a, n) = (read_u64(dst, o), read_u64(dst, o + 8));
                    let take = n == 0 || {
                        let ord = compare_encoded(&ty, sa, a);
                        if *kind == AccKind::MinFixed {
                            ord.is_lt()
                        } else {
                            ord.is_gt()
                        }
                    };
                    if take {
                        write_u64(dst, o, sa);
                    }
                    write_u64(dst, o + 8, n + sb);
                }
                AccKind::MinStr | AccKind::MaxStr => {
                    let Some(theirs) = other.acc_str(og, i) else {
                        continue;
                    };
                    let take = match self.acc_str(g, i) {
                        None => true,
                        Some(mine) => {
                            if *kind == AccKind::MinStr {
                                theirs < mine
                            } else {
                                theirs > mine
                            }
                        }
                    };
                    if take {
                        let theirs = theirs.to_vec();
                        self.set_acc_str(g, i, &theirs);
                    }
                }
                AccKind::Pick { last, .. } => {
                    let dst = self.acc_row_mut(g);
                    if sb != 0 && (*last || read_u64(dst, o + 8) == 0) {
                        write_u64(dst, o, sa);
                        write_u64(dst, o + 8, sb);
                    }
                }
                AccKind::PickStr { last, .. } => {
                    if sb == UNSET_STR || !(*last || self.acc_str_unset(g, i)) {
                        continue;
                    }
                    match other.acc_str(og, i) {
                        Some(theirs) => {
                            let theirs = theirs.to_vec();
                            self.set_acc_str(g, i, &theirs);
                        }
                        None => self.set_acc_str_null(g, i),
                    }
                }
                AccKind::Moments => moments::merge(self.acc_row_mut(g), o, src, o),
                AccKind::SumDecimal => {
                    let (sum, n) = decimal_sum::read(src, o);
                    let sum_ps = crate::decimal::sum_type(layout.decimal_arg(i));
                    decimal_sum::add(self.acc_row_mut(g), o, sum, n, sum_ps)?;
                }
                AccKind::Distinct => {
                    for v in other.distinct.values(src, o) {
                        self.distinct_insert(g, i, v)?;
                    }
                }
                AccKind::Bits => bits::merge(layout.funcs[i].0, self.acc_row_mut(g), o, src, o),
                AccKind::Moments4 => moments4::merge(self.acc_row_mut(g), o, src, o),
                AccKind::CoMoments => comoments::merge(self.acc_row_mut(g), o, src, o),
                AccKind::Side => {
                    if let Some(state) = other.side.get(src, o) {
                        self.side_merge(g, i, state);
                    }
                }
            }
        }
        Ok(())
    }

    /// A table of the given groups of this one (same layout, same values:
    /// merging a group into a fresh one copies it), as a state store's
    /// record of what a batch changed.
    pub fn copy_groups(&self, groups: impl IntoIterator<Item = usize>) -> Result<AggTable> {
        let mut out = AggTable::new(self.layout.clone());
        out.merge_groups(self, groups)?;
        Ok(out)
    }

    /// Applies a record of changes: the groups of `upserts` replace (or
    /// join) this table's groups of the same keys, and the keys of
    /// `removed` go; group indexes change.
    pub fn apply_changes(&mut self, upserts: &AggTable, removed: &AggTable) -> Result<()> {
        if upserts.layout.key_width != self.layout.key_width
            || removed.layout.key_width != self.layout.key_width
        {
            return Err(Error::internal("changes of another aggregate layout"));
        }
        self.retain(|t, g| {
            let (h, k) = (t.hashes[g], t.key_row(g));
            upserts.find_stored(h, k, &t.arena).is_none()
                && removed.find_stored(h, k, &t.arena).is_none()
        });
        self.merge(upserts).map(drop)
    }

    /// Keeps only the groups for which `keep` is true (state eviction);
    /// group indexes change.
    pub fn retain(&mut self, mut keep: impl FnMut(&AggTable, usize) -> bool) {
        let layout = self.layout.clone();
        let mut fresh = AggTable::with_capacity(layout, self.len());
        for g in 0..self.len() {
            if keep(self, g) {
                let (ng, _) =
                    fresh.find_or_insert_stored(self.hashes[g], self.key_row(g), &self.arena);
                fresh
                    .combine_accs(ng, self, g)
                    .expect("copying a group cannot overflow");
            }
        }
        *self = fresh;
    }
}
