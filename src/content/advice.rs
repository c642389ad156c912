//! What a checklist's answers mean. Plain Rust shared by the server (the no-JavaScript form)
//! and the checklist island, so both always give the same advice.

/// How a checklist's ticks are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChecklistKind {
    /// Each ticked item is a sign of danger.
    WarningSigns,
    /// Each unticked item is a step still to do.
    Preparation,
}

/// How serious a warning sign is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Warning,
    /// Enough on its own to call for help now.
    Danger,
}

/// The advice a set of answers leads to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// No warning sign ticked.
    Clear,
    /// Warning signs, none of them dangerous on its own.
    Caution,
    /// At least one dangerous sign.
    Danger,
    /// Every preparation step done.
    Ready,
    /// Preparation steps left to do.
    NotReady,
}

impl ChecklistKind {
    pub fn code(self) -> &'static str {
        match self {
            ChecklistKind::WarningSigns => "warning-signs",
            ChecklistKind::Preparation => "preparation",
        }
    }

    pub fn from_code(code: &str) -> Option<ChecklistKind> {
        [ChecklistKind::WarningSigns, ChecklistKind::Preparation]
            .into_iter()
            .find(|kind| kind.code() == code)
    }

    /// Every verdict this kind of checklist can reach.
    pub fn verdicts(self) -> &'static [Verdict] {
        match self {
            ChecklistKind::WarningSigns => &[Verdict::Clear, Verdict::Caution, Verdict::Danger],
            ChecklistKind::Preparation => &[Verdict::Ready, Verdict::NotReady],
        }
    }

    /// Whether an item's explanation belongs in the advice: a ticked warning sign, or a
    /// preparation step not yet done.
    pub fn explains(self, ticked: bool) -> bool {
        match self {
            ChecklistKind::WarningSigns => ticked,
            ChecklistKind::Preparation => !ticked,
        }
    }

    /// The verdict for a checklist's answers: each item's severity and whether it is ticked.
    pub fn assess(self, answers: impl IntoIterator<Item = (Option<Severity>, bool)>) -> Verdict {
        match self {
            ChecklistKind::WarningSigns => answers.into_iter().filter(|&(_, ticked)| ticked).fold(
                Verdict::Clear,
                |verdict, (severity, _)| match (verdict, severity) {
                    (Verdict::Danger, _) | (_, Some(Severity::Danger)) => Verdict::Danger,
                    _ => Verdict::Caution,
                },
            ),
            ChecklistKind::Preparation => {
                if answers.into_iter().all(|(_, ticked)| ticked) {
                    Verdict::Ready
                } else {
                    Verdict::NotReady
                }
            }
        }
    }
}

impl Severity {
    pub fn code(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Danger => "danger",
        }
    }

    pub fn from_code(code: &str) -> Option<Severity> {
        [Severity::Warning, Severity::Danger]
            .into_iter()
            .find(|severity| severity.code() == code)
    }
}

impl Verdict {
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Clear => "clear",
            Verdict::Caution => "caution",
            Verdict::Danger => "danger",
            Verdict::Ready => "ready",
            Verdict::NotReady => "not-ready",
        }
    }

    /// Whether this verdict asks the person to call a hotline or ask for help now.
    pub fn is_urgent(self) -> bool {
        self == Verdict::Danger
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ChecklistKind::*;
    use Severity::*;

    #[test]
    fn nothing_ticked_is_clear_but_one_danger_sign_is_enough() {
        let none = [(Some(Warning), false), (Some(Danger), false)];
        assert_eq!(WarningSigns.assess(none), Verdict::Clear);
        let one_danger = [(Some(Warning), false), (Some(Danger), true)];
        assert_eq!(WarningSigns.assess(one_danger), Verdict::Danger);
    }

    #[test]
    fn warnings_alone_call_for_caution_and_a_danger_sign_outranks_them() {
        let warnings = [
            (Some(Warning), true),
            (Some(Warning), true),
            (Some(Danger), false),
        ];
        assert_eq!(WarningSigns.assess(warnings), Verdict::Caution);
        let mixed = [(Some(Danger), true), (Some(Warning), true)];
        assert_eq!(WarningSigns.assess(mixed), Verdict::Danger);
    }

    #[test]
    fn preparation_is_ready_only_when_every_step_is_done() {
        assert_eq!(
            Preparation.assess([(None, true), (None, true)]),
            Verdict::Ready
        );
        assert_eq!(
            Preparation.assess([(None, true), (None, false)]),
            Verdict::NotReady
        );
    }

    #[test]
    fn explanations_follow_the_kind_of_checklist() {
        assert!(WarningSigns.explains(true) && !WarningSigns.explains(false));
        assert!(Preparation.explains(false) && !Preparation.explains(true));
    }

    #[test]
    fn every_verdict_a_kind_can_reach_is_listed() {
        let cases = [
            (WarningSigns, vec![(Some(Warning), true)]),
            (WarningSigns, vec![(Some(Danger), true)]),
            (WarningSigns, vec![]),
            (Preparation, vec![(None, true)]),
            (Preparation, vec![(None, false)]),
        ];
        for (kind, answers) in cases {
            let verdict = kind.assess(answers);
            assert!(
                kind.verdicts().contains(&verdict),
                "{kind:?} reached {verdict:?}"
            );
        }
    }

    #[test]
    fn codes_round_trip() {
        for kind in [WarningSigns, Preparation] {
            assert_eq!(ChecklistKind::from_code(kind.code()), Some(kind));
        }
        for severity in [Warning, Danger] {
            assert_eq!(Severity::from_code(severity.code()), Some(severity));
        }
        assert_eq!(Severity::from_code("fatal"), None);
    }
}
