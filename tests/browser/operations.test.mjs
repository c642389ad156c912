// Operating it without losing anything (issue 21), with the real program, real files and
// real processes: a backup taken while help requests keep arriving restores to a database
// that passes SQLite's integrity check and holds every request acknowledged before the
// backup began; a restore refuses a running server's database and a newer release's file,
// and keeps the database it replaces.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { execFileSync, spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, runPassport, querySql, runSql } from "./server.mjs";
import { freePort, makeCa, makeLeaf } from "./acme-net.mjs";

const request = (id = randomUUID()) =>
  JSON.stringify({ id, kind: "not-paid", country: "kr", channel: "zalo", contact: "0912 345 678", language: "vi", consent: true });

async function send(url) {
  const response = await fetch(`${url}/api/v1/help-requests`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: request(),
  });
  return response.status === 201 ? (await response.json()).reference : null;
}

/** The statuses the phone's outbox keeps a request marked "refused" for, never sending it again. */
const REFUSED_FOR_GOOD = [400, 409, 413, 422];

/** Sends request `id` as the outbox does: "stored" with its reference, "again" when the outbox
 * would send it again (no answer, busy, unavailable), or "dropped" with the status. */
async function sendAsOutbox(url, id) {
  let response;
  try {
    response = await fetch(`${url}/api/v1/help-requests`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: request(id),
    });
  } catch {
    return { outcome: "again" };
  }
  if (response.ok) return { outcome: "stored", reference: (await response.json()).reference };
  await response.arrayBuffer().catch(() => {});
  return REFUSED_FOR_GOOD.includes(response.status) ? { outcome: "dropped", status: response.status } : { outcome: "again" };
}

/** Every reference in a database, as a set. */
function references(db) {
  const script = "import sqlite3, sys; print('\\n'.join(r[0] for r in sqlite3.connect(sys.argv[1]).execute('SELECT reference FROM help_request')))";
  return new Set(execFileSync("python3", ["-c", script, db]).toString().split("\n").filter(Boolean));
}

test("a backup taken under a write load restores with every request acknowledged before it", async () => {
  const server = await startServer({ args: ["--help-rate", "off"] });
  const dir = mkdtempSync(join(tmpdir(), "passport-backup-"));
  try {
    const acknowledged = [];
    let sending = true;
    const load = Array.from({ length: 6 }, async () => {
      while (sending) {
        const reference = await send(server.url);
        if (reference) acknowledged.push(reference);
      }
    });
    while (acknowledged.length < 100) await new Promise((next) => setImmediate(next));
    // Everything acknowledged before the backup begins must be in it.
    const before = [...acknowledged];
    const file = join(dir, "during-load.db");
    const said = await runPassport(["backup", file, "--db", server.db]);
    const duringBackup = acknowledged.length - before.length;
    sending = false;
    await Promise.all(load);
    assert.match(said, /backed up \d+ help requests/);
    assert.equal(statSync(file).mode & 0o777, 0o600, "the backup is the owner's alone");
    assert.ok(duringBackup >= 0);

    // The server is still running on its database: a restore over it is refused.
    await assert.rejects(runPassport(["restore", file, "--db", server.db]), /a server is running/);

    const restored = join(dir, "restored.db");
    const out = await runPassport(["restore", file, "--db", restored]);
    assert.match(out, /restored \d+ help requests/);
    assert.equal(querySql(restored, "PRAGMA integrity_check"), "ok");
    const kept = references(restored);
    const lost = before.filter((reference) => !kept.has(reference));
    assert.deepEqual(lost, [], "no request acknowledged before the backup is missing");
    assert.ok(references(server.db).size >= kept.size);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("restore checks the file first, refuses a newer release's, and keeps what it replaces", async () => {
  const dir = mkdtempSync(join(tmpdir(), "passport-restore-"));
  try {
    const db = join(dir, "live.db");
    await runPassport(["migrate", "--db", db]);
    const backup = join(dir, "good.db");
    await runPassport(["backup", backup, "--db", db]);
    await assert.rejects(runPassport(["backup", backup, "--db", db]), /exists already/, "a backup never overwrites");

    const newer = join(dir, "newer.db");
    await runPassport(["backup", newer, "--db", db]);
    execFileSync("python3", ["-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('PRAGMA user_version = 999'); c.commit()", newer]);
    await assert.rejects(runPassport(["restore", newer, "--db", db]), /newer release/);
    const junk = join(dir, "junk.db");
    execFileSync("sh", ["-c", `head -c 8192 /dev/urandom > ${junk}`]);
    await assert.rejects(runPassport(["restore", junk, "--db", db]), /not a readable SQLite database|not a passport database/);

    const out = await runPassport(["restore", backup, "--db", db]);
    const keptAs = out.match(/kept as (\S+)/)?.[1];
    assert.ok(keptAs && existsSync(keptAs), out);
    assert.equal(querySql(db, "PRAGMA integrity_check"), "ok");
    assert.ok(readdirSync(dir).some((name) => name.startsWith("live.db.before-restore-")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("serve --backups writes a backup at start and keeps the newest", async () => {
  const dir = mkdtempSync(join(tmpdir(), "passport-scheduled-"));
  const server = await startServer({ args: ["--backups", dir, "--every", "1", "--keep", "2"] });
  try {
    while (!server.output().includes("backed up the database")) await new Promise((next) => setTimeout(next, 50));
    const files = readdirSync(dir).filter((name) => /^passport-.*\.db$/.test(name));
    assert.equal(files.length, 1);
    assert.equal(statSync(join(dir, files[0])).mode & 0o777, 0o600);
    assert.equal(querySql(join(dir, files[0]), "PRAGMA integrity_check"), "ok");
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("SIGTERM while requests arrive: each one is stored and acknowledged, or sent again by the outbox", async () => {
  const dir = mkdtempSync(join(tmpdir(), "passport-sigterm-"));
  const server = await startServer({ dir, args: ["--help-rate", "off"] });
  try {
    const stored = new Map();
    const again = new Set();
    const dropped = [];
    let afterSignal = 0;
    let signalled = false;
    let exited = false;
    const load = Array.from({ length: 6 }, async () => {
      while (!exited) {
        const id = randomUUID();
        const answer = await sendAsOutbox(server.url, id);
        if (signalled) afterSignal += 1;
        if (answer.outcome === "stored") stored.set(id, answer.reference);
        else if (answer.outcome === "again") again.add(id);
        else dropped.push(answer.status);
      }
    });
    while (stored.size < 200) await new Promise((next) => setImmediate(next));
    const started = process.hrtime.bigint();
    signalled = true;
    await server.stop();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    exited = true;
    await Promise.all(load);
    console.log(`SIGTERM: exited in ${seconds.toFixed(2)} s; ${stored.size} stored, ${again.size} to send again, ${afterSignal} sent after the signal`);
    assert.ok(seconds < 12, `the server exits within its 10 s grace (${seconds} s)`);
    assert.match(server.output(), /shutting down: finishing requests under way/);
    assert.match(server.output(), /stopped/);
    assert.deepEqual(dropped, [], "no request is refused in a way the outbox gives up on");
    assert.ok(afterSignal > 0, "requests were under way when the signal came");

    const kept = references(server.db);
    const lost = [...stored.values()].filter((reference) => !kept.has(reference));
    assert.deepEqual(lost, [], "every acknowledged request is stored");

    // The outbox sends the others again once the server is back: each is stored, once.
    const back = await startServer({ dir, args: ["--help-rate", "off"] });
    try {
      for (const id of again) {
        const answer = await sendAsOutbox(back.url, id);
        assert.equal(answer.outcome, "stored", `${id} is taken when sent again`);
      }
    } finally {
      await back.stop();
    }
    assert.equal(references(server.db).size, stored.size + again.size);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** aiosmtpd on `port`, keeping each mail in `out`. */
async function startMailServer(port, { cert, key }, out) {
  const child = spawn("python3", [join(import.meta.dirname, "smtp-server.py"), String(port), cert, key, out], { stdio: ["pipe", "pipe", "inherit"] });
  await new Promise((ready, failed) => {
    child.stdout.on("data", (chunk) => String(chunk).includes("listening") && ready());
    child.once("exit", (code) => failed(new Error(`the mail server exited with ${code}`)));
  });
  return { stop: () => new Promise((done) => { child.once("exit", done); child.stdin.end(); }) };
}

/** Waits for `condition`; fails after a minute rather than hang. */
const until = async (condition, what = "the condition") => {
  const deadline = Date.now() + 60_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`waited a minute for ${what}`);
    await new Promise((next) => setTimeout(next, 100));
  }
};

test("an urgent request makes one mail over STARTTLS with no sealed field, also when the mail server is down at first", async () => {
  const dir = mkdtempSync(join(tmpdir(), "passport-alerts-"));
  const out = join(dir, "mail");
  mkdirSync(out);
  const ca = makeCa(dir, "alerts-ca");
  const certs = makeLeaf(dir, ca, { name: "smtp", ips: ["127.0.0.1"] });
  const port = await freePort();
  const server = await startServer({
    env: { PASSPORT_ALERT_SMTP: `smtp://127.0.0.1:${port}` },
    args: ["--alert-from", "Passport alerts <alerts@ngo.example>", "--alert-smtp-ca", ca.cert, "--public-url", "https://central.ngo.example"],
  });
  let mail;
  try {
    runSql(server.db, "INSERT INTO alert_recipient (address, added_by, added_at) VALUES ('duty@ngo.example', 'test', '2026-12-07T00:00:00Z')");
    const post = (body) =>
      fetch(`${server.url}/api/v1/help-requests`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const secret = { contact: "0912 345 678", name: "Hoa Secretname", message: "They keep me in building C", channel: "zalo", language: "vi", consent: true };
    const urgent = await post({ id: randomUUID(), kind: "passport-held", country: "kh", urgent: true, ...secret });
    assert.equal(urgent.status, 201);
    const { reference } = await urgent.json();
    const calm = await post({ id: randomUUID(), kind: "job-offer-check", country: "vn", ...secret });
    assert.equal(calm.status, 201);

    // The mail server is down: the alert fails, is kept, and says why.
    await until(() => querySql(server.db, "SELECT count(*) FROM alert WHERE attempts > 0 AND sent_at IS NULL AND last_error IS NOT NULL") === "1");
    await until(() => server.output().includes("an alert could not be sent; it will be tried again"));

    mail = await startMailServer(port, certs, out);
    await until(() => querySql(server.db, "SELECT count(*) FROM alert WHERE sent_at IS NOT NULL") === "1");
    const files = readdirSync(out).filter((name) => name.endsWith(".eml"));
    assert.equal(files.length, 1, "one mail");
    const text = readFileSync(join(out, files[0]), "utf8");
    assert.equal(readFileSync(join(out, files[0].replace(".eml", ".rcpt")), "utf8"), "duty@ngo.example");
    assert.match(text, new RegExp(`^Subject: Urgent help request ${reference}`, "m"));
    assert.match(text, /^From: "?Passport alerts"? <alerts@ngo\.example>/m);
    assert.ok(text.includes(`${reference}: Passport held, Cambodia`), text);
    assert.ok(text.includes("https://central.ngo.example/staff/requests"), text);
    for (const sealed of ["0912 345 678", "Secretname", "building C", "Zalo", "zalo"]) {
      assert.ok(!text.includes(sealed), `${sealed} stays sealed`);
    }
    assert.equal(querySql(server.db, "SELECT count(*) FROM alert"), "1", "the calm request waits for the digest");
  } finally {
    await mail?.stop();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
