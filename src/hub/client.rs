//! A hub's client for central's `/hub/v1/` routes, over HTTPS (rustls, the system's roots).
//! Plain HTTP is taken only for this machine itself, as the tests and a local proxy use.

use super::{Batch, BatchAnswer, CertAsk, PairAnswer, PairAsk, Status, b64};
use reqwest::{Client, StatusCode};
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("central is not reachable: {0}")]
    Unreachable(String),
    #[error("central refused: {0}")]
    Refused(String),
    #[error("this hub was revoked at central")]
    Revoked,
    #[error("central's answer was not understood")]
    Malformed,
    #[error("`{0}` is not central's address: use https://, or http:// on this machine only")]
    BadUrl(String),
    #[error("{0}")]
    NotPaired(&'static str),
    #[error("the database: {0}")]
    Db(#[from] crate::db::DbError),
    #[error(transparent)]
    Bundle(#[from] super::bundle::BundleError),
}

/// Central, as a hub reaches it.
#[derive(Clone)]
pub struct Upstream {
    base: String,
    token: Option<String>,
    http: Client,
}

/// Whether `url` may carry a credential: HTTPS, or HTTP to this machine.
pub fn checked_url(url: &str) -> Result<String, SyncError> {
    let url = url.trim().trim_end_matches('/');
    let parsed = reqwest::Url::parse(url).map_err(|_| SyncError::BadUrl(url.to_owned()))?;
    let local = matches!(
        parsed.host_str(),
        Some("localhost" | "127.0.0.1" | "[::1]" | "::1")
    );
    match parsed.scheme() {
        "https" => Ok(url.to_owned()),
        "http" if local => Ok(url.to_owned()),
        _ => Err(SyncError::BadUrl(url.to_owned())),
    }
}

impl Upstream {
    pub fn new(url: &str, token: Option<String>) -> Result<Upstream, SyncError> {
        let http = Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .user_agent(concat!("passport-hub/", env!("CARGO_PKG_VERSION")))
            // The credential goes to central's address and nowhere it redirects to.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|error| SyncError::Unreachable(error.to_string()))?;
        Ok(Upstream {
            base: checked_url(url)?,
            token,
            http,
        })
    }

    pub async fn pair(&self, ask: &PairAsk) -> Result<PairAnswer, SyncError> {
        let body = serde_json::to_vec(ask).map_err(|_| SyncError::Malformed)?;
        let request = self
            .http
            .post(format!("{}/hub/v1/pair", self.base))
            .body(body);
        self.json(request).await
    }

    pub async fn status(&self) -> Result<Status, SyncError> {
        let request = self.http.get(format!("{}/hub/v1/status", self.base));
        self.json(self.signed(request)).await
    }

    /// Sends the hub's certificate request for its name.
    pub async fn ask_certificate(&self, csr: &[u8]) -> Result<(), SyncError> {
        let body =
            serde_json::to_vec(&CertAsk { csr: b64(csr) }).map_err(|_| SyncError::Malformed)?;
        let request = self
            .http
            .post(format!("{}/hub/v1/certificate", self.base))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
        self.fetch(self.signed(request)).await.map(|_| ())
    }

    pub async fn send(&self, batch: &Batch) -> Result<BatchAnswer, SyncError> {
        let body = serde_json::to_vec(batch).map_err(|_| SyncError::Malformed)?;
        let request = self
            .http
            .post(format!("{}/hub/v1/requests", self.base))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
        self.json(self.signed(request)).await
    }

    pub async fn bundle(&self, since: i64) -> Result<Vec<u8>, SyncError> {
        let request = self
            .http
            .get(format!("{}/hub/v1/bundle?since={since}", self.base));
        Ok(self.fetch(self.signed(request)).await?.to_vec())
    }

    fn signed(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    async fn fetch(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<axum::body::Bytes, SyncError> {
        let response = request
            .send()
            .await
            .map_err(|error| SyncError::Unreachable(error.without_url().to_string()))?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|error| SyncError::Unreachable(error.without_url().to_string()))?;
        if status.is_success() {
            return Ok(body);
        }
        let why = serde_json::from_slice::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v["error"].as_str().map(str::to_owned))
            .unwrap_or_else(|| format!("HTTP {status}"));
        Err(match status {
            StatusCode::FORBIDDEN if why.contains("revoked") => SyncError::Revoked,
            s if s.is_server_error() || s == StatusCode::TOO_MANY_REQUESTS => {
                SyncError::Unreachable(why)
            }
            _ => SyncError::Refused(why),
        })
    }

    async fn json<T: serde::de::DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<T, SyncError> {
        let body = self.fetch(request).await?;
        serde_json::from_slice(&body).map_err(|_| SyncError::Malformed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_credential_travels_only_over_https_or_on_this_machine() {
        assert!(checked_url("https://central.example.org/").is_ok());
        assert!(checked_url("http://127.0.0.1:4000").is_ok());
        assert!(checked_url("http://localhost:4000").is_ok());
        assert!(checked_url("http://central.example.org").is_err());
        assert!(checked_url("ftp://127.0.0.1").is_err());
        assert!(checked_url("central").is_err());
    }
}
