// Hubs, end to end, with real processes: central and a hub as two `passport serve`s on
// loopback, a fault-injecting proxy of the test's own between them, phones in headless
// Chromium on the hub. Every fault test ends with every request at central exactly once.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, launchBrowser, querySql, runSql, addStaff, runPassport } from "./server.mjs";
import { startProxy } from "./proxy.mjs";

const FAKETIME = ["x86_64", "aarch64"].map((arch) => `/usr/lib/${arch}-linux-gnu/faketime/libfaketimeMT.so.1`).find(existsSync) ?? "";
const events = [];

after(async () => {
  for (const event of events) await event.close();
});

/** Waits until `check()` holds, looking again every 50 ms, for up to `seconds`. */
async function until(check, what, seconds = 60) {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const count = (db, where = "1") => Number(querySql(db, `SELECT count(*) FROM help_request WHERE ${where}`));

/**
 * Central, a hub paired with it through the proxy, and the hub serving with `--upstream`
 * set to the proxy. `hubEnv` runs the hub with more environment (a faked clock).
 */
async function event({ hubEnv = {}, proxyUp = true } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "passport-hub-"));
  const [centralDir, hubDir] = [join(dir, "central"), join(dir, "hub")];
  mkdirSync(centralDir);
  mkdirSync(hubDir);
  const servers = { central: await startServer({ dir: centralDir }) };
  const proxy = await startProxy(new URL(servers.central.url).port);
  const added = await runPassport(["hubs", "add", "hall", "--db", servers.central.db]);
  const code = added.match(/^ {4}([a-z0-9]{4}(?:-[a-z0-9]{4}){3})$/m)?.[1];
  assert.ok(code, `a pairing code: ${added}`);
  const hubDb = join(hubDir, "test.db");
  const paired = await runPassport(["hub", "pair", proxy.url, code, "--db", hubDb]);
  assert.match(paired, /paired as hub hall/);
  if (!proxyUp) proxy.down();
  const hubArgs = ["--upstream", proxy.url, "--sync-every", "1", "--help-rate", "off"];
  servers.hub = await startServer({ dir: hubDir, env: hubEnv, args: hubArgs });
  const startCentral = async () => {
    servers.central = await startServer({ dir: centralDir, addr: new URL(servers.central.url).host });
    proxy.retarget(new URL(servers.central.url).port);
  };
  const startHub = async () => {
    servers.hub = await startServer({ dir: hubDir, env: hubEnv, addr: new URL(servers.hub.url).host, args: hubArgs });
  };
  const result = {
    dir,
    proxy,
    hubDb,
    centralDb: servers.central.db,
    central: () => servers.central,
    hub: () => servers.hub,
    startCentral,
    startHub,
    close: async () => {
      await proxy.close();
      for (const server of Object.values(servers)) await server.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  events.push(result);
  return result;
}

/** Sends `n` help requests to `url` as phones' outboxes do; resolves with their references. */
async function send(url, n, language = "th") {
  const references = [];
  for (let start = 0; start < n; start += 32) {
    const batch = Array.from({ length: Math.min(32, n - start) }, async () => {
      const body = {
        id: randomUUID(),
        kind: "passport-held",
        country: "my",
        channel: "line",
        contact: `line-${randomUUID().slice(0, 8)}`,
        language,
        consent: true,
      };
      const response = await fetch(`${url}/api/v1/help-requests`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const answer = await response.text();
      assert.equal(response.status, 201, answer);
      references.push(JSON.parse(answer).reference);
    });
    await Promise.all(batch);
  }
  return references;
}

/** Every reference the phones were told is at central once: as its reference, or as the hub's. */
function assertEachOnce(centralDb, references) {
  const stored = querySql(
    centralDb,
    "SELECT group_concat(coalesce(hub_reference, reference), ' ') FROM help_request",
  ).split(" ");
  assert.equal(stored.length, references.length, "nothing lost, nothing twice");
  assert.deepEqual([...stored].sort(), [...references].sort());
}

test("phones use the hub while central is away; a caseworker sees each request once, marked with the hub; a Thai fix reaches the hub's phones", async () => {
  const e = await event({ proxyUp: false });
  addStaff(e.centralDb, "mai", "caseworker", "a caseworker's long password");
  const browser = await launchBrowser();
  try {
    // Three phones at the event, on the hub, with central unreachable.
    const references = [];
    for (const contact of ["0912 111 111", "0912 222 222", "0912 333 333"]) {
      const phone = await browser.newContext();
      const page = await phone.newPage();
      await page.goto(`${e.hub().url}/th/help`);
      await page.waitForFunction(() => document.documentElement.dataset.helpReady === "yes");
      await page.check("#kind-not-paid");
      await page.selectOption("#country", "kr");
      await page.check("#channel-zalo");
      await page.fill("#contact", contact);
      await page.check("#consent-box");
      await page.click("form.help-form button[type=submit]");
      await page.waitForSelector("[data-help-sent]:not([hidden])");
      const told = await page.textContent("[data-help-sent] .reference");
      references.push(told.match(/[ACEFHKMNPRTWXY3479]{2}-[ACEFHKMNPRTWXY3479]{3}/)[0]);
      await phone.close();
    }
    assert.equal(count(e.hubDb), 3, "the hub holds them");
    assert.equal(count(e.centralDb), 0);

    // Back in range.
    e.proxy.up();
    await until(() => count(e.centralDb) === 3 && count(e.hubDb) === 0, "the requests at central");
    assertEachOnce(e.centralDb, references);

    const desk = await browser.newContext();
    const staff = await desk.newPage();
    await staff.goto(`${e.central().url}/staff/requests`);
    await staff.fill("#username", "mai");
    await staff.fill("#password", "a caseworker's long password");
    await staff.click("form.staff-form button[type=submit]");
    await staff.waitForURL(`${e.central().url}/staff/requests`);
    for (const reference of references) {
      const rows = staff.locator(`tr[data-reference="${reference}"]`);
      assert.equal(await rows.count(), 1, `${reference} listed once`);
      assert.match(await rows.textContent(), /hall/, "marked with the hub");
    }
    await staff.goto(`${e.central().url}/staff/requests/${references[0]}`);
    assert.match(await staff.textContent("main"), /0912 111 111/, "central opens what the hub sealed");
    await desk.close();

    // An editor fixes a Thai text at central; the hub takes it; a phone on the hub sees it.
    const id = "checklist.job-offer.title";
    const fixed = "หัวข้อที่แก้ไขแล้ว";
    runSql(
      e.centralDb,
      "INSERT INTO pending_text (kind, message_id, locale, value, status, source_hash, edited_at, edited_by) SELECT 'content', message_id, 'th', ?, 'reviewed', source_hash, '2026-12-07T00:00:00Z', 'editor' FROM content_text WHERE locale = 'th' AND message_id = ?",
      fixed,
      id,
    );
    assert.match(await runPassport(["translations", "publish", "--db", e.centralDb]), /published content version/);
    const central = querySql(e.centralDb, "SELECT max(version) FROM content_version");
    await until(() => querySql(e.hubDb, "SELECT central_version FROM hub_self") === central, "the hub at central's version");
    const phone = await browser.newContext();
    const page = await phone.newPage();
    await until(async () => {
      await page.goto(`${e.hub().url}/th/checklists`);
      return (await page.content()).includes(fixed);
    }, "the fixed page on the hub");
    await phone.close();
  } finally {
    await browser.close();
  }
});

test("kill -9 of the hub and of central during batches, again and again: 0 lost, 0 twice", async () => {
  const e = await event({ proxyUp: false });
  const references = await send(e.hub().url, 1500);
  e.proxy.up();
  for (let round = 0; round < 6 && count(e.hubDb) > 0; round++) {
    // Kill in the middle of an upload: once the proxy has carried part of one.
    const carried = e.proxy.stats().bytesUp;
    const into = 20_000 + Math.floor(Math.random() * 200_000);
    await until(() => e.proxy.stats().bytesUp > carried + into || count(e.hubDb) === 0, "an upload under way");
    if (round % 2 === 0) {
      await e.central().kill();
      await e.startCentral();
    } else {
      await e.hub().kill();
      await e.startHub();
    }
  }
  await until(() => count(e.hubDb) === 0, "every request forwarded", 120);
  assertEachOnce(e.centralDb, references);
});

test("a proxy that cuts connections at random points, again and again: 0 lost, 0 twice", async () => {
  const e = await event({ proxyUp: false });
  const references = await send(e.hub().url, 1000);
  const cutsBefore = e.proxy.stats().cuts;
  // Every connection is cut, somewhere in what the hub sends (a batch is about 110 KB) or in
  // central's answers (about 6 KB a batch); the hub keeps its connections alive, so one
  // connection may carry several calls.
  e.proxy.cut(() =>
    Math.random() < 0.5
      ? { up: Math.floor(Math.random() * 150_000), down: Infinity }
      : { up: Infinity, down: Math.floor(Math.random() * 8_000) },
  );
  await until(() => count(e.hubDb) === 0, "every request through the faulty link", 180);
  assert.ok(e.proxy.stats().cuts - cutsBefore >= 5, `connections were cut: ${e.proxy.stats().cuts - cutsBefore}`);
  assertEachOnce(e.centralDb, references);
});

test("central away for a long stretch while requests pile up, and a link that drops and delays", async () => {
  const e = await event({ proxyUp: false });
  const references = [];
  // Requests arrive while every sync fails, through several rounds of backing off.
  for (let wave = 0; wave < 4; wave++) {
    references.push(...(await send(e.hub().url, 50)));
    const tries = e.proxy.stats().connections;
    await until(() => e.proxy.stats().connections > tries, "another try at central");
  }
  assert.match(querySql(e.hubDb, "SELECT last_error FROM hub_self"), /not reachable/);
  assert.equal(count(e.centralDb), 0);
  // A black hole first: the hub's connection hangs until the link resets it.
  e.proxy.drop();
  const held = e.proxy.stats().connections;
  await until(() => e.proxy.stats().connections > held, "a connection into the black hole", 90);
  e.proxy.up();
  e.proxy.delay(20);
  await until(() => count(e.hubDb) === 0, "the pile forwarded", 120);
  assertEachOnce(e.centralDb, references);
});

test("a hub whose clock is a day off forwards every request, timed by central's clock", async (t) => {
  if (!existsSync(FAKETIME)) return t.skip("libfaketime is not installed (scripts/setup.sh installs it)");
  const e = await event({
    proxyUp: false,
    hubEnv: { LD_PRELOAD: FAKETIME, FAKETIME: "+1d", FAKETIME_DONT_FAKE_MONOTONIC: "1" },
  });
  const references = await send(e.hub().url, 40);
  const hubTime = querySql(e.hubDb, "SELECT min(received_at) FROM help_request");
  assert.ok(new Date(hubTime) - Date.now() > 20 * 3600 * 1000, `the hub's clock is ahead: ${hubTime}`);
  e.proxy.up();
  await until(() => count(e.hubDb) === 0, "forwarded");
  assertEachOnce(e.centralDb, references);
  const [earliest, latest] = querySql(e.centralDb, "SELECT min(received_at) || ' ' || max(received_at) FROM help_request").split(" ");
  for (const at of [earliest, latest]) {
    assert.ok(Math.abs(new Date(at) - Date.now()) < 10 * 60 * 1000, `central's time, not the hub's: ${at}`);
  }
});

test("a replayed batch is answered 'already had it' and stores nothing new", async () => {
  const e = await event({ proxyUp: false });
  const references = await send(e.hub().url, 30);
  e.proxy.up();
  await until(() => count(e.hubDb) === 0, "forwarded");
  // The hub's upload exactly as it crossed the link, sent again.
  const carried = e.proxy
    .requests()
    .map((bytes) => bytes.toString("utf8"))
    .find((text) => text.includes("POST /hub/v1/requests"));
  assert.ok(carried, "the proxy saw the upload");
  const text = carried.slice(carried.indexOf("POST /hub/v1/requests"));
  const head = text.slice(0, text.indexOf("\r\n\r\n"));
  const length = Number(head.match(/^content-length: (\d+)$/im)[1]);
  const body = text.slice(head.length + 4, head.length + 4 + length);
  const authorization = head.match(/^authorization: (.*)$/im)[1];
  const again = await fetch(`${e.central().url}/hub/v1/requests`, {
    method: "POST",
    headers: { authorization, "content-type": "application/json" },
    body,
  });
  assert.equal(again.status, 200);
  const answer = await again.json();
  assert.equal(answer.answers.length, 30);
  assert.ok(answer.answers.every((a) => a.outcome === "had"), JSON.stringify(answer.answers.slice(0, 3)));
  assertEachOnce(e.centralDb, references);
});

test("a revoked hub is refused and keeps what it holds; a tampered bundle is refused with nothing applied", async () => {
  const e = await event();
  await runPassport(["hubs", "revoke", "hall", "--db", e.centralDb]);
  const references = await send(e.hub().url, 5);
  await until(() => /revoked/.test(querySql(e.hubDb, "SELECT coalesce(last_error, '') FROM hub_self")), "the hub told it is revoked");
  await assert.rejects(runPassport(["hub", "sync", "--db", e.hubDb]), /revoked/);
  assert.equal(count(e.hubDb), 5, "the hub keeps its requests");
  assert.equal(count(e.centralDb), 0);
  assert.match(await runPassport(["hubs", "list", "--db", e.centralDb]), /hall\trevoked/);
  assert.equal(references.length, 5);

  const bundle = join(e.dir, "bundle.json");
  await runPassport(["bundle", "export", bundle, "--db", e.centralDb]);
  const before = querySql(e.hubDb, "SELECT central_version || ':' || (SELECT max(version) FROM content_version) FROM hub_self");
  const signed = readFileSync(bundle, "utf8");
  // One letter of the signed payload changed.
  const tampered = signed.replace(/\\"to\\":(\d+)/, (_, n) => `\\"to\\":${Number(n) + 1}`);
  assert.notEqual(tampered, signed);
  writeFileSync(bundle, tampered);
  await assert.rejects(runPassport(["hub", "import-bundle", bundle, "--db", e.hubDb]), /signature/);
  assert.equal(querySql(e.hubDb, "SELECT central_version || ':' || (SELECT max(version) FROM content_version) FROM hub_self"), before);
});

test("without a network: requests and content cross on a USB stick, each request stored once", async () => {
  const e = await event({ proxyUp: false });
  const references = await send(e.hub().url, 25);
  const stick = join(e.dir, "requests.json");
  assert.match(await runPassport(["hub", "export", stick, "--db", e.hubDb]), /wrote 25 sealed requests/);
  const file = readFileSync(stick, "utf8");
  for (const shown of ["line-", "passport-held", references[0]]) {
    assert.ok(!file.includes(shown), `the stick shows nothing of the requests: ${shown}`);
  }
  assert.match(await runPassport(["hubs", "import", stick, "--db", e.centralDb]), /25 stored/);
  assert.match(await runPassport(["hubs", "import", stick, "--db", e.centralDb]), /0 stored, 25 had already/);
  // A file changed on the way is refused.
  const sealed = JSON.parse(file).sealed;
  const changed = sealed.slice(0, 100) + (sealed[100] === "A" ? "B" : "A") + sealed.slice(101);
  writeFileSync(stick, file.replace(sealed, changed));
  await assert.rejects(runPassport(["hubs", "import", stick, "--db", e.centralDb]), /signature/);
  assertEachOnce(e.centralDb, references);

  // The bundle back tells the hub what central holds, so it lets go of them.
  const bundle = join(e.dir, "bundle.json");
  await runPassport(["bundle", "export", bundle, "--hub", "hall", "--db", e.centralDb]);
  await runPassport(["hub", "import-bundle", bundle, "--db", e.hubDb]);
  assert.equal(count(e.hubDb), 0);
});
