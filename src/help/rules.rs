//! The rules a help request's answers must meet: one copy, compiled into the server, which
//! enforces them, and into the WASM, where the help form's island checks the answers before
//! the phone queues them. Both name each problem by the same Fluent message id, and the
//! page carries every message already in the person's language.

/// What kind of help a person asks for; checklists pre-fill it.
pub const KINDS: [&str; 6] = [
    "job-offer-check",
    "in-trouble-abroad",
    "passport-held",
    "not-paid",
    "want-to-go-home",
    "other",
];

/// How a support worker may reach the person back.
pub const CHANNELS: [&str; 5] = ["phone", "zalo", "line", "messenger", "whatsapp"];

/// Where the person is now: the countries this app's people go to or come from, and "other".
pub const COUNTRIES: [&str; 11] = [
    "vn", "th", "mm", "kh", "la", "my", "nz", "kr", "jp", "tw", "other",
];

/// Longest accepted value of each free-text field, in characters.
pub const PLACE_MAX: usize = 100;
pub const CONTACT_MAX: usize = 100;
pub const SAFE_TIME_MAX: usize = 100;
pub const NAME_MAX: usize = 60;
pub const MESSAGE_MAX: usize = 1000;
pub const TICKED_MAX: usize = 40;

/// One problem with one field: the field's name, and the Fluent message that explains it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: &'static str,
}

/// Every problem each field can have, in the order the checks report them: the page
/// renders each message once, hidden, next to its field.
pub const PROBLEMS: [(&str, &[&str]); 10] = [
    ("kind", &["help-error-kind"]),
    ("country", &["help-error-country"]),
    ("place", &["help-error-place"]),
    ("channel", &["help-error-channel"]),
    (
        "contact",
        &[
            "help-error-contact-missing",
            "help-error-contact-invalid",
            "help-error-contact-phone",
        ],
    ),
    ("safe_time", &["help-error-safe-time"]),
    ("name", &["help-error-name"]),
    ("message", &["help-error-message"]),
    ("ticked", &["help-error-ticked"]),
    ("consent", &["help-error-consent"]),
];

/// The answers a person gives on the form, as typed.
#[derive(Debug, Default, Clone, Copy)]
pub struct Answers<'a> {
    pub kind: &'a str,
    pub country: &'a str,
    pub place: &'a str,
    pub channel: &'a str,
    pub contact: &'a str,
    pub safe_time: &'a str,
    pub name: &'a str,
    pub message: &'a str,
    pub consent: bool,
    pub ticked: &'a [String],
}

impl Answers<'_> {
    /// Every problem with the answers, at once; empty when they may be sent. Free text is
    /// checked as it will be stored: [`cleaned`].
    pub fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut fail = |field, message| errors.push(FieldError { field, message });
        if one_of(&KINDS, self.kind).is_none() {
            fail("kind", "help-error-kind");
        }
        if one_of(&COUNTRIES, self.country).is_none() {
            fail("country", "help-error-country");
        }
        let channel = one_of(&CHANNELS, self.channel);
        if channel.is_none() {
            fail("channel", "help-error-channel");
        }
        let contact = cleaned(self.contact);
        let contact = contact.as_str();
        if contact.is_empty() {
            fail("contact", "help-error-contact-missing");
        } else if !is_plain_text(contact, false) || contact.chars().count() > CONTACT_MAX {
            fail("contact", "help-error-contact-invalid");
        } else if matches!(channel, Some("phone" | "whatsapp")) && !looks_like_phone(contact) {
            fail("contact", "help-error-contact-phone");
        }
        for (field, value, max, message) in [
            ("place", self.place, PLACE_MAX, "help-error-place"),
            (
                "safe_time",
                self.safe_time,
                SAFE_TIME_MAX,
                "help-error-safe-time",
            ),
            ("name", self.name, NAME_MAX, "help-error-name"),
            ("message", self.message, MESSAGE_MAX, "help-error-message"),
        ] {
            let value = cleaned(value);
            if !is_plain_text(&value, field == "message") || value.chars().count() > max {
                fail(field, message);
            }
        }
        let ticked_ok =
            self.ticked.len() <= TICKED_MAX && self.ticked.iter().all(|sign| is_sign(sign));
        if !ticked_ok {
            fail("ticked", "help-error-ticked");
        }
        if !self.consent {
            fail("consent", "help-error-consent");
        }
        errors
    }
}

/// Characters that show nothing yet can reorder what is shown around them (the bidirectional
/// controls and marks) or hide inside a word (zero-width space, word joiner, byte-order
/// mark). On a staff page or in a spreadsheet they can make one number or reference read as
/// another. Vietnamese, Thai, Karen and English text has no use for them; a number pasted
/// from a chat app often carries some. The joiners that Thai and Karen text may need, ZWJ
/// (U+200D) and ZWNJ (U+200C), are not among them.
pub fn is_hidden(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// Free text as it is checked and stored: without [hidden](is_hidden) characters, trimmed.
pub fn cleaned(value: &str) -> String {
    let kept: String = value.chars().filter(|c| !is_hidden(*c)).collect();
    kept.trim().to_owned()
}

/// `value`, trimmed, if it is one of `allowed`.
pub fn one_of(allowed: &[&'static str], value: &str) -> Option<&'static str> {
    allowed.iter().copied().find(|a| *a == value.trim())
}

/// Whether `sign` names a checklist sign as `checklist/item`: two slugs of lowercase
/// letters, digits and hyphens.
pub fn is_sign(sign: &str) -> bool {
    let slug = |part: &str| {
        (1..=60).contains(&part.len())
            && part
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    sign.split_once('/')
        .is_some_and(|(checklist, item)| slug(checklist) && slug(item))
}

/// Text a person typed: no control characters (line breaks only where `multiline`), and no
/// U+FFFD, which stands for bytes that were not UTF-8.
fn is_plain_text(value: &str, multiline: bool) -> bool {
    value.chars().all(|c| {
        c != '\u{FFFD}' && (!c.is_control() || (multiline && matches!(c, '\n' | '\r' | '\t')))
    })
}

/// A phone number as people write it: digits with spaces, dots, dashes, brackets and a
/// leading `+`; 6 to 20 digits.
fn looks_like_phone(value: &str) -> bool {
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let rest = value.trim_start_matches('+');
    (6..=20).contains(&digits)
        && rest
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_characters_are_dropped_and_the_joiners_thai_and_karen_need_are_kept() {
        assert_eq!(
            cleaned("\u{202A}+66 81 234 5678\u{202C}"),
            "+66 81 234 5678"
        );
        assert_eq!(cleaned("K7\u{200B}-4XN\u{FEFF}"), "K7-4XN");
        assert_eq!(cleaned("\u{202E}8765 4321\u{2066}"), "8765 4321");
        for text in ["นางสาว\u{200D}มาลี", "နီၢ်\u{200C}ဂ့ၤ ကညီ", "Nguyễn Thị Lan"]
        {
            assert_eq!(cleaned(text), text);
        }
        let pasted = Answers {
            kind: "other",
            country: "th",
            channel: "whatsapp",
            contact: "\u{202A}+66 81 234 5678\u{202C}",
            name: "\u{200F}นางสาว\u{200D}มาลี",
            consent: true,
            ..Answers::default()
        };
        assert_eq!(
            pasted.check(),
            [],
            "a number pasted from a chat app is a phone number"
        );
    }

    #[test]
    fn every_problem_the_checks_report_is_listed_for_the_page() {
        let long = "x".repeat(1001);
        let all_wrong = [
            Answers::default(),
            Answers {
                channel: "phone",
                contact: "call me",
                place: &long,
                safe_time: &long,
                name: &long,
                message: &long,
                ..Answers::default()
            },
            Answers {
                contact: "a\u{7}b",
                ticked: &["x".to_owned()],
                ..Answers::default()
            },
        ];
        let mut seen = Vec::new();
        for answers in all_wrong {
            seen.extend(answers.check());
        }
        for error in &seen {
            let listed = PROBLEMS
                .iter()
                .find(|(field, _)| *field == error.field)
                .is_some_and(|(_, messages)| messages.contains(&error.message));
            assert!(listed, "{error:?} is not in PROBLEMS");
        }
        let reported = |m: &str| seen.iter().any(|e| e.message == m);
        for (_, messages) in PROBLEMS {
            for message in messages {
                assert!(reported(message), "{message} is never reported");
            }
        }
    }
}
