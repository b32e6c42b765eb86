//! Generates one `#[test]` per golden case (`tests/golden/NAME.sql`), so
//! each case is its own test: `cargo test --release golden::NAME` runs one.
//! The cases themselves are run by `tests/golden.rs`.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let dir = Path::new("tests/golden");
    println!("cargo:rerun-if-changed=tests/golden");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "sql"))
                .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut out = String::new();
    for n in &names {
        let ident: String = n
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        writeln!(
            out,
            "#[test]\nfn {ident}() {{\n    super::run_case({n:?});\n}}\n"
        )
        .unwrap();
    }
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("golden_cases.rs");
    std::fs::write(dest, out).unwrap();
}
