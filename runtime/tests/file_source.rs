//! The streaming file source: new files taken once, in modification-time
//! order, with Spark's per-trigger limits, file ages, restore from a
//! checkpointed log, and the errors of a bad setup.

mod common;

use std::path::Path;

use common::*;
use sqlc_runtime::source::{read_files, FileEntry, FileFormat, FileStreamSource, Options, Source};
use sqlc_runtime::Error;

#[test]
fn missing_paths_and_bad_options() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope");
    let err = read_files(FileFormat::Json, &missing, None, &Options::new()).unwrap_err();
    assert!(
        matches!(&err, Error::PathNotFound(p) if p == &missing),
        "{err:?}"
    );
    let err = FileStreamSource::new(
        FileFormat::Json,
        &missing,
        Some(&activity_schema()),
        &Options::new(),
    )
    .err()
    .unwrap();
    assert!(matches!(err, Error::PathNotFound(_)), "{err:?}");
    let err = read_files(FileFormat::Json, dir.path(), None, &Options::new()).unwrap_err();
    assert!(
        matches!(err, Error::CannotInferSchema { .. }),
        "no files: {err:?}"
    );
    let err = read_files(
        FileFormat::Json,
        dir.path(),
        Some(&activity_schema()),
        &json_opts("sloppy"),
    )
    .unwrap_err();
    assert!(
        matches!(&err, Error::BadOption { name, value, .. } if name == "mode" && value == "sloppy"),
        "{err:?}"
    );
    let bad = Options::new().with("MaxFilesPerTrigger", "-2");
    let err = FileStreamSource::new(FileFormat::Json, dir.path(), Some(&activity_schema()), &bad)
        .err()
        .unwrap();
    assert!(
        err.to_string().contains("MaxFilesPerTrigger") && err.to_string().contains("-2"),
        "{err}"
    );
    assert!("avro".parse::<FileFormat>().is_err());
}

fn stream(dir: &Path, options: Options) -> FileStreamSource {
    let schema = activity_schema();
    FileStreamSource::new(FileFormat::Json, dir, Some(&schema), &options).unwrap()
}

/// Plans and reads the next batch; returns the `Index` values and the offset.
fn next_batch(
    src: &mut FileStreamSource,
    prev: &mut Option<serde_json::Value>,
) -> Option<Vec<i64>> {
    let end = src.latest_offset().unwrap()?;
    let batches = src.get_batch(prev.as_ref(), &end).unwrap();
    src.commit(&end).unwrap();
    *prev = Some(end);
    Some(
        int64s(&batches, "Index")
            .into_iter()
            .map(Option::unwrap)
            .collect(),
    )
}

#[test]
fn streaming_takes_each_new_file_once_in_modification_order() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Names disagree with times: order must follow the modification time.
    activity_file(d, "c.json", 0, 10, 100);
    activity_file(d, "a.json", 10, 10, 200);
    activity_file(d, "b.json", 20, 10, 200); // same time as a.json: by name
    let mut src = stream(d, Options::new().with("maxFilesPerTrigger", "1"));
    let mut prev = None;
    assert_eq!(
        next_batch(&mut src, &mut prev).unwrap(),
        (0..10).collect::<Vec<_>>()
    );
    // Hidden and in-progress files are never read.
    write(&d.join(".d.json.tmp"), "garbage");
    write(&d.join("_SUCCESS"), "");
    write(&d.join("e.json._COPYING_"), "garbage");
    assert_eq!(
        next_batch(&mut src, &mut prev).unwrap(),
        (10..20).collect::<Vec<_>>()
    );
    assert_eq!(
        next_batch(&mut src, &mut prev).unwrap(),
        (20..30).collect::<Vec<_>>()
    );
    assert_eq!(next_batch(&mut src, &mut prev), None, "nothing new");
    assert_eq!(src.latest_offset().unwrap(), None);
    // A file that appears later is picked up by a later batch, once.
    activity_file(d, "0.json", 30, 5, 300);
    assert_eq!(
        next_batch(&mut src, &mut prev).unwrap(),
        (30..35).collect::<Vec<_>>()
    );
    assert_eq!(next_batch(&mut src, &mut prev), None);
    assert_eq!(prev, Some(serde_json::json!({"logOffset": 3})));
    let files = src.files_for_batch(1).unwrap();
    assert_eq!(
        files,
        [FileEntry {
            path: d.join("a.json"),
            timestamp_ms: 1_577_837_000_000,
            batch_id: 1
        }]
    );
    assert_eq!(FileEntry::from_json(&files[0].to_json()).unwrap(), files[0]);
    // Replaying a batch gives the same rows.
    let again = src
        .get_batch(
            Some(&FileStreamSource::offset(0)),
            &FileStreamSource::offset(2),
        )
        .unwrap();
    assert_eq!(
        int64s(&again, "Index"),
        (10..30).map(Some).collect::<Vec<_>>()
    );
}

#[test]
fn streaming_without_limits_takes_everything_new() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..4 {
        activity_file(dir.path(), &format!("p{i}.json"), i * 3, 3, 10 + i as u64);
    }
    let mut src = stream(dir.path(), Options::new());
    let mut prev = None;
    // In partition order, as Spark packs the files (longest first).
    let mut all = next_batch(&mut src, &mut prev).unwrap();
    all.sort();
    assert_eq!(all, (0..12).collect::<Vec<_>>());
    assert_eq!(next_batch(&mut src, &mut prev), None);
    // A glob source takes only matching files, including ones that appear later.
    let glob = dir.path().join("q*.json");
    let schema = activity_schema();
    let mut src =
        FileStreamSource::new(FileFormat::Json, &glob, Some(&schema), &Options::new()).unwrap();
    let mut prev = None;
    assert_eq!(next_batch(&mut src, &mut prev), None);
    activity_file(dir.path(), "q0.json", 100, 2, 50);
    assert_eq!(next_batch(&mut src, &mut prev).unwrap(), [100, 101]);
}

#[test]
fn streaming_max_bytes_per_trigger() {
    let dir = tempfile::tempdir().unwrap();
    let sizes: Vec<u64> = (0..5)
        .map(|i| {
            std::fs::metadata(activity_file(
                dir.path(),
                &format!("p{i}.json"),
                i * 10,
                10,
                i as u64,
            ))
            .unwrap()
            .len()
        })
        .collect();
    // Room for two files per batch, not three; always at least one.
    let limit = 2 * sizes.iter().max().unwrap();
    assert!(3 * sizes.iter().min().unwrap() > limit);
    let mut src = stream(
        dir.path(),
        Options::new().with("maxBytesPerTrigger", limit.to_string()),
    );
    let mut prev = None;
    let counts: Vec<usize> =
        std::iter::from_fn(|| next_batch(&mut src, &mut prev).map(|r| r.len())).collect();
    assert_eq!(counts, [20, 20, 10]);
    let mut tiny = stream(dir.path(), Options::new().with("maxBytesPerTrigger", "1k"));
    let mut prev = None;
    assert_eq!(
        next_batch(&mut tiny, &mut prev).unwrap().len(),
        10,
        "one file even if larger than the limit"
    );
    let both = Options::new()
        .with("maxFilesPerTrigger", "1")
        .with("maxBytesPerTrigger", "1m");
    let schema = activity_schema();
    assert!(FileStreamSource::new(FileFormat::Json, dir.path(), Some(&schema), &both).is_err());
}

#[test]
fn streaming_latest_first() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..3 {
        activity_file(dir.path(), &format!("p{i}.json"), i * 10, 10, i as u64);
    }
    let opts = Options::new()
        .with("latestFirst", "true")
        .with("maxFilesPerTrigger", "2");
    let mut src = stream(dir.path(), opts);
    let mut prev = None;
    let lowest: Vec<i64> = std::iter::from_fn(|| {
        next_batch(&mut src, &mut prev).map(|r| r.into_iter().min().unwrap())
    })
    .collect();
    assert_eq!(lowest, [10, 0], "newest first: p2 and p1, then p0");
}

#[test]
fn streaming_ignores_files_older_than_max_file_age() {
    let dir = tempfile::tempdir().unwrap();
    activity_file(dir.path(), "new.json", 0, 1, 100_000);
    let mut src = stream(dir.path(), Options::new().with("maxFileAge", "1h"));
    let mut prev = None;
    assert_eq!(next_batch(&mut src, &mut prev).unwrap(), [0]);
    activity_file(dir.path(), "old.json", 1, 1, 100_000 - 7200); // 2 hours older
    activity_file(dir.path(), "recent.json", 2, 1, 100_000 - 60);
    assert_eq!(next_batch(&mut src, &mut prev).unwrap(), [2]);
    assert_eq!(next_batch(&mut src, &mut prev), None);
}

#[test]
fn streaming_restores_from_a_checkpointed_log() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..3 {
        activity_file(dir.path(), &format!("p{i}.json"), i * 10, 10, i as u64);
    }
    let mut src = stream(dir.path(), Options::new().with("maxFilesPerTrigger", "1"));
    let mut prev = None;
    next_batch(&mut src, &mut prev).unwrap();
    let saved: Vec<serde_json::Value> = src
        .files_for_batch(0)
        .unwrap()
        .iter()
        .map(FileEntry::to_json)
        .collect();

    // A new source (a restarted query) restores the log and goes on.
    let mut again = stream(dir.path(), Options::new().with("maxFilesPerTrigger", "1"));
    let entries = saved
        .iter()
        .map(|v| FileEntry::from_json(v).unwrap())
        .collect();
    again.restore([(0, entries)]);
    let replay = again.get_batch(None, &FileStreamSource::offset(0)).unwrap();
    assert_eq!(rows(&replay), 10);
    let mut prev = Some(FileStreamSource::offset(0));
    assert_eq!(next_batch(&mut again, &mut prev).unwrap()[0], 10);
    assert_eq!(prev, Some(FileStreamSource::offset(1)));
}

#[test]
fn streaming_requires_a_schema_except_for_text() {
    let dir = tempfile::tempdir().unwrap();
    let err = FileStreamSource::new(FileFormat::Json, dir.path(), None, &Options::new())
        .err()
        .unwrap();
    assert!(matches!(err, Error::StreamingSchemaRequired(_)), "{err:?}");
    assert!(err
        .to_string()
        .contains("Schema must be specified when creating a streaming source"));
    let mut text =
        FileStreamSource::new(FileFormat::Text, dir.path(), None, &Options::new()).unwrap();
    assert_eq!(text.schema().fields[0].name, "value");
    write_at(&dir.path().join("t.txt"), "hello\nworld\n", 5);
    let end = text.latest_offset().unwrap().unwrap();
    assert_eq!(rows(&text.get_batch(None, &end).unwrap()), 2);
    assert!(text.description().starts_with("FileStreamSource["));
}

#[test]
fn available_now_serves_only_the_files_present_when_prepared() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..3 {
        activity_file(dir.path(), &format!("p{i}.json"), i * 10, 10, i as u64);
    }
    let mut src = stream(dir.path(), Options::new().with("maxFilesPerTrigger", "2"));
    src.prepare_for_trigger_available_now().unwrap();
    activity_file(dir.path(), "late.json", 100, 10, 1);
    let mut prev = None;
    let sizes: Vec<usize> =
        std::iter::from_fn(|| next_batch(&mut src, &mut prev).map(|r| r.len())).collect();
    assert_eq!(sizes, [20, 10], "late.json came after the snapshot");
}
