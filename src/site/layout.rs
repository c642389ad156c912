//! The frame of every public page: head, header with quick exit and language switcher,
//! section navigation, and footer.

use super::Site;
use super::shell::{Head, Shell};
use crate::i18n::{Locale, Tr};
use crate::islands::QuickExit;
use leptos::prelude::*;

/// The sections of the app, as the navigation names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Home,
    Checklists,
    Guides,
    Contacts,
    Help,
    /// A page outside the sections, such as the 404.
    Other,
}

impl Section {
    const NAVIGABLE: [Section; 5] = [
        Section::Home,
        Section::Checklists,
        Section::Guides,
        Section::Contacts,
        Section::Help,
    ];

    /// The path after the language, e.g. `/checklists`.
    pub fn path(self) -> &'static str {
        match self {
            Section::Home | Section::Other => "/",
            Section::Checklists => "/checklists",
            Section::Guides => "/guides",
            Section::Contacts => "/contacts",
            Section::Help => "/help",
        }
    }

    /// The message naming this section in the navigation.
    pub fn message(self) -> &'static str {
        match self {
            Section::Home | Section::Other => "nav-home",
            Section::Checklists => "nav-checklists",
            Section::Guides => "nav-guides",
            Section::Contacts => "nav-contacts",
            Section::Help => "nav-help",
        }
    }
}

/// What a page tells the frame about itself.
pub struct PageMeta {
    pub title: String,
    pub description: String,
    pub section: Section,
    /// This page's path after the language (`/checklists`), so the language switcher can
    /// keep the person on the same page.
    pub here: String,
}

impl PageMeta {
    /// A page's description from its messages: `title` and `description` are message ids.
    pub fn from_messages(
        tr: &Tr,
        title: &str,
        description: &str,
        section: Section,
        here: &str,
    ) -> PageMeta {
        PageMeta {
            title: tr.t(title),
            description: tr.t(description),
            section,
            here: here.to_owned(),
        }
    }
}

/// The whole HTML document for a page of `locale`, with `body` as its main content.
pub fn document<B: IntoView + 'static>(
    site: &Site,
    locale: Locale,
    meta: PageMeta,
    body: B,
) -> impl IntoView + use<B> {
    let tr = site.tr(locale);
    let files = &site.assets.built;
    let (exit_url, exit_label, exit_hint) = (
        site.exit_url.clone(),
        tr.t("quick-exit"),
        tr.t("quick-exit-hint"),
    );
    let title = if meta.section == Section::Home {
        tr.t("app-name")
    } else {
        format!("{} · {}", meta.title, tr.t("app-name"))
    };
    // Only Karen pages need the Karen font early; elsewhere the CSS fetches it if ever used.
    let font_preload = (locale == Locale::Ksw)
        .then(|| files.karen_font.clone())
        .flatten()
        .map(|href| view! { <link rel="preload" href=href r#as="font" r#type="font/woff2" crossorigin="anonymous"/> });
    // Event mode: back to the start page after some minutes idle.
    let event_script = site
        .event_idle
        .map(|_| view! { <script type="module" src=files.event.clone()></script> });
    // Search engines want the other languages' addresses whole; only a configured public
    // address is known to be right for every visitor (a hub's LAN address is not).
    let base = site.public_url.as_deref().unwrap_or_default();
    let alternates = Locale::ALL
        .into_iter()
        .map(|other| {
            let href = format!("{base}/{other}{}", meta.here);
            view! { <link rel="alternate" hreflang=other.code() href=href/> }
        })
        .collect_view();
    let head = Head {
        lang: locale.code(),
        title,
        description: Some(meta.description),
        icon: Some(files.icon.clone()),
        css: files.css.clone(),
        islands: Some(site.leptos.clone()),
        body_class: None,
        event_idle: site.event_idle,
    };
    let extra_head = view! {
        <meta name="theme-color" content="#0b5c4a"/>
        {font_preload}
        <script type="module" src=files.offline.clone()></script>
        <script type="module" src=files.listen.clone()></script>
        <link rel="manifest" href=format!("/{locale}/manifest.webmanifest")/>
        {event_script}
        {alternates}
    }
    .into_any();
    view! {
        <Shell head=head extra_head=extra_head>
            <a class="skip-link" href="#main">{tr.t("skip-to-content")}</a>
            <header class="masthead">
                <a class="brand" href=format!("/{locale}/")>{tr.t("app-name")}</a>
                <QuickExit>
                    <a class="quick-exit" href=exit_url rel="noreferrer" title=exit_hint
                        data-offline=format!("/{locale}/weather")>
                        {exit_label}
                    </a>
                </QuickExit>
            </header>
            <LanguageSwitcher tr=tr.clone() here=meta.here.clone()/>
            <SectionNav tr=tr.clone() current=meta.section/>
            <OfflineNotes tr=tr.clone()/>
            <main id="main">{body}</main>
            <footer class="site-footer">
                <p>{tr.t("footer-privacy")}</p>
                <p>
                    <a href=format!("/{locale}/offline")>{tr.t("offline-link")}</a>
                </p>
                <p>
                    <a href=format!("/{locale}/privacy")>{tr.t("privacy-link")}</a>
                </p>
                <p>
                    <a href=format!("/{locale}/share")>{tr.t("share-link")}</a>
                </p>
            </footer>
        </Shell>
    }
}

/// The quiet notes the offline script shows: no connection, a page served from the phone's
/// copy, a help request to correct, and new content ready to load. Their words come from here; the script only fills in
/// a date.
#[component]
fn OfflineNotes(tr: Tr) -> impl IntoView {
    view! {
        <div class="offline-notes">
            <p class="offline-note" data-offline-note="" role="status" hidden=true>{tr.t("offline-indicator")}</p>
            <p class="cached-age" data-cached-age="" hidden=true
                data-template=tr.t_with("offline-cached-age", [("date", "%date%".into())])></p>
            <p class="update-ready" data-help-refused-note="" hidden=true>
                <a href=format!("/{}/help", tr.locale)>{tr.t("help-refused-note")}</a>
            </p>
            <div class="update-ready" data-update-ready="" role="status" hidden=true>
                <p>{tr.t("update-ready")}</p>
                <button type="button" class="button" data-reload="">{tr.t("update-reload")}</button>
            </div>
        </div>
    }
}

/// Links to this same page in every language, each named in its own language and script.
#[component]
fn LanguageSwitcher(tr: Tr, here: String) -> impl IntoView {
    let links = Locale::ALL
        .into_iter()
        .map(|other| {
            let current = (other == tr.locale).then_some("true");
            view! {
                <li>
                    <a href=format!("/{other}{here}") lang=other.code() hreflang=other.code() aria-current=current>
                        {tr.in_locale(other).t("language-name")}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="languages" aria-label=tr.t("language-switcher-label")>
            <ul>{links}</ul>
        </nav>
    }
}

#[component]
fn SectionNav(tr: Tr, current: Section) -> impl IntoView {
    let links = Section::NAVIGABLE
        .into_iter()
        .map(|section| {
            let here = (section == current).then_some("page");
            view! {
                <li>
                    <a href=format!("/{}{}", tr.locale, section.path()) aria-current=here>
                        {tr.t(section.message())}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="sections" aria-label=tr.t("nav-label")>
            <ul>{links}</ul>
        </nav>
    }
}

/// One entry of a list of links shown as cards: where it goes, its name, one line about it.
pub struct Card {
    pub href: String,
    pub title: String,
    pub text: String,
    /// Whom it is for, when that is not everyone.
    pub note: Option<String>,
}

#[component]
pub fn Cards(cards: Vec<Card>) -> impl IntoView {
    let cards = cards
        .into_iter()
        .map(|card| {
            view! {
                <li class="card">
                    <a href=card.href>
                        <span class="card-title">{card.title}</span>
                        {card.note.map(|note| view! { <span class="card-note">{note}</span> })}
                        <span class="card-text">{card.text}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="cards">{cards}</ul> }
}
