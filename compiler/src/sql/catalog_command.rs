//! `SHOW FUNCTIONS [LIKE 'pattern']` and `DESCRIBE FUNCTION [EXTENDED] name`:
//! statements about the function catalog, recognized by their leading
//! keywords (sqlparser has no form of the second). Their answers are rows
//! of text, which the facade turns into a DataFrame.

use crate::error::{Error, Result};
use crate::functions;

/// The rows of a catalog statement: its one column's name and its values.
#[derive(Debug)]
pub struct CatalogAnswer {
    pub column: &'static str,
    pub rows: Vec<String>,
}

/// The answer to `text` if it is a catalog statement.
pub fn catalog_command(text: &str) -> Option<Result<CatalogAnswer>> {
    let text = text.trim().trim_end_matches(';').trim();
    let words: Vec<&str> = text.split_whitespace().collect();
    let upper: Vec<String> = words.iter().map(|w| w.to_ascii_uppercase()).collect();
    match upper
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["SHOW", "FUNCTIONS", rest @ ..] | ["SHOW", "ALL", "FUNCTIONS", rest @ ..] => {
            let pattern = match rest {
                [] => None,
                ["LIKE", _] | [_] => Some(unquote(words[words.len() - 1])),
                _ => return Some(Err(syntax(text))),
            };
            let matcher = pattern.as_deref().map(like_pattern);
            let mut names: Vec<&str> = functions::names().collect();
            names.sort_unstable();
            names.dedup();
            let rows = names
                .into_iter()
                .filter(|n| matcher.as_ref().is_none_or(|m| m.is_match(n)))
                .map(str::to_string)
                .collect();
            Some(Ok(CatalogAnswer {
                column: "function",
                rows,
            }))
        }
        ["DESCRIBE" | "DESC", "FUNCTION", rest @ ..] => {
            let name = match rest {
                [_] | ["EXTENDED", _] => unquote(words[words.len() - 1]),
                _ => return Some(Err(syntax(text))),
            };
            Some(match functions::describe(&name) {
                Some(f) => {
                    let mut rows = vec![
                        format!("Function: {}", f.name),
                        format!("Class: sqlc.{} {} function", f.runs, f.kind),
                        format!("Usage: {}", f.usage),
                    ];
                    if !f.aliases.is_empty() {
                        rows.push(format!("Aliases: {}", f.aliases.join(", ")));
                    }
                    Ok(CatalogAnswer {
                        column: "function_desc",
                        rows,
                    })
                }
                None => Err(Error::unknown_function(&name, functions::names())),
            })
        }
        _ => None,
    }
}

fn unquote(w: &str) -> String {
    w.trim_matches(|c| c == '\'' || c == '"' || c == '`')
        .to_string()
}

fn syntax(text: &str) -> Error {
    Error::Parse {
        message: format!("Syntax error in `{text}`"),
        line: 1,
        column: 1,
    }
}

/// Spark's SHOW FUNCTIONS pattern as a regex: `*` any characters, `|`
/// alternatives, case-insensitive.
fn like_pattern(p: &str) -> regex::Regex {
    let alts: Vec<String> = p
        .split('|')
        .map(|alt| {
            alt.trim()
                .split('*')
                .map(regex::escape)
                .collect::<Vec<_>>()
                .join(".*")
        })
        .collect();
    // Escaped literals joined by `.*` and `|` always form a valid regex.
    regex::Regex::new(&format!("^(?i)(?:{})$", alts.join("|")))
        .unwrap_or_else(|_| regex::Regex::new("$^").expect("a regex matching nothing"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn show_and_describe_read_the_catalog() {
        let all = catalog_command("SHOW FUNCTIONS").unwrap().unwrap();
        assert!(all.rows.len() > 100, "{}", all.rows.len());
        assert!(all.rows.iter().any(|n| n == "date_format"));
        let some = catalog_command("show functions like 'regexp*'")
            .unwrap()
            .unwrap();
        assert!(
            some.rows.iter().all(|n| n.starts_with("regexp")),
            "{:?}",
            some.rows
        );
        assert!(some.rows.len() >= 5);
        let d = catalog_command("DESCRIBE FUNCTION lpad").unwrap().unwrap();
        assert_eq!(d.rows[0], "Function: lpad");
        let e = catalog_command("DESC FUNCTION date_fromat")
            .unwrap()
            .unwrap_err();
        assert_eq!(e.class(), "UNRESOLVED_ROUTINE");
        assert!(catalog_command("SELECT 1").is_none());
    }
}
