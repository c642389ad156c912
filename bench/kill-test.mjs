// Kill test for the intake budget: an acknowledged help request is on disk, whatever happens
// to the server after the acknowledgement. Prints figures; exits non-zero if a request was
// lost or duplicated. Run by hand after a release build (bench/intake.sh makes one):
//
//   PASSPORT_SITE=path/to/site node bench/kill-test.mjs
//
// Sends 10,000 distinct help requests, 64 at a time, to `passport serve` (limit off), and
// `kill -9`s the server after about every 2,000 acknowledgements (the exact count drawn at
// random). Right after each kill, before anything is sent again, every request acknowledged
// so far must be in the database. The server then restarts on the same database and address,
// and every request not acknowledged is sent again with its same UUID, as the phone's outbox
// does, until all 10,000 are. At the end every request is sent once more: each must get the
// reference it got the first time.
import { execFileSync, spawn } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { closeSync, existsSync, mkdtempSync, openSync, rmSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";

const ROOT = new URL("../", import.meta.url).pathname;
const TARGET = process.env.CARGO_TARGET_DIR ?? join(ROOT, "target");
const BIN = join(TARGET, "release/passport");
const SITE = process.env.PASSPORT_SITE ?? join(TARGET, "site");
const SUBMISSIONS = 10_000;
const IN_FLIGHT = 64;
const KILL_EVERY = 2_000;
const KILLS = SUBMISSIONS / KILL_EVERY - 1;

for (const [what, path] of [["release build", BIN], ["built site folder", SITE]]) {
  if (!existsSync(path)) {
    console.error(`no ${what} at ${path} (see the comment at the top of this script)`);
    process.exit(2);
  }
}

const dir = mkdtempSync(join(tmpdir(), "passport-kill-"));
const db = join(dir, "kill.db");
const log = openSync(join(dir, "server.log"), "a");
const port = await freePort();

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
    probe.once("error", reject);
  });
}

/** Starts the server on `port` and `db`; resolves once it accepts connections. */
async function start() {
  const args = ["serve", "--addr", `127.0.0.1:${port}`, "--db", db, "--site", SITE];
  const child = spawn(BIN, [...args, "--help-rate", "off"], {
    env: { ...process.env, NO_COLOR: "1", RUST_LOG: "warn" },
    stdio: ["ignore", log, log],
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  for (let attempt = 0; attempt < 600 && child.exitCode === null; attempt++) {
    const open = await new Promise((resolve) => {
      const socket = net.connect({ host: "127.0.0.1", port });
      socket.once("connect", () => resolve(true));
      socket.once("error", () => resolve(false));
      socket.once("connect", () => socket.destroy());
    });
    if (open) return { child, exited };
    await delay(50);
  }
  throw new Error(`the server did not start; see ${join(dir, "server.log")}`);
}

/** The digest the server stores a client UUID as (`help::store::id_hash`). */
const idHash = (id) =>
  createHash("sha256").update("safe-migration-passport/request-id/1\0").update(id).digest("hex");

/** Every stored row (client UUID → reference), and how many rows repeat a UUID. The server
 * stores only a digest of each UUID: rows are matched to the UUIDs this script sent. */
function storedRows() {
  const idOf = new Map(ids.map((id) => [idHash(id), id]));
  const sql = "SELECT id_hash, reference FROM help_request";
  const out = execFileSync("sqlite3", ["-batch", "-noheader", db, sql], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const rows = new Map();
  let repeated = 0;
  for (const line of out.split("\n").filter(Boolean)) {
    const [hash, reference] = line.split("|");
    const id = idOf.get(hash) ?? hash;
    if (rows.has(id)) repeated++;
    rows.set(id, reference);
  }
  return { rows, repeated };
}

const body = (id) =>
  JSON.stringify({
    id,
    kind: "not-paid",
    country: "th",
    channel: "phone",
    contact: "+66 81 234 5678",
    language: "vi",
    consent: true,
  });

// Node's own HTTP client with keep-alive: several times lighter than `fetch` on this machine,
// so that the server, not this script, is the busy one when it is killed.
const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
const unexpected = new Map(); // status → count, for any answer but 200, 201 and 503

/** One submission: { status, reference } if answered 200 or 201, else null. */
function send(id) {
  const payload = body(id);
  const headers = {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(payload),
  };
  const options = { port, path: "/api/v1/help-requests", method: "POST", agent, headers };
  return new Promise((resolve) => {
    const request = http.request({ ...options, host: "127.0.0.1", timeout: 15_000 }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (text += chunk));
      response.on("error", () => resolve(null));
      response.on("end", () => {
        const status = response.statusCode;
        if (status === 200 || status === 201) {
          resolve({ status, reference: JSON.parse(text).reference });
          return;
        }
        if (status !== 503) unexpected.set(status, (unexpected.get(status) ?? 0) + 1);
        resolve(null);
      });
    });
    // The server died under this request: the outbox sends it again.
    request.on("error", () => resolve(null));
    request.on("timeout", () => request.destroy());
    request.end(payload);
  });
}

const ids = Array.from({ length: SUBMISSIONS }, () => randomUUID());
const pending = [...ids];
const acks = new Map(); // UUID → the reference of its first acknowledgement
const changed = new Set(); // UUIDs acknowledged with two different references
const lostAtKills = [];
const cutOffAtKills = [];
let created = 0;
let storedUnanswered = 0; // 200 on a resend: stored before a kill, its answer never arrived
let resends = 0;
let inFlight = 0;
let paused = null; // a promise while the server is being killed and restarted
let nextKill = KILL_EVERY + jitter();
let server = await start();
const began = performance.now();

function jitter() {
  return Math.floor((Math.random() - 0.5) * KILL_EVERY * 0.5);
}

function acknowledge(id, answer) {
  const first = acks.get(id);
  if (first === undefined) {
    acks.set(id, answer.reference);
    if (answer.status === 201) created++;
    else storedUnanswered++;
  } else if (first !== answer.reference) {
    changed.add(id);
  }
}

async function killAndRestart() {
  let resume;
  paused = new Promise((resolve) => (resume = resolve));
  const resendsBefore = resends;
  server.child.kill("SIGKILL");
  await server.exited;
  while (inFlight > 0) await delay(5);
  cutOffAtKills.push(resends - resendsBefore);
  // Nothing was sent since the kill: whatever was acknowledged must be on disk already.
  const { rows } = storedRows();
  lostAtKills.push([...acks.keys()].filter((id) => !rows.has(id)).length);
  console.log(
    `kill ${lostAtKills.length}: ${cutOffAtKills.at(-1)} requests cut off, ` +
      `${acks.size} acknowledged, ${rows.size} stored, lost ${lostAtKills.at(-1)}`,
  );
  server = await start();
  nextKill = (lostAtKills.length + 1) * KILL_EVERY + jitter();
  paused = null;
  resume();
}

async function worker() {
  while (acks.size < SUBMISSIONS) {
    if (paused) {
      await paused;
      continue;
    }
    const id = pending.shift();
    if (id === undefined) {
      // The rest are in flight; one may fail and come back to the queue.
      await delay(5);
      continue;
    }
    inFlight++;
    const answer = await send(id);
    inFlight--;
    if (answer) {
      acknowledge(id, answer);
    } else {
      resends++;
      pending.push(id);
    }
    if (!paused && lostAtKills.length < KILLS && acks.size >= nextKill) {
      killAndRestart();
    }
  }
}

await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
const seconds = (performance.now() - began) / 1000;
// Before the replay below, which would store again whatever was lost.
const beforeReplay = storedRows().rows;
const lost = [...acks.keys()].filter((id) => !beforeReplay.has(id)).length;

// The outbox may send a request again after it was acknowledged: the same reference each time.
let replayed = 0;
const again = [...ids];
await Promise.all(
  Array.from({ length: IN_FLIGHT }, async () => {
    for (let id = again.shift(); id !== undefined; id = again.shift()) {
      const answer = await send(id);
      if (answer) {
        replayed++;
        acknowledge(id, answer);
      }
    }
  }),
);

agent.destroy();
server.child.kill("SIGTERM");
await server.exited;
closeSync(log);
const { rows, repeated } = storedRows();
const strays = [...rows.keys()].filter((id) => !acks.has(id)).length;
for (const [id, reference] of acks) {
  if (rows.has(id) && rows.get(id) !== reference) changed.add(id);
}
const duplicated = repeated + changed.size;

const line = (label, value, note = "") =>
  console.log(`  ${label.padEnd(24)}${String(value).padStart(7)}  ${note}`);
console.log("\nkill test");
line("submissions", SUBMISSIONS, `${IN_FLIGHT} in flight`);
line("kills (kill -9)", lostAtKills.length, `requests cut off: ${cutOffAtKills.join(", ")}`);
line("acknowledged", acks.size, `${created} as new (201)`);
line("", storedUnanswered, "stored before a kill, answer lost, 200 on resend");
line("sent again", resends, "after a kill or a 503, with the same UUID");
line("replayed at the end", replayed, "each must keep its first reference");
line("stored rows", rows.size + repeated, strays ? `${strays} never acknowledged` : "");
line("lost", lost, `acknowledged, not in the database; right after each kill: ${lostAtKills}`);
line("duplicated", duplicated, `rows repeating a UUID ${repeated}, references changed ${changed.size}`);
line("acknowledged per second", (SUBMISSIONS / seconds).toFixed(0), "including the restarts");
if (unexpected.size) {
  console.log(`  unexpected answers: ${[...unexpected].map(([s, n]) => `${n}x${s}`).join(", ")}`);
}

const failed =
  lost > 0 || duplicated > 0 || lostAtKills.some((n) => n > 0) || acks.size !== SUBMISSIONS;
if (failed) {
  console.log(`\nFAILED; the database and server log are kept in ${dir}`);
  process.exit(1);
}
rmSync(dir, { recursive: true, force: true });
