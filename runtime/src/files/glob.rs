//! File-name glob patterns, for the `pathGlobFilter` option (Hadoop's
//! `GlobFilter`): `*` any run of characters, `?` one character, `[abc]`,
//! `[a-z]` and `[^a-z]` (or `[!a-z]`) classes, `{a,b}` alternatives, and `\`
//! to escape the next character. Patterns match a whole file name.

use crate::error::{Error, Result};

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Literal(char),
    Any,
    AnyRun,
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
    Alternatives(Vec<Vec<Token>>),
}

/// A compiled glob pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Glob {
    tokens: Vec<Token>,
}

impl Glob {
    /// Compiles `pattern`; `option` names the option in errors.
    pub fn new(pattern: &str, option: &str) -> Result<Glob> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut pos = 0;
        let tokens = parse(&chars, &mut pos, false).map_err(|reason| Error::BadOption {
            name: option.to_string(),
            value: pattern.to_string(),
            reason,
        })?;
        Ok(Glob { tokens })
    }

    /// Whether `name` matches the whole pattern.
    pub fn matches(&self, name: &str) -> bool {
        let chars: Vec<char> = name.chars().collect();
        match_at(&self.tokens, &chars)
    }
}

fn parse(chars: &[char], pos: &mut usize, in_braces: bool) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    while *pos < chars.len() {
        let c = chars[*pos];
        *pos += 1;
        match c {
            '\\' => {
                let next = chars.get(*pos).ok_or("pattern ends with a lone '\\'")?;
                *pos += 1;
                out.push(Token::Literal(*next));
            }
            '*' => out.push(Token::AnyRun),
            '?' => out.push(Token::Any),
            '[' => out.push(parse_class(chars, pos)?),
            '{' => {
                let mut alternatives = Vec::new();
                loop {
                    alternatives.push(parse(chars, pos, true)?);
                    match chars.get(*pos - 1) {
                        Some(',') => continue,
                        Some('}') => break,
                        _ => return Err("unclosed '{'".into()),
                    }
                }
                out.push(Token::Alternatives(alternatives));
            }
            ',' | '}' if in_braces => return Ok(out),
            _ => out.push(Token::Literal(c)),
        }
    }
    if in_braces {
        return Err("unclosed '{'".into());
    }
    Ok(out)
}

fn parse_class(chars: &[char], pos: &mut usize) -> Result<Token, String> {
    let negated = matches!(chars.get(*pos), Some('^') | Some('!'));
    if negated {
        *pos += 1;
    }
    let mut ranges = Vec::new();
    loop {
        let c = *chars.get(*pos).ok_or("unclosed '['")?;
        *pos += 1;
        let c = match c {
            ']' if !ranges.is_empty() => return Ok(Token::Class { negated, ranges }),
            '\\' => {
                let e = *chars.get(*pos).ok_or("unclosed '['")?;
                *pos += 1;
                e
            }
            c => c,
        };
        if chars.get(*pos) == Some(&'-') && chars.get(*pos + 1).is_some_and(|&e| e != ']') {
            let end = chars[*pos + 1];
            *pos += 2;
            if end < c {
                return Err(format!("bad range {c}-{end} in '[...]'"));
            }
            ranges.push((c, end));
        } else {
            ranges.push((c, c));
        }
    }
}

fn match_at(tokens: &[Token], name: &[char]) -> bool {
    let Some((first, rest)) = tokens.split_first() else {
        return name.is_empty();
    };
    match first {
        Token::Literal(c) => name.first() == Some(c) && match_at(rest, &name[1..]),
        Token::Any => !name.is_empty() && match_at(rest, &name[1..]),
        Token::AnyRun => (0..=name.len()).any(|i| match_at(rest, &name[i..])),
        Token::Class { negated, ranges } => match name.first() {
            Some(c) => {
                let inside = ranges.iter().any(|&(lo, hi)| lo <= *c && *c <= hi);
                inside != *negated && match_at(rest, &name[1..])
            }
            None => false,
        },
        Token::Alternatives(alts) => alts.iter().any(|alt| {
            let mut joined = alt.clone();
            joined.extend_from_slice(rest);
            match_at(&joined, name)
        }),
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
