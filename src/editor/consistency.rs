//! The consistency report of one language's texts, as Weblate and Pontoon give translators:
//! the same English translated in different ways, glossary terms spelled more than one way,
//! English words left in a translation that are not names, and numbers written in two digit
//! systems. Findings a reviewer accepted are listed, with the reason, in
//! `content/consistency-allow.toml`, and are left out.

use super::glossary::Term;
use super::texts::{self, Message};
use crate::i18n::{Locale, validate::Kind};
use serde::Deserialize;
use std::collections::BTreeMap;

/// A text a finding concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextRef {
    pub kind: Kind,
    pub id: String,
}

/// One way a thing is written, and the texts that write it so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendering {
    pub value: String,
    pub texts: Vec<TextRef>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// The same English text translated in more than one way.
    SameEnglish {
        english: String,
        renderings: Vec<Rendering>,
    },
    /// A glossary term written in more than one way: the approved spelling first.
    TermSpellings {
        term: String,
        english: String,
        spellings: Vec<Rendering>,
    },
    /// English words in a translation that are neither names nor in brackets.
    EnglishLeft { text: TextRef, words: Vec<String> },
    /// Numbers in the language's own digits in some texts and in 0–9 in others.
    Digits {
        own: Vec<TextRef>,
        arabic: Vec<TextRef>,
    },
}

impl Finding {
    /// The kind of finding, as the allow-list names it.
    pub fn code(&self) -> &'static str {
        match self {
            Finding::SameEnglish { .. } => "same-english",
            Finding::TermSpellings { .. } => "term-spellings",
            Finding::EnglishLeft { .. } => "english-left",
            Finding::Digits { .. } => "digits",
        }
    }

    /// What the allow-list matches: the English text, the term's id, the text's id, or
    /// "digits".
    fn key(&self) -> &str {
        match self {
            Finding::SameEnglish { english, .. } => english,
            Finding::TermSpellings { term, .. } => term,
            Finding::EnglishLeft { text, .. } => &text.id,
            Finding::Digits { .. } => "digits",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AllowFile {
    /// Latin-script words that are names in every language: apps, places, programmes.
    names: Vec<String>,
    #[serde(default)]
    allow: Vec<Allowed>,
}

/// A finding a reviewer accepted, with the reason.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Allowed {
    locale: String,
    finding: String,
    key: String,
    #[allow(dead_code, reason = "read by people: the allow-list must say why")]
    reason: String,
}

fn allow_file() -> AllowFile {
    crate::content::seed::SEED_FILES
        .iter()
        .find(|(path, _)| *path == "consistency-allow.toml")
        .and_then(|(_, contents)| toml::from_str(contents).ok())
        .unwrap_or(AllowFile {
            names: Vec::new(),
            allow: Vec::new(),
        })
}

fn own_digit(locale: Locale, c: char) -> bool {
    match locale {
        Locale::Ksw => ('\u{1040}'..='\u{1049}').contains(&c),
        Locale::Th => ('\u{0E50}'..='\u{0E59}').contains(&c),
        Locale::En | Locale::Vi => false,
    }
}

/// A translation as a reader sees its words: a UI string without its `{ … }` placeables.
fn readable(kind: Kind, value: &str) -> String {
    if kind == Kind::Content {
        return value.to_owned();
    }
    let mut out = String::new();
    let mut depth = 0usize;
    for c in value.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Latin-script words outside brackets: a word in brackets is the English beside its
/// translation, which the glossary asks for where a reader may meet the English word.
fn latin_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut depth = 0usize;
    for token in text.split(|c: char| !(c.is_alphanumeric() || "()-'./@:".contains(c))) {
        depth += token.matches('(').count();
        let word = token.trim_matches(|c: char| !c.is_ascii_alphabetic());
        let plain = word.len() >= 2
            && word
                .chars()
                .all(|c| c.is_ascii_alphabetic() || c == '-' || c == '\'');
        if depth == 0 && plain {
            words.push(word.to_owned());
        }
        depth = depth.saturating_sub(token.matches(')').count());
    }
    words
}

/// The report of one locale over every text it has, less what the shipped allow-list accepts.
pub fn report(messages: &[Message], terms: &[Term], locale: Locale) -> Vec<Finding> {
    report_with(messages, terms, locale, &allow_file())
}

fn report_with(
    messages: &[Message],
    terms: &[Term],
    locale: Locale,
    allow: &AllowFile,
) -> Vec<Finding> {
    let texts: Vec<(TextRef, &str, String)> = messages
        .iter()
        .filter(|m| texts::applies(&m.area, locale))
        .filter_map(|m| {
            let value = m.current(locale)?.value.trim().to_owned();
            let at = TextRef {
                kind: m.kind,
                id: m.id.clone(),
            };
            Some((at, m.english().trim(), value))
        })
        .collect();
    let mut findings = Vec::new();
    if locale != Locale::SOURCE {
        findings.extend(same_english(&texts));
        findings.extend(term_spellings(&texts, terms, locale));
        if locale != Locale::Vi {
            findings.extend(english_left(&texts, terms, &allow.names));
        }
        findings.extend(digits(&texts, locale));
    }
    findings.retain(|f| {
        !allow
            .allow
            .iter()
            .any(|a| a.locale == locale.code() && a.finding == f.code() && a.key == f.key())
    });
    findings
}

fn same_english(texts: &[(TextRef, &str, String)]) -> Vec<Finding> {
    let mut by_english: BTreeMap<&str, BTreeMap<&str, Vec<TextRef>>> = BTreeMap::new();
    for (at, english, value) in texts {
        if !english.is_empty() {
            by_english
                .entry(english)
                .or_default()
                .entry(value.as_str())
                .or_default()
                .push(at.clone());
        }
    }
    by_english
        .into_iter()
        .filter(|(_, renderings)| renderings.len() > 1)
        .map(|(english, renderings)| Finding::SameEnglish {
            english: english.to_owned(),
            renderings: sorted(renderings),
        })
        .collect()
}

/// The most used way first.
fn sorted(renderings: BTreeMap<&str, Vec<TextRef>>) -> Vec<Rendering> {
    let mut out: Vec<Rendering> = renderings
        .into_iter()
        .map(|(value, texts)| Rendering {
            value: value.to_owned(),
            texts,
        })
        .collect();
    out.sort_by_key(|r| std::cmp::Reverse(r.texts.len()));
    out
}

fn term_spellings(
    texts: &[(TextRef, &str, String)],
    terms: &[Term],
    locale: Locale,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for term in terms {
        let Some(approved) = term.approved(locale) else {
            continue;
        };
        let with = |spelling: &str| -> Vec<TextRef> {
            texts
                .iter()
                .filter(|(_, _, value)| value.contains(spelling))
                .map(|(at, _, _)| at.clone())
                .collect()
        };
        let variants: Vec<Rendering> = approved
            .variants
            .iter()
            .map(|v| Rendering {
                value: v.clone(),
                texts: with(v),
            })
            .filter(|r| !r.texts.is_empty())
            .collect();
        if !variants.is_empty() {
            let mut spellings = vec![Rendering {
                value: approved.value.clone(),
                texts: with(&approved.value),
            }];
            spellings.extend(variants);
            findings.push(Finding::TermSpellings {
                term: term.id.clone(),
                english: term.english.clone(),
                spellings,
            });
        }
    }
    findings
}

fn english_left(
    texts: &[(TextRef, &str, String)],
    terms: &[Term],
    names: &[String],
) -> Vec<Finding> {
    // Whole names, longest first, so "Accredited Employer Work Visa" excuses those words
    // only together, and "Mae Sot" only as the town.
    let mut phrases: Vec<String> = names
        .iter()
        .cloned()
        .chain(
            terms
                .iter()
                .filter(|t| t.is_name)
                .flat_map(|t| std::iter::once(t.english.clone()).chain(t.forms.clone())),
        )
        .map(|n| n.to_lowercase())
        .collect();
    phrases.sort_by_key(|p| std::cmp::Reverse(p.len()));
    texts
        .iter()
        .filter_map(|(at, _, value)| {
            let mut readable = without_addresses(&readable(at.kind, value));
            for phrase in &phrases {
                readable = without_phrase(&readable, phrase);
            }
            let words = latin_words(&readable);
            (!words.is_empty()).then(|| Finding::EnglishLeft {
                text: at.clone(),
                words,
            })
        })
        .collect()
}

/// `text` without web addresses, domains and codes such as `69/2020/QH14`: they are
/// written as they are in every language.
fn without_addresses(text: &str) -> String {
    let inner_dot = |w: &str| {
        w.char_indices().any(|(i, c)| {
            c == '.'
                && w[..i]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
                && w[i + 1..].chars().next().is_some_and(char::is_alphanumeric)
        })
    };
    text.split_whitespace()
        .filter(|w| !(w.contains('/') || w.contains('@') || inner_dot(w)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` with each whole-word occurrence of `phrase` (lowercase), case aside, blanked out.
fn without_phrase(text: &str, phrase: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in super::glossary::whole_words(text, phrase) {
        out.push_str(&text[at..start]);
        out.push(' ');
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

fn digits(texts: &[(TextRef, &str, String)], locale: Locale) -> Vec<Finding> {
    let (mut own, mut arabic) = (Vec::new(), Vec::new());
    for (at, _, value) in texts {
        let value = readable(at.kind, value);
        if value.chars().any(|c| own_digit(locale, c)) {
            own.push(at.clone());
        }
        if value.chars().any(|c| c.is_ascii_digit()) {
            arabic.push(at.clone());
        }
    }
    if own.is_empty() || arabic.is_empty() {
        return Vec::new();
    }
    vec![Finding::Digits { own, arabic }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::editor::glossary::Approved;
    use crate::editor::texts::{Status, Translation};

    fn message(id: &str, english: &str, karen: &str) -> Message {
        let t = |value: &str| Translation {
            value: value.into(),
            status: Status::Draft,
            source_hash: String::new(),
        };
        Message {
            kind: Kind::Content,
            id: id.into(),
            area: "checklist.job-offer".into(),
            note: None,
            published: BTreeMap::from([(Locale::En, t(english)), (Locale::Ksw, t(karen))]),
            pending: BTreeMap::new(),
        }
    }

    fn names() -> AllowFile {
        AllowFile {
            names: vec!["Facebook".into(), "Mae Sot".into()],
            allow: Vec::new(),
        }
    }

    #[test]
    fn an_allowed_finding_is_left_out_and_the_shipped_list_parses() {
        let messages = [message("d", "Fee.", "service fee.")];
        let allow: AllowFile = toml::from_str(
            r#"names = []
[[allow]]
locale = "ksw"
finding = "english-left"
key = "d"
reason = "a test"
"#,
        )
        .expect("parses");
        assert!(report_with(&messages, &[], Locale::Ksw, &allow).is_empty());
        assert_eq!(report_with(&messages, &[], Locale::Ksw, &names()).len(), 1);
        let shipped = crate::content::seed::SEED_FILES
            .iter()
            .find(|(path, _)| *path == "consistency-allow.toml")
            .expect("shipped");
        assert!(
            toml::from_str::<AllowFile>(shipped.1).is_ok(),
            "the shipped allow-list parses"
        );
    }

    fn vietnam() -> Term {
        Term {
            id: "vietnam".into(),
            english: "Vietnam".into(),
            forms: Vec::new(),
            note: String::new(),
            is_name: true,
            translations: BTreeMap::from([(
                Locale::Ksw,
                Approved {
                    value: "ကီၢ်ဝံယဲးနမ်".into(),
                    variants: vec!["ကီၢ်ဘံယဲးနၢၣ်".into()],
                },
            )]),
        }
    }

    #[test]
    fn a_planted_inconsistency_of_each_kind_is_found() {
        let messages = [
            message("a", "Call 111.", "ကိး ၁၁၁."),
            message("b", "Call 111.", "ကိး 111."),
            message("c", "In Vietnam.", "လၢ ကီၢ်ဘံယဲးနၢၣ်."),
            message("d", "In Vietnam too.", "လၢ ကီၢ်ဝံယဲးနမ် service fee."),
            message("e", "A visa (visa).", "ဗံဆၣ် (visa) Facebook."),
            message("f", "Mae Sot.", "ဝ့ၢ် Mae Sot, Mae. iaa.govt.nz 69/2020/QH14"),
        ];
        let findings = report_with(&messages, &[vietnam()], Locale::Ksw, &names());
        let codes: Vec<_> = findings.iter().map(Finding::code).collect();
        assert_eq!(
            codes,
            [
                "same-english",
                "term-spellings",
                "english-left",
                "english-left",
                "digits"
            ],
            "{findings:#?}"
        );
        // A name excuses its words only together: "Mae" alone is English left in.
        let Finding::EnglishLeft { words, .. } = &findings[3] else {
            unreachable!()
        };
        assert_eq!(words, &["Mae".to_owned()]);
        let Finding::TermSpellings { spellings, .. } = &findings[1] else {
            unreachable!()
        };
        assert_eq!(spellings[0].value, "ကီၢ်ဝံယဲးနမ်", "the approved spelling first");
        assert_eq!((spellings[0].texts.len(), spellings[1].texts.len()), (1, 1));
        let Finding::EnglishLeft { text, words } = &findings[2] else {
            unreachable!()
        };
        assert_eq!(
            (text.id.as_str(), words.clone()),
            ("d", vec!["service".to_owned(), "fee".to_owned()])
        );
    }

    #[test]
    fn consistent_texts_give_no_finding() {
        let messages = [
            message("a", "Call 111.", "ကိး 111."),
            message("b", "Call 111.", "ကိး 111."),
            message("c", "In Vietnam.", "လၢ ကီၢ်ဝံယဲးနမ် (Vietnam)."),
        ];
        assert_eq!(
            report_with(&messages, &[vietnam()], Locale::Ksw, &names()),
            Vec::new()
        );
    }
}
