//! A help request as it arrives, from the form or as JSON, checked into a [`NewRequest`];
//! and the reference code a person reads out on the phone.

use super::rules::{Answers, FieldError, cleaned, one_of};
use super::{CHANNELS, COUNTRIES, KINDS};
use crate::i18n::Locale;
use serde::Deserialize;

/// A request as sent, before any check: every field a string, as a form or JSON gives it.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct HelpInput {
    /// The client-made UUID: the idempotency key.
    pub id: String,
    pub kind: String,
    /// "I am in danger now": the organisation is alerted at once (see `crate::alerts`).
    pub urgent: bool,
    pub country: String,
    pub place: String,
    pub channel: String,
    pub contact: String,
    pub safe_time: String,
    pub name: String,
    pub message: String,
    pub language: String,
    pub consent: bool,
    /// Checklist item ids the person chose to attach.
    pub ticked: Vec<String>,
    /// The honeypot: hidden from people, so only a robot fills it in.
    pub website: String,
}

/// A request that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRequest {
    pub client_id: String,
    pub kind: &'static str,
    pub urgent: bool,
    pub country: &'static str,
    pub place: String,
    pub channel: &'static str,
    pub contact: String,
    pub safe_time: String,
    pub name: String,
    pub message: String,
    pub language: Locale,
    pub ticked: Vec<String>,
}

impl HelpInput {
    /// Reads a form body (`application/x-www-form-urlencoded`). Bytes that are not UTF-8
    /// become U+FFFD, which the checks then refuse.
    pub fn from_form(body: &[u8]) -> HelpInput {
        let mut input = HelpInput::default();
        for (key, value) in form_urlencoded::parse(body) {
            let value = value.into_owned();
            match key.as_ref() {
                "id" => input.id = value,
                "kind" => input.kind = value,
                "urgent" => input.urgent = !value.is_empty(),
                "country" => input.country = value,
                "place" => input.place = value,
                "channel" => input.channel = value,
                "contact" => input.contact = value,
                "safe_time" => input.safe_time = value,
                "name" => input.name = value,
                "message" => input.message = value,
                "language" => input.language = value,
                "consent" => input.consent = !value.is_empty(),
                "ticked" => input.ticked.push(value),
                "website" => input.website = value,
                _ => {}
            }
        }
        input
    }

    /// Checks every field; returns the request, or every problem found.
    pub fn validate(&self) -> Result<NewRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        if !self.website.is_empty() {
            errors.push(FieldError {
                field: "form",
                message: "help-error-robot",
            });
        }
        let client_id = match uuid::Uuid::try_parse(self.id.trim()) {
            Ok(id) => id.hyphenated().to_string(),
            Err(_) => {
                errors.push(FieldError {
                    field: "form",
                    message: "help-error-id",
                });
                String::new()
            }
        };
        let language = Locale::from_code(self.language.trim());
        if language.is_none() {
            errors.push(FieldError {
                field: "language",
                message: "help-error-language",
            });
        }
        errors.extend(self.answers().check());
        let kind = one_of(&KINDS, &self.kind);
        let country = one_of(&COUNTRIES, &self.country);
        let channel = one_of(&CHANNELS, &self.channel);
        match (kind, country, channel, language) {
            (Some(kind), Some(country), Some(channel), Some(language)) if errors.is_empty() => {
                Ok(NewRequest {
                    client_id,
                    kind,
                    urgent: self.urgent,
                    country,
                    place: cleaned(&self.place),
                    channel,
                    contact: cleaned(&self.contact),
                    safe_time: cleaned(&self.safe_time),
                    name: cleaned(&self.name),
                    message: cleaned(&self.message),
                    language,
                    ticked: self.ticked.clone(),
                })
            }
            _ => Err(errors),
        }
    }

    /// What the person answered, for the rules both the server and the phone apply.
    fn answers(&self) -> Answers<'_> {
        Answers {
            kind: &self.kind,
            country: &self.country,
            place: &self.place,
            channel: &self.channel,
            contact: &self.contact,
            safe_time: &self.safe_time,
            name: &self.name,
            message: &self.message,
            consent: self.consent,
            ticked: &self.ticked,
        }
    }
}

/// Reference codes use only letters and digits that cannot be mistaken for one another when
/// read out or written down: no 0/O/Q/D, 1/I/L/J, 2/Z, 5/S, 8/B, 6/G, U/V.
pub const REFERENCE_ALPHABET: &[u8] = b"ACEFHKMNPRTWXY3479";

/// Whether `code` has the shape of a reference code.
pub fn is_reference(code: &str) -> bool {
    let bytes = code.as_bytes();
    bytes.len() == 6
        && bytes[2] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 2 || REFERENCE_ALPHABET.contains(b))
}

/// A new random reference code such as `K7-4XN`: two symbols, a dash, three symbols.
pub fn new_reference() -> Result<String, getrandom::Error> {
    let n = REFERENCE_ALPHABET.len();
    // Bytes at or above this would favour some symbols over others.
    let fair = 256 - 256 % n;
    let mut code = String::with_capacity(6);
    while code.len() < 6 {
        let mut byte = [0u8; 1];
        getrandom::fill(&mut byte)?;
        if usize::from(byte[0]) < fair {
            if code.len() == 2 {
                code.push('-');
            }
            code.push(char::from(REFERENCE_ALPHABET[usize::from(byte[0]) % n]));
        }
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> HelpInput {
        HelpInput {
            id: "0b8f5c3e-9a1d-4c2b-8e7f-1a2b3c4d5e6f".into(),
            kind: "passport-held".into(),
            country: "th".into(),
            channel: "line".into(),
            contact: "my-line-id".into(),
            language: "ksw".into(),
            consent: true,
            ..HelpInput::default()
        }
    }

    fn errors(input: HelpInput) -> Vec<(&'static str, &'static str)> {
        input
            .validate()
            .expect_err("refused")
            .into_iter()
            .map(|e| (e.field, e.message))
            .collect()
    }

    #[test]
    fn a_complete_request_passes_with_its_text_trimmed() {
        let request = HelpInput {
            name: "  Naw Htoo ".into(),
            message: "Line one\nline two".into(),
            ..valid()
        }
        .validate()
        .expect("valid");
        assert_eq!(request.name, "Naw Htoo");
        assert_eq!(request.language, Locale::Ksw);
        assert_eq!(request.message, "Line one\nline two");
    }

    #[test]
    fn every_field_is_checked_and_every_problem_reported_at_once() {
        let bad = HelpInput {
            id: "not-a-uuid".into(),
            kind: "loan".into(),
            country: "xx".into(),
            channel: "email".into(),
            contact: String::new(),
            language: "fr".into(),
            consent: false,
            ..HelpInput::default()
        };
        let found = errors(bad);
        for expected in [
            ("form", "help-error-id"),
            ("kind", "help-error-kind"),
            ("country", "help-error-country"),
            ("channel", "help-error-channel"),
            ("language", "help-error-language"),
            ("contact", "help-error-contact-missing"),
            ("consent", "help-error-consent"),
        ] {
            assert!(found.contains(&expected), "{expected:?} in {found:?}");
        }
    }

    #[test]
    fn lengths_control_characters_and_broken_utf8_are_refused() {
        let long = "x".repeat(61);
        assert_eq!(
            errors(HelpInput {
                name: long,
                ..valid()
            }),
            [("name", "help-error-name")]
        );
        assert_eq!(
            errors(HelpInput {
                message: "y".repeat(1001),
                ..valid()
            }),
            [("message", "help-error-message")]
        );
        assert_eq!(
            errors(HelpInput {
                place: "Mae\u{7}Sot".into(),
                ..valid()
            }),
            [("place", "help-error-place")]
        );
        assert_eq!(
            errors(HelpInput {
                place: "Mae\nSot".into(),
                ..valid()
            }),
            [("place", "help-error-place")],
            "one-line fields take no line breaks"
        );
        let broken = HelpInput::from_form(b"kind=other&name=%FF%FE&consent=on");
        assert_eq!(broken.name, "\u{FFFD}\u{FFFD}");
        assert!(errors(broken).contains(&("name", "help-error-name")));
    }

    #[test]
    fn a_phone_contact_must_look_like_a_phone_number() {
        let phone = |contact: &str| HelpInput {
            channel: "phone".into(),
            contact: contact.into(),
            ..valid()
        };
        assert!(phone("+66 99 130 1300").validate().is_ok());
        assert!(phone("(09) 123-4567").validate().is_ok());
        assert_eq!(
            errors(phone("call me")),
            [("contact", "help-error-contact-phone")]
        );
        assert_eq!(
            errors(phone("12345")),
            [("contact", "help-error-contact-phone")]
        );
        // LINE and the other apps take an id, not a number.
        assert!(
            HelpInput {
                contact: "naw.htoo".into(),
                ..valid()
            }
            .validate()
            .is_ok()
        );
    }

    #[test]
    fn the_honeypot_and_attached_items_are_checked() {
        assert_eq!(
            errors(HelpInput {
                website: "http://spam".into(),
                ..valid()
            }),
            [("form", "help-error-robot")]
        );
        let ticked = HelpInput {
            ticked: vec!["forced-labour/documents-kept".into()],
            ..valid()
        };
        assert_eq!(
            ticked.validate().expect("valid").ticked,
            ["forced-labour/documents-kept"]
        );
        for odd in [
            "<script>",
            "passport-kept",
            "a/b/c",
            "/item",
            "list/",
            "List/item",
        ] {
            let input = HelpInput {
                ticked: vec![odd.into()],
                ..valid()
            };
            assert_eq!(errors(input), [("ticked", "help-error-ticked")], "{odd}");
        }
    }

    #[test]
    fn the_form_body_reads_into_the_same_fields_as_json() {
        let input = HelpInput::from_form(
            b"id=0b8f5c3e-9a1d-4c2b-8e7f-1a2b3c4d5e6f&kind=not-paid&country=kr&channel=zalo\
              &contact=0912+345+678&language=vi&consent=yes&ticked=job-offer%2Fa&ticked=job-offer%2Fb&safe_time=sau+8h",
        );
        assert_eq!(input.contact, "0912 345 678");
        assert_eq!(input.ticked, ["job-offer/a", "job-offer/b"]);
        assert_eq!(input.safe_time, "sau 8h");
        assert!(input.consent);
        assert!(input.validate().is_ok());
    }

    #[test]
    fn reference_codes_use_only_unambiguous_symbols() {
        for _ in 0..2000 {
            let code = new_reference().expect("random");
            assert!(is_reference(&code), "{code}");
            for confusing in [
                '0', 'O', 'Q', 'D', '1', 'I', 'L', 'J', '2', 'Z', '5', 'S', '8', 'B', '6', 'G',
                'U', 'V',
            ] {
                assert!(!code.contains(confusing), "{code}");
            }
        }
        assert!(!is_reference("K7-4Q0"));
        assert!(!is_reference("K74QXN"));
    }

    #[test]
    fn reference_codes_spread_over_the_whole_alphabet() {
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..500 {
            seen.extend(
                new_reference()
                    .expect("random")
                    .bytes()
                    .filter(|b| *b != b'-'),
            );
        }
        assert_eq!(seen.len(), REFERENCE_ALPHABET.len());
    }
}
