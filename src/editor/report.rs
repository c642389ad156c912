//! What validation found in an edited or imported text, in the reader's language.

use crate::i18n::Tr;
use crate::i18n::validate::{Refusal, Report, Warning};
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
