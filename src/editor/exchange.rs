//! One locale's texts, UI strings and content texts alike, as a standard Fluent (`.ftl`) file,
//! so that translators can work on them in any Fluent tool and send them back.
//!
//! UI strings are written as the Fluent messages they are. Content texts are plain text, so
//! they are escaped: braces, the characters that would start a variant or an attribute at
//! the start of a line, and spaces that Fluent would drop are written as string literals
//! such as `{"{"}`. Importing a file undoes both, so that exporting what was imported gives
//! the same file again.

use crate::i18n::{
    fluent,
    validate::{self, Kind},
};
use fluent_syntax::ast;
use std::collections::HashMap;

/// One text to export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The app's id: a Fluent id for a UI string, a dotted id for a content text.
    pub id: String,
    pub kind: Kind,
    /// A UI body as the editor typed it, or a content text.
    pub value: String,
}

/// One text read from a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    /// The line of the file the message starts on, counted from 1.
    pub line: usize,
    /// The app's id, as in [`Entry::id`].
    pub id: String,
    pub kind: Kind,
    /// A UI body in the form the editor types it, or a content text.
    pub value: String,
}

/// Something in a file that keeps it from being imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportProblem {
    /// The line of the file, counted from 1.
    pub line: usize,
    /// The app's id of the message the problem is in, if it is in one; a term's id keeps its
    /// leading `-`.
    pub id: Option<String>,
    /// What is wrong, in English.
    pub message: String,
}

/// How far continuation lines are indented in an exported file.
const INDENT: &str = "    ";

/// The Fluent identifier of an app id. UI ids already are Fluent identifiers (`nav-home`).
/// Content ids are dotted (`checklist.job-offer.title`, segments of `[a-z0-9-]`, starting
/// with a letter) and have each `.` written as `_` (`checklist_job-offer_title`); UI ids never
/// contain `_`, so a `_` tells a content text on import.
pub fn fluent_id(kind: Kind, id: &str) -> String {
    match kind {
        Kind::Ui => id.to_owned(),
        Kind::Content => id.replace('.', "_"),
    }
}

/// A Fluent file of `entries`, in their order, after `header_comment` as a resource comment
/// (`### …`, one per line of it) and a blank line. Entries whose value is empty or only
/// whitespace are left out, as a Fluent message cannot be empty.
///
/// A UI body is written in its normalised form (see [`validate::normalise`]), without
/// leading spaces, which Fluent ignores. It must be a body that [`validate::check`] accepts
/// for the file to parse.
pub fn export(header_comment: &str, entries: &[Entry]) -> String {
    let mut out = String::new();
    for line in header_comment.lines() {
        out.push_str("###");
        if !line.is_empty() {
            out.push(' ');
            out.push_str(line);
        }
        out.push('\n');
    }
    if !out.is_empty() {
        out.push('\n');
    }
    for entry in entries {
        if entry.value.trim().is_empty() {
            continue;
        }
        let id = fluent_id(entry.kind, &entry.id);
        match entry.kind {
            Kind::Ui => out.push_str(&validate::to_fluent(
                &id,
                entry.value.trim_start_matches(' '),
            )),
            Kind::Content => write_content(&mut out, &id, &entry.value),
        }
    }
    out
}

/// Writes the message `id` with the plain `text` as its value, escaped so that Fluent gives
/// back exactly `text`.
fn write_content(out: &mut String, id: &str, text: &str) {
    out.push_str(id);
    out.push_str(" =");
    let lines: Vec<&str> = text.split('\n').collect();
    let last = lines.len() - 1;
    for (index, line) in lines.iter().enumerate() {
        let escaped = escape_content_line(line, index == 0, index == last);
        if index > 0 {
            out.push('\n');
            if !escaped.is_empty() {
                out.push_str(INDENT);
            }
        } else if !escaped.is_empty() {
            out.push(' ');
        }
        out.push_str(&escaped);
    }
    out.push('\n');
}

/// One line of a content text as Fluent. Fluent drops spaces at the start of a line and at
/// the end of the value, and blank lines at the start and end of the value, so these are
/// written as string literals; so are braces, a carriage return, and a `[`, `*` or `.` that
/// starts a continuation line, where it would begin a variant or an attribute.
fn escape_content_line(line: &str, first: bool, last: bool) -> String {
    if line.is_empty() {
        return if first || last {
            literal("")
        } else {
            String::new()
        };
    }
    let text = line.trim_matches(' ');
    if text.is_empty() {
        return literal(line);
    }
    let leading = &line[..line.len() - line.trim_start_matches(' ').len()];
    let trailing = &line[line.trim_end_matches(' ').len()..];
    let mut out = String::with_capacity(line.len() + 8);
    if !leading.is_empty() {
        out.push_str(&literal(leading));
    }
    for (index, c) in text.char_indices() {
        let starts_line = index == 0 && leading.is_empty() && !first;
        if matches!(c, '{' | '}' | '\r') || (starts_line && matches!(c, '[' | '*' | '.')) {
            out.push_str(&literal(c.encode_utf8(&mut [0; 4])));
        } else {
            out.push(c);
        }
    }
    if !trailing.is_empty() {
        out.push_str(&literal(trailing));
    }
    out
}

/// A Fluent string literal placeable that gives `text`.
fn literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    out.push_str("{\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\r' => out.push_str("\\u000D"),
            '\n' => out.push_str("\\u000A"),
            _ => out.push(c),
        }
    }
    out.push_str("\"}");
    out
}

/// Every message in a Fluent file, in the file's order, or every problem the file has.
///
/// A message whose id contains `_` is a content text; any other is a UI string. A UI string's
/// value is its body with the continuation lines' indentation taken off, as the editor types
/// it. A content text's value must be text and string literals only.
///
/// Problems are syntax errors, terms (the app has none), ids that appear twice, content texts
/// with placeables or attributes, content ids that are not dotted ids, and UI messages whose
/// layout cannot be kept. Comments are ignored. A byte order mark at the start and `\r\n` line
/// ends are accepted.
pub fn import(text: &str) -> Result<Vec<Imported>, Vec<ImportProblem>> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let text = text.replace("\r\n", "\n");
    let text = text.as_str();
    let (resource, errors) = match fluent::parse(text) {
        Ok(resource) => (resource, Vec::new()),
        Err((resource, errors)) => (resource, errors),
    };
    let mut problems: Vec<ImportProblem> = errors
        .iter()
        .map(|error| ImportProblem {
            line: line_at(text, fluent::error_position(text, error)),
            id: None,
            message: error.kind.to_string(),
        })
        .collect();

    let mut entry_starts: Vec<usize> = resource
        .body
        .iter()
        .filter_map(|entry| match entry {
            ast::Entry::Message(message) => Some(offset_in(text, message.id.name)),
            ast::Entry::Term(term) => Some(offset_in(text, term.id.name).saturating_sub(1)),
            ast::Entry::Junk { content } => Some(offset_in(text, content)),
            ast::Entry::Comment(_)
            | ast::Entry::GroupComment(_)
            | ast::Entry::ResourceComment(_) => None,
        })
        .collect();
    entry_starts.sort_unstable();

    let mut imported = Vec::new();
    let mut first_lines: HashMap<&str, usize> = HashMap::new();
    for entry in &resource.body {
        match entry {
            ast::Entry::Message(message) => {
                let name = message.id.name;
                let start = offset_in(text, name);
                let line = line_at(text, start);
                let kind = if name.contains('_') {
                    Kind::Content
                } else {
                    Kind::Ui
                };
                let id = match kind {
                    Kind::Ui => name.to_owned(),
                    Kind::Content => name.replace('_', "."),
                };
                let mut complaints = Vec::new();
                if let Some(first) = first_lines.get(name) {
                    complaints.push(format!("this id is already used on line {first}"));
                } else {
                    first_lines.insert(name, line);
                }
                if kind == Kind::Content && !is_content_id(&id) {
                    complaints.push(
                        "a content id is parts of a-z, 0-9 and - joined by dots, starting with a letter"
                            .to_owned(),
                    );
                }
                let value = match kind {
                    Kind::Ui => {
                        let end = entry_starts
                            .iter()
                            .copied()
                            .find(|&next| next > start)
                            .unwrap_or(text.len());
                        ui_body(message, text.get(start..end).unwrap_or_default())
                            .map_err(|complaint| vec![complaint])
                    }
                    Kind::Content => content_text(message),
                };
                match value {
                    Ok(value) if complaints.is_empty() => {
                        imported.push(Imported {
                            line,
                            id,
                            kind,
                            value,
                        });
                        continue;
                    }
                    Ok(_) => {}
                    Err(found) => complaints.extend(found.into_iter().map(str::to_owned)),
                }
                problems.extend(complaints.into_iter().map(|message| ImportProblem {
                    line,
                    id: Some(id.clone()),
                    message,
                }));
            }
            ast::Entry::Term(term) => {
                let start = offset_in(text, term.id.name);
                problems.push(ImportProblem {
                    line: line_at(text, start),
                    id: Some(format!("-{}", term.id.name)),
                    message: "terms cannot be imported: the app has no terms".to_owned(),
                });
            }
            ast::Entry::Comment(_)
            | ast::Entry::GroupComment(_)
            | ast::Entry::ResourceComment(_)
            | ast::Entry::Junk { .. } => {}
        }
    }

    if problems.is_empty() {
        Ok(imported)
    } else {
        problems.sort_by_key(|problem| problem.line);
        Err(problems)
    }
}

/// The body of the UI `message`, whose source in the file is `source`: from the message's id
/// to the start of the next entry. The body is the text after `=`, up to the first comment
/// line, without spaces and blank lines at either end. Continuation lines lose the same
/// indentation, four spaces or the least any of them has if that is less, so that indenting
/// them by four spaces again gives a message that means the same; a message for which that
/// is not so is refused.
fn ui_body(message: &ast::Message<&str>, source: &str) -> Result<String, &'static str> {
    let unreadable = "this message's source could not be read";
    let after_id = source.get(message.id.name.len()..).ok_or(unreadable)?;
    let rest = after_id
        .trim_start_matches(' ')
        .strip_prefix('=')
        .ok_or(unreadable)?
        .trim_start_matches(' ');
    let rest = rest.find("\n#").map_or(rest, |comment| &rest[..comment]);
    let rest = rest.trim_end_matches([' ', '\n']);

    let mut lines = rest.split('\n');
    let first = lines.next().unwrap_or_default();
    let others: Vec<&str> = lines.collect();
    let indent = others
        .iter()
        .filter(|line| !line.trim_start_matches(' ').is_empty())
        .map(|line| leading_spaces(line))
        .min()
        .unwrap_or(0)
        .min(INDENT.len());
    let mut body = first.to_owned();
    for line in others {
        body.push('\n');
        body.push_str(&line[leading_spaces(line).min(indent)..]);
    }

    let wrapped = validate::to_fluent(message.id.name, &body);
    let same = match fluent::parse(wrapped.as_str()) {
        Ok(resource) => match resource.body.as_slice() {
            [ast::Entry::Message(again)] => {
                again.value == message.value && again.attributes == message.attributes
            }
            _ => false,
        },
        Err(_) => false,
    };
    if same {
        Ok(body)
    } else {
        Err("this message cannot be kept as it is: indent each of its continuation lines")
    }
}

fn leading_spaces(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The plain text of a content `message`: its text, and its string literals unescaped; or
/// what keeps it from being plain text.
fn content_text(message: &ast::Message<&str>) -> Result<String, Vec<&'static str>> {
    let mut complaints = Vec::new();
    if !message.attributes.is_empty() {
        complaints.push("content texts take no attributes");
    }
    let mut text = String::new();
    let elements = message
        .value
        .as_ref()
        .map_or(&[][..], |pattern| &pattern.elements);
    for element in elements {
        match element {
            ast::PatternElement::TextElement { value } => text.push_str(value),
            ast::PatternElement::Placeable {
                expression: ast::Expression::Inline(ast::InlineExpression::StringLiteral { value }),
            } => text.push_str(&fluent_syntax::unicode::unescape_unicode_to_string(value)),
            ast::PatternElement::Placeable { .. } => {
                complaints.push("content texts take no placeables");
                break;
            }
        }
    }
    if complaints.is_empty() {
        Ok(text)
    } else {
        Err(complaints)
    }
}

/// Whether `id` is a content id: dot-separated parts of `a-z`, `0-9` and `-`, starting with a
/// letter.
fn is_content_id(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase())
        && id.split('.').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
}

/// Where `part`, a slice of `text` given back by the parser, starts in `text`.
fn offset_in(text: &str, part: &str) -> usize {
    (part.as_ptr() as usize)
        .wrapping_sub(text.as_ptr() as usize)
        .min(text.len())
}

/// The line, counted from 1, that byte `offset` of `text` is on.
fn line_at(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::fs;

    fn ui(id: &str, value: &str) -> Entry {
        Entry {
            id: id.to_owned(),
            kind: Kind::Ui,
            value: value.to_owned(),
        }
    }

    fn content(id: &str, value: &str) -> Entry {
        Entry {
            id: id.to_owned(),
            kind: Kind::Content,
            value: value.to_owned(),
        }
    }

    /// The entries that importing `text` gives, without their line numbers.
    fn entries(text: &str) -> Vec<Entry> {
        let imported = import(text).unwrap_or_else(|problems| panic!("{problems:#?}\n{text}"));
        imported
            .into_iter()
            .map(|imported| Entry {
                id: imported.id,
                kind: imported.kind,
                value: imported.value,
            })
            .collect()
    }

    /// The problems that importing `text` gives, as line, id and message.
    fn problems(text: &str) -> Vec<(usize, Option<String>, String)> {
        import(text)
            .expect_err("the import should fail")
            .into_iter()
            .map(|problem| (problem.line, problem.id, problem.message))
            .collect()
    }

    #[test]
    fn fluent_ids_write_the_dots_of_content_ids_as_underscores() {
        assert_eq!(fluent_id(Kind::Ui, "nav-home"), "nav-home");
        assert_eq!(
            fluent_id(Kind::Content, "checklist.job-offer.title"),
            "checklist_job-offer_title"
        );
    }

    #[test]
    fn an_export_starts_with_the_header_and_leaves_out_empty_values() {
        let file = export(
            "Vietnamese texts\n\nExported for review",
            &[
                ui("nav-home", "Trang chủ"),
                ui("nav-help", "  \n"),
                content("guide.nz.title", ""),
                content("guide.nz.intro", "Đi làm việc ở New Zealand"),
            ],
        );
        assert_eq!(
            file,
            "### Vietnamese texts\n###\n### Exported for review\n\nnav-home = Trang chủ\nguide_nz_intro = Đi làm việc ở New Zealand\n"
        );
        assert_eq!(
            entries(&file),
            [
                ui("nav-home", "Trang chủ"),
                content("guide.nz.intro", "Đi làm việc ở New Zealand"),
            ]
        );
        assert_eq!(export("", &[ui("a", "b")]), "a = b\n");
    }

    #[test]
    fn content_texts_are_escaped_for_fluent() {
        let file = export(
            "",
            &[content(
                "help.note",
                "  Use {braces}, \"quotes\" and \\ \n[not a variant]\n*not default\n.not attribute\n\n  indented  \nend ",
            )],
        );
        assert_eq!(
            file,
            "help_note = {\"  \"}Use {\"{\"}braces{\"}\"}, \"quotes\" and \\{\" \"}\n    {\"[\"}not a variant]\n    {\"*\"}not default\n    {\".\"}not attribute\n\n    {\"  \"}indented{\"  \"}\n    end{\" \"}\n"
        );
    }

    #[test]
    fn content_texts_come_back_exactly_as_they_were_exported() {
        let texts = [
            "{ $not_a_variable } and {{braces}}",
            "She said \"go\" \\ and left\\",
            "[one] looks like a variant\n[one] so does this\n*[other] and this",
            "a\n.title = looks like an attribute\n. dot",
            "  leading and trailing  ",
            "\n\nblank lines around\n\n",
            "line one\n   indented two\n\n\nfour   \n",
            "tab\tin\tthe middle\t\n\tand at the start",
            "# not a comment\n-not-a-term = x\nid = not a message",
            "สวัสดี { ครับ }\n  ၁၃၀၀",
            "\r\ncarriage\rreturns\r",
        ];
        let entries_out: Vec<Entry> = texts
            .iter()
            .enumerate()
            .map(|(index, text)| content(&format!("text.n{index}"), text))
            .collect();
        let file = export("Content", &entries_out);
        assert_eq!(entries(&file), entries_out, "{file}");
        assert_eq!(export("Content", &entries(&file)), file);
    }

    #[test]
    fn ui_bodies_come_back_as_the_editor_typed_them() {
        let bodies = [
            ui("plain", "Hello { $name }, welcome to { -brand }."),
            ui(
                "select",
                "{ $count ->\n[one] One item\n*[other] { $count } items\n}",
            ),
            ui(
                "nested",
                "You have { $count ->\n[0] nothing\n*[other] { $kind ->\n[a] A\n*[b] B { NUMBER($count) }\n}\n} now.",
            ),
            ui("lines", "First line\n  second, indented\n\nfourth"),
            ui(
                "attribute",
                "Open\n.title = Open { $what }\n.aria-label = Open",
            ),
            ui("only-attribute", "\n.title = Title"),
            ui("next-line", "\nStarts on the next line\nand goes on"),
            ui("spaces", "a\n  \nb"),
            ui("tab", "ends in a tab\t"),
            ui("no-break", "ends in a no-break space\u{a0}"),
        ];
        let file = export("UI", &bodies);
        assert_eq!(entries(&file), bodies, "{file}");
        assert_eq!(export("UI", &entries(&file)), file);
        assert!(file.contains("select = { $count ->\n    [one] One item\n    *[other]"));
    }

    #[test]
    fn a_ui_body_is_exported_in_its_normalised_form() {
        let file = export("", &[ui("m", "  Hi\r\nthere  \r\n\r\n")]);
        assert_eq!(file, "m = Hi\n    there\n");
        assert_eq!(entries(&file), [ui("m", "Hi\nthere")]);
    }

    #[test]
    fn a_hand_written_file_imports_with_its_indentation_taken_off() {
        let file = "\
# A comment about the message.
items =
    { $count ->
        [one] One item
       *[other] { $count } items
    }

## Group comment
open = Open
  .title = Opens it
weird =  two leading spaces
    line two
        line three
select-at-zero = { $n ->
[one] a
*[other] b
}
";
        let imported = entries(file);
        assert_eq!(
            imported,
            [
                ui(
                    "items",
                    "\n{ $count ->\n    [one] One item\n   *[other] { $count } items\n}"
                ),
                ui("open", "Open\n.title = Opens it"),
                ui("weird", "two leading spaces\nline two\n    line three"),
                ui("select-at-zero", "{ $n ->\n[one] a\n*[other] b\n}"),
            ]
        );
        let again = export("", &imported);
        assert_eq!(entries(&again), imported);
    }

    #[test]
    fn a_placeable_at_the_start_of_a_line_that_would_change_meaning_is_a_problem() {
        let file = "m = Text\n{ $x }\n    indented\n";
        assert_eq!(
            problems(file),
            [(
                1,
                Some("m".to_owned()),
                "this message cannot be kept as it is: indent each of its continuation lines"
                    .to_owned()
            )]
        );
    }

    #[test]
    fn content_literals_are_unescaped_on_import() {
        let file = "a_b = x{ \"\\\"\" }{\"\\\\\"}{ \"\\u0041\\U01F600\" }{\"\"}y\n";
        assert_eq!(entries(file), [content("a.b", "x\"\\A😀y")]);
    }

    #[test]
    fn every_problem_in_a_file_is_reported_with_its_line() {
        let file = "\
ok = Fine
broken = { $x
-brand = Passport
ok = Again
guide_title = Hello { $name }
guide_intro = Hello
    .title = Title
guide_both = { -brand }
    .title = Title
bad__id = x
Capital_id = x
";
        assert_eq!(
            problems(file),
            [
                (2, None, "Expected a token starting with \"}\"".to_owned()),
                (
                    3,
                    Some("-brand".to_owned()),
                    "terms cannot be imported: the app has no terms".to_owned()
                ),
                (
                    4,
                    Some("ok".to_owned()),
                    "this id is already used on line 1".to_owned()
                ),
                (
                    5,
                    Some("guide.title".to_owned()),
                    "content texts take no placeables".to_owned()
                ),
                (
                    6,
                    Some("guide.intro".to_owned()),
                    "content texts take no attributes".to_owned()
                ),
                (
                    8,
                    Some("guide.both".to_owned()),
                    "content texts take no attributes".to_owned()
                ),
                (
                    8,
                    Some("guide.both".to_owned()),
                    "content texts take no placeables".to_owned()
                ),
                (
                    10,
                    Some("bad..id".to_owned()),
                    "a content id is parts of a-z, 0-9 and - joined by dots, starting with a letter"
                        .to_owned()
                ),
                (
                    11,
                    Some("Capital.id".to_owned()),
                    "a content id is parts of a-z, 0-9 and - joined by dots, starting with a letter"
                        .to_owned()
                ),
            ]
        );
    }

    #[test]
    fn a_term_alone_is_refused() {
        assert_eq!(
            problems("-brand = Passport\n"),
            [(
                1,
                Some("-brand".to_owned()),
                "terms cannot be imported: the app has no terms".to_owned()
            )]
        );
    }

    #[test]
    fn duplicate_ids_are_refused_even_across_kinds_of_line() {
        assert_eq!(
            problems("a_b = one\n\n# note\na_b = two\nc = x\nc = y\n"),
            [
                (
                    4,
                    Some("a.b".to_owned()),
                    "this id is already used on line 1".to_owned()
                ),
                (
                    6,
                    Some("c".to_owned()),
                    "this id is already used on line 5".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn windows_line_ends_and_a_byte_order_mark_are_accepted() {
        let file = "\u{FEFF}### Header\r\n\r\nm = Hi\r\n    there\r\nc_d = x\r\n    y\r\n";
        let imported = import(file).expect("imports");
        assert_eq!(imported[0].line, 3);
        assert_eq!(
            entries(file),
            [ui("m", "Hi\nthere"), content("c.d", "x\ny")]
        );
    }

    #[test]
    fn a_file_of_comments_only_imports_nothing() {
        assert_eq!(import("### Only\n\n# comments\n"), Ok(vec![]));
        assert_eq!(import(""), Ok(vec![]));
    }

    /// The shipped locale files import, exporting and importing them again gives the same
    /// entries and the same file, and every translated text passes the checks against its
    /// English text.
    #[test]
    fn every_shipped_locale_file_survives_a_round_trip() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/locales");
        let mut files = Vec::new();
        for locale in fs::read_dir(root).expect("the locales folder can be read") {
            let locale = locale.expect("a locale folder can be read").path();
            if !locale.is_dir() {
                continue;
            }
            for file in fs::read_dir(&locale).expect("a locale folder can be read") {
                let path = file.expect("a locale file can be read").path();
                if path.extension().is_some_and(|extension| extension == "ftl") {
                    files.push(path);
                }
            }
        }
        assert!(
            files.len() >= 4,
            "only {} locale files were found",
            files.len()
        );

        let mut english = HashMap::new();
        let mut translated = Vec::new();
        for path in &files {
            let text = fs::read_to_string(path).expect("a locale file is UTF-8");
            let first = entries(&text);
            assert!(!first.is_empty(), "{}", path.display());
            let file = export("Round trip", &first);
            assert_eq!(entries(&file), first, "{}", path.display());
            assert_eq!(export("Round trip", &entries(&file)), file);

            let locale = path
                .parent()
                .and_then(|folder| folder.file_name())
                .and_then(|name| name.to_str())
                .expect("a locale folder has a name")
                .to_owned();
            for entry in first {
                if locale == "en" {
                    english.insert(entry.id.clone(), entry);
                } else {
                    translated.push((locale.clone(), entry));
                }
            }
        }
        for (locale, entry) in translated {
            let source = english
                .get(&entry.id)
                .map_or("", |source| source.value.as_str());
            let report = validate::check(entry.kind, &locale, source, &entry.value);
            assert!(!report.is_refused(), "{locale} {}: {report:?}", entry.id);
        }
    }

    /// Text for a content entry: printable characters, with the ones Fluent treats specially
    /// made common, never empty after trimming.
    fn content_value() -> impl Strategy<Value = String> {
        let special = prop::sample::select(vec![
            '{', '}', '"', '\\', '\n', ' ', '[', '*', '.', '#', '-', '=', '$', '\t', 'a',
        ]);
        let printable = any::<char>().prop_filter("printable", |c| !c.is_control());
        prop::collection::vec(prop_oneof![2 => printable, 3 => special], 1..40)
            .prop_map(|chars| chars.into_iter().collect::<String>())
            .prop_filter("not empty after trimming", |text| !text.trim().is_empty())
    }

    fn content_entries() -> impl Strategy<Value = Vec<Entry>> {
        prop::collection::vec(("[a-z][a-z0-9-]{0,6}", content_value()), 0..6).prop_map(|pairs| {
            pairs
                .into_iter()
                .enumerate()
                .map(|(index, (segment, value))| content(&format!("{segment}.n{index}"), &value))
                .collect()
        })
    }

    /// Input for the importer: any text, or pieces of Fluent put together at random.
    fn import_input() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "id",
            "a_b",
            " = ",
            "=",
            "{",
            "}",
            "\n",
            "\r\n",
            "\r",
            "    ",
            " ",
            "-t",
            "#",
            "## ",
            "$v",
            " -> ",
            "[one]",
            "*[other]",
            "\"",
            "\\u00",
            "\\",
            ".attr",
            "x",
            "\u{FEFF}",
            "é",
            "ไทย",
            "1",
        ]);
        prop_oneof![
            any::<String>(),
            prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat()),
        ]
    }

    /// Cases per property: 2000 in the test suite; `PASSPORT_FUZZ_CASES` runs more by hand.
    fn cases() -> u32 {
        std::env::var("PASSPORT_FUZZ_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(2000)
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: cases(),
            // The text strategies filter out what is not printable: about three draws in
            // four, so a long run needs room for that.
            max_local_rejects: cases() * 16,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn import_never_panics_and_exports_round_trip(
            input in import_input(),
            entries_in in content_entries(),
        ) {
            let _ = import(&input);
            let file = export("Content", &entries_in);
            let imported = import(&file).map_err(|problems| {
                TestCaseError::fail(format!("{problems:?}\n{file}"))
            })?;
            let values: Vec<&str> = imported.iter().map(|imported| imported.value.as_str()).collect();
            let wanted: Vec<&str> = entries_in.iter().map(|entry| entry.value.as_str()).collect();
            prop_assert_eq!(values, wanted, "{}", file);
            let same_ids = imported.iter().zip(&entries_in).all(|(imported, entry)| {
                imported.id == entry.id && imported.kind == Kind::Content
            });
            prop_assert!(same_ids);
            prop_assert_eq!(export("Content", &entries(&file)), file);
        }

        #[test]
        fn accepted_ui_bodies_export_and_import_unchanged(
            pieces in prop::collection::vec(prop::sample::select(vec![
                "Hello", " ", "  ", "\n", "{ $count }", "{ -brand }", "{ NUMBER($n) }",
                "{ $n ->\n[one] one\n*[other] many\n}", ".title = T", "[", "*", ".", "{", "}",
                "\"", "é", "x = y", "\t", "\u{a0}", "\r\n", "{ $n ->\n  [one] x\n *[other] y\n}",
            ]), 1..12),
        ) {
            let body = validate::normalise(&pieces.concat());
            let report = validate::check(Kind::Ui, "en", &body, &body);
            if report.is_refused() || body.trim().is_empty() {
                return Ok(());
            }
            let body = body.trim_start_matches(' ').to_owned();
            let file = export("", &[ui("m", &body)]);
            prop_assert_eq!(entries(&file), vec![ui("m", &body)], "{}", file);
        }

        #[test]
        fn checks_never_panic(source in import_input(), value in import_input()) {
            for kind in [Kind::Ui, Kind::Content] {
                for locale in ["en", "th"] {
                    let report = validate::check(kind, locale, &source, &value);
                    prop_assert!(kind == Kind::Ui || !report.is_refused());
                }
            }
        }
    }
}
