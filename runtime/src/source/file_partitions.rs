//! How Spark cuts a batch read's files into partitions
//! (`FilePartition.getFilePartitions`), which the partition functions see
//! (`spark_partition_id()`, `monotonically_increasing_id()`, `rand(seed)`,
//! `input_file_block_*`): files larger than the split size are cut into
//! splits of that size (line formats; Parquet and whole-text files stay
//! whole here), the splits sorted by length, longest first, and packed in
//! that order into partitions of at most the split size, each file also
//! costing `openCostInBytes`. The split size is
//! `min(maxPartitionBytes, max(openCostInBytes, bytes / parallelism))`, the
//! bytes counting each file's open cost. A split's lines are those that
//! start in it, Hadoop's `LineRecordReader`'s rule: after its first byte
//! and at most at its end, or at 0.

use std::ops::Range;

use super::lines::first_line_start;

/// The settings the packing follows (Spark's names).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Packing {
    /// `spark.sql.files.maxPartitionBytes`: 128 MiB by default.
    pub max_partition_bytes: u64,
    /// `spark.sql.files.openCostInBytes`: 4 MiB by default.
    pub open_cost: u64,
    /// `spark.sql.files.minPartitionNum`, else the default parallelism:
    /// the cores, as Spark's `local[*]`.
    pub min_partitions: usize,
}

impl Default for Packing {
    fn default() -> Self {
        Packing {
            max_partition_bytes: 128 << 20,
            open_cost: 4 << 20,
            min_partitions: rayon::current_num_threads(),
        }
    }
}

/// A byte range of one file, read as part of one partition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split {
    pub file: usize,
    pub start: u64,
    pub length: u64,
    pub partition: u32,
}

/// The splits of files of `lengths` (in listing order; `splittable`:
/// whether a file may be cut), in partition order.
pub fn plan(lengths: &[u64], splittable: bool, packing: &Packing) -> Vec<Split> {
    let open_cost = packing.open_cost;
    let total: u64 = lengths.iter().map(|l| l + open_cost).sum();
    let per_core = total / packing.min_partitions.max(1) as u64;
    let max_split = packing
        .max_partition_bytes
        .min(open_cost.max(per_core))
        .max(1);
    let mut splits: Vec<Split> = Vec::new();
    for (file, &len) in lengths.iter().enumerate() {
        if !splittable || len == 0 {
            splits.push(Split {
                file,
                start: 0,
                length: len,
                partition: 0,
            });
            continue;
        }
        let mut start = 0;
        while start < len {
            let length = (len - start).min(max_split);
            splits.push(Split {
                file,
                start,
                length,
                partition: 0,
            });
            start += length;
        }
    }
    // Longest first; a stable sort, so equal lengths keep listing order.
    splits.sort_by_key(|s| std::cmp::Reverse(s.length));
    let (mut partition, mut size, mut open) = (0u32, 0u64, false);
    for s in &mut splits {
        if open && size + s.length > max_split {
            partition += 1;
            size = 0;
        }
        size += s.length + open_cost;
        open = true;
        s.partition = partition;
    }
    splits
}

/// The bytes of `data` (a whole file) holding the lines of the split
/// `start..start + length`: the lines that start after `start` (or at the
/// file's first line, for the first split) and at most at its end.
pub fn lines_of(data: &[u8], start: u64, length: u64) -> Range<usize> {
    let (start, end) = (start as usize, (start + length) as usize);
    let from = if start == 0 {
        first_line_start(data)
    } else {
        line_after(data, start)
    };
    // The line starting at `end` or before it, wholly.
    let to = if end >= data.len() {
        data.len()
    } else {
        line_after(data, end)
    };
    from.min(to)..to
}

/// Where the first line that starts after `at` starts: past the line end
/// at or after `at` (`\n`, `\r` or `\r\n`, as Hadoop's line reader ends
/// lines); the end of `data` if none.
pub(crate) fn line_after(data: &[u8], at: usize) -> usize {
    match memchr::memchr2(b'\n', b'\r', &data[at..]) {
        None => data.len(),
        Some(i) => {
            let at = at + i;
            if data[at] == b'\r' && data.get(at + 1) == Some(&b'\n') {
                at + 2
            } else {
                at + 1
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Spark's defaults under `local[2]`, the oracle's setting.
    const LOCAL_2: Packing = Packing {
        max_partition_bytes: 128 << 20,
        open_cost: 4 << 20,
        min_partitions: 2,
    };

    #[test]
    fn small_files_pack_into_partitions_as_spark_packs_them() {
        // The test data's eight files (PySpark 4.3, local[2]): the four
        // longest in partition 0, the others in partition 1.
        let lengths = [
            473922, 475110, 475235, 475192, 477855, 477862, 477276, 478173,
        ];
        let splits = plan(&lengths, true, &LOCAL_2);
        let by: Vec<(usize, u32)> = splits.iter().map(|s| (s.file, s.partition)).collect();
        assert_eq!(
            by,
            [
                (7, 0),
                (5, 0),
                (4, 0),
                (6, 0),
                (2, 1),
                (3, 1),
                (1, 1),
                (0, 1)
            ]
        );
        // Mixed sizes: partition 0 closes when the next split would pass
        // the split size.
        let lengths = [218994, 5407970, 1340587, 33592, 2693529, 2692365, 86362];
        let parts: Vec<(usize, u32)> = plan(&lengths, true, &LOCAL_2)
            .iter()
            .map(|s| (s.file, s.partition))
            .collect();
        assert_eq!(
            parts,
            [(1, 0), (4, 0), (5, 0), (2, 1), (0, 1), (6, 1), (3, 1)]
        );
    }

    #[test]
    fn a_large_file_is_cut_into_splits() {
        // PySpark 4.3, local[2]: a 34,903,034-byte file in two splits.
        let splits = plan(&[34903034], true, &LOCAL_2);
        let ranges: Vec<(u64, u64, u32)> = splits
            .iter()
            .map(|s| (s.start, s.length, s.partition))
            .collect();
        assert_eq!(ranges, [(0, 19548669, 0), (19548669, 15354365, 1)]);
        assert_eq!(
            plan(&[34903034], false, &LOCAL_2).len(),
            1,
            "not splittable"
        );
    }

    #[test]
    fn a_split_reads_the_lines_that_start_in_it() {
        let data = b"aa\nbb\r\ncc\rdd\n";
        // Lines start at 0, 3, 7, 10.
        assert_eq!(lines_of(data, 0, 3), 0..7, "the line at its end is its own");
        assert_eq!(lines_of(data, 3, 4), 7..10, "not the line at its start");
        assert_eq!(lines_of(data, 7, 6), 10..13);
        assert_eq!(lines_of(data, 1, 1), 3..3, "no line starts in 2..=2");
        let whole: Vec<Range<usize>> = [(0, 5), (5, 5), (10, 3)]
            .iter()
            .map(|&(s, l)| lines_of(data, s, l))
            .collect();
        assert_eq!(whole, [0..7, 7..13, 13..13], "every line once");
    }
}
