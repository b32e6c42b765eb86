//! The JSON scan alone, on the activity data set (200k rows, ~37 MB, in
//! memory-mapped files): a full decode (every column), example 1's
//! projected decode (`gt` only), and example 2's pre-filtered decode (the
//! four columns it reads, `gt LIKE '%stairs%' AND gt IS NOT NULL` pushed),
//! each on one core (the blocks one after another) and on every core (the
//! file source's parallel decode). Throughput is MB of JSON per second.
//!
//!     cargo bench --bench scan [-- FILTER]

use std::path::PathBuf;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sqlc::datagen::ActivityGen;
use sqlc_compiler::scan_spec::{PushedFilter, ScanSpec};
use sqlc_compiler::types::Schema;
use sqlc_runtime::format::json::JsonReader;
use sqlc_runtime::source::{decode_files_reading, map_files, FileFormat, Options};

const ROWS: u64 = 200_000;

fn schema() -> Schema {
    Schema::from_arrow(&sqlc::datagen::activity_schema()).unwrap()
}

fn data() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("bench-data")
        .join(format!("scan-{ROWS}"));
    if !dir.join("_done").exists() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        ActivityGen::default()
            .rows(ROWS)
            .files(8)
            .write_dir(&dir)
            .unwrap();
        std::fs::write(dir.join("_done"), b"").unwrap();
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn specs() -> Vec<(&'static str, Option<ScanSpec>)> {
    let only = |cols: &[usize]| (0..10).map(|i| cols.contains(&i)).collect::<Vec<bool>>();
    vec![
        ("full", None),
        (
            "projected_ex1",
            Some(ScanSpec {
                columns: only(&[6]),
                filters: vec![],
            }),
        ),
        (
            "prefiltered_ex2",
            Some(ScanSpec {
                columns: only(&[0, 1, 4, 6]),
                filters: vec![
                    PushedFilter::NotNull { column: 6 },
                    PushedFilter::Contains {
                        column: 6,
                        fragments: vec!["stairs".into()],
                    },
                ],
            }),
        ),
    ]
}

fn scan(c: &mut Criterion) {
    let paths = data();
    let files = map_files(&paths).unwrap();
    let bytes: usize = files.iter().map(|f| f.bytes().len()).sum();
    let schema = schema();
    let options = Options::new();
    let mut g = c.benchmark_group("json_scan");
    g.throughput(Throughput::Bytes(bytes as u64))
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    for (name, spec) in specs() {
        let reader = JsonReader::reading(&schema, &options, spec.as_ref()).unwrap();
        g.bench_function(format!("{name}/1_core"), |b| {
            b.iter(|| {
                let mut rows = 0;
                for f in &files {
                    let all = 0..f.bytes().len();
                    for batch in reader.decode_block(f.lines(), all).unwrap() {
                        rows += batch.num_rows();
                    }
                }
                assert_eq!(rows as u64, ROWS);
            })
        });
        g.bench_function(format!("{name}/all_cores"), |b| {
            b.iter(|| {
                let batches = decode_files_reading(
                    FileFormat::Json,
                    &schema,
                    &files,
                    &options,
                    spec.as_ref(),
                )
                .unwrap();
                assert_eq!(
                    batches.iter().map(|b| b.num_rows() as u64).sum::<u64>(),
                    ROWS
                );
            })
        });
    }
    g.finish();
}

criterion_group!(benches, scan);
criterion_main!(benches);
