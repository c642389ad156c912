//! The translators' glossary: each English term with its approved translation per language
//! and the other spellings met in the texts. The editor marks the terms in an English text,
//! asks for a confirmation when a translation leaves an approved term out, and the
//! consistency report counts every spelling (`super::consistency`). It ships seeded from
//! `content/glossary.toml`; editors change it at `/staff/glossary/{locale}`.

use crate::i18n::Locale;
use rusqlite::{Connection, params};
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct Term {
    pub id: String,
    pub english: String,
    /// Other English forms that count as the term, such as a plural.
    pub forms: Vec<String>,
    pub note: String,
    /// A name: its English may stay in a translation.
    pub is_name: bool,
    /// Per locale: the approved translation and the other spellings met.
    pub translations: BTreeMap<Locale, Approved>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approved {
    pub value: String,
    pub variants: Vec<String>,
}

fn lines(value: &str) -> Vec<String> {
    value
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The whole glossary, in English alphabetical order.
pub fn load(conn: &Connection) -> rusqlite::Result<Vec<Term>> {
    let mut terms: Vec<Term> = conn
        .prepare("SELECT id, english, forms, note, is_name FROM glossary_term ORDER BY english COLLATE NOCASE")?
        .query_map([], |r| {
            Ok(Term {
                id: r.get(0)?,
                english: r.get(1)?,
                forms: lines(&r.get::<_, String>(2)?),
                note: r.get(3)?,
                is_name: r.get(4)?,
                translations: BTreeMap::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut statement =
        conn.prepare("SELECT term_id, locale, value, variants FROM glossary_translation")?;
    let rows = statement.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    for row in rows {
        let (id, code, value, variants) = row?;
        let (Some(term), Some(locale)) = (
            terms.iter_mut().find(|t| t.id == id),
            Locale::from_code(&code),
        ) else {
            continue;
        };
        let variants = lines(&variants);
        term.translations
            .insert(locale, Approved { value, variants });
    }
    Ok(terms)
}

/// Saves an editor's approved translation and variants of one term.
pub fn save(
    conn: &Connection,
    term: &str,
    locale: Locale,
    approved: &Approved,
    by: &str,
) -> rusqlite::Result<bool> {
    let changed = conn.execute(
        "UPDATE glossary_translation SET value = ?3, variants = ?4,
             edited_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), edited_by = ?5
         WHERE term_id = ?1 AND locale = ?2",
        params![
            term,
            locale.code(),
            approved.value,
            approved.variants.join("\n"),
            by
        ],
    )?;
    Ok(changed == 1)
}

/// Where `needle` (lowercase) occurs in `haystack` as a whole word, case aside: byte ranges.
pub(super) fn whole_words(haystack: &str, needle: &str) -> Vec<(usize, usize)> {
    let lower = haystack.to_lowercase();
    // Lowercasing keeps byte offsets only when it keeps byte lengths: true of the English
    // source texts, and checked here.
    if lower.len() != haystack.len() || needle.is_empty() {
        return Vec::new();
    }
    let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    lower
        .match_indices(needle)
        .filter(|(at, _)| {
            let end = at + needle.len();
            !is_word(lower[..*at].chars().next_back()) && !is_word(lower[end..].chars().next())
        })
        .map(|(at, _)| (at, at + needle.len()))
        .collect()
}

impl Term {
    /// Where the term, or one of its forms, stands in an English text.
    pub fn spans(&self, english: &str) -> Vec<(usize, usize)> {
        std::iter::once(&self.english)
            .chain(&self.forms)
            .flat_map(|form| whole_words(english, &form.to_lowercase()))
            .collect()
    }

    pub fn in_english(&self, english: &str) -> bool {
        !self.spans(english).is_empty()
    }

    pub fn approved(&self, locale: Locale) -> Option<&Approved> {
        self.translations.get(&locale)
    }
}

/// The terms an English text uses.
pub fn used_in<'a>(terms: &'a [Term], english: &str) -> Vec<&'a Term> {
    terms.iter().filter(|t| t.in_english(english)).collect()
}

/// The terms `english` uses whose approved translation in `locale` the translation leaves
/// out: the editor asks for a confirmation before saving such a text.
pub fn left_out<'a>(
    terms: &'a [Term],
    locale: Locale,
    english: &str,
    translation: &str,
) -> Vec<&'a Term> {
    used_in(terms, english)
        .into_iter()
        .filter(|t| {
            t.approved(locale)
                .is_some_and(|a| !translation.contains(&a.value))
        })
        .collect()
}

/// An English text split into plain runs and glossary terms, for marking the terms.
pub fn marked<'a>(terms: &'a [Term], english: &str) -> Vec<(String, Option<&'a Term>)> {
    let mut spans: Vec<(usize, usize, &Term)> = terms
        .iter()
        .flat_map(|t| t.spans(english).into_iter().map(move |(a, b)| (a, b, t)))
        .collect();
    // Longer terms first where two start at the same place ("New Zealand visa" over "visa").
    spans.sort_by_key(|&(a, b, _)| (a, std::cmp::Reverse(b)));
    let mut parts = Vec::new();
    let mut at = 0;
    for (start, end, term) in spans {
        if start < at {
            continue;
        }
        if start > at {
            parts.push((english[at..start].to_owned(), None));
        }
        parts.push((english[start..end].to_owned(), Some(term)));
        at = end;
    }
    if at < english.len() {
        parts.push((english[at..].to_owned(), None));
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visa() -> Term {
        Term {
            id: "visa".into(),
            english: "visa".into(),
            forms: vec!["visas".into()],
            note: String::new(),
            is_name: false,
            translations: BTreeMap::from([(
                Locale::Ksw,
                Approved {
                    value: "ဗံဆၣ်".into(),
                    variants: vec!["ဘံဆၣ်".into()],
                },
            )]),
        }
    }

    #[test]
    fn a_term_is_found_as_a_whole_word_in_any_case_and_form() {
        let terms = [visa()];
        assert!(visa().in_english("Check your Visa first."));
        assert!(visa().in_english("Two visas."));
        assert!(!visa().in_english("Visakha is a name."));
        let parts = marked(&terms, "A visa, then visas.");
        let marked: Vec<_> = parts
            .iter()
            .filter(|(_, t)| t.is_some())
            .map(|(s, _)| s.as_str())
            .collect();
        assert_eq!(marked, ["visa", "visas"]);
        assert_eq!(
            parts.iter().map(|(s, _)| s.as_str()).collect::<String>(),
            "A visa, then visas."
        );
    }

    #[test]
    fn a_translation_without_the_approved_term_is_caught() {
        let terms = [visa()];
        let english = "Get a visa.";
        assert_eq!(left_out(&terms, Locale::Ksw, english, "ဘံဆၣ် တခါ").len(), 1);
        assert!(left_out(&terms, Locale::Ksw, english, "ဗံဆၣ် တခါ").is_empty());
        assert!(
            left_out(&terms, Locale::Vi, english, "Xin thị thực").is_empty(),
            "no approved term"
        );
        assert!(left_out(&terms, Locale::Ksw, "No term here.", "…").is_empty());
    }
}
