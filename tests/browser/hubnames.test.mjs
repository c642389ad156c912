// A hub's trusted name, end to end on real parts: Let's Encrypt's test CA (Pebble) checks
// DNS-01 answers that central publishes by RFC 2136 in a real BIND; central and a hub run
// as two `passport serve`s; a phone's Chromium trusts Pebble's root and lives in a network
// namespace, first on the event's network (where the hub's own DNS answers its name with
// its own address), then at home (where public DNS points the same name at central).
//
// Certificates here live 90 seconds, so that renewal and expiry happen within the test;
// in use they live days (Let's Encrypt's six-day profile).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import tls from "node:tls";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, runPassport, querySql, watchErrors } from "./server.mjs";
import {
  cleanupLeftovers,
  startNamed,
  startPebble,
  startPublicDns,
  makeNetns,
  launchPhone,
} from "./acme-net.mjs";

const NAME = "hall.hubs.test";
const EVENT = { hostIp: "10.231.1.1", nsIp: "10.231.1.2" };
const HOME = { hostIp: "10.231.2.1", nsIp: "10.231.2.2" };
const LIFE_SECONDS = 90;

const s = {};
const cleanups = [];

/** Waits until `check()` holds, looking again every 100 ms, for up to `seconds`. */
async function until(check, what, seconds = 90) {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The certificate `ip:443` offers for `name`, verified against Pebble's root; null if none. */
function served(ip, name = NAME) {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: ip, port: 443, servername: name, ca: s.pebble.rootPem, ALPNProtocols: ["http/1.1"] });
    socket.setTimeout(3000, () => socket.destroy());
    socket.once("secureConnect", () => {
      const cert = socket.getPeerCertificate();
      socket.end();
      resolve({ serial: cert.serialNumber.toLowerCase(), validTo: cert.valid_to, subjectaltname: cert.subjectaltname });
    });
    socket.once("error", () => resolve(null));
    socket.once("close", () => resolve(null));
  });
}

const count = (db) => Number(querySql(db, "SELECT count(*) FROM help_request"));

function centralArgs() {
  return [
    "--https", `${HOME.hostIp}:443`,
    "--hub-domain", "hubs.test",
    "--acme-directory", s.pebble.directory,
    "--acme-root", s.pebble.caCertFile,
    "--dns-update", `127.0.0.1:${s.named.port}`,
    "--dns-zone", "hubs.test",
    "--dns-key", s.named.keyFile,
    "--help-rate", "off",
  ];
}

before(async () => {
  cleanupLeftovers();
  s.dir = mkdtempSync(join(tmpdir(), "passport-names-"));
  cleanups.push(() => rmSync(s.dir, { recursive: true, force: true }));
  s.named = await startNamed({ zone: "hubs.test" });
  cleanups.push(() => s.named.stop());
  s.pebble = await startPebble({ dnsServer: `127.0.0.1:${s.named.port}`, validitySeconds: LIFE_SECONDS });
  cleanups.push(() => s.pebble.stop());
  s.event = makeNetns("event", { ...EVENT, resolver: EVENT.hostIp });
  cleanups.push(() => s.event.remove());
  s.home = makeNetns("home", { ...HOME, resolver: HOME.hostIp });
  cleanups.push(() => s.home.remove());
  s.publicDns = await startPublicDns({ ip: HOME.hostIp, answer: HOME.hostIp });
  cleanups.push(() => s.publicDns.stop());

  const [centralDir, hubDir] = [join(s.dir, "central"), join(s.dir, "hub")];
  mkdirSync(centralDir);
  mkdirSync(hubDir);
  s.central = await startServer({ dir: centralDir, args: centralArgs() });
  cleanups.push(() => s.central.kill());
  const added = await runPassport(["hubs", "add", "hall", "--domain", "hubs.test", "--db", s.central.db]);
  const code = added.match(/^ {4}([a-z0-9]{4}(?:-[a-z0-9]{4}){3})$/m)?.[1];
  assert.ok(code, `a pairing code: ${added}`);
  s.hubDb = join(hubDir, "test.db");
  const paired = await runPassport(["hub", "pair", s.central.url, code, "--db", s.hubDb]);
  assert.match(paired, /its name is hall\.hubs\.test/);
  assert.match(paired, /address=\/hall\.hubs\.test\/10\.42\.0\.1/, "the dnsmasq line for Ubuntu's hotspot");
  s.hub = await startServer({
    dir: hubDir,
    addr: `${EVENT.hostIp}:80`,
    args: ["--https", `${EVENT.hostIp}:443`, "--dns", `${EVENT.hostIp}:53`, "--upstream", s.central.url, "--sync-every", "1", "--help-rate", "off"],
  });
  cleanups.push(() => s.hub.kill());
});

after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

test("a phone keeps the app from the hub's name, queues a request offline, and it reaches central once under the same origin", async () => {
  await until(async () => (await served(EVENT.hostIp)) !== null, "the hub serving its name with a certificate central got from Pebble");
  await until(async () => (await served(HOME.hostIp)) !== null, "central serving the hub names with its own certificate");
  assert.match((await served(EVENT.hostIp)).subjectaltname, /DNS:hall\.hubs\.test/);

  const phoneDir = mkdtempSync(join(tmpdir(), "passport-phone-"));
  cleanups.push(() => rmSync(phoneDir, { recursive: true, force: true }));
  let phone = await launchPhone({ netns: s.event, phoneDir, trustRootPem: s.pebble.rootPem });
  let page = await phone.newPage();
  const errors = watchErrors(page);
  await page.goto(`https://${NAME}/th/`);
  await page
    .waitForFunction(() => document.documentElement.dataset.offlineSynced, null, { timeout: 60_000 })
    .catch((error) => assert.fail(`${error.message}; the page said: ${errors.join("; ")}`));
  await page.goto(`https://${NAME}/th/share`);
  assert.equal(await page.textContent("figcaption a"), `https://${NAME}/th/`, "the share page points at the hub's name");
  assert.equal(await page.locator("p.notice").count(), 0);

  // The worker kept the whole language: the pages open in airplane mode.
  await phone.setOffline(true);
  const offline = await page.goto(`https://${NAME}/th/guides`);
  assert.ok(offline.ok(), "a kept page opens offline");
  await phone.setOffline(false);
  await page.goto(`https://${NAME}/th/help`);
  await page.waitForFunction(() => document.documentElement.dataset.helpReady === "yes");
  await page.check("#kind-not-paid");
  await page.selectOption("#country", "kr");
  await page.check("#channel-line");
  await page.fill("#contact", "somchai.k");
  await page.check("#consent-box");
  await phone.setOffline(true);
  await page.click("form.help-form button[type=submit]");
  await page.waitForSelector("[data-help-saved]:not([hidden])");
  const queued = await page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const opening = indexedDB.open("passport-outbox");
        opening.onerror = () => reject(opening.error);
        opening.onsuccess = () => {
          const all = opening.result.transaction("requests").objectStore("requests").getAll();
          all.onsuccess = () => resolve(all.result.map((entry) => entry.body));
        };
      }),
  );
  assert.equal(queued.length, 1, "one request waits in the outbox");
  await phone.close();
  assert.equal(count(s.central.db), 0);

  // Home: the same name now leads to central, which stores the waiting request.
  phone = await launchPhone({ netns: s.home, phoneDir, trustRootPem: s.pebble.rootPem });
  page = await phone.newPage();
  await page.goto(`https://${NAME}/th/`);
  await until(() => count(s.central.db) === 1, "the phone's request reaching central");
  await phone.close();

  // The phone's first try had reached the hub, its answer lost on the Wi-Fi: the hub
  // holds the same request, and central answers its forward "already had it".
  const response = await fetch(`http://${EVENT.hostIp}/api/v1/help-requests`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(queued[0]),
  });
  assert.equal(response.status, 201, await response.text());
  await until(() => count(s.hubDb) === 0, "the hub forwarding it and letting go");
  await until(() => /0 stored at central, 1 it had already/.test(s.hub.output()), "the hub told 'already had it'");
  assert.equal(count(s.central.db), 1, "stored once");
  assert.equal(querySql(s.central.db, "SELECT last_seq || ' ' || forwarded FROM hub"), "1 0", "settled, not stored again");
  assert.equal(querySql(s.central.db, "SELECT count(*) FROM help_request WHERE hub_id IS NULL"), "1", "as the phone sent it");
});

test("the certificate is renewed before it ends, revoked with the hub, and once expired the hub falls back to plain HTTP and says so", async () => {
  await until(async () => (await served(EVENT.hostIp)) !== null, "the hub serving its name");
  const first = (await served(EVENT.hostIp)).serial;
  await until(async () => {
    const now = await served(EVENT.hostIp);
    return now !== null && now.serial !== first;
  }, "a renewed certificate at the hub", LIFE_SECONDS * 2);
  assert.equal(await s.pebble.certStatus(first), "Valid", "a renewed certificate is not revoked");

  const current = (await served(EVENT.hostIp)).serial;
  const revoked = await runPassport(["hubs", "revoke", "hall", "--db", s.central.db]);
  assert.match(revoked, /revoked hub hall/);
  await until(async () => (await s.pebble.certStatus(current)) === "Revoked", "the CA revoking the hub's certificate");

  // Nothing renews it now: once it ends, HTTPS is refused, and plain HTTP says why.
  await until(async () => (await served(EVENT.hostIp)) === null, "the hub's certificate ending", LIFE_SECONDS * 2);
  const share = await (await fetch(`http://${EVENT.hostIp}/en/share`)).text();
  assert.match(share, /certificate for hall\.hubs\.test has expired/);
  assert.match(share, /href="http:\/\/10\.231\.1\.1\/en\/"/, "the share page gives the plain address");
});
