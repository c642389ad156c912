//! What helps a translator on a text's edit page: the glossary terms of its English, marked
//! and with their approved translations beside them, and the translation memory, the
//! existing translations of the same or a close English text.

use super::glossary::{self, Term};
use super::texts::Message;
use super::translations::edit_href;
use crate::i18n::{Locale, Tr};
use leptos::prelude::*;
use std::collections::BTreeSet;

/// How close two English texts are, from 0 to 100: the share of words they have in common
/// (Dice's coefficient over their sets of lowercase words).
pub fn similarity(a: &str, b: &str) -> u32 {
    let words = |s: &str| -> BTreeSet<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let (a, b) = (words(a), words(b));
    if a.is_empty() || b.is_empty() {
        return 0;
    }
    let shared = a.intersection(&b).count();
    u32::try_from(200 * shared / (a.len() + b.len())).unwrap_or(0)
}

/// One remembered translation: the text, how close its English is, and its translation.
pub struct Remembered<'a> {
    pub message: &'a Message,
    pub similarity: u32,
    pub translation: String,
}

/// The texts whose English is the same as `message`'s, then the close ones (at least half
/// their words in common), that have a translation in `locale`: at most `limit`.
pub fn memory<'a>(
    messages: &'a [Message],
    message: &Message,
    locale: Locale,
    limit: usize,
) -> Vec<Remembered<'a>> {
    let english = message.english().trim();
    let mut found: Vec<Remembered> = messages
        .iter()
        .filter(|m| !(m.kind == message.kind && m.id == message.id))
        .filter_map(|m| {
            let translation = m.current(locale)?.value.clone();
            let similarity = if m.english().trim() == english {
                100
            } else {
                similarity(m.english(), english).min(99)
            };
            (similarity >= 50).then_some(Remembered {
                message: m,
                similarity,
                translation,
            })
        })
        .collect();
    found.sort_by_key(|r| std::cmp::Reverse(r.similarity));
    found.truncate(limit);
    found
}

/// The English with its glossary terms marked, each mark naming the approved translation.
#[component]
pub fn MarkedEnglish(english: String, terms: Vec<Term>, locale: Locale) -> impl IntoView {
    let parts = glossary::marked(&terms, &english)
        .into_iter()
        .map(|(text, term)| match term {
            Some(term) => {
                let approved = term
                    .approved(locale)
                    .map(|a| a.value.clone())
                    .unwrap_or_default();
                view! { <mark class="term" title=approved>{text}</mark> }.into_any()
            }
            None => text.into_any(),
        })
        .collect_view();
    view! { <pre lang="en" class="marked">{parts}</pre> }
}

/// The glossary terms the English uses, with their approved translation and note.
#[component]
pub fn TermsUsed(tr: Tr, english: String, terms: Vec<Term>, locale: Locale) -> impl IntoView {
    let used = glossary::used_in(&terms, &english);
    (!used.is_empty()).then(|| {
        let rows = used
            .into_iter()
            .map(|t| {
                let approved = t.approved(locale).map(|a| a.value.clone()).unwrap_or_default();
                view! {
                    <li>
                        <strong>{t.english.clone()}</strong> " → "
                        <span lang=locale.code()>{approved}</span>
                        {(!t.note.is_empty()).then(|| view! { " · " <small>{t.note.clone()}</small> })}
                    </li>
                }
            })
            .collect_view();
        view! {
            <h2>{tr.t("staff-tr-glossary")}</h2>
            <ul class="terms">{rows}</ul>
        }
    })
}

/// The translation memory of a text: exact matches first, then close ones with a figure.
#[component]
pub fn Memory(
    tr: Tr,
    remembered: Vec<(String, String, u32, String)>,
    locale: Locale,
) -> impl IntoView {
    (!remembered.is_empty()).then(|| {
        let rows = remembered
            .into_iter()
            .map(|(href, english, similarity, translation)| {
                let label = if similarity == 100 {
                    tr.t("staff-tr-memory-exact")
                } else {
                    tr.t_with("staff-tr-memory-close", [("percent", similarity.into())])
                };
                view! {
                    <li>
                        <a href=href>{label}</a> " "
                        <span lang="en">{english}</span>
                        <br/>
                        <span lang=locale.code()>{translation}</span>
                    </li>
                }
            })
            .collect_view();
        view! {
            <h2>{tr.t("staff-tr-memory")}</h2>
            <ul class="memory">{rows}</ul>
        }
    })
}

/// The memory as the page shows it: (edit link, English, similarity, translation).
pub fn memory_rows(
    messages: &[Message],
    message: &Message,
    locale: Locale,
) -> Vec<(String, String, u32, String)> {
    memory(messages, message, locale, 5)
        .into_iter()
        .map(|r| {
            (
                edit_href(locale, r.message.kind, &r.message.id),
                r.message.english().to_owned(),
                r.similarity,
                r.translation,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_english_texts_score_by_the_words_they_share() {
        assert_eq!(similarity("Call 1300 now.", "call 1300 now"), 100);
        assert_eq!(similarity("Call 1300 now.", "Write to us."), 0);
        let close = similarity(
            "Do not pay a fee for a job.",
            "Do not pay a fee for a visa.",
        );
        assert!((70..100).contains(&close), "{close}");
    }
}
