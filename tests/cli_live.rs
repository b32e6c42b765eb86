//! The CLI while queries run: a streaming SELECT printed per batch when
//! stdout is not a terminal, Ctrl-C, and the interactive shell driven from
//! a scripted stdin. Data comes from `sqlc gen`.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

const SQLC: &str = env!("CARGO_BIN_EXE_sqlc");

/// `sqlc gen activity DIR --rows ROWS --files FILES`; each file's row count,
/// in the order a file source takes them (oldest first = name order).
fn gen(dir: &Path, rows: u64, files: usize) -> Vec<u64> {
    let o = Command::new(SQLC)
        .args(["gen", "activity", dir.to_str().unwrap()])
        .args(["--rows", &rows.to_string(), "--files", &files.to_string()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap().lines().count() as u64)
        .collect()
}

/// Lines of `out` as they come.
fn lines(out: ChildStdout) -> Receiver<String> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for l in BufReader::new(out).lines() {
            if tx.send(l.unwrap_or_default()).is_err() {
                break;
            }
        }
    });
    rx
}

/// Reads lines into `seen` until `done(seen)`; fails after 60 s.
fn read_until(rx: &Receiver<String>, seen: &mut Vec<String>, done: impl Fn(&[String]) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done(seen) {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(l) => seen.push(l),
            Err(_) => panic!("timed out; output so far:\n{}", seen.join("\n")),
        }
    }
}

fn interrupt(child: &Child) {
    // SAFETY: kill(2) with the child's pid and SIGINT has no memory effects.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGINT);
    }
}

fn wait_exit(child: &mut Child) -> i32 {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s.code().unwrap_or(-1);
        }
        assert!(Instant::now() < deadline, "sqlc did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
}

const SOURCE: &str = "CREATE SOURCE activity (gt STRING, Model STRING, x DOUBLE)\n  WITH (format = 'json', path = '${data}', maxFilesPerTrigger = 1);\n";

/// Copies `file` into `dir` under a fresh modification time, as a
/// producer would (written under a hidden name, then renamed).
fn deliver(file: &Path, dir: &Path) {
    let name = file.file_name().unwrap().to_str().unwrap();
    let tmp = dir.join(format!(".{name}.tmp"));
    std::fs::copy(file, &tmp).unwrap();
    std::fs::rename(&tmp, dir.join(name)).unwrap();
}

#[test]
fn a_streaming_select_is_printed_after_every_batch() {
    let dir = tempfile::tempdir().unwrap();
    let generated = dir.path().join("gen");
    let per_file = gen(&generated, 900, 3);
    let mut files: Vec<_> = std::fs::read_dir(&generated)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let script = dir.path().join("live.sql");
    std::fs::write(
        &script,
        format!(
            "{SOURCE}CREATE SINK counts WITH (format = 'memory', outputMode = 'complete')\n\
             AS SELECT gt, count(*) AS n FROM activity GROUP BY gt;\n\
             SELECT sum(n) AS total FROM counts;\n"
        ),
    )
    .unwrap();
    let mut child = Command::new(SQLC)
        .args([
            "run",
            script.to_str().unwrap(),
            "--quiet",
            "--output",
            "csv",
        ])
        .args(["--var", &format!("data={}", data.display())])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let rx = lines(child.stdout.take().unwrap());
    let mut seen = Vec::new();
    // One file at a time: the query idles after each batch until the next
    // file, so every batch's answer is printed, whatever the machine's pace.
    for (b, file) in files.iter().enumerate() {
        deliver(file, &data);
        let header = format!("Batch: {b}");
        // The block: rule, `Batch: b`, rule, header, total.
        read_until(&rx, &mut seen, |s| {
            s.iter()
                .position(|l| *l == header)
                .is_some_and(|i| s.len() >= i + 4)
        });
    }
    interrupt(&child);
    assert_eq!(wait_exit(&mut child), 0, "a clean stop exits 0");
    seen.extend(rx.iter());
    let rule = "-------------------------------------------";
    let mut want = Vec::new();
    let mut total = 0;
    for (b, n) in per_file.iter().enumerate() {
        total += n;
        want.extend([
            rule.to_string(),
            format!("Batch: {b}"),
            rule.to_string(),
            "total".to_string(),
            total.to_string(),
        ]);
    }
    assert_eq!(
        seen, want,
        "one block per batch, each with the answer as of that batch"
    );
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert_eq!(err, "", "--quiet keeps stderr clean");
}

#[test]
fn the_shell_runs_a_scripted_session() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let per_file = gen(&data, 600, 2);
    let total: u64 = per_file.iter().sum();
    let mut child = Command::new(SQLC)
        .args(["shell", "--output", "csv"])
        .args(["--var", &format!("data={}", data.display())])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let rx = lines(child.stdout.take().unwrap());
    let mut say = |text: &str| {
        stdin.write_all(text.as_bytes()).unwrap();
        stdin.flush().unwrap();
    };
    say(SOURCE);
    say("CREATE SINK counts WITH (format = 'memory', outputMode = 'complete')\n  AS SELECT gt, count(*) AS n FROM activity GROUP BY gt;\n");
    say("SHOW TABLES;\n");
    let mut seen = Vec::new();
    read_until(&rx, &mut seen, |s| s.len() == 3);
    assert_eq!(
        seen,
        [
            "namespace,tableName,isTemporary",
            "\"\",activity,true",
            "\"\",counts,true"
        ]
    );
    // The sink runs in the background: ask until it has read both files.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        say("SELECT sum(n) AS total FROM counts;\n");
        let mut answer = Vec::new();
        read_until(&rx, &mut answer, |s| s.len() == 2);
        assert_eq!(answer[0], "total");
        if answer[1] == total.to_string() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the sink never caught up: {answer:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    say("DESCRIBE counts;\n");
    let mut seen = Vec::new();
    read_until(&rx, &mut seen, |s| s.len() == 3);
    assert_eq!(
        seen,
        ["col_name,data_type,comment", "gt,string,", "n,bigint,"]
    );
    say("SHOW QUERIES;\n");
    let mut seen = Vec::new();
    read_until(&rx, &mut seen, |s| s.len() == 2);
    assert!(
        seen[0].starts_with("name,id,status,lastBatch,numInputRows"),
        "{seen:?}"
    );
    let row: Vec<&str> = seen[1].split(',').collect();
    assert_eq!(
        (row[0], row[2], row[3]),
        ("counts", "ACTIVE", "1"),
        "{seen:?}"
    );
    say("STOP QUERY counts;\n");
    let mut seen = Vec::new();
    read_until(&rx, &mut seen, |s| s.len() == 1);
    assert_eq!(seen, ["stopped query counts after batch 1"]);
    say("SHOW QUERIES;\n");
    let mut seen = Vec::new();
    read_until(&rx, &mut seen, |s| s.len() == 2);
    assert!(
        seen[1].starts_with("counts,") && seen[1].contains(",STOPPED,"),
        "{seen:?}"
    );
    say("STOP QUERY nope;\nDESCRIBE counts;\n");
    let mut seen = Vec::new();
    read_until(&rx, &mut seen, |s| s.len() == 3);
    assert_eq!(
        seen[0], "col_name,data_type,comment",
        "an error does not end the session"
    );
    drop(stdin);
    assert_eq!(wait_exit(&mut child), 0);
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(err.contains("STOP QUERY nope"), "{err}");
}
