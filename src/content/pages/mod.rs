//! The content pages: checklists, guides and contacts, each ending in its numbered sources.

pub mod booklet;
pub mod checklists;
pub mod contacts;
pub mod guides;

use super::store::Sourced;
use crate::i18n::{Locale, Tr};
use crate::site::{Card, Cards, Page, PageMeta, Section, Site, document};
use leptos::prelude::*;

/// A section's index page: its name, an introduction, and a card for each entry.
fn index_page(
    site: &Site,
    locale: Locale,
    section: Section,
    intro: &str,
    cards: Vec<Card>,
) -> Page {
    let tr = site.tr(locale);
    let (title, intro) = (tr.t(section.message()), tr.t(intro));
    let meta = PageMeta {
        title: title.clone(),
        description: intro.clone(),
        section,
        here: section.path().to_owned(),
    };
    let body = view! {
        <h1>{title}</h1>
        <p class="lead">{intro}</p>
        <Cards cards=cards/>
    };
    Page::Found(document(site, locale, meta, body).into_any())
}

/// The sources a page cites, numbered in the order the page first cites them.
pub struct Citations(Vec<Sourced>);

impl Citations {
    pub fn new<'a>(cited: impl IntoIterator<Item = &'a Sourced>) -> Citations {
        let mut sources: Vec<Sourced> = Vec::new();
        for source in cited {
            if !sources.contains(source) {
                sources.push(source.clone());
            }
        }
        Citations(sources)
    }

    /// A superscript link from a fact to its source in the footer.
    pub fn mark(&self, tr: &Tr, source: &Sourced) -> impl IntoView + use<> {
        let number = self.0.iter().position(|s| s == source).map_or(0, |i| i + 1);
        let label = tr.t_with("source-note", [("number", number.into())]);
        view! {
            <sup class="cite">
                <a href=format!("#source-{number}") aria-label=label>{number}</a>
            </sup>
        }
    }

    /// The footer listing every source, with the date each fact was last checked.
    pub fn footer(&self, tr: &Tr) -> impl IntoView + use<> {
        let entries = self
            .0
            .iter()
            .enumerate()
            .map(|(i, source)| {
                let checked = tr.t_with("source-checked", [("date", source.checked.clone().into())]);
                view! {
                    <li id=format!("source-{}", i + 1)>
                        <a href=source.url.clone() rel="noreferrer noopener" target="_blank">{source.name.clone()}</a>
                        ", "
                        {checked}
                    </li>
                }
            })
            .collect_view();
        view! {
            <aside class="sources" aria-labelledby="sources-title">
                <h2 id="sources-title">{tr.t("sources-title")}</h2>
                <ol>{entries}</ol>
            </aside>
        }
    }
}

/// "From abroad: +66 99 130 1300", beside a number that works only inside its country: a
/// reader already abroad, in a compound or a factory, needs the one that works from there.
pub fn from_abroad(tr: &Tr, number: Option<&str>) -> Option<impl IntoView + use<>> {
    number.map(|number| {
        view! {
            <span class="abroad">
                {tr.t("contact-from-abroad")} " "
                <a class="tel" href=tel_href(number)>{number.to_owned()}</a>
            </span>
        }
    })
}

/// "Listen", beside a text: its recording (`clip`, a hash) as a plain `<audio>` that plays
/// without JavaScript, which `listen.js` turns into one button; or, where the text has no
/// recording and phones may have a voice for the language, a hidden button that `listen.js`
/// shows only once it finds such a voice on the phone. Karen has no voice anywhere, so a
/// Karen text without a recording gets nothing. The button reads its parent's text.
pub fn listen(tr: &Tr, clip: Option<&str>) -> Option<impl IntoView + use<>> {
    match clip {
        Some(sha) => Some(
            view! {
                <span class="listen">
                    <audio controls preload="none" src=crate::audio::url(sha)></audio>
                    <button type="button" class="listen-button" hidden aria-label=tr.t("listen")>"🔊"</button>
                </span>
            }
            .into_any(),
        ),
        None if tr.locale.has_phone_voices() => Some(
            view! {
                <span class="listen" data-say="">
                    <button type="button" class="listen-button" hidden aria-label=tr.t("listen-voice")>"🔊"</button>
                </span>
            }
            .into_any(),
        ),
        None => None,
    }
}

/// A page's heading, with "Listen" for its recording if it has one. A title is short and in
/// view, so the phone's voice is offered for the texts under it instead; without a
/// recording the heading is plain text, as before.
pub fn title_heading(tr: &Tr, title: String, clip: Option<&str>) -> AnyView {
    match clip {
        Some(sha) => view! { <h1>{title}{listen(tr, Some(sha))}</h1> }.into_any(),
        None => view! { <h1>{title}</h1> }.into_any(),
    }
}

/// A `tel:` address: the digits (and a leading `+`) of a phone number.
pub fn tel_href(phone: &str) -> String {
    let digits: String = phone
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    format!("tel:{digits}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tel_links_keep_only_digits_and_the_plus() {
        assert_eq!(tel_href("+66 99 130 1300"), "tel:+66991301300");
        assert_eq!(tel_href("1-800-010-180"), "tel:1800010180");
    }

    #[test]
    fn citations_number_each_source_once_in_order_of_first_use() {
        let source = |name: &str| Sourced {
            name: name.into(),
            url: format!("https://{name}.example/"),
            checked: "2026-11-23".into(),
        };
        let (a, b) = (source("a"), source("b"));
        let citations = Citations::new([&b, &a, &b]);
        assert_eq!(citations.0, vec![b, a]);
    }
}
