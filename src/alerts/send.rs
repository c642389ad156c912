//! Sending one alert: its words, by email (lettre, over STARTTLS or TLS only) or as a
//! webhook's JSON. Neither ever holds a sealed field: [`queue::Item`] has none to give.

use super::queue::{Alert, Item, Kind};
use super::{Channel, Settings};
use crate::i18n::Tr;
use crate::staff::requests::views::label;
use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use reqwest::Url;
use std::path::PathBuf;
use std::time::Duration;

/// How long one send may take before it counts as failed.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The mail server and the sender's address.
#[derive(Clone)]
pub struct Smtp {
    /// `smtp://[user:password@]host[:port]` (STARTTLS, required; port 587 by default) or
    /// `smtps://…` (TLS from the start; port 465).
    pub url: Url,
    pub from: Mailbox,
    /// A CA to trust besides the system's, for a mail server with a private certificate.
    pub ca: Option<PathBuf>,
}

/// Without the password, which the URL may hold.
impl std::fmt::Debug for Smtp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Smtp")
            .field("scheme", &self.url.scheme())
            .field("host", &self.url.host_str())
            .field("port", &self.url.port())
            .field("from", &self.from.email.to_string())
            .field("ca", &self.ca)
            .finish()
    }
}

/// `--alert-smtp`: a mail server's URL that never sends in clear. Its errors never repeat
/// the URL, which may hold a password.
pub fn smtp_url(value: &str) -> Result<Url, String> {
    let url = Url::parse(value).map_err(|e| format!("--alert-smtp is not a URL: {e}"))?;
    if !matches!(url.scheme(), "smtp" | "smtps") {
        return Err("use smtp://host:587 (STARTTLS) or smtps://host:465 (TLS)".into());
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("the URL names no mail server".into());
    }
    if url
        .query_pairs()
        .any(|(k, v)| k == "tls" && v != "required")
    {
        return Err("alerts are never sent in clear: leave out ?tls=".into());
    }
    Ok(url)
}

/// `--alert-webhook`: HTTPS, or HTTP to this machine only.
pub fn webhook_url(value: &str) -> Result<Url, String> {
    let url = Url::parse(value).map_err(|e| format!("not a URL: {e}"))?;
    let host = url.host_str().unwrap_or_default();
    let local = host == "localhost"
        || host
            .trim_matches(['[', ']'])
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    match url.scheme() {
        "https" => Ok(url),
        "http" if local => Ok(url),
        _ => Err("use an https:// address (http:// only to this machine)".into()),
    }
}

/// A webhook's shared secret; never printed.
#[derive(Clone)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// The signature of a webhook post: HMAC-SHA256 of `{timestamp}.{body}` under the secret,
/// in hex. The receiver computes the same and refuses a post whose timestamp is old.
pub fn signature(secret: &Secret, timestamp: i64, body: &str) -> String {
    use hmac::{Hmac, Mac};
    let Ok(mut mac) = Hmac::<sha2::Sha256>::new_from_slice(secret.0.as_bytes()) else {
        unreachable!("HMAC takes a key of any length")
    };
    mac.update(format!("{timestamp}.{body}").as_bytes());
    crate::web::hex(&mac.finalize().into_bytes())
}

#[derive(Debug, thiserror::Error)]
pub enum SendError {
    // The staff page shows each in its reader's language (`staff-alerts-error-…`), with the
    // server's own words beside it.
    #[error("no address to send to: an admin adds them on the Alerts page")]
    NoRecipients,
    #[error("this channel is not set up")]
    Off,
    #[error("the mail: {0}")]
    Message(String),
    #[error("the mail server: {0}")]
    Smtp(String),
    #[error("the webhook: {0}")]
    Webhook(String),
}

impl SendError {
    /// What went wrong, as the staff page names it.
    pub fn kind(&self) -> &'static str {
        match self {
            SendError::NoRecipients => "no-recipients",
            SendError::Off => "off",
            SendError::Message(_) => "message",
            SendError::Smtp(_) => "mail-server",
            SendError::Webhook(_) => "webhook",
        }
    }
}

/// The channels, ready to send.
pub struct Sender {
    email: Option<(AsyncSmtpTransport<Tokio1Executor>, Mailbox)>,
    webhook: Option<(reqwest::Client, Url)>,
    secret: Option<Secret>,
    /// The staff page of the help requests, whole when the public URL is known.
    link: String,
    /// Alerts sent whose sending could not be written yet (a full disk): never sent again,
    /// and written as soon as the database takes it.
    unrecorded: std::sync::Mutex<Vec<i64>>,
}

impl Sender {
    pub fn new(settings: &Settings, public_url: Option<String>) -> Result<Sender, String> {
        let email = match &settings.email {
            Some(smtp) => Some((transport(smtp)?, smtp.from.clone())),
            None => None,
        };
        let webhook = match &settings.webhook {
            Some(url) => {
                let client = reqwest::Client::builder()
                    .timeout(TIMEOUT)
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .map_err(|e| e.to_string())?;
                Some((client, url.clone()))
            }
            None => None,
        };
        let link = format!("{}/staff/requests", public_url.unwrap_or_default());
        Ok(Sender {
            email,
            webhook,
            secret: settings.webhook_secret.clone(),
            link,
            unrecorded: std::sync::Mutex::default(),
        })
    }

    fn held(&self) -> std::sync::MutexGuard<'_, Vec<i64>> {
        self.unrecorded.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Alert `id` went out.
    pub fn sent(&self, id: i64) {
        self.held().push(id);
    }

    /// Whether alert `id` went out and the database does not know it yet.
    pub fn unrecorded(&self, id: i64) -> bool {
        self.held().contains(&id)
    }

    /// Writes the alerts that went out as sent; they stay held if the write fails.
    pub async fn record_sent(
        &self,
        db: &crate::db::Db,
        now: i64,
    ) -> Result<(), crate::db::DbError> {
        let ids = self.held().clone();
        if ids.is_empty() {
            return Ok(());
        }
        let written = ids.clone();
        db.write(move |c| super::queue::sent(c, &written, now))
            .await?;
        self.held().retain(|id| !ids.contains(id));
        Ok(())
    }

    pub async fn send(
        &self,
        alert: &Alert,
        recipients: &[String],
        tr: &Tr,
    ) -> Result<(), SendError> {
        match alert.channel {
            Channel::Email => {
                let (transport, from) = self.email.as_ref().ok_or(SendError::Off)?;
                if recipients.is_empty() {
                    return Err(SendError::NoRecipients);
                }
                let message = self.mail(alert, from, recipients, tr)?;
                transport
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| SendError::Smtp(e.to_string()))
            }
            Channel::Webhook => {
                let (client, url) = self.webhook.as_ref().ok_or(SendError::Off)?;
                let body = self.payload(alert).to_string();
                let mut post = client
                    .post(url.clone())
                    .header(reqwest::header::CONTENT_TYPE, "application/json");
                if let Some(secret) = &self.secret {
                    let timestamp = super::unix(std::time::SystemTime::now());
                    post = post.header("x-passport-timestamp", timestamp).header(
                        "x-passport-signature",
                        format!("sha256={}", signature(secret, timestamp, &body)),
                    );
                }
                let response = post
                    .body(body)
                    .send()
                    .await
                    // Without the URL, which may hold the receiver's token.
                    .map_err(|e| SendError::Webhook(e.without_url().to_string()))?;
                if response.status().is_success() {
                    Ok(())
                } else {
                    Err(SendError::Webhook(format!(
                        "answered {}",
                        response.status()
                    )))
                }
            }
        }
    }

    fn mail(
        &self,
        alert: &Alert,
        from: &Mailbox,
        recipients: &[String],
        tr: &Tr,
    ) -> Result<Message, SendError> {
        let (subject, body) = words(alert, tr, &self.link);
        let mut builder = Message::builder().from(from.clone()).subject(subject);
        for address in recipients {
            let to: Mailbox = address
                .parse()
                .map_err(|e| SendError::Message(format!("{address}: {e}")))?;
            builder = builder.to(to);
        }
        builder
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| SendError::Message(e.to_string()))
    }

    fn payload(&self, alert: &Alert) -> serde_json::Value {
        serde_json::json!({
            "event": alert.kind.code(),
            "requests": alert.items,
            "link": self.link,
        })
    }
}

fn transport(smtp: &Smtp) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let host = smtp.url.host_str().unwrap_or_default().to_owned();
    let mut tls = TlsParameters::builder(host);
    if let Some(ca) = &smtp.ca {
        let pem = std::fs::read(ca).map_err(|e| format!("{}: {e}", ca.display()))?;
        let ca = Certificate::from_pem(&pem).map_err(|e| format!("{}: {e}", ca.display()))?;
        tls = tls.add_root_certificate(ca);
    }
    let tls = tls.build_rustls().map_err(|e| e.to_string())?;
    let wrapped = smtp.url.scheme() == "smtps";
    let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp.url.as_str())
        .map_err(|e| e.to_string())?;
    Ok(builder
        .port(smtp.url.port().unwrap_or(if wrapped { 465 } else { 587 }))
        .tls(if wrapped {
            Tls::Wrapper(tls)
        } else {
            Tls::Required(tls)
        })
        .timeout(Some(TIMEOUT))
        .build())
}

/// An alert's subject and text, in `tr`'s language.
pub fn words(alert: &Alert, tr: &Tr, link: &str) -> (String, String) {
    let line = |item: &Item| {
        let args = [
            ("reference", item.reference.clone().into()),
            ("kind", label(tr, "kind", &item.kind).into()),
            ("country", label(tr, "country", &item.country).into()),
            (
                "time",
                item.received_at
                    .replace('T', " ")
                    .trim_end_matches('Z')
                    .to_owned()
                    .into(),
            ),
        ];
        let id = if item.urgent {
            "alert-line-urgent"
        } else {
            "alert-line"
        };
        format!("- {}", tr.t_with(id, args))
    };
    let subject = match alert.kind {
        Kind::Urgent => tr.t_with(
            "alert-subject-urgent",
            [(
                "reference",
                alert
                    .items
                    .first()
                    .map(|i| i.reference.clone())
                    .unwrap_or_default()
                    .into(),
            )],
        ),
        Kind::Digest => tr.t_with(
            "alert-subject-digest",
            [("count", (alert.items.len() as i64).into())],
        ),
        Kind::Test => tr.t("alert-subject-test"),
    };
    let intro = tr.t(&format!("alert-intro-{}", alert.kind.code()));
    let lines: Vec<String> = alert.items.iter().map(line).collect();
    let body = format!(
        "{intro}\n\n{}{}\n{}\n\n{}\n",
        lines.join("\n"),
        if lines.is_empty() { "" } else { "\n" },
        tr.t_with("alert-open", [("link", link.to_owned().into())]),
        tr.t("alert-private"),
    );
    (subject, body)
}
