//! The shapes a fact of the content must have: a date, a phone number, a web address. The
//! seed loader refuses shipped content without them, and the editor's fact form refuses an
//! edit without them.

/// `YYYY-MM-DD`, with a month and day that can exist.
pub fn is_date(value: &str) -> bool {
    let parts: Vec<_> = value.split('-').collect();
    let number = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    matches!(
        parts.as_slice(),
        [y, m, d] if number(y, 4).is_some()
            && number(m, 2).is_some_and(|m| (1..=12).contains(&m))
            && number(d, 2).is_some_and(|d| (1..=31).contains(&d))
    )
}

/// Digits with spaces, `-` and a leading `+`, and at least three digits.
pub fn is_phone_number(value: &str) -> bool {
    let body = value.strip_prefix('+').unwrap_or(value);
    body.chars()
        .all(|c| c.is_ascii_digit() || c == ' ' || c == '-')
        && body.chars().filter(char::is_ascii_digit).count() >= 3
        && body.starts_with(|c: char| c.is_ascii_digit())
}

/// `https://` or `http://`, a host with a dot, no spaces.
fn is_web_address(value: &str) -> bool {
    let Some(rest) = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
    else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    !value.chars().any(char::is_whitespace)
        && host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':'))
}

/// A web address that names a page, not only a site: something follows the host, such as
/// `/en/news/…` or `/?p=188260`. A fact's source is the page that states it. A path of this
/// app itself, such as `/readme.md#…`, names one of its own pages.
pub fn is_page_address(value: &str) -> bool {
    if let Some(path) = value.strip_prefix('/') {
        return !path.is_empty()
            && !path.starts_with('/')
            && !value.chars().any(|c| c.is_whitespace() || c == '\\');
    }
    let Some(rest) = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
    else {
        return false;
    };
    let after_host = rest.find(['/', '?']).map_or("", |at| &rest[at..]);
    let page = after_host.split('#').next().unwrap_or_default();
    is_web_address(value) && !page.trim_start_matches('/').is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_phone_numbers_have_the_shapes_facts_need() {
        assert!(is_date("2026-11-23"));
        for bad in ["2026-1-23", "2026-11-32", "23-11-2026", "2026/11/23", ""] {
            assert!(!is_date(bad), "{bad}");
        }
        for good in ["111", "+66 99 130 1300", "1-800-010-180", "0800 20 90 20"] {
            assert!(is_phone_number(good), "{good}");
        }
        for bad in ["11", "call 111", "++66 1234", "-111", "111 ext. 2"] {
            assert!(!is_phone_number(bad), "{bad}");
        }
    }

    #[test]
    fn a_page_address_has_more_than_a_host() {
        for page in [
            "https://www.ilo.org/resource/other/ilo-indicators-forced-labour",
            "https://pattayaone.news/?p=188260",
            "https://example.org/a#part",
            "/readme.md#running-an-event-with-a-hub",
        ] {
            assert!(is_page_address(page), "{page}");
        }
        for site in [
            "https://www.ilo.org/",
            "https://www.ilo.org",
            "https://www.ilo.org/#news",
            "ftp://example.org/a",
            "/",
            "//evil.example/a",
        ] {
            assert!(!is_page_address(site), "{site}");
        }
    }
}
