//! SQL `LIKE`/`ILIKE` matching, compiled once per pattern.

use memchr::memmem::Finder;
use regex::Regex;

/// One piece of a parsed LIKE pattern.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Char(char),
    AnyOne,
    AnyMany,
}

/// How a pattern is matched, chosen by its shape.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)] // one per pattern, built once per kernel
enum Plan {
    /// `%`, `%%`, ...: everything matches.
    Any,
    Exact(String),
    Prefix(String),
    Suffix(String),
    Contains(Finder<'static>),
    Regex(Regex),
}

/// A LIKE pattern compiled once per kernel: `%lit%`, `lit%`, `%lit` and
/// exact patterns go through memchr's substring finder (or plain byte
/// comparisons); others through a regex. Matching is on the whole string, as
/// SQL's LIKE.
#[derive(Debug, Clone)]
pub struct LikeMatcher {
    plan: Plan,
    case_insensitive: bool,
}

/// Splits a pattern into tokens, applying Spark's escape rules: `\` may only
/// precede `%`, `_` or `\`, and may not end the pattern.
fn tokenize(pattern: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let mut it = pattern.chars();
    while let Some(c) = it.next() {
        match c {
            '\\' => match it.next() {
                Some(n @ ('%' | '_' | '\\')) => out.push(Token::Char(n)),
                Some(n) => {
                    return Err(format!(
                        "the escape character is not allowed to precede '{n}'"
                    ))
                }
                None => return Err("it is not allowed to end with the escape character".into()),
            },
            '%' => out.push(Token::AnyMany),
            '_' => out.push(Token::AnyOne),
            c => out.push(Token::Char(c)),
        }
    }
    Ok(out)
}

fn literal(tokens: &[Token]) -> Option<String> {
    tokens
        .iter()
        .map(|t| match t {
            Token::Char(c) => Some(*c),
            _ => None,
        })
        .collect()
}

fn plan(tokens: &[Token]) -> Result<Plan, String> {
    if tokens.iter().all(|t| *t == Token::AnyMany) && !tokens.is_empty() {
        return Ok(Plan::Any);
    }
    if !tokens.contains(&Token::AnyOne) {
        let lead = tokens.iter().take_while(|t| **t == Token::AnyMany).count();
        let trail = tokens
            .iter()
            .rev()
            .take_while(|t| **t == Token::AnyMany)
            .count();
        if let Some(mid) = literal(&tokens[lead..tokens.len() - trail]) {
            return Ok(match (lead > 0, trail > 0) {
                (false, false) => Plan::Exact(mid),
                (false, true) => Plan::Prefix(mid),
                (true, false) => Plan::Suffix(mid),
                (true, true) => Plan::Contains(Finder::new(mid.as_bytes()).into_owned()),
            });
        }
    }
    let mut re = String::from("(?s)^");
    for t in tokens {
        match t {
            Token::Char(c) => re.push_str(&regex::escape(&c.to_string())),
            Token::AnyOne => re.push('.'),
            Token::AnyMany => re.push_str(".*"),
        }
    }
    re.push('$');
    Regex::new(&re).map(Plan::Regex).map_err(|e| e.to_string())
}

impl LikeMatcher {
    /// Spark's LIKE: `%` any sequence, `_` any one character, `\` escapes
    /// the next character; `case_insensitive` for ILIKE (both sides
    /// lower-cased, as Spark's `ilike` is `lower(s) LIKE lower(p)`).
    pub fn new(pattern: &str, case_insensitive: bool) -> Result<LikeMatcher, String> {
        let tokens = if case_insensitive {
            tokenize(&pattern.to_lowercase())?
        } else {
            tokenize(pattern)?
        };
        Ok(LikeMatcher {
            plan: plan(&tokens)?,
            case_insensitive,
        })
    }

    /// Whether `s` matches the whole pattern.
    pub fn matches(&self, s: &str) -> bool {
        if self.case_insensitive {
            self.matches_exact(&s.to_lowercase())
        } else {
            self.matches_exact(s)
        }
    }

    fn matches_exact(&self, s: &str) -> bool {
        match &self.plan {
            Plan::Any => true,
            Plan::Exact(l) => s == l,
            Plan::Prefix(l) => s.starts_with(l.as_str()),
            Plan::Suffix(l) => s.ends_with(l.as_str()),
            Plan::Contains(f) => f.find(s.as_bytes()).is_some(),
            Plan::Regex(r) => r.is_match(s),
        }
    }
}
