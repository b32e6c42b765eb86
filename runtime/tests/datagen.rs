//! The activity generator: file split, keys, distributions, corruption,
//! determinism and the write-then-rename protocol.

use std::fs;
use std::path::Path;
use std::time::Instant;

use arrow::array::{Array, AsArray};
use arrow::datatypes::{DataType, Float64Type, Int64Type};
use serde_json::Value;
use sqlc_runtime::datagen::{activity_schema, ActivityGen, START_NS};

const KEYS: [&str; 10] = [
    "Arrival_Time",
    "Creation_Time",
    "Device",
    "Index",
    "Model",
    "User",
    "gt",
    "x",
    "y",
    "z",
];

fn lines(path: &Path) -> Vec<String> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn parse_all(paths: &[std::path::PathBuf]) -> (Vec<Value>, usize) {
    let (mut ok, mut bad) = (Vec::new(), 0);
    for p in paths {
        for l in lines(p) {
            match serde_json::from_str::<Value>(&l) {
                Ok(v) => ok.push(v),
                Err(_) => bad += 1,
            }
        }
    }
    (ok, bad)
}

#[test]
fn files_rows_and_keys() {
    let dir = tempfile::tempdir().unwrap();
    let paths = ActivityGen::default()
        .rows(1003)
        .files(10)
        .write_dir(dir.path())
        .unwrap();
    assert_eq!(paths.len(), 10);
    for (i, p) in paths.iter().enumerate() {
        assert_eq!(
            p.file_name().unwrap().to_str().unwrap(),
            format!("part-{i:05}-activity.json")
        );
        assert_eq!(lines(p).len(), if i < 3 { 101 } else { 100 }, "file {i}");
        assert!(fs::read_to_string(p).unwrap().ends_with("}\n"));
    }
    let (rows, bad) = parse_all(&paths);
    assert_eq!(bad, 0);
    assert_eq!(rows.len(), 1003);
    // Keys in the script's order (serde_json's preserve_order is off, so check the raw text).
    let first = &lines(&paths[0])[0];
    let mut at = 0;
    for k in KEYS {
        let pos = first[at..]
            .find(&format!("\"{k}\":"))
            .unwrap_or_else(|| panic!("{k} in {first}"));
        at += pos + 1;
    }
    let mut last_index = -1;
    for r in &rows {
        let o = r.as_object().unwrap();
        assert_eq!(o.len(), 10);
        let idx = o["Index"].as_i64().unwrap();
        assert_eq!(idx, last_index + 1);
        last_index = idx;
        let user = o["User"].as_str().unwrap();
        assert!(("a"..="i").contains(&user) && user.len() == 1);
        let (model, device) = (o["Model"].as_str().unwrap(), o["Device"].as_str().unwrap());
        assert!(device.starts_with(model) && (device.ends_with("_1") || device.ends_with("_2")));
        let ev = o["Creation_Time"].as_i64().unwrap();
        let arrival = o["Arrival_Time"].as_i64().unwrap();
        assert!((0..3000).contains(&(arrival - ev / 1_000_000)));
        assert!(o["gt"].is_null() || o["gt"].is_string());
        for c in ["x", "y", "z"] {
            assert!(o[c].is_f64(), "{c}: {}", o[c]);
        }
    }
}

#[test]
fn distributions() {
    let gen = ActivityGen::default()
        .rows(200_000)
        .files(4)
        .late_rate(0.01);
    let batches = gen.batches(65_536).unwrap();
    let n: usize = batches.iter().map(|b| b.num_rows()).sum();
    assert_eq!(n, 200_000);
    let (mut nulls, mut late, mut zsum, mut xsum) = (0, 0, 0.0, 0.0);
    let mut max_ev = START_NS;
    for b in &batches {
        nulls += b.column(6).null_count();
        let ev = b.column(1).as_primitive::<Int64Type>();
        for v in ev.values() {
            // A late row lies at least 60 s behind the clock so far.
            if *v < max_ev - 59_000_000_000 {
                late += 1;
            }
            max_ev = max_ev.max(*v);
        }
        xsum += b
            .column(7)
            .as_primitive::<Float64Type>()
            .values()
            .iter()
            .sum::<f64>();
        zsum += b
            .column(9)
            .as_primitive::<Float64Type>()
            .values()
            .iter()
            .sum::<f64>();
    }
    let null_share = nulls as f64 / n as f64;
    assert!((null_share - 0.134).abs() < 0.005, "{null_share}");
    let late_share = late as f64 / n as f64;
    assert!((late_share - 0.01).abs() < 0.002, "{late_share}");
    assert!((zsum / n as f64 - 9.8).abs() < 0.02);
    assert!((xsum / n as f64).abs() < 0.02);
    // 2-8 ms per row: about 5 ms on average.
    let span = (max_ev - START_NS) as f64 / n as f64;
    assert!((span - 5e6).abs() < 0.05e6, "{span}");
}

#[test]
fn null_rate_override() {
    for rate in [0.0, 0.5, 1.0] {
        let b = ActivityGen::default()
            .rows(20_000)
            .files(1)
            .null_rate(Some(rate))
            .batches(20_000)
            .unwrap();
        let share = b[0].column(6).null_count() as f64 / 20_000.0;
        assert!((share - rate).abs() < 0.015, "{rate}: {share}");
    }
}

#[test]
fn late_rows_in_files() {
    let dir = tempfile::tempdir().unwrap();
    let paths = ActivityGen::default()
        .rows(50_000)
        .files(5)
        .write_dir(dir.path())
        .unwrap();
    let (rows, _) = parse_all(&paths);
    let mut max_ev = 0;
    let mut late = 0;
    for r in rows {
        let ev = r["Creation_Time"].as_i64().unwrap();
        if ev < max_ev - 59_000_000_000 {
            late += 1;
        }
        max_ev = max_ev.max(ev);
    }
    assert!(
        (20..=90).contains(&late),
        "{late} late rows of 50000 at 0.001"
    );
}

#[test]
fn corrupt_lines() {
    let dir = tempfile::tempdir().unwrap();
    let paths = ActivityGen::default()
        .rows(20_000)
        .files(3)
        .corrupt_rate(0.05)
        .write_dir(dir.path())
        .unwrap();
    let total: usize = paths.iter().map(|p| lines(p).len()).sum();
    assert_eq!(total, 20_000);
    let (ok, bad) = parse_all(&paths);
    assert_eq!(ok.len() + bad, 20_000);
    let share = bad as f64 / 20_000.0;
    assert!((share - 0.05).abs() < 0.008, "{share}");
    // The in-memory rows are the intact ones, equal to the parsed lines.
    let batches = ActivityGen::default()
        .rows(20_000)
        .files(3)
        .corrupt_rate(0.05)
        .batches(1 << 20)
        .unwrap();
    assert_eq!(batches[0].num_rows(), ok.len());
    let idx = batches[0].column(3).as_primitive::<Int64Type>();
    let x = batches[0].column(7).as_primitive::<Float64Type>();
    for (i, v) in ok.iter().enumerate().step_by(97) {
        assert_eq!(idx.value(i), v["Index"].as_i64().unwrap());
        assert_eq!(x.value(i), v["x"].as_f64().unwrap());
    }
}

#[test]
fn deterministic_and_seeded() {
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let gen = ActivityGen::default()
        .rows(5000)
        .files(3)
        .corrupt_rate(0.01);
    let pa = gen.write_dir(a.path()).unwrap();
    let pb = gen.write_dir(b.path()).unwrap();
    let pc = gen.clone().seed(8).write_dir(c.path()).unwrap();
    for i in 0..3 {
        assert_eq!(fs::read(&pa[i]).unwrap(), fs::read(&pb[i]).unwrap());
        assert_ne!(fs::read(&pa[i]).unwrap(), fs::read(&pc[i]).unwrap());
    }
    // write_file and the producer give the same bytes as write_dir.
    let d = tempfile::tempdir().unwrap();
    let p2 = gen.write_file(d.path(), 2).unwrap();
    assert_eq!(fs::read(&p2).unwrap(), fs::read(&pa[2]).unwrap());
    let e = tempfile::tempdir().unwrap();
    let mut prod = gen.producer(e.path()).unwrap();
    assert_eq!(prod.remaining(), 3);
    for want in &pa {
        let got = prod.next().unwrap().unwrap();
        assert_eq!(fs::read(got).unwrap(), fs::read(want).unwrap());
    }
    assert!(prod.next().is_none());
}

#[test]
fn clock_continues_across_files() {
    let dir = tempfile::tempdir().unwrap();
    let paths = ActivityGen::default()
        .rows(3000)
        .files(3)
        .late_rate(0.0)
        .write_dir(dir.path())
        .unwrap();
    let mut prev = 0;
    for p in &paths {
        for l in lines(p) {
            let v: Value = serde_json::from_str(&l).unwrap();
            let ev = v["Creation_Time"].as_i64().unwrap();
            assert!((ev - prev >= 2_000_000 && ev - prev < 8_000_000) || prev == 0);
            prev = ev;
        }
    }
}

/// Files written in parallel are modified in file order, so a stream (which
/// takes files by modification time, in milliseconds) reads them in the
/// clock's order.
#[test]
fn files_are_modified_in_file_order() {
    let dir = tempfile::tempdir().unwrap();
    let paths = ActivityGen::default()
        .rows(200_000)
        .files(10)
        .write_dir(dir.path())
        .unwrap();
    let millis: Vec<u128> = paths
        .iter()
        .map(|p| {
            let t = fs::metadata(p).unwrap().modified().unwrap();
            t.duration_since(std::time::UNIX_EPOCH).unwrap().as_millis()
        })
        .collect();
    assert!(millis.windows(2).all(|w| w[0] < w[1]), "{millis:?}");
}

#[test]
fn temp_then_rename() {
    let dir = tempfile::tempdir().unwrap();
    let gen = ActivityGen::default().rows(300_000).files(2);
    let d = dir.path().to_path_buf();
    let watcher = std::thread::spawn(move || {
        // Every visible part file is complete whenever it is seen.
        let t = Instant::now();
        let mut checks = 0;
        while t.elapsed().as_secs() < 20 {
            let mut done = 0;
            for e in fs::read_dir(&d).unwrap().flatten() {
                let name = e.file_name().into_string().unwrap();
                if name.starts_with("part-") {
                    let text = fs::read_to_string(e.path()).unwrap();
                    assert_eq!(text.lines().count(), 150_000, "{name} seen partly written");
                    done += 1;
                    checks += 1;
                } else {
                    assert!(name.starts_with('.'), "{name}");
                }
            }
            if done == 2 {
                return checks;
            }
        }
        checks
    });
    let prod = gen.producer(dir.path()).unwrap();
    for p in prod {
        p.unwrap();
        std::thread::sleep(std::time::Duration::from_millis(30));
    }
    assert!(watcher.join().unwrap() >= 2);
    let names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn batch_schema_and_sizes() {
    let gen = ActivityGen::default().rows(2500).files(7);
    let b = gen.batches(1000).unwrap();
    assert_eq!(
        b.iter().map(|b| b.num_rows()).collect::<Vec<_>>(),
        [1000, 1000, 500]
    );
    assert_eq!(b[0].schema(), activity_schema());
    let schema = activity_schema();
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    assert_eq!(names, KEYS);
    assert_eq!(activity_schema().field(6).data_type(), &DataType::Utf8);
    // The same values as the files.
    let dir = tempfile::tempdir().unwrap();
    let (rows, _) = parse_all(&gen.write_dir(dir.path()).unwrap());
    let c = |i: usize, r: usize| b[r / 1000].column(i).slice(r % 1000, 1);
    for r in [0, 999, 1000, 2499] {
        assert_eq!(
            c(1, r).as_primitive::<Int64Type>().value(0),
            rows[r]["Creation_Time"].as_i64().unwrap()
        );
        assert_eq!(
            c(9, r).as_primitive::<Float64Type>().value(0),
            rows[r]["z"].as_f64().unwrap()
        );
        let gt = c(6, r);
        match rows[r]["gt"].as_str() {
            Some(s) => assert_eq!(gt.as_string::<i32>().value(0), s),
            None => assert!(gt.is_null(0)),
        }
    }
}

#[test]
fn bad_settings() {
    let dir = tempfile::tempdir().unwrap();
    assert!(ActivityGen::default()
        .files(0)
        .write_dir(dir.path())
        .is_err());
    assert!(ActivityGen::default().late_rate(1.5).batches(10).is_err());
    assert!(ActivityGen::default()
        .null_rate(Some(f64::NAN))
        .batches(10)
        .is_err());
    assert!(ActivityGen::default()
        .rows(10)
        .files(2)
        .write_file(dir.path(), 2)
        .is_err());
    // More files than rows: empty files hold one newline, as the script writes.
    let p = ActivityGen::default()
        .rows(1)
        .files(2)
        .write_dir(dir.path())
        .unwrap();
    assert_eq!(fs::read_to_string(&p[1]).unwrap(), "\n");
}

/// This thread's CPU time in seconds (from `/proc/thread-self/schedstat`),
/// so the speed test means something on a loaded machine.
fn thread_cpu() -> f64 {
    let s = fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    s.split_whitespace()
        .next()
        .and_then(|t| t.parse::<f64>().ok())
        .unwrap_or(0.0)
        / 1e9
}

/// Speed: `cargo test --release -p sqlc-runtime --test datagen -- --ignored --nocapture speed`.
#[test]
#[ignore]
fn speed() {
    let dir = tempfile::tempdir().unwrap();
    let gen = ActivityGen::default();
    for _ in 0..2 {
        let t = Instant::now();
        gen.write_dir(dir.path()).unwrap();
        let s = t.elapsed().as_secs_f64();
        println!(
            "write_dir: 1M rows, 80 files, wall {s:.3}s ({:.1}M rows/s)",
            1.0 / s
        );
    }
    // One thread, best of five (the machine is shared).
    let mut best = f64::MAX;
    for _ in 0..5 {
        let c = thread_cpu();
        for p in gen.producer(dir.path()).unwrap() {
            p.unwrap();
        }
        best = best.min(thread_cpu() - c);
    }
    println!(
        "producer (one thread): 1M rows to 80 files, cpu {best:.3}s ({:.1}M rows/s)",
        1.0 / best
    );
    let mut best = f64::MAX;
    for _ in 0..5 {
        let c = thread_cpu();
        let b = gen.batches(65_536).unwrap();
        best = best.min(thread_cpu() - c);
        assert_eq!(b.len(), 16);
    }
    println!(
        "batches (one thread): 1M rows, cpu {best:.3}s ({:.1}M rows/s)",
        1.0 / best
    );
}
