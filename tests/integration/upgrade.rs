//! Upgrades (issue 21): the app starts on the database each past release left
//! (`tests/fixtures/upgrade/vNN.sql`), keeps an editor's texts over the seed, and a
//! caseworker signs in and finds every request the old release stored.

use crate::common::{Fixture, text};
use crate::staff::sign_in;
use axum::http::StatusCode;
use passport::db::LATEST_VERSION;

fn old_database(version: i64) -> String {
    let path = format!(
        "{}/tests/fixtures/upgrade/v{version:02}.sql",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[tokio::test]
async fn the_app_serves_from_every_past_schema_version() {
    for version in 1..LATEST_VERSION {
        let f = Fixture::upgraded(&format!("upgrade-v{version}"), &old_database(version)).await;
        let home = f.get("/vi/", &[]).await;
        assert_eq!(home.status(), StatusCode::OK, "v{version}: the home page");
        let contacts = text(f.get("/vi/contacts", &[]).await).await;
        assert_eq!(
            contacts.contains("(bản sửa của biên tập viên)"),
            version >= 2,
            "v{version}: the editor's text is kept over the seed's"
        );
        if version < 4 {
            continue;
        }
        let minh = sign_in(&f, "minh").await;
        let requests = minh.get(&f, "/staff/requests").await;
        assert_eq!(requests.status(), StatusCode::OK, "v{version}");
        let requests = text(requests).await;
        for reference in ["K7-4XN", "AC-EFH", "MN-PRT"] {
            assert!(requests.contains(reference), "v{version}: {reference}");
        }
    }
}
