//! The Fluent syntax as the app reads it: a parse that never panics, where a parse error is
//! best shown, and the shape of a message (its variables, terms and plural keys). Both the
//! catalog check and the editor's validation build on these.

use fluent_syntax::{
    ast,
    parser::{self, ErrorKind, ParserError},
};
use std::collections::BTreeSet;

/// What a message needs from the code that formats it, and which plural keys it uses.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct MessageShape {
    pub variables: BTreeSet<String>,
    pub terms: BTreeSet<String>,
    pub plural_categories: BTreeSet<String>,
}

/// The plural categories besides `other`.
pub const PLURAL_CATEGORIES: [&str; 5] = ["zero", "one", "two", "few", "many"];

impl MessageShape {
    /// The variables, terms and plural keys of a message's value and attributes.
    pub fn of(message: &ast::Message<&str>) -> MessageShape {
        let mut shape = MessageShape::default();
        if let Some(value) = &message.value {
            shape.visit_pattern(value);
        }
        for attribute in &message.attributes {
            shape.visit_pattern(&attribute.value);
        }
        shape
    }

    fn visit_pattern(&mut self, pattern: &ast::Pattern<&str>) {
        for element in &pattern.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                self.visit_expression(expression);
            }
        }
    }

    fn visit_expression(&mut self, expression: &ast::Expression<&str>) {
        match expression {
            ast::Expression::Select { selector, variants } => {
                self.visit_inline(selector);
                for variant in variants {
                    if let ast::VariantKey::Identifier { name } = &variant.key
                        && PLURAL_CATEGORIES.contains(name)
                    {
                        self.plural_categories.insert((*name).to_owned());
                    }
                    self.visit_pattern(&variant.value);
                }
            }
            ast::Expression::Inline(inline) => self.visit_inline(inline),
        }
    }

    fn visit_inline(&mut self, inline: &ast::InlineExpression<&str>) {
        match inline {
            ast::InlineExpression::VariableReference { id } => {
                self.variables.insert(id.name.to_owned());
            }
            ast::InlineExpression::TermReference { id, arguments, .. } => {
                self.terms.insert(id.name.to_owned());
                if let Some(arguments) = arguments {
                    self.visit_arguments(arguments);
                }
            }
            ast::InlineExpression::FunctionReference { arguments, .. } => {
                self.visit_arguments(arguments);
            }
            ast::InlineExpression::Placeable { expression } => self.visit_expression(expression),
            ast::InlineExpression::StringLiteral { .. }
            | ast::InlineExpression::NumberLiteral { .. }
            | ast::InlineExpression::MessageReference { .. } => {}
        }
    }

    fn visit_arguments(&mut self, arguments: &ast::CallArguments<&str>) {
        for positional in &arguments.positional {
            self.visit_inline(positional);
        }
        for named in &arguments.named {
            self.visit_inline(&named.value);
        }
    }
}

/// What [`parse`] gives back: the resource, or what it could read and the errors.
pub type Parsed<'s> = Result<ast::Resource<&'s str>, (ast::Resource<&'s str>, Vec<ParserError>)>;

/// `fluent_syntax::parser::parse`, except that input it panics on is answered as the error
/// it is. fluent-syntax 0.12 panics on an unfinished `\u` escape in a string literal that is
/// followed by a non-ASCII character (it slices through the character); the fuzz test found it.
pub fn parse(source: &str) -> Parsed<'_> {
    std::panic::catch_unwind(|| parser::parse(source)).unwrap_or_else(|_| {
        let at = source
            .match_indices("\\u")
            .chain(source.match_indices("\\U"))
            .map(|(at, _)| at)
            .min()
            .unwrap_or(0);
        let end = source[at..]
            .char_indices()
            .nth(2)
            .map_or(source.len(), |(i, _)| at + i);
        let error = ParserError {
            pos: at..end,
            slice: None,
            kind: ErrorKind::InvalidUnicodeEscapeSequence(source[at..end].to_owned()),
        };
        Err((ast::Resource { body: Vec::new() }, vec![error]))
    })
}

/// The byte offset in `source` that `error` is best shown at. That is where the parser
/// stopped, except for an unclosed placeable or a stop at the end of the input: then it is
/// the end of the text before the line breaks and spaces the parser ran past, within the
/// broken entry. An unclosed placeable is so shown at the end of its line, not at the start
/// of whatever follows.
pub fn error_position(source: &str, error: &parser::ParserError) -> usize {
    let floor = error.slice.as_ref().map_or(0, |slice| slice.start);
    let bytes = source.as_bytes();
    let stopped = error.pos.start.min(bytes.len());
    let mut position = stopped;
    while position > floor && matches!(bytes[position - 1], b' ' | b'\n') {
        position -= 1;
    }
    let unclosed = error.kind == parser::ErrorKind::ExpectedToken('}')
        && bytes[position..stopped].contains(&b'\n');
    if unclosed || stopped == bytes.len() {
        position
    } else {
        stopped
    }
}
