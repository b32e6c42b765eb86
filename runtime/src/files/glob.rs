//! File-name glob patterns, for the `pathGlobFilter` option and a glob in a
//! path's last component (Hadoop's `GlobFilter`): `*` any run of
//! characters, `?` one character, `[abc]`, `[a-z]` and `[^a-z]` (or
//! `[!a-z]`) classes, `{a,b}` alternatives, and `\` to escape the next
//! character. Patterns match a whole file name, case-sensitively.
//!
//! Matching is `globset`'s (a glob compiled to a regular expression, so
//! linear in the name: a pattern such as `************X` cannot make it
//! backtrack exponentially, as a hand-written matcher did).

use globset::{GlobBuilder, GlobMatcher};

use crate::error::{Error, Result};

/// A compiled glob pattern.
#[derive(Clone, Debug)]
pub struct Glob {
    matcher: GlobMatcher,
}

impl Glob {
    /// Compiles `pattern`; `option` names the option in errors.
    pub fn new(pattern: &str, option: &str) -> Result<Glob> {
        let glob = GlobBuilder::new(pattern)
            .literal_separator(false)
            .backslash_escape(true)
            .empty_alternates(true)
            .build()
            .map_err(|e| Error::BadOption {
                name: option.to_string(),
                value: pattern.to_string(),
                reason: e.kind().to_string(),
            })?;
        Ok(Glob {
            matcher: glob.compile_matcher(),
        })
    }

    /// Whether `name` matches the whole pattern.
    pub fn matches(&self, name: &str) -> bool {
        self.matcher.is_match(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, n: &str) -> bool {
        Glob::new(p, "pathGlobFilter").unwrap().matches(n)
    }

    #[test]
    fn globs() {
        assert!(m("*.json", "part-0.json"));
        assert!(!m("*.json", "part-0.json.tmp"));
        assert!(m("part-?.csv", "part-1.csv"));
        assert!(!m("part-?.csv", "part-12.csv"));
        assert!(m("[a-c]*", "b.txt"));
        assert!(!m("[^a-c]*", "b.txt"));
        assert!(m("*.{json,csv}", "x.csv"));
        assert!(!m("*.{json,csv}", "x.txt"));
        assert!(m("a\\*b", "a*b"));
        assert!(!m("a\\*b", "axb"));
        assert!(m("{a,b}-[!x]?", "b-yz"));
    }

    #[test]
    fn runs_of_stars_do_not_backtrack_exponentially() {
        // Never returned with the hand-written backtracking matcher.
        let pattern = format!("{}X", "*".repeat(40));
        assert!(!m(&pattern, &"a".repeat(200)));
        assert!(m(&pattern, &format!("{}X", "a".repeat(200))));
    }

    #[test]
    fn bad_patterns() {
        assert!(matches!(
            Glob::new("[abc", "pathGlobFilter"),
            Err(Error::BadOption { .. })
        ));
        assert!(Glob::new("{a,b", "pathGlobFilter").is_err());
        assert!(Glob::new("[z-a]", "pathGlobFilter").is_err());
    }
}
