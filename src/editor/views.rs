//! The workspace's markup that its pages share: a message's state, its other languages and
//! its history, and what validation found in an edited or imported text, in the reader's
//! language.

use super::aids::MarkedEnglish;
use super::glossary::Term;
use super::texts::{self, Message, State};
use crate::i18n::validate::{Kind, Refusal, Report, Warning};
use crate::i18n::{Locale, Tr};
use crate::staff::layout::{Csrf, StaffTable, when};
use leptos::prelude::*;

/// Validation's refusals and warnings, in the reader's language.
pub fn problems(tr: &Tr, report: &Report) -> impl IntoView + use<> {
    let refusals = report
        .refusals
        .iter()
        .map(|r| view! { <li>{refusal_text(tr, r)}</li> })
        .collect_view();
    let warnings = report
        .warnings
        .iter()
        .map(|w| view! { <li>{warning_text(tr, w)}</li> })
        .collect_view();
    let refused = report.is_refused();
    view! {
        <div class="problems" role="alert">
            {refused.then(|| view! { <p><strong>{tr.t("staff-tr-refused")}</strong></p> })}
            <ul>{refusals}</ul>
            {(!report.warnings.is_empty()).then(|| view! { <p><strong>{tr.t("staff-tr-warned")}</strong></p> })}
            <ul>{warnings}</ul>
        </div>
    }
}

/// A message with the English list and the translation's list, joined for reading.
fn two_lists(tr: &Tr, id: &str, source: &[String], translation: &[String]) -> String {
    let none = || tr.t("staff-tr-none");
    let join = |l: &[String]| if l.is_empty() { none() } else { l.join(", ") };
    tr.t_with(
        id,
        [
            ("source", join(source).into()),
            ("translation", join(translation).into()),
        ],
    )
}

pub fn refusal_text(tr: &Tr, refusal: &Refusal) -> String {
    match refusal {
        Refusal::Syntax {
            line,
            column,
            message,
        } => tr.t_with(
            "staff-tr-refused-syntax",
            [
                ("line", (*line).into()),
                ("column", (*column).into()),
                ("detail", message.clone().into()),
            ],
        ),
        Refusal::VariablesDiffer {
            source,
            translation,
        } => two_lists(tr, "staff-tr-refused-variables", source, translation),
        Refusal::TermsDiffer {
            source,
            translation,
        } => two_lists(tr, "staff-tr-refused-terms", source, translation),
        Refusal::NotOneMessage => tr.t("staff-tr-refused-one-message"),
    }
}

fn warning_text(tr: &Tr, warning: &Warning) -> String {
    match warning {
        Warning::Empty => tr.t("staff-tr-warn-empty"),
        Warning::PluralCategory { category } => tr.t_with(
            "staff-tr-warn-plural",
            [("category", category.clone().into())],
        ),
        Warning::PhoneNumbers {
            source,
            translation,
        } => two_lists(tr, "staff-tr-warn-phone", source, translation),
    }
}

/// A message's state in one locale, and whether it is outdated, unchanged or saved.
pub fn badges(tr: &Tr, message: &Message, locale: Locale) -> impl IntoView + use<> {
    let state = match message.state(locale) {
        State::Missing => "missing",
        State::Draft => "draft",
        State::Reviewed => "reviewed",
    };
    let mut labels = vec![tr.t(&format!("staff-tr-state-{state}"))];
    for (yes, name) in [
        (message.outdated(locale), "outdated"),
        (message.unchanged(locale), "unchanged"),
        (message.is_pending(locale), "pending"),
    ] {
        if yes {
            labels.push(tr.t(&format!("staff-tr-state-{name}")));
        }
    }
    labels.join(" · ")
}

/// A message's text in the languages other than English and the one being edited.
#[component]
pub fn OtherLanguages(tr: Tr, message: Message, locale: Locale) -> impl IntoView {
    let others = Locale::ALL
        .into_iter()
        .filter(|&other| other != locale && other != Locale::SOURCE)
        .map(|other| {
            let text = message
                .current(other)
                .map(|t| t.value.clone())
                .unwrap_or_default();
            view! {
                <dt>{tr.in_locale(other).t("language-name")}</dt>
                <dd lang=other.code()><pre>{text}</pre></dd>
            }
        })
        .collect_view();
    view! { <dl>{others}</dl> }
}

/// The changes of one text, newest first, each with a button that puts its old value back.
#[component]
pub fn TextHistory(tr: Tr, csrf: String, history: Vec<texts::HistoryEntry>) -> impl IntoView {
    let history_rows = history
        .into_iter()
        .map(|h| {
            let csrf = csrf.clone();
            view! {
                <tr>
                    <td>{when(&h.at)}</td>
                    <td>{h.by}</td>
                    <td>{tr.t(&format!("staff-tr-action-{}", h.action))}</td>
                    <td><pre>{h.old_value.unwrap_or_default()}</pre></td>
                    <td><pre>{h.new_value.unwrap_or_default()}</pre></td>
                    <td>
                        <form method="post" action="/staff/translations/revert">
                            <Csrf token=csrf/>
                            <input type="hidden" name="entry" value=h.id/>
                            <button type="submit" class="button">{tr.t("staff-tr-revert")}</button>
                        </form>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let history_headings = [
        "staff-tr-when",
        "staff-tr-who",
        "staff-tr-action",
        "staff-tr-old",
        "staff-tr-new",
        "staff-tr-revert",
    ]
    .map(|h| tr.t(h))
    .to_vec();
    view! { <StaffTable headings=history_headings>{history_rows}</StaffTable> }
}

/// What a translation is made from: the English text, the note for translators, and the
/// text published in `locale` now.
#[component]
pub fn SourceSide(tr: Tr, message: Message, locale: Locale, terms: Vec<Term>) -> impl IntoView {
    let published = message
        .published
        .get(&locale)
        .map(|t| t.value.clone())
        .unwrap_or_default();
    let note = message.note.clone().unwrap_or_else(|| {
        tr.t(match message.kind {
            Kind::Ui => "staff-tr-note-none",
            Kind::Content => "staff-tr-note-content",
        })
    });
    view! {
        <section aria-labelledby="source-title">
            <h2 id="source-title">{tr.t("staff-tr-english")}</h2>
            <MarkedEnglish english=message.english().to_owned() terms=terms locale=locale/>
            <h2>{tr.t("staff-tr-note")}</h2>
            <p>{note}</p>
            <h2>{tr.t("staff-tr-published")}</h2>
            <pre lang=locale.code()>{published}</pre>
        </section>
    }
}

/// The guarded changes waiting to be published, each with its approval or the button that
/// gives it; a person's own change offers no button.
#[component]
pub fn Approvals(
    tr: Tr,
    csrf: String,
    me: String,
    changes: Vec<super::approval::Guarded>,
) -> impl IntoView {
    let empty = changes.is_empty();
    let rows = changes
        .into_iter()
        .map(|change| {
            let state = if let Some(name) = &change.approved_by {
                tr.t_with("staff-approve-done", [("name", name.clone().into())])
                    .into_any()
            } else if change.by == me {
                tr.t("staff-approve-yours").into_any()
            } else {
                view! {
                    <form method="post" action="/staff/translations/approve" class="inline-form">
                        <Csrf token=csrf.clone()/>
                        <input type="hidden" name="target" value=change.target.key()/>
                        <input type="hidden" name="shown" value=change.fingerprint()/>
                        <button type="submit" class="button">{tr.t("staff-approve-button")}</button>
                    </form>
                }
                .into_any()
            };
            // A recording is approved by ear: its clip, not its hash.
            let shown = |value: Option<String>| match value {
                Some(sha) if change.target.is_recording() => view! {
                    <audio controls preload="none" src=format!("/staff/audio/{sha}")></audio>
                }
                .into_any(),
                value => value.unwrap_or_default().into_any(),
            };
            view! {
                <tr>
                    <td><code>{change.target.key()}</code></td>
                    <td>{shown(change.old.clone())}</td>
                    <td>{shown(change.new.clone())}</td>
                    <td>{change.by.clone()}</td>
                    <td>{state}</td>
                </tr>
            }
        })
        .collect_view();
    let headings = [
        "staff-approve-what",
        "staff-approve-old",
        "staff-approve-new",
        "staff-approve-by",
        "staff-approve-state",
    ]
    .map(|h| tr.t(h))
    .to_vec();
    view! {
        <section id="approvals" aria-labelledby="approvals-title">
            <h2 id="approvals-title">{tr.t("staff-approve-title")}</h2>
            <p>{tr.t("staff-approve-hint")}</p>
            {if empty {
                view! { <p>{tr.t("staff-approve-none")}</p> }.into_any()
            } else {
                view! { <StaffTable headings=headings>{rows}</StaffTable> }.into_any()
            }}
        </section>
    }
}
