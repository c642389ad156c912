//! Checks that a translation fits its English source: the same messages, the same variables
//! and terms, and only the plural categories the language really has.

use super::Locale;
use super::fluent::{self, MessageShape};
use fluent_syntax::ast;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The file does not parse; `line` counts from 1.
    Syntax {
        line: usize,
        detail: String,
    },
    Missing {
        id: String,
    },
    /// Present in the translation but not in English: a renamed or removed message.
    Unknown {
        id: String,
    },
    VariablesDiffer {
        id: String,
        source: BTreeSet<String>,
        translation: BTreeSet<String>,
    },
    TermsDiffer {
        id: String,
        source: BTreeSet<String>,
        translation: BTreeSet<String>,
    },
    /// A plural variant such as `[one]` in a language whose only category is `other`.
    PluralCategory {
        id: String,
        category: String,
    },
}

/// The shape of every message in a Fluent file, keyed by message id.
pub fn shapes(source: &str) -> Result<BTreeMap<String, MessageShape>, Problem> {
    let resource = fluent::parse(source).map_err(|(_, errors)| {
        let first = &errors[0];
        Problem::Syntax {
            line: source[..first.pos.start.min(source.len())]
                .lines()
                .count()
                .max(1),
            detail: format!("{:?}", first.kind),
        }
    })?;
    let mut shapes = BTreeMap::new();
    for entry in resource.body {
        if let ast::Entry::Message(message) = entry {
            shapes.insert(message.id.name.to_owned(), MessageShape::of(&message));
        }
    }
    Ok(shapes)
}

/// Every way `translation` (in `locale`) fails to fit the English `source`.
pub fn compare(locale: Locale, source: &str, translation: &str) -> Vec<Problem> {
    let (source, translation) = match (shapes(source), shapes(translation)) {
        (Ok(s), Ok(t)) => (s, t),
        (Err(problem), _) | (_, Err(problem)) => return vec![problem],
    };
    let mut problems = Vec::new();
    for (id, wanted) in &source {
        let Some(found) = translation.get(id) else {
            problems.push(Problem::Missing { id: id.clone() });
            continue;
        };
        problems.extend(compare_message(locale, id, wanted, found));
    }
    for id in translation.keys().filter(|id| !source.contains_key(*id)) {
        problems.push(Problem::Unknown { id: id.clone() });
    }
    problems
}

/// How one translated message fails to fit its English source.
pub fn compare_message(
    locale: Locale,
    id: &str,
    source: &MessageShape,
    translation: &MessageShape,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    if source.variables != translation.variables {
        problems.push(Problem::VariablesDiffer {
            id: id.to_owned(),
            source: source.variables.clone(),
            translation: translation.variables.clone(),
        });
    }
    if source.terms != translation.terms {
        problems.push(Problem::TermsDiffer {
            id: id.to_owned(),
            source: source.terms.clone(),
            translation: translation.terms.clone(),
        });
    }
    if locale.has_only_other_plural() {
        for category in &translation.plural_categories {
            problems.push(Problem::PluralCategory {
                id: id.to_owned(),
                category: category.clone(),
            });
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Catalog;

    const EN: &str = "\
greeting = Hello { $name }
-brand = Passport
about = About { -brand }
items = { $count ->
    [one] One item
   *[other] { $count } items
}
";

    #[test]
    fn a_faithful_translation_has_no_problems() {
        let vi = "\
greeting = Xin chào { $name }
-brand = Hộ chiếu
about = Giới thiệu { -brand }
items = { $count ->
   *[other] { $count } mục
}
";
        assert_eq!(compare(Locale::Vi, EN, vi), vec![]);
    }

    #[test]
    fn missing_and_unknown_messages_are_found() {
        let th = "greeting = สวัสดี { $name }\nabout = { -brand }\nstale = old\n";
        assert_eq!(
            compare(Locale::Th, EN, th),
            vec![
                Problem::Missing { id: "items".into() },
                Problem::Unknown { id: "stale".into() },
            ]
        );
    }

    #[test]
    fn a_changed_variable_or_term_is_found_with_both_lists() {
        let vi = "greeting = Xin chào { $nme }\nabout = Giới thiệu\nitems = { $count }\n";
        let problems = compare(Locale::Vi, EN, vi);
        assert!(problems.contains(&Problem::VariablesDiffer {
            id: "greeting".into(),
            source: ["name".to_owned()].into(),
            translation: ["nme".to_owned()].into(),
        }));
        assert!(problems.contains(&Problem::TermsDiffer {
            id: "about".into(),
            source: ["brand".to_owned()].into(),
            translation: BTreeSet::new(),
        }));
    }

    #[test]
    fn plural_categories_other_than_other_are_refused_where_the_language_lacks_them() {
        let ksw = "greeting = { $name }\nabout = { -brand }\nitems = { $count ->\n    [one] a\n   *[other] b\n}\n";
        assert_eq!(
            compare(Locale::Ksw, EN, ksw),
            vec![Problem::PluralCategory {
                id: "items".into(),
                category: "one".into(),
            }]
        );
        // English itself has `one`, so the same text is fine there.
        assert_eq!(compare(Locale::En, EN, EN), vec![]);
    }

    #[test]
    fn variables_inside_attributes_selectors_and_function_calls_count() {
        let shapes = shapes(
            "m = { NUMBER($n, minimumFractionDigits: 2) } { -brand(case: \"short\") }\n    .title = { $who ->\n       *[other] { $what }\n    }\n",
        )
        .expect("parses");
        let vars: Vec<_> = shapes["m"].variables.iter().map(String::as_str).collect();
        assert_eq!(vars, ["n", "what", "who"]);
        assert!(shapes["m"].terms.contains("brand"));
    }

    #[test]
    fn a_syntax_error_names_its_line() {
        assert!(matches!(
            compare(Locale::Th, EN, "ok = fine\nbroken = {\n"),
            problems if matches!(problems.as_slice(), [Problem::Syntax { line: 2, .. }])
        ));
    }

    /// The shipped UI strings: every locale has every English message, with the same
    /// variables and terms, and only the plural categories it has.
    #[test]
    fn every_shipped_locale_fits_english() {
        // The staff pages (`staff.ftl`) are written only in the staff languages.
        let staff = crate::i18n::STAFF_LOCALES;
        let joined = |code: &str, with_staff: bool| {
            Catalog::shipped_files()
                .filter(|(locale, file, _)| *locale == code && (with_staff || *file != "staff.ftl"))
                .map(|(_, _, source)| format!("{source}\n"))
                .collect::<String>()
        };
        for locale in Locale::ALL {
            let with_staff = staff.contains(&locale);
            let english = joined("en", with_staff);
            let problems = compare(locale, &english, &joined(locale.code(), with_staff));
            assert!(problems.is_empty(), "locales/{locale}: {problems:#?}");
        }
    }
}
