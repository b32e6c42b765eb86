//! Pre-filtering JSON lines on their raw bytes, as Sparser does: a pushed
//! conjunct (`gt LIKE '%stairs%'`, `gt = 'walk'`, `gt IS NOT NULL`) names
//! byte strings every line it keeps must contain — the literal's runs, the
//! field's quoted name — and a line lacking one is ruled out without being
//! decoded. The exact predicate still runs on the rows decoded.
//!
//! Conservative where JSON could hide a match: a line with a backslash
//! (an escape could spell the bytes differently) is never ruled out, nor,
//! where single quotes are allowed, a line with one when a field's name is
//! searched for (`'gt'` names `gt` too); where names may be unquoted, the
//! name is searched for without quotes; and a
//! literal run is only used if it cannot span tokens or lie inside a number
//! (no structural characters or whitespace, not only number characters) —
//! a string column reads an object or a number as its re-serialized text,
//! whose spacing and number spelling differ from the line's.

use memchr::memmem::Finder;
use sqlc_compiler::json::Syntax;
use sqlc_compiler::scan_spec::PushedFilter;

/// The byte strings a kept line contains.
#[derive(Clone, Debug)]
pub struct Prefilter {
    needles: Vec<Finder<'static>>,
    /// Whether a line with a single quote is decoded (a quoted name needle,
    /// and the syntax allows single-quoted names).
    single_quotes: bool,
}

impl Prefilter {
    /// The pre-filter for `filters` over columns named `names` (the full
    /// schema's); `skip`: a column never filtered on (the corrupt-record
    /// column, set for lines that do not hold it). `None` if nothing can be
    /// tested on bytes.
    pub fn new(
        filters: &[PushedFilter],
        names: &[&str],
        skip: Option<usize>,
        syntax: &Syntax,
    ) -> Option<Self> {
        let mut needles: Vec<Vec<u8>> = Vec::new();
        let mut quoted_name = false;
        for f in filters {
            let column = f.column();
            if Some(column) == skip {
                continue;
            }
            let Some(name) = names.get(column) else {
                continue;
            };
            match f {
                PushedFilter::NotNull { .. } => {
                    // The field's name, as written without escapes.
                    let plain = !name.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20);
                    if plain && syntax.unquoted_field_names {
                        needles.push(name.as_bytes().to_vec());
                    } else if plain {
                        quoted_name = true;
                        needles.push(format!("\"{name}\"").into_bytes());
                    }
                }
                PushedFilter::Contains { fragments, .. } => {
                    needles.extend(
                        fragments
                            .iter()
                            .filter(|s| usable(s))
                            .map(|s| s.as_bytes().to_vec()),
                    );
                }
                // Statistics only: a number's text or a string's range says
                // nothing a substring search could use.
                PushedFilter::Compare { .. } => {}
            }
        }
        needles.sort();
        needles.dedup();
        // Longer needles first: they rule out more lines.
        needles.sort_by_key(|n| std::cmp::Reverse(n.len()));
        (!needles.is_empty()).then(|| Prefilter {
            needles: needles
                .into_iter()
                .map(|n| Finder::new(&n).into_owned())
                .collect(),
            single_quotes: quoted_name && syntax.single_quotes,
        })
    }

    /// Whether `line` cannot hold a row the filter keeps.
    #[inline]
    pub fn rejects(&self, line: &[u8]) -> bool {
        let escape_or_quote = if self.single_quotes {
            memchr::memchr2(b'\\', b'\'', line)
        } else {
            memchr::memchr(b'\\', line)
        };
        if escape_or_quote.is_some() {
            return false;
        }
        // A top-level array is several rows (or none): decode it.
        if line.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return false;
        }
        self.needles.iter().any(|n| n.find(line).is_none())
    }
}

/// Whether a literal run can be searched for in the raw line: it cannot
/// span two tokens (no structural character or whitespace) nor lie wholly
/// inside a number (some character no number has).
fn usable(s: &str) -> bool {
    !s.is_empty()
        && !s
            .bytes()
            .any(|b| b"{}[]:,\"\\".contains(&b) || b.is_ascii_whitespace() || b < 0x20)
        && s.bytes()
            .any(|b| !(b.is_ascii_digit() || b"+-.eE".contains(&b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<&'static str> {
        vec!["gt", "x", "_corrupt_record"]
    }

    #[test]
    fn rules_out_only_lines_that_cannot_match() {
        let p = Prefilter::new(
            &[
                PushedFilter::NotNull { column: 0 },
                PushedFilter::Contains {
                    column: 0,
                    fragments: vec!["stairs".into()],
                },
            ],
            &names(),
            None,
            &Syntax::SPARK,
        )
        .unwrap();
        assert!(!p.rejects(br#"{"gt":"stairsup","x":1}"#));
        assert!(p.rejects(br#"{"gt":"walk","x":1}"#));
        assert!(p.rejects(br#"{"x":"stairs"}"#), "no gt field");
        assert!(
            !p.rejects(br#"{"gt":"st\u0061irs"}"#),
            "escapes are decoded"
        );
        assert!(!p.rejects(br#"[{"gt":"walk"}]"#), "arrays are decoded");
        assert!(!p.rejects(br#"{"gt":"walk","x":"stairs"}"#));
        assert!(!p.rejects(br#"{'gt':'stairs'}"#), "single-quoted names");
    }

    #[test]
    fn literals_that_json_could_respell_are_not_used() {
        assert!(usable("stairs"));
        assert!(usable("1a"));
        assert!(!usable("12"));
        assert!(!usable("1e5"));
        assert!(!usable("a b"));
        assert!(!usable("{\"a\""));
        let p = Prefilter::new(
            &[PushedFilter::NotNull { column: 2 }],
            &names(),
            Some(2),
            &Syntax::SPARK,
        );
        assert!(
            p.is_none(),
            "the corrupt-record column is never pre-filtered"
        );
    }
}
