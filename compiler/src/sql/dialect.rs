//! sqlparser's `DatabricksDialect` (Spark SQL's) with a few Spark literal
//! forms it lacks, handled by the dialect's prefix-parsing hook:
//!
//! - `INTERVAL '10 minutes'` — a unit inside the string (Databricks demands
//!   a unit after the literal);
//! - `INTERVAL 2 HOURS 30 MINUTES` — several value/unit pairs;
//! - `TIMESTAMP_LTZ '…'` typed literals;
//! - `r'…'` raw strings and adjacent string literals (`'a' 'b'` is `'ab'`);
//! - `a div b`, Spark's integral division (sqlparser ranks `DIV` with `*`
//!   but parses it only for MySQL);
//! - a suffix after a number with an exponent (`1E2BD`, `1.5E2F`), which
//!   the tokenizer splits into a number and a word: one literal again.
//!
//! Everything else is forwarded to `DatabricksDialect`, and [`Dialect::dialect`]
//! reports Databricks' type id, so sqlparser's `dialect_of!` checks behave
//! exactly as for Databricks.

use std::any::TypeId;

use sqlparser::ast::{
    DataType as SqlType, Expr as SqlExpr, Ident, Interval, ObjectName, TypedString, Value,
    ValueWithSpan,
};
use sqlparser::dialect::{DatabricksDialect, Dialect};
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Span, Token};

/// Spark SQL as sqlc parses it.
#[derive(Debug, Default, Clone, Copy)]
pub struct SparkDialect(DatabricksDialect);

impl SparkDialect {
    /// The dialect (a constant, usable in statics).
    pub const fn new() -> Self {
        SparkDialect(DatabricksDialect)
    }
}

/// Interval unit words Spark accepts after a value (singular or plural).
pub(crate) const INTERVAL_UNITS: &[&str] = &[
    "YEAR",
    "YEARS",
    "MONTH",
    "MONTHS",
    "WEEK",
    "WEEKS",
    "DAY",
    "DAYS",
    "HOUR",
    "HOURS",
    "MINUTE",
    "MINUTES",
    "SECOND",
    "SECONDS",
    "MILLISECOND",
    "MILLISECONDS",
    "MICROSECOND",
    "MICROSECONDS",
];

fn is_unit(t: &Token) -> bool {
    matches!(t, Token::Word(w) if w.quote_style.is_none()
        && INTERVAL_UNITS.iter().any(|u| u.eq_ignore_ascii_case(&w.value)))
}

fn is_plain_word(t: &Token, text: &str) -> bool {
    matches!(t, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(text))
}

fn string_value(s: String, span: Span) -> SqlExpr {
    SqlExpr::Value(ValueWithSpan {
        value: Value::SingleQuotedString(s),
        span,
    })
}

/// An interval whose units are all in its string (`'2 hours 30 minutes'`).
fn unit_less_interval(text: String, span: Span) -> SqlExpr {
    SqlExpr::Interval(Interval {
        value: Box::new(string_value(text, span)),
        leading_field: None,
        leading_precision: None,
        last_field: None,
        fractional_seconds_precision: None,
    })
}

impl SparkDialect {
    /// `INTERVAL 'text'` without a unit, or several `value unit` pairs.
    /// `None` leaves the single-unit forms to sqlparser.
    fn parse_interval(&self, parser: &mut Parser) -> Option<Result<SqlExpr, ParserError>> {
        let span = parser.peek_nth_token_ref(1).span;
        if let Token::SingleQuotedString(s) = &parser.peek_nth_token_ref(1).token {
            if !is_unit(&parser.peek_nth_token_ref(2).token) {
                let s = s.clone();
                parser.advance_token();
                parser.advance_token();
                return Some(Ok(unit_less_interval(s, span)));
            }
        }
        // value unit (value unit)+ with value: number, -number or 'string'
        let mut i = 1;
        let mut parts = Vec::new();
        loop {
            let (value, width) = match &parser.peek_nth_token_ref(i).token {
                Token::Number(n, _) => (n.clone(), 1),
                Token::SingleQuotedString(s) => (s.clone(), 1),
                Token::Minus => match &parser.peek_nth_token_ref(i + 1).token {
                    Token::Number(n, _) => (format!("-{n}"), 2),
                    _ => break,
                },
                _ => break,
            };
            let unit = &parser.peek_nth_token_ref(i + width).token;
            if !is_unit(unit) {
                break;
            }
            parts.push(format!("{value} {unit}"));
            i += width + 1;
        }
        if parts.len() < 2 {
            return None;
        }
        for _ in 0..i {
            parser.advance_token();
        }
        Some(Ok(unit_less_interval(parts.join(" "), span)))
    }

    /// `'a' 'b' …` → one literal; the raw texts join, so escapes still work.
    fn parse_adjacent_strings(&self, parser: &mut Parser) -> Option<Result<SqlExpr, ParserError>> {
        let mut n = 0;
        while matches!(
            parser.peek_nth_token_ref(n).token,
            Token::SingleQuotedString(_)
        ) {
            n += 1;
        }
        if n < 2 {
            return None;
        }
        let span = parser.peek_token_ref().span;
        let mut text = String::new();
        for _ in 0..n {
            if let Token::SingleQuotedString(s) = parser.next_token().token {
                text.push_str(&s);
            }
        }
        Some(Ok(string_value(text, span)))
    }
}

impl Dialect for SparkDialect {
    fn dialect(&self) -> TypeId {
        TypeId::of::<DatabricksDialect>()
    }

    fn parse_prefix(&self, parser: &mut Parser) -> Option<Result<SqlExpr, ParserError>> {
        let first = parser.peek_token_ref().token.clone();
        let second = &parser.peek_nth_token_ref(1).token;
        match (&first, second) {
            (Token::Word(w), _) if w.keyword == Keyword::INTERVAL && w.quote_style.is_none() => {
                self.parse_interval(parser)
            }
            (t, Token::SingleQuotedString(s)) if is_plain_word(t, "TIMESTAMP_LTZ") => {
                let value = ValueWithSpan {
                    value: Value::SingleQuotedString(s.clone()),
                    span: parser.peek_nth_token_ref(1).span,
                };
                parser.advance_token();
                parser.advance_token();
                Some(Ok(SqlExpr::TypedString(TypedString {
                    data_type: SqlType::Custom(
                        ObjectName::from(vec![Ident::new("TIMESTAMP_LTZ")]),
                        vec![],
                    ),
                    value,
                    uses_odbc_syntax: false,
                })))
            }
            (t, Token::SingleQuotedString(s)) if is_plain_word(t, "r") => {
                let value = ValueWithSpan {
                    value: Value::SingleQuotedRawStringLiteral(s.clone()),
                    span: parser.peek_token_ref().span,
                };
                parser.advance_token();
                parser.advance_token();
                Some(Ok(SqlExpr::Value(value)))
            }
            (Token::SingleQuotedString(_), Token::SingleQuotedString(_)) => {
                self.parse_adjacent_strings(parser)
            }
            (Token::Number(n, false), Token::Word(w))
                if w.quote_style.is_none()
                    && ["BD", "D", "F"]
                        .iter()
                        .any(|x| w.value.eq_ignore_ascii_case(x))
                    && n.contains(['e', 'E'])
                    && parser.peek_token_ref().span.end
                        == parser.peek_nth_token_ref(1).span.start =>
            {
                // `1E2BD`: one token for the literal parser (a suffixed
                // number reads as an identifier, see `sql::values`).
                let span = parser
                    .peek_token_ref()
                    .span
                    .union(&parser.peek_nth_token_ref(1).span);
                let text = format!("{n}{}", w.value);
                parser.advance_token();
                parser.advance_token();
                Some(Ok(SqlExpr::Identifier(Ident::with_span(span, text))))
            }
            _ => None,
        }
    }

    fn parse_infix(
        &self,
        parser: &mut Parser,
        expr: &SqlExpr,
        precedence: u8,
    ) -> Option<Result<SqlExpr, ParserError>> {
        if !parser.parse_keyword(Keyword::DIV) {
            return None;
        }
        Some(
            parser
                .parse_subexpr(precedence)
                .map(|right| SqlExpr::BinaryOp {
                    left: Box::new(expr.clone()),
                    op: sqlparser::ast::BinaryOperator::MyIntegerDivide,
                    right: Box::new(right),
                }),
        )
    }

    // ---- everything below forwards to DatabricksDialect ----

    fn is_delimited_identifier_start(&self, ch: char) -> bool {
        self.0.is_delimited_identifier_start(ch)
    }
    fn supports_string_literal_column_alias(&self, explicit: bool) -> bool {
        self.0.supports_string_literal_column_alias(explicit)
    }
    fn supports_string_literal_table_alias(&self, explicit: bool) -> bool {
        self.0.supports_string_literal_table_alias(explicit)
    }
    fn supports_comparison_in_between_low_bound(&self) -> bool {
        self.0.supports_comparison_in_between_low_bound()
    }
    fn identifier_quote_style(&self, identifier: &str) -> Option<char> {
        self.0.identifier_quote_style(identifier)
    }
    fn is_identifier_start(&self, ch: char) -> bool {
        self.0.is_identifier_start(ch)
    }
    fn is_identifier_part(&self, ch: char) -> bool {
        self.0.is_identifier_part(ch)
    }
    fn is_table_factor(&self, kw: &Keyword, parser: &mut Parser) -> bool {
        self.0.is_table_factor(kw, parser)
    }
    /// `INTERVAL DAY TO HOUR` as a type (`CAST(x AS INTERVAL MINUTE)`).
    fn supports_interval_options(&self) -> bool {
        true
    }
    fn supports_numeric_prefix(&self) -> bool {
        self.0.supports_numeric_prefix()
    }
    fn supports_filter_during_aggregation(&self) -> bool {
        self.0.supports_filter_during_aggregation()
    }
    fn supports_group_by_expr(&self) -> bool {
        self.0.supports_group_by_expr()
    }
    fn supports_table_versioning(&self) -> bool {
        self.0.supports_table_versioning()
    }
    fn supports_lambda_functions(&self) -> bool {
        self.0.supports_lambda_functions()
    }
    fn supports_select_wildcard_except(&self) -> bool {
        self.0.supports_select_wildcard_except()
    }
    fn require_interval_qualifier(&self) -> bool {
        self.0.require_interval_qualifier()
    }
    fn supports_struct_literal(&self) -> bool {
        self.0.supports_struct_literal()
    }
    fn supports_nested_comments(&self) -> bool {
        self.0.supports_nested_comments()
    }
    fn supports_group_by_with_modifier(&self) -> bool {
        self.0.supports_group_by_with_modifier()
    }
    fn supports_values_as_table_factor(&self) -> bool {
        self.0.supports_values_as_table_factor()
    }
    fn supports_optimize_table(&self) -> bool {
        self.0.supports_optimize_table()
    }
    fn supports_bang_not_operator(&self) -> bool {
        self.0.supports_bang_not_operator()
    }
    fn supports_cte_without_as(&self) -> bool {
        self.0.supports_cte_without_as()
    }
    fn supports_select_item_multi_column_alias(&self) -> bool {
        self.0.supports_select_item_multi_column_alias()
    }
    fn supports_map_literal_with_angle_brackets(&self) -> bool {
        self.0.supports_map_literal_with_angle_brackets()
    }
    fn supports_data_type_collation(&self) -> bool {
        self.0.supports_data_type_collation()
    }
    fn supports_string_literal_backslash_escape(&self) -> bool {
        self.0.supports_string_literal_backslash_escape()
    }
    fn supports_select_wildcard_replace(&self) -> bool {
        self.0.supports_select_wildcard_replace()
    }
    fn supports_from_first_select(&self) -> bool {
        self.0.supports_from_first_select()
    }
    fn supports_pipe_operator(&self) -> bool {
        self.0.supports_pipe_operator()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::parser::ParserOptions;

    fn parse(d: &dyn Dialect, sql: &str) -> String {
        let opts = ParserOptions::new().with_unescape(false);
        match Parser::new(d)
            .with_options(opts)
            .try_with_sql(sql)
            .and_then(|mut p| p.parse_statements())
        {
            Ok(s) => format!("{s:?}"),
            Err(e) => format!("error: {e}"),
        }
    }

    /// The wrapper must not change how anything else parses.
    #[test]
    fn forwards_to_databricks() {
        for sql in [
            "SELECT `a b`, x FROM t AS u LEFT SEMI JOIN v USING (x) WHERE !y",
            "SELECT gt, count(*) FROM t GROUP BY gt, model WITH ROLLUP",
            "SELECT DISTINCT ON (gt) * FROM activity",
            "WITH c (SELECT 1) SELECT * FROM c",
            "SELECT 10L, 1.5D, INTERVAL 1 HOUR, INTERVAL '30' MINUTE, 'a\\'b' FROM t",
            "SELECT * EXCEPT (a) FROM t /* a /* nested */ comment */",
            "SELECT x FROM t WHERE x BETWEEN 1 < 2 AND 3",
            "SELECT window(ts, '10 minutes') FROM t GROUP BY CUBE(a, b)",
        ] {
            assert_eq!(
                parse(&SparkDialect::new(), sql),
                parse(&DatabricksDialect {}, sql),
                "{sql}"
            );
        }
    }
}
