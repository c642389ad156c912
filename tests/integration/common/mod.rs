//! What every in-process HTTP test needs: the app on a miniature built site and a fresh
//! database, and helpers to ask it things.

use axum::{
    Router,
    body::{Body, to_bytes},
    http::{Request, Response, header},
};
use passport::help::store::{Personal, open_personal, seal_personal};
use passport::{
    app::app,
    config::Config,
    db::Db,
    i18n::{Catalog, Locale},
    state::AppState,
};
use std::{fs, path::PathBuf, sync::Arc};
use tower::ServiceExt;

/// A built site in miniature: the real page scripts and fonts, stand-ins for the bundle.
pub struct Fixture {
    pub dir: PathBuf,
    pub router: Router,
    pub catalog: Arc<Catalog>,
    pub db: Db,
    /// What the router runs with: for publishing as the workspace does.
    pub app: AppState,
    /// The organisation's seed, taken at the start as if from the recovery key on paper: the
    /// tests open what is stored, and grant access, with it.
    pub seed: [u8; passport::seal::SEED],
}

impl Fixture {
    pub async fn new(name: &str) -> Fixture {
        Fixture::build(name, None, None).await
    }

    /// The app on the database an older release left: `sql` builds it.
    pub async fn upgraded(name: &str, sql: &str) -> Fixture {
        Fixture::build(name, None, Some(sql)).await
    }

    /// The app in event mode, going back to its start page after `idle` seconds.
    pub async fn event(name: &str, idle: u32) -> Fixture {
        Fixture::build(name, Some(idle), None).await
    }

    async fn build(name: &str, event_idle: Option<u32>, old: Option<&str>) -> Fixture {
        let dir = std::env::temp_dir().join(format!("passport-http-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let site = dir.join("site");
        fs::create_dir_all(site.join("pkg")).expect("site dir");
        let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        copy_dir(&manifest.join("public"), &site);
        fs::write(
            site.join("pkg/passport.cssHASH.css"),
            "body{color:#111}".repeat(40),
        )
        .expect("css");
        fs::write(
            site.join("pkg/passport.jsHASH.js"),
            "export default function(){}\n".repeat(40),
        )
        .expect("js");
        fs::write(
            site.join("pkg/passport.wasmHASH.wasm"),
            b"\0asm\x01\0\0\0".repeat(64),
        )
        .expect("wasm");

        if let Some(sql) = old {
            let conn = rusqlite::Connection::open(dir.join("test.db")).expect("old database");
            conn.execute_batch(sql).expect("the old database loads");
        }
        let catalog = Arc::new(Catalog::shipped().expect("locales load"));
        let mut config = Config::new(dir.join("test.db"), Some(site));
        config.exit_url = "about:blank".to_owned();
        config.event_idle = event_idle;
        let (state, _) = AppState::new(&config).await.expect("the app starts");
        let db = state.db.clone();
        let seed = db
            .read(|c| Ok(passport::seal::keys::bootstrap(c).expect("read")))
            .await
            .expect("db")
            .expect("a new database keeps the seed until an account takes it");
        Fixture {
            dir,
            router: app(state.clone()),
            catalog,
            db,
            app: state,
            seed: *seed,
        }
    }

    /// The organisation's private key.
    pub fn org_key(&self) -> passport::seal::OpenKey {
        passport::seal::OpenKey::derive(&self.seed).0
    }

    /// Every stored request's sealed fields, opened, oldest first.
    pub async fn opened(&self) -> Vec<Personal> {
        let key = self.org_key();
        self.db
            .read(move |c| {
                let mut statement =
                    c.prepare("SELECT id_hash, sealed FROM help_request ORDER BY id")?;
                let rows = statement
                    .query_map([], |r| {
                        Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
                    })?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                Ok(rows
                    .iter()
                    .map(|(id_hash, blob)| open_personal(&key, id_hash, blob).expect("opens"))
                    .collect())
            })
            .await
            .expect("db")
    }

    /// Replaces a stored request's sealed fields.
    pub async fn reseal(&self, reference: &str, personal: Personal) {
        let key = self.app.seal_key.clone();
        let reference = reference.to_owned();
        self.db
            .write(move |c| {
                let id_hash: String = c.query_row(
                    "SELECT id_hash FROM help_request WHERE reference = ?1",
                    [&reference],
                    |r| r.get(0),
                )?;
                let blob = seal_personal(&key, &id_hash, &personal).expect("sealed");
                c.execute(
                    "UPDATE help_request SET sealed = ?1 WHERE reference = ?2",
                    rusqlite::params![blob, reference],
                )
            })
            .await
            .expect("resealed");
    }

    pub async fn get(&self, uri: &str, headers: &[(header::HeaderName, &str)]) -> Response<Body> {
        let mut request = Request::get(uri);
        for (name, value) in headers {
            request = request.header(name, *value);
        }
        self.router
            .clone()
            .oneshot(request.body(Body::empty()).expect("request"))
            .await
            .expect("the router always answers")
    }

    pub async fn post(
        &self,
        uri: &str,
        content_type: &str,
        body: impl Into<Body>,
        headers: &[(header::HeaderName, &str)],
    ) -> Response<Body> {
        let mut request = Request::post(uri).header(header::CONTENT_TYPE, content_type);
        for (name, value) in headers {
            request = request.header(name, *value);
        }
        self.router
            .clone()
            .oneshot(request.body(body.into()).expect("request"))
            .await
            .expect("the router always answers")
    }

    pub fn says(&self, locale: Locale, id: &str) -> String {
        self.catalog.format(locale, id, None)
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

pub async fn text(response: Response<Body>) -> String {
    let bytes = to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    String::from_utf8(bytes.to_vec()).expect("utf-8 body")
}

pub fn location(response: &Response<Body>) -> &str {
    response.headers()[header::LOCATION]
        .to_str()
        .expect("ascii location")
}

/// Copies the public files the way `cargo leptos build` does into the site folder.
fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    fs::create_dir_all(to).expect("site folder");
    for entry in fs::read_dir(from).expect("public folder") {
        let path = entry.expect("public entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).expect("copy a public file");
        }
    }
}
