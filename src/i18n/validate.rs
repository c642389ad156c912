//! Checks one edited text before it is saved.
//!
//! An editor edits the body of one message: the text after `id = ` in a Fluent file, with its
//! continuation lines typed without indentation. A UI string is a Fluent message, so its body
//! must parse and must use the same variables and terms as its English source. A content text
//! is plain text shown as it is, so it is never parsed. Both kinds get warnings for things a
//! person should look at but may keep: an empty text, plural variants the language does not
//! have, and phone numbers that differ from the English ones.

use super::fluent::{MessageShape, PLURAL_CATEGORIES, error_position, parse};
use fluent_syntax::ast;
use std::collections::BTreeSet;

/// The two kinds of editable text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A UI string: a Fluent message body, with variables, terms and select expressions.
    Ui,
    /// A content text: plain text shown raw on a page, with no variables.
    Content,
}

/// Why a text cannot be saved as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The body does not parse. `line` and `column` count from 1 within the body as the editor
    /// typed it; `column` counts characters, not bytes.
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    /// The body uses other variables than its source. Both lists are sorted names without `$`.
    VariablesDiffer {
        source: Vec<String>,
        translation: Vec<String>,
    },
    /// The body uses other terms than its source. Both lists are sorted names without `-`.
    TermsDiffer {
        source: Vec<String>,
        translation: Vec<String>,
    },
    /// The body holds more than one message: a line of it reads as the start of another
    /// message (`other-id = …`), a term (`-brand = …`) or a comment (`# …`), as happens when
    /// lines of a Fluent file are pasted into the editor.
    NotOneMessage,
}

/// Something a person should look at, which does not stop the text from being saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Warning {
    /// The text is empty, or only whitespace.
    Empty,
    /// A plural variant such as `[one]` in a language whose only plural category is `other`
    /// (Thai, Vietnamese and S'gaw Karen). Such a variant is never chosen.
    PluralCategory { category: String },
    /// The phone numbers in the text differ from those in the source. Both lists are sorted,
    /// each number once, in the form [`phone_numbers`] gives.
    PhoneNumbers {
        source: Vec<String>,
        translation: Vec<String>,
    },
}

/// Everything found about one text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub refusals: Vec<Refusal>,
    pub warnings: Vec<Warning>,
}

impl Report {
    /// Whether the text must not be saved.
    pub fn is_refused(&self) -> bool {
        !self.refusals.is_empty()
    }
}

/// The id a body is wrapped in to be parsed on its own.
const WRAPPER_ID: &str = "message";

/// How far continuation lines are indented in a Fluent file.
const INDENT: &str = "    ";

/// The locales whose only plural category is `other`.
const ONLY_OTHER_PLURAL: [&str; 3] = ["vi", "th", "ksw"];

/// The storage form of a body as an editor typed it: line breaks as `\n` instead of `\r\n`,
/// and no spaces or line breaks at the end. These are what Fluent ignores at the end of a
/// message; other whitespace there, such as a tab or a no-break space, is kept, as Fluent
/// keeps it.
pub fn normalise(body: &str) -> String {
    body.replace("\r\n", "\n")
        .trim_end_matches([' ', '\r', '\n'])
        .to_owned()
}

/// The Fluent source of message `id` with `body`: the body is normalised, and each
/// continuation line that is not empty is indented by four spaces. Ends with a line break.
pub fn to_fluent(id: &str, body: &str) -> String {
    let body = normalise(body);
    let mut out = String::with_capacity(id.len() + body.len() + 8);
    out.push_str(id);
    out.push_str(" =");
    for (index, line) in body.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
            if !line.is_empty() {
                out.push_str(INDENT);
            }
        } else if !line.is_empty() {
            out.push(' ');
        }
        out.push_str(line);
    }
    out.push('\n');
    out
}

/// Checks `value`, a text of `kind` in `locale` ("en", "vi", "th" or "ksw"), against
/// `source`, its English text in the same form.
///
/// An empty value only gets [`Warning::Empty`]. A content text is never refused: it only gets
/// the empty and phone number warnings. A UI body that does not parse, or that holds more
/// than one message, gets only that refusal; otherwise its variables and terms are compared
/// with the source's, unless the source itself does not parse.
pub fn check(kind: Kind, locale: &str, source: &str, value: &str) -> Report {
    let mut report = Report::default();
    if value.trim().is_empty() {
        report.warnings.push(Warning::Empty);
        return report;
    }
    if kind == Kind::Ui {
        check_message(locale, source, value, &mut report);
    }
    let source_numbers = phone_numbers(source);
    let numbers = phone_numbers(value);
    if source_numbers != numbers {
        report.warnings.push(Warning::PhoneNumbers {
            source: source_numbers,
            translation: numbers,
        });
    }
    report
}

/// The phone numbers in `text`, sorted, each once.
///
/// A phone number is a longest run that starts with an optional `+` and a digit and goes on
/// with digits, where a single space, `-` or `.` may stand between two digits, and that holds
/// at least six digits. Thai and Myanmar digits count as digits. Each number is given as its
/// digits in ASCII, after a `+` if it began with one: `+66 99 130 1300` is `+66991301300`.
pub fn phone_numbers(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = BTreeSet::new();
    let mut index = 0;
    while index < chars.len() {
        let plus = chars[index] == '+' && chars.get(index + 1).is_some_and(|&c| is_digit(c));
        if !plus && !is_digit(chars[index]) {
            index += 1;
            continue;
        }
        let mut number = String::new();
        if plus {
            number.push('+');
            index += 1;
        }
        let mut digits = 0;
        while index < chars.len() {
            if let Some(digit) = ascii_digit(chars[index]) {
                number.push(digit);
                digits += 1;
                index += 1;
            } else if matches!(chars[index], ' ' | '-' | '.')
                && chars.get(index + 1).is_some_and(|&c| is_digit(c))
            {
                index += 1;
            } else {
                break;
            }
        }
        if digits >= 6 {
            found.insert(number);
        }
    }
    found.into_iter().collect()
}

fn is_digit(c: char) -> bool {
    ascii_digit(c).is_some()
}

/// The ASCII digit for an ASCII, Thai or Myanmar digit.
fn ascii_digit(c: char) -> Option<char> {
    let zero = match c {
        '0'..='9' => '0',
        '\u{0E50}'..='\u{0E59}' => '\u{0E50}',
        '\u{1040}'..='\u{1049}' => '\u{1040}',
        _ => return None,
    };
    char::from_digit(u32::from(c) - u32::from(zero), 10)
}

fn check_message(locale: &str, source: &str, value: &str, report: &mut Report) {
    let body = normalise(value);
    let wrapped = to_fluent(WRAPPER_ID, &body);
    let resource = match parse(wrapped.as_str()) {
        Ok(resource) => resource,
        Err((_, errors)) => {
            if let Some(error) = errors.iter().min_by_key(|error| error.pos.start) {
                let position = error_position(&wrapped, error);
                let (line, column) = body_position(&body, &wrapped, position);
                report.refusals.push(Refusal::Syntax {
                    line,
                    column,
                    message: error.kind.to_string(),
                });
            }
            return;
        }
    };
    let [ast::Entry::Message(message)] = resource.body.as_slice() else {
        report.refusals.push(Refusal::NotOneMessage);
        return;
    };
    if body.split('\n').any(starts_an_entry) {
        report.refusals.push(Refusal::NotOneMessage);
        return;
    }
    let shape = MessageShape::of(message);
    if let Some(wanted) = source_shape(source) {
        if wanted.variables != shape.variables {
            report.refusals.push(Refusal::VariablesDiffer {
                source: wanted.variables.into_iter().collect(),
                translation: shape.variables.into_iter().collect(),
            });
        }
        if wanted.terms != shape.terms {
            report.refusals.push(Refusal::TermsDiffer {
                source: wanted.terms.into_iter().collect(),
                translation: shape.terms.into_iter().collect(),
            });
        }
    }
    if ONLY_OTHER_PLURAL.contains(&locale) {
        for category in PLURAL_CATEGORIES {
            if shape.plural_categories.contains(category) {
                report.warnings.push(Warning::PluralCategory {
                    category: category.to_owned(),
                });
            }
        }
    }
}

/// The shape of the source body, if it parses as one message.
fn source_shape(source: &str) -> Option<MessageShape> {
    let wrapped = to_fluent(WRAPPER_ID, source);
    let resource = parse(wrapped.as_str()).ok()?;
    match resource.body.as_slice() {
        [ast::Entry::Message(message)] => Some(MessageShape::of(message)),
        _ => None,
    }
}

/// Where byte `position` of `wrapped`, made by [`to_fluent`] from `body`, lies in `body`, as a
/// line and a column in characters, both counted from 1.
fn body_position(body: &str, wrapped: &str, position: usize) -> (usize, usize) {
    let position = position.min(wrapped.len());
    let before = &wrapped.as_bytes()[..position];
    let line_index = before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |newline| newline + 1);
    let lines: Vec<&str> = body.split('\n').collect();
    let last = lines.len() - 1;
    if line_index > last {
        return (last + 1, lines[last].chars().count() + 1);
    }
    let prefix = if line_index == 0 {
        WRAPPER_ID.len() + " = ".len()
    } else {
        INDENT.len()
    };
    let offset = (position - line_start).saturating_sub(prefix);
    let column = lines[line_index]
        .char_indices()
        .take_while(|&(byte, _)| byte < offset)
        .count();
    (line_index + 1, column + 1)
}

/// Whether `line`, standing at the start of a line in a Fluent file, would begin a message,
/// a term or a comment of its own.
fn starts_an_entry(line: &str) -> bool {
    if let Some(rest) = line.strip_prefix('#') {
        let rest = rest.strip_prefix('#').unwrap_or(rest);
        let rest = rest.strip_prefix('#').unwrap_or(rest);
        return rest.is_empty() || rest.starts_with(' ');
    }
    let name = line.strip_prefix('-').unwrap_or(line);
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return false;
    }
    let rest = name.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    rest.trim_start_matches(' ').starts_with('=')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ui(locale: &str, source: &str, value: &str) -> Report {
        check(Kind::Ui, locale, source, value)
    }

    fn names(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    #[test]
    fn a_faithful_translation_is_accepted_without_warnings() {
        let report = ui("vi", "Hello { $name }", "Xin chào { $name }");
        assert_eq!(report, Report::default());
        assert!(!report.is_refused());
    }

    #[test]
    fn a_value_that_does_not_parse_is_refused_with_its_position() {
        let report = ui("vi", "Hello { $name }", "Xin chào { $name }\nBạn có } mục");
        assert_eq!(
            report.refusals,
            [Refusal::Syntax {
                line: 2,
                column: 8,
                message: "Unbalanced closing brace".to_owned(),
            }]
        );
        assert!(report.is_refused());
    }

    #[test]
    fn a_syntax_error_column_counts_characters_of_the_line_as_typed() {
        let report = ui("th", "Hello\nthere", "สวัสดี\r\nคุณ } x\r\n");
        assert_eq!(
            report.refusals,
            [Refusal::Syntax {
                line: 2,
                column: 5,
                message: "Unbalanced closing brace".to_owned(),
            }]
        );
    }

    #[test]
    fn an_unclosed_placeable_is_placed_at_the_end_of_its_line() {
        let report = ui("en", "Hello", "Hello\nworld { $name");
        assert!(matches!(
            report.refusals.as_slice(),
            [Refusal::Syntax {
                line: 2,
                column: 14,
                ..
            }]
        ));
    }

    #[test]
    fn an_unclosed_placeable_is_placed_at_the_end_of_its_line_even_before_more_text() {
        let report = ui(
            "en",
            "Hello",
            "Hello { $name
and more",
        );
        assert!(matches!(
            report.refusals.as_slice(),
            [Refusal::Syntax {
                line: 1,
                column: 14,
                ..
            }]
        ));
    }

    #[test]
    fn a_bad_variant_line_is_placed_on_its_own_line() {
        let report = ui(
            "en",
            "Hello",
            "{ $n ->
foo
*[other] x
}",
        );
        assert!(matches!(
            report.refusals.as_slice(),
            [Refusal::Syntax {
                line: 2,
                column: 1,
                ..
            }]
        ));
    }

    #[test]
    fn a_syntax_error_is_the_only_refusal() {
        let report = ui("th", "{ $a } { -brand }", "{ $b ->\n[one] x\n}");
        assert_eq!(
            report.refusals,
            [Refusal::Syntax {
                line: 3,
                column: 1,
                message: "The select expression must have a default variant".to_owned(),
            }]
        );
        assert!(report.warnings.is_empty());
    }

    #[test]
    fn variables_in_a_selector_and_in_its_variants_count() {
        let source =
            "{ $count ->\n[one] One item for { $name }\n*[other] { $count } items for { $name }\n}";
        assert!(!ui("en", source, source).is_refused());
        let report = ui("vi", source, "{ $count ->\n*[other] { $count } mục\n}");
        assert_eq!(
            report.refusals,
            [Refusal::VariablesDiffer {
                source: names(&["count", "name"]),
                translation: names(&["count"]),
            }]
        );
    }

    #[test]
    fn a_variable_used_only_in_a_variant_counts() {
        let report = ui(
            "vi",
            "{ $n }",
            "{ $n ->\n*[other] { $n } mục của { $who }\n}",
        );
        assert_eq!(
            report.refusals,
            [Refusal::VariablesDiffer {
                source: names(&["n"]),
                translation: names(&["n", "who"]),
            }]
        );
    }

    #[test]
    fn attribute_lines_become_attributes_whose_variables_count() {
        let source = "Open\n.title = Open { $name }";
        assert_eq!(
            ui("th", source, "เปิด\n.title = เปิด { $name }"),
            Report::default()
        );
        let report = ui("th", source, "เปิด\n.title = เปิด");
        assert_eq!(
            report.refusals,
            [Refusal::VariablesDiffer {
                source: names(&["name"]),
                translation: vec![],
            }]
        );
    }

    #[test]
    fn terms_that_differ_are_refused_with_both_lists() {
        let report = ui("ksw", "About { -brand }", "About { -app } { -brand }");
        assert_eq!(
            report.refusals,
            [Refusal::TermsDiffer {
                source: names(&["brand"]),
                translation: names(&["app", "brand"]),
            }]
        );
    }

    #[test]
    fn variables_in_function_and_term_arguments_count() {
        let source = "{ NUMBER($n, style: \"percent\") } { DATETIME(FN($day), month: \"long\") } { -brand($case, form: \"short\") }";
        assert!(!ui("vi", source, source).is_refused());
        let report = ui(
            "vi",
            source,
            "{ NUMBER($n) } { DATETIME($when) } { -brand }",
        );
        assert_eq!(
            report.refusals,
            [Refusal::VariablesDiffer {
                source: names(&["case", "day", "n"]),
                translation: names(&["n", "when"]),
            }]
        );
    }

    #[test]
    fn variables_in_nested_placeables_count() {
        let report = ui("vi", "{ { $a } }", "{ { $b } }");
        assert_eq!(
            report.refusals,
            [Refusal::VariablesDiffer {
                source: names(&["a"]),
                translation: names(&["b"]),
            }]
        );
    }

    #[test]
    fn a_multiline_value_is_accepted() {
        let source = "First line with { $a }\nSecond line\n\nFourth line";
        let value = "Dòng một với { $a }\n  Dòng hai\n\nDòng bốn\n\n";
        assert_eq!(ui("vi", source, value), Report::default());
    }

    #[test]
    fn a_source_that_does_not_parse_is_not_compared() {
        assert_eq!(
            ui("vi", "Broken { $a", "Xin chào { $b }"),
            Report::default()
        );
    }

    #[test]
    fn a_plural_variant_is_a_warning_in_thai_but_not_in_english() {
        let body =
            "{ $count ->\n[one] One item\n[few] A few\n[one] Again\n*[other] { $count } items\n}";
        let report = ui("th", body, body);
        assert!(!report.is_refused());
        assert_eq!(
            report.warnings,
            [
                Warning::PluralCategory {
                    category: "one".to_owned()
                },
                Warning::PluralCategory {
                    category: "few".to_owned()
                },
            ]
        );
        assert_eq!(ui("en", body, body), Report::default());
    }

    #[test]
    fn plural_variants_in_attributes_are_warned_in_vietnamese_and_karen() {
        let body = "x\n.title = { $n ->\n[many] many\n*[other] other\n}";
        for locale in ["vi", "ksw"] {
            assert_eq!(
                ui(locale, body, body).warnings,
                [Warning::PluralCategory {
                    category: "many".to_owned()
                }]
            );
        }
    }

    #[test]
    fn numeric_and_other_variant_keys_are_not_warned() {
        let body = "{ $n ->\n[0] none\n[1] one\n[male] he\n*[other] { $n }\n}";
        assert_eq!(ui("th", body, body), Report::default());
    }

    #[test]
    fn an_empty_value_only_gets_the_empty_warning() {
        for kind in [Kind::Ui, Kind::Content] {
            for value in ["", "  \r\n\t "] {
                assert_eq!(
                    check(kind, "vi", "Call 1-800-010-180 { $x }", value),
                    Report {
                        refusals: vec![],
                        warnings: vec![Warning::Empty],
                    }
                );
            }
        }
    }

    #[test]
    fn a_phone_number_that_differs_from_the_source_is_warned() {
        let report = ui("th", "Call +66 99 130 1300", "โทร +66 99 130 1301");
        assert_eq!(
            report.warnings,
            [Warning::PhoneNumbers {
                source: names(&["+66991301300"]),
                translation: names(&["+66991301301"]),
            }]
        );
        assert!(!report.is_refused());
    }

    #[test]
    fn the_same_phone_numbers_written_differently_are_not_warned() {
        let source = "Call 1-800-010-180 or +66 99 130 1300.";
        let value = "โทร +66-99-130-1300 หรือ 1800 010 180 หรือ 1.800.010.180";
        assert_eq!(ui("th", source, value), Report::default());
    }

    #[test]
    fn thai_and_myanmar_digits_are_read_as_digits() {
        assert_eq!(phone_numbers("๑-๘๐๐-๐๑๐-๑๘๐"), names(&["1800010180"]));
        assert_eq!(phone_numbers("+၆၆ ၉၉ ၁၃၀ ၁၃၀၀"), names(&["+66991301300"]));
    }

    #[test]
    fn ordinary_numbers_are_not_phone_numbers() {
        for text in [
            "2026",
            "Deleted 180 days later",
            "12 months",
            "1,000,000 baht",
            "12  3456",
            "12345",
        ] {
            assert_eq!(phone_numbers(text), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn phone_numbers_are_normalised_sorted_and_given_once() {
        assert_eq!(
            phone_numbers("Call 1-800-010-180, +66 99 130 1300 or 1800 010 180."),
            names(&["+66991301300", "1800010180"])
        );
    }

    #[test]
    fn a_phone_number_ends_before_a_doubled_or_trailing_separator() {
        assert_eq!(phone_numbers("0812 345 678. Then"), names(&["0812345678"]));
        assert_eq!(phone_numbers("123 456--789"), names(&["123456"]));
        assert_eq!(phone_numbers("+ 66 99 130 1300"), names(&["66991301300"]));
    }

    #[test]
    fn a_content_text_is_never_parsed_nor_refused() {
        let report = check(
            Kind::Content,
            "th",
            "Tick { $what }",
            "{ $broken\nother-id = x\n-term = y\n# comment\n{ $count ->\n[one] x\n*[other] y\n}",
        );
        assert_eq!(report, Report::default());
    }

    #[test]
    fn a_content_text_gets_the_phone_number_warning() {
        let report = check(
            Kind::Content,
            "vi",
            "Call 1300 123 456.",
            "Gọi 1300 123 457.",
        );
        assert_eq!(
            report.warnings,
            [Warning::PhoneNumbers {
                source: names(&["1300123456"]),
                translation: names(&["1300123457"]),
            }]
        );
    }

    #[test]
    fn a_body_with_an_extra_message_line_is_not_one_message() {
        for value in [
            "Hello\nx = y",
            "Hello\nother-id= Hi { $name }",
            "nav-home = Home",
            "Hello\n-brand = Passport",
            "Hello\n# a comment",
            "Hello\n##",
        ] {
            assert_eq!(
                ui("en", "Hello", value).refusals,
                [Refusal::NotOneMessage],
                "{value}"
            );
        }
    }

    #[test]
    fn lines_that_only_look_a_little_like_entries_are_text() {
        for value in [
            "Hello\n  x = y",
            "Hello\n#1 choice",
            "Hello\n1 + 1 = 2",
            "Hello\nEqual to everyone",
        ] {
            assert!(!ui("en", "Hello", value).is_refused(), "{value}");
        }
    }

    #[test]
    fn normalising_drops_only_the_spaces_and_line_breaks_fluent_ignores_at_the_end() {
        assert_eq!(normalise("a\r\nb \r\n\r\n  "), "a\nb");
        assert_eq!(normalise("a\t\u{a0}\n"), "a\t\u{a0}");
    }

    #[test]
    fn to_fluent_indents_continuation_lines_and_leaves_blank_lines_empty() {
        assert_eq!(
            to_fluent("greeting", "Hi\r\n\r\n.title = T  \r\n\r\n"),
            "greeting = Hi\n\n    .title = T\n"
        );
        assert_eq!(to_fluent("m", "\nText"), "m =\n    Text\n");
    }
}
