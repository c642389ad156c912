// A hub with a TLS certificate: `passport serve --tls-cert --tls-key` serves HTTPS, so a
// phone gets the whole offline app (a service worker needs a secure origin), with HSTS,
// Secure staff cookies and an https share address.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, launchBrowser, watchErrors } from "./server.mjs";

let server;
let browser;

before(async () => {
  // A certificate for this test only, for the loopback address the server listens on.
  const dir = mkdtempSync(join(tmpdir(), "passport-tls-"));
  const cert = join(dir, "cert.pem");
  const key = join(dir, "key.pem");
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=hub.local",
    "-addext", "subjectAltName=DNS:hub.local,IP:127.0.0.1",
  ], { stdio: "ignore" });
  server = await startServer({ env: { PASSPORT_TLS_CERT: cert, PASSPORT_TLS_KEY: key } });
  // The test's own certificate is not signed by anyone the browser knows.
  browser = await launchBrowser(["--ignore-certificate-errors"]);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("over HTTPS the app keeps itself for offline use, with HSTS and an https share address", async () => {
  assert.match(server.url, /^https:\/\//);
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  const errors = watchErrors(page);
  const response = await page.goto(`${server.url}/vi/`);
  assert.equal(response.headers()["strict-transport-security"], "max-age=31536000");
  await page.waitForFunction(() => document.documentElement.dataset.offlineSynced);

  await context.setOffline(true);
  await page.goto(`${server.url}/vi/guides`);
  assert.equal(await page.locator("[data-offline-fallback]").isVisible(), false, "kept for offline");
  await context.setOffline(false);

  await page.goto(`${server.url}/vi/share`);
  assert.ok(await page.locator(`a[href="${server.url}/vi/"]`).count(), "the share address is https");
  const login = await page.goto(`${server.url}/staff/login`);
  assert.match(await login.headerValue("set-cookie"), /; Secure/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a missing certificate file stops the server with a clear message", async () => {
  const failed = await startServer({ env: { PASSPORT_TLS_CERT: "/nonexistent/cert.pem", PASSPORT_TLS_KEY: "/nonexistent/key.pem" } })
    .then(() => null, (error) => error.message);
  assert.match(failed, /TLS certificate \/nonexistent\/cert\.pem or key/);
});
