//! The field names of a block's lines, remembered by their place in the
//! object: the lines of a JSON-lines file usually repeat the same names in
//! the same order, so a name that matches, byte for byte, the one learnt at
//! its place is neither scanned nor looked up again.

/// The field names of the lines scanned so far, by their place in the
/// object, with their column: lines usually repeat them. A name that is,
/// byte for byte with its closing quote, the one learnt at its place is
/// known to be a well-formed name and known to be that column, so it is
/// neither scanned nor looked up again.
#[derive(Default)]
pub(super) struct KnownNames {
    /// Each name learnt, then its closing quote, one after the other.
    bytes: Vec<u8>,
    /// Per place, in order.
    places: Vec<Place>,
}

/// A place's name: where it lies in `bytes` (empty: none to match, as for
/// a name with escapes), its column, and its first (up to) 8 bytes as a word.
struct Place {
    start: u32,
    end: u32,
    column: Option<usize>,
    head: u64,
}

impl KnownNames {
    /// The length (closing quote included) and column of the name at
    /// place `k`, if `rest` (the line after the opening quote) starts with it.
    #[inline(always)]
    pub(super) fn matches(&self, k: usize, rest: &[u8]) -> Option<(usize, Option<usize>)> {
        let p = self.places.get(k)?;
        let n = (p.end - p.start) as usize;
        let hit = match n {
            0 => false,
            1..=8 if rest.len() >= 8 => (word(rest, 0) ^ p.head) & (u64::MAX >> (64 - 8 * n)) == 0,
            _ => starts_with(rest, &self.bytes[p.start as usize..p.end as usize]),
        };
        hit.then_some((n, p.column))
    }

    /// Learns the name at place `k` (`None`: one not to match), forgetting
    /// those learnt at `k` and after.
    pub(super) fn learn(&mut self, k: usize, raw: Option<&[u8]>, column: Option<usize>) {
        if let Some(p) = self.places.get(k) {
            self.bytes.truncate(p.start as usize);
            self.places.truncate(k);
        }
        let start = self.bytes.len();
        if let Some(raw) = raw {
            self.bytes.extend_from_slice(raw);
            self.bytes.push(b'"');
        }
        let name = &self.bytes[start..];
        let mut head = [0u8; 8];
        let n = name.len().min(8);
        head[..n].copy_from_slice(&name[..n]);
        self.places.push(Place {
            start: start as u32,
            end: self.bytes.len() as u32,
            column,
            head: u64::from_le_bytes(head),
        });
    }
}

/// The 8 bytes of `b` from `at`, as a word.
#[inline]
fn word(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("eight bytes"))
}

/// Whether `rest` starts with `name`: a short name in one or two words
/// (a call to `memcmp` costs more than the comparison).
#[inline]
fn starts_with(rest: &[u8], name: &[u8]) -> bool {
    let n = name.len();
    match n {
        8..=16 if rest.len() >= n => {
            word(rest, 0) == word(name, 0) && word(rest, n - 8) == word(name, n - 8)
        }
        _ => rest.starts_with(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_compare_as_slices_do() {
        let name = b"Creation_Time\"tail";
        for n in 0..name.len() {
            for rest_len in 0..=name.len() {
                for flip in 0..rest_len {
                    let mut rest = name[..rest_len].to_vec();
                    for r in [rest.clone(), {
                        rest[flip] ^= 1;
                        rest
                    }] {
                        assert_eq!(
                            starts_with(&r, &name[..n]),
                            r.starts_with(&name[..n]),
                            "{n} {r:?}"
                        );
                    }
                }
            }
        }
    }
}
