//! The shapes `serve`'s options must have: a host name, a public address.

/// A host name as DNS writes it (letters, digits, `-` and `.`), without a port.
pub fn host_name(value: &str) -> Result<String, String> {
    let name = value.trim().trim_end_matches('.').to_ascii_lowercase();
    let valid = !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        });
    if valid {
        Ok(name)
    } else {
        Err(format!(
            "`{value}` is not a host name such as hub.lan (no port, no scheme)"
        ))
    }
}

/// An `http://` or `https://` address with a host and nothing after the path; the trailing
/// slash is dropped.
pub fn public_url(value: &str) -> Result<String, String> {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
        .ok_or("the public address must start with http:// or https://")?;
    let host = rest.split('/').next().unwrap_or_default();
    let fine = !host.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~:/[]%".contains(c));
    if fine {
        Ok(value.trim_end_matches('/').to_owned())
    } else {
        Err(format!(
            "`{value}` is not a plain web address such as https://hub.example.org"
        ))
    }
}
