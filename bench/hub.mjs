// Hub benchmarks (issue 17, "Hubs that forward"): the three budgets of the issue's note.
// Prints figures; it judges nothing (it exits non-zero only when a run went wrong: a request
// lost or stored twice, an answer that is not 200). Run by hand, not in CI:
//
//   node bench/hub.mjs                  # 10,000 requests; 5 times 100 phones installing Thai
//   node bench/hub.mjs --lang vi        # the event hall in another language (en, vi, th, ksw)
//   REQUESTS=2000 PHONES=20 ROUNDS=1 node bench/hub.mjs
//   KEEP=1 node bench/hub.mjs           # keeps the databases and the servers' logs
//
// Needs the release build and its site folder: `scripts/build.sh` makes both
// (target/release/passport and target/site); PASSPORT_BIN and PASSPORT_SITE name others.
// Also taskset (util-linux) and python3 (its sqlite3 module reads the databases).
//
// 1. Forwarding. A central (`passport serve`) and a hub paired with it (`passport hubs add`,
//    `passport hub pair`), both on loopback in a temporary folder. A first `passport hub
//    sync` takes central's content, so that the timed one below forwards requests only. The
//    hub is then served (`--help-rate off`, no `--upstream`) and sent REQUESTS distinct help
//    requests through `POST /api/v1/help-requests`, 64 at a time, as phones' outboxes send
//    them; it is stopped, and one `passport hub sync` process is timed from its start to its
//    exit. Central's database must then hold each request once, marked with the hub, under
//    the reference the phone was told (or with that reference kept as the hub's).
// 2. The bundle of one edit. One Thai content text is changed at central (a word added, as
//    an editor fixing a sentence would: no digits change, so no second person is needed),
//    `passport translations publish` makes it a content version, and `passport bundle export
//    --since V` writes what changed after V, the version before. Measured for the Thai text
//    of median length and for the longest; each bundle is then applied at the hub with
//    `passport hub import-bundle`, which checks it is a real one.
// 3. The event hall. The hub serves on one core (`taskset -c 0`), its page cache warmed (it
//    logs "page cache warmed"). Each phone GETs `/{lang}/offline.json`, then every page and
//    file it lists, with `Accept-Encoding: br, gzip`, over its own keep-alive connections,
//    at most 6 at a time as a browser opens them. One phone installs first (it also renders
//    the manifest and the pages that show the host asked for into the cache); then PHONES
//    phones install at once, ROUNDS times over (one round is the budget; more rounds make
//    the CPU figure, counted in clock ticks, less coarse). The hub's CPU time is read from
//    /proc (utime + stime), its peak resident memory from VmHWM. This script moves itself to
//    the other core first (`taskset -a -p -c 1`), so the load generator does not share the
//    hub's; on a machine with one core both share it, and the CPU figure is the one to read.
//    Last, the same hall twice more with glibc's malloc tuned through GLIBC_TUNABLES (the app
//    itself unchanged), to show how much of the peak memory the allocator keeps.
import { execFileSync, spawn } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from "node:fs";
import http from "node:http";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import zlib from "node:zlib";

const ROOT = new URL("../", import.meta.url).pathname;
const TARGET = process.env.CARGO_TARGET_DIR ?? join(ROOT, "target");
const BIN = process.env.PASSPORT_BIN ?? join(TARGET, "release/passport");
const SITE = process.env.PASSPORT_SITE ?? join(TARGET, "site");
const REQUESTS = Number(process.env.REQUESTS ?? 10_000);
const IN_FLIGHT = 64;
const PHONES = Number(process.env.PHONES ?? 100);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const SOCKETS_PER_PHONE = 6;
const langArg = process.argv.indexOf("--lang");
const LANG = langArg > 0 ? process.argv[langArg + 1] : (process.env.PHONE_LANG ?? "th");

for (const [what, path] of [["release build", BIN], ["built site folder", SITE]]) {
  if (!existsSync(path)) {
    console.error(`no ${what} at ${path}: run scripts/build.sh (or set PASSPORT_BIN / PASSPORT_SITE)`);
    process.exit(2);
  }
}
if (!["en", "vi", "th", "ksw"].includes(LANG)) {
  console.error(`--lang ${LANG}: one of en, vi, th, ksw`);
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), "passport-hub-bench-"));
const centralDb = join(dir, "central.db");
const hubDb = join(dir, "hub.db");
const ENV = { ...process.env, NO_COLOR: "1", RUST_LOG: "info" };
const CORES = Number(execFileSync("nproc", { encoding: "utf8" }).trim());
const TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
let failed = false;
const servers = new Set();

const line = (label, value, note = "") =>
  console.log(`  ${label.padEnd(32)}${String(value).padStart(12)}  ${note}`.trimEnd());
const fixed = (n, digits = 1) => n.toFixed(digits);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
function problem(message) {
  failed = true;
  console.log(`  PROBLEM: ${message}`);
}

/** Runs a passport command to its end; its standard output. */
function passport(...args) {
  return execFileSync(BIN, args, { encoding: "utf8", env: { ...ENV, RUST_LOG: "warn" } });
}

/** The rows `query` returns from `db`, as arrays; `params` bind its `?`s. Writes commit. */
function sql(db, query, ...params) {
  const script =
    "import sqlite3, sys, json\n" +
    "c = sqlite3.connect(sys.argv[1])\n" +
    "rows = c.execute(sys.argv[2], sys.argv[3:]).fetchall()\n" +
    "c.commit()\n" +
    "print(json.dumps(rows))";
  const out = execFileSync("python3", ["-c", script, db, query, ...params], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(out);
}

/** Starts `passport serve` on a free loopback port; resolves once it has logged its address.
 * `prefix` runs it under another program (taskset), which execs it: the pid stays its own. */
async function serve(name, db, prefix = [], env = {}) {
  const log = join(dir, `${name}.log`);
  const args = ["serve", "--db", db, "--addr", "127.0.0.1:0", "--site", SITE, "--help-rate", "off"];
  const [program, programArgs] = prefix.length
    ? [prefix[0], [...prefix.slice(1), BIN, ...args]]
    : [BIN, args];
  const fd = openSync(log, "a");
  const child = spawn(program, programArgs, { env: { ...ENV, ...env }, stdio: ["ignore", fd, fd] });
  closeSync(fd);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const server = {
    name,
    pid: child.pid,
    log,
    output: () => readFileSync(log, "utf8"),
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
      servers.delete(server);
    },
  };
  servers.add(server);
  for (let i = 0; i < 1200 && child.exitCode === null; i++) {
    const found = server.output().match(/serving on (http:\/\/[0-9.:]+)/);
    if (found) {
      server.url = found[1];
      server.port = Number(new URL(found[1]).port);
      return server;
    }
    await delay(50);
  }
  throw new Error(`${name} did not start; see ${log}:\n${server.output().slice(-2000)}`);
}

async function waitForLog(server, pattern, seconds) {
  for (let i = 0; i < seconds * 20; i++) {
    if (pattern.test(server.output())) return;
    await delay(50);
  }
  throw new Error(`${server.name} did not log ${pattern} within ${seconds} s; see ${server.log}`);
}

/** One HTTP request; resolves { status, headers, body } (the body as sent, not decoded). */
function request(port, agent, method, path, headers = {}, payload) {
  return new Promise((resolve) => {
    const asked = http.request(
      { host: "127.0.0.1", port, path, method, agent, headers, timeout: 60_000 },
      (response) => {
        const chunks = [];
        response.on("data", (chunk) => chunks.push(chunk));
        response.on("error", (error) => resolve({ status: 0, error }));
        response.on("end", () =>
          resolve({
            status: response.statusCode,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    asked.on("error", (error) => resolve({ status: 0, error }));
    asked.on("timeout", () => asked.destroy(new Error("timed out")));
    asked.end(payload);
  });
}

function decoded(answer) {
  switch (answer.headers["content-encoding"]) {
    case "br":
      return zlib.brotliDecompressSync(answer.body);
    case "gzip":
      return zlib.gunzipSync(answer.body);
    default:
      return answer.body;
  }
}

/** The server's CPU seconds so far (user + system), and its resident memory now and at peak. */
function usage(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 14 and 15 of stat(5); the slice above starts at field 3.
  const cpu = (Number(fields[11]) + Number(fields[12])) / TICKS;
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (name) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, "m"))?.[1] ?? 0) * 1024;
  const threads = Number(status.match(/^Threads:\s+(\d+)/m)?.[1]);
  return { cpu, rss: kib("VmRSS"), peak: kib("VmHWM"), threads };
}

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** The digest the server stores a client UUID as (`help::store::id_hash`). */
const idHash = (id) =>
  createHash("sha256").update("safe-migration-passport/request-id/1\0").update(id).digest("hex");

const LANGUAGES = ["vi", "th", "ksw", "en"];
const helpBody = (id, n) =>
  JSON.stringify({
    id,
    kind: "not-paid",
    country: "th",
    channel: "phone",
    contact: `+66 81 ${String(100 + (n % 900))} ${String(1000 + (n % 9000))}`,
    language: LANGUAGES[n % LANGUAGES.length],
    consent: true,
  });

// ---------------------------------------------------------------------------------------

async function forwarding() {
  console.log(`\n== 1. forwarding ${REQUESTS} requests hub -> central on loopback`);
  const central = await serve("central", centralDb);
  const added = passport("hubs", "add", "bench", "--db", centralDb);
  const code = added.match(/passport hub pair \S+ (\S+)/)?.[1];
  if (!code) throw new Error(`no pairing code in:\n${added}`);
  passport("hub", "pair", central.url, code, "--db", hubDb);

  // The first sync takes central's content (everything since version 0).
  let began = performance.now();
  const first = passport("hub", "sync", "--db", hubDb).trim();
  const firstSeconds = (performance.now() - began) / 1000;
  const content = first.replace(/^requests: .*?; /, "");
  line("first sync (content only)", `${fixed(firstSeconds, 2)} s`, content);

  const hub = await serve("hub", hubDb);
  // Its page cache is rendered in the background at start: not while requests are taken.
  await waitForLog(hub, /page cache warmed/, 600);
  const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  const ids = Array.from({ length: REQUESTS }, () => randomUUID());
  const told = new Map(); // UUID → the reference the phone was told
  const statuses = new Map();
  let next = 0;
  began = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < ids.length) {
        const n = next++;
        const payload = helpBody(ids[n], n);
        const headers = {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(payload),
        };
        let answer;
        // A 503 (the writer busy) is sent again with the same UUID, as the outbox does.
        for (let attempt = 0; attempt < 20; attempt++) {
          answer = await request(hub.port, agent, "POST", "/api/v1/help-requests", headers, payload);
          if (answer.status !== 503 && answer.status !== 0) break;
          await delay(50);
        }
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (answer.status === 201) told.set(ids[n], JSON.parse(answer.body).reference);
      }
    }),
  );
  const fillSeconds = (performance.now() - began) / 1000;
  agent.destroy();
  await hub.stop();
  const held = sql(hubDb, "SELECT count(*) FROM help_request")[0][0];
  const fill = `${REQUESTS} in ${fixed(fillSeconds, 1)} s, ${IN_FLIGHT} in flight; ${held} held`;
  line("taken by the hub", `${fixed(REQUESTS / fillSeconds, 0)}/s`, fill);
  if (told.size !== REQUESTS) {
    problem(`the hub answered ${[...statuses].map(([s, n]) => `${n}x${s}`).join(", ")}`);
  }

  const batchesBefore = (central.output().match(/a batch from a hub/g) ?? []).length;
  began = performance.now();
  const summary = await new Promise((resolve, reject) => {
    const child = spawn(BIN, ["hub", "sync", "--db", hubDb], { env: { ...ENV, RUST_LOG: "warn" } });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (out += chunk));
    child.once("exit", (status) =>
      status === 0 ? resolve(out.trim()) : reject(new Error(`hub sync: ${status}\n${out}`)),
    );
  });
  const seconds = (performance.now() - began) / 1000;
  const batchLines = central
    .output()
    .split("\n")
    .filter((l) => l.includes("a batch from a hub"))
    .slice(batchesBefore);
  const batches = batchLines.length;
  const at = (l) => Date.parse(l.split(" ")[0]);
  const span = batches ? (at(batchLines.at(-1)) - at(batchLines[0])) / 1000 : 0;

  const rows = sql(centralDb, "SELECT id_hash, reference, hub_reference, hub_id FROM help_request");
  const byHash = new Map();
  let repeated = 0;
  for (const [hash, reference, hubReference, hubId] of rows) {
    if (byHash.has(hash)) repeated++;
    byHash.set(hash, { reference, hubReference, hubId });
  }
  let lost = 0;
  let marked = 0;
  let sameReference = 0;
  let keptAsHubs = 0;
  for (const [id, reference] of told) {
    const row = byHash.get(idHash(id));
    if (!row) {
      lost++;
      continue;
    }
    if (row.hubId !== null) marked++;
    if (row.reference === reference) sameReference++;
    else if (row.hubReference === reference) keptAsHubs++;
  }
  const strays = rows.length - repeated - (told.size - lost);
  const left = sql(hubDb, "SELECT count(*) FROM help_request")[0][0];
  const forwarded = sql(centralDb, "SELECT forwarded FROM hub WHERE name = 'bench'")[0][0];

  const whole = "from its start to its exit, the content check included";
  line("hub sync, one process", `${fixed(seconds, 2)} s`, whole);
  line("forwarded per second", fixed(REQUESTS / seconds, 0), "(issue 17's goal: at least 2,000)");
  const each = fixed(told.size / Math.max(batches, 1), 0);
  line("batches", batches, `${each} requests each; ${fixed(span, 2)} s from central's first to last`);
  const register = `the hub's register says ${forwarded} forwarded`;
  line("central's help_request rows", rows.length, `${marked} marked with the hub; ${register}`);
  line("lost", lost, "acknowledged at the hub, not at central");
  const stray = strays ? `and ${strays} rows this script never sent` : "rows repeating a UUID";
  line("duplicated", repeated, stray);
  const renamed = `${keptAsHubs} more under a new one, the phone's kept as hub_reference`;
  line("phone's reference kept", sameReference, renamed);
  line("left at the hub", left);
  console.log(`  sync said: ${summary.split("\n").at(-1)}`);
  if (lost || repeated || strays || marked !== told.size || left || rows.length !== REQUESTS) {
    problem("central does not hold each request once, marked with the hub");
  }
  if (sameReference + keptAsHubs !== told.size - lost) {
    problem("a phone's reference was lost on the way");
  }
  return central;
}

async function bundles(central) {
  console.log("\n== 2. the bundle of one edited Thai text");
  const texts = sql(
    centralDb,
    `SELECT message_id, length(value) FROM content_text WHERE locale = 'th'
     ORDER BY length(value), message_id`,
  );
  const picks = [
    ["median", texts[Math.floor(texts.length / 2)]],
    ["longest", texts.at(-1)],
  ];
  console.log(`  (${texts.length} Thai content texts; the words added: " (แก้ไขแล้ว)")`);
  for (const [which, [id, chars]] of picks) {
    const before = sql(centralDb, "SELECT coalesce(max(version), 0) FROM content_version")[0][0];
    sql(
      centralDb,
      `INSERT INTO pending_text
           (kind, message_id, locale, value, status, source_hash, edited_at, edited_by)
       SELECT 'content', message_id, 'th', value || ' (แก้ไขแล้ว)', 'reviewed',
           coalesce(source_hash, ''), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'bench'
       FROM content_text WHERE locale = 'th' AND message_id = ?`,
      id,
    );
    const published = passport("translations", "publish", "--db", centralDb);
    if (!/published content version \d+/.test(published) || /guarded/.test(published)) {
      problem(`publishing said: ${published.trim()}`);
      continue;
    }
    const file = join(dir, `bundle-${which}.json`);
    passport("bundle", "export", file, "--since", String(before), "--db", centralDb);
    const raw = readFileSync(file);
    const gzip = zlib.gzipSync(raw, { level: 9 }).length;
    const brotli = zlib.brotliCompressSync(raw, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 },
    }).length;
    const applied = passport("hub", "import-bundle", file, "--db", hubDb).trim();
    const compressed = `raw; gzip ${gzip} B, brotli ${brotli} B (goal: at most 5 KB)`;
    line(`${which} text (${chars} chars)`, `${raw.length} B`, compressed);
    console.log(`    ${id}, since version ${before}; the hub: ${applied}`);
    if (!/: 1 changes applied/.test(applied)) problem("the hub did not apply exactly one change");
  }
  await central.stop();
}

/** One phone installing the app: the manifest, then every page and file in it. */
async function install(port) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: SOCKETS_PER_PHONE });
  const headers = { "accept-encoding": "br, gzip" };
  const began = performance.now();
  const result = { requests: 1, bytes: 0, bad: [], listed: 0 };
  const manifest = await request(port, agent, "GET", `/${LANG}/offline.json`, headers);
  result.bytes += manifest.body?.length ?? 0;
  if (manifest.status !== 200) {
    result.bad.push(`offline.json: ${manifest.status}`);
    agent.destroy();
    return result;
  }
  const listed = JSON.parse(decoded(manifest));
  const entries = [...listed.pages, ...listed.files];
  result.pages = listed.pages.length;
  result.files = listed.files.length;
  result.listed = entries.reduce((sum, entry) => sum + entry.bytes, 0);
  const answers = await Promise.all(
    entries.map((entry) => request(port, agent, "GET", entry.url, headers)),
  );
  for (const [i, answer] of answers.entries()) {
    result.requests++;
    result.bytes += answer.body?.length ?? 0;
    if (answer.status !== 200) result.bad.push(`${entries[i].url}: ${answer.status || answer.error}`);
  }
  result.seconds = (performance.now() - began) / 1000;
  agent.destroy();
  return result;
}

/** Serves the hub on core 0 with `env` added, waits for its warm cache, has one phone install
 * and then ROUNDS times PHONES phones at once; stops it and returns what was measured. */
async function hall(name, env = {}) {
  const hub = await serve(name, hubDb, CORES >= 2 ? ["taskset", "-c", "0"] : [], env);
  const started = performance.now();
  const fresh = usage(hub.pid);
  await waitForLog(hub, /page cache warmed/, 600);
  const warmedIn = (performance.now() - started) / 1000;
  const warm = usage(hub.pid);
  const first = await install(hub.port);
  const afterFirst = usage(hub.pid);
  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    const before = usage(hub.pid);
    const own = process.cpuUsage();
    const began = performance.now();
    const phones = await Promise.all(Array.from({ length: PHONES }, () => install(hub.port)));
    const wall = (performance.now() - began) / 1000;
    const ownCpu = process.cpuUsage(own);
    const after = usage(hub.pid);
    rounds.push({ phones, wall, cpu: after.cpu - before.cpu, own: (ownCpu.user + ownCpu.system) / 1e6 });
  }
  const end = usage(hub.pid);
  await hub.stop();
  return { fresh, warmedIn, warm, first, afterFirst, rounds, end };
}

async function eventHall() {
  console.log(
    `\n== 3. the event hall: ${PHONES} phones installing /${LANG}/ from the hub at once, ` +
      `${ROUNDS} times`,
  );
  let pinned = false;
  if (CORES >= 2) {
    execFileSync("taskset", ["-a", "-p", "-c", "1", String(process.pid)], { stdio: "ignore" });
    pinned = true;
  }
  const { fresh, warmedIn, warm, first, afterFirst, rounds, end } = await hall("hall");
  line(
    "page cache warmed",
    `${fixed(warmedIn, 1)} s`,
    `after start; hub CPU ${fixed(warm.cpu, 2)} s, ${warm.threads} threads`,
  );
  line(
    "first phone",
    `${fixed(first.seconds, 2)} s`,
    `hub CPU ${fixed(afterFirst.cpu - warm.cpu, 2)} s (the manifest and the host's pages rendered)`,
  );
  line(
    "an install",
    `${first.requests} GETs`,
    `${first.pages} pages, ${first.files} files; ${kb(first.bytes)} served, ` +
      `the manifest says ${kb(first.listed)}`,
  );
  if (first.bad.length) problem(`the first phone got ${first.bad.slice(0, 5).join(", ")}`);

  const [{ phones, wall }] = rounds;
  const bytes = phones.reduce((sum, phone) => sum + phone.bytes, 0);
  const requests = phones.reduce((sum, phone) => sum + phone.requests, 0);
  const times = phones.map((phone) => phone.seconds ?? wall).sort((a, b) => a - b);
  const cpu = rounds.reduce((sum, round) => sum + round.cpu, 0);
  const own = rounds.reduce((sum, round) => sum + round.own, 0);
  const walls = rounds.map((round) => round.wall);
  const allWall = walls.reduce((a, b) => a + b, 0);
  line(
    "all done after",
    `${fixed(wall, 2)} s`,
    `wall time, the first ${PHONES}; ${requests} GETs, ${fixed(requests / wall, 0)}/s`,
  );
  if (ROUNDS > 1) line("", "", `the ${ROUNDS} rounds: ${walls.map((w) => fixed(w, 2)).join(", ")} s`);
  line(
    "installs per second",
    fixed(PHONES / wall, 1),
    `by the wall clock; ${fixed((PHONES * ROUNDS) / allWall, 1)} over all rounds`,
  );
  line(
    "one phone's install",
    `${fixed(percentile(times, 50), 2)} s`,
    `median; 90th percentile ${fixed(percentile(times, 90), 2)} s, ` +
      `slowest ${fixed(times.at(-1), 2)} s`,
  );
  line("bytes served", mb(bytes), `${kb(bytes / PHONES)} per install`);
  line(
    "hub CPU",
    `${fixed(cpu / ROUNDS, 3)} s`,
    `per ${PHONES} installs, user + system (${fixed(cpu, 2)} s in all); ` +
      `${fixed((100 * cpu) / allWall, 0)}% of its core busy`,
  );
  const perCpu = fixed((PHONES * ROUNDS) / cpu, 0);
  line("installs per CPU second", perCpu, "(issue 17's goal: at least 20 on one core)");
  line("hub peak RSS (VmHWM)", mb(end.peak), `since its start (goal: under 64 MB)`);
  line(
    "",
    "",
    `RSS ${mb(fresh.rss)} on start, ${mb(warm.rss)} warmed (peak ${mb(warm.peak)}), ` +
      `${mb(end.rss)} at the end`,
  );
  line(
    "load generator CPU",
    `${fixed(own, 2)} s`,
    pinned
      ? "this script, on the other core (taskset -c 1)"
      : "this script, on the same core: one core only",
  );
  const bad = rounds.flatMap((round) => round.phones.flatMap((phone) => phone.bad));
  if (bad.length) problem(`${bad.length} answers were not 200, such as ${bad.slice(0, 5).join(", ")}`);

  // Most of the peak comes with the warm-up, not the phones. glibc's malloc gives threads
  // arenas of their own and keeps what is freed in them, and once a big block was freed it
  // serves the next big ones from the arenas too (its mmap threshold rises): the same run with
  // glibc told otherwise shows how much of the peak that is. Only the hub's environment
  // changes, not the app.
  console.log("  the same hub with glibc's malloc tuned (GLIBC_TUNABLES for the hub only):");
  for (const tunable of ["glibc.malloc.mmap_threshold=131072", "glibc.malloc.arena_max=1"]) {
    const short = tunable.replace("glibc.malloc.", "");
    const run = await hall(`hall-${short.split("=")[0]}`, { GLIBC_TUNABLES: tunable });
    const runCpu = run.rounds.reduce((sum, round) => sum + round.cpu, 0);
    line(
      short,
      mb(run.end.peak),
      `peak RSS; ${mb(run.fresh.rss)} on start, ${mb(run.warm.rss)} warmed, ` +
        `${mb(run.end.rss)} at the end`,
    );
    line(
      "",
      "",
      `warming ${fixed(run.warm.cpu, 2)} s CPU; ` +
        `${fixed((PHONES * ROUNDS) / runCpu, 0)} installs per CPU second`,
    );
  }
}

// ---------------------------------------------------------------------------------------

const model = cpus()[0]?.model ?? "unknown CPU";
const kernel = execFileSync("uname", ["-r"], { encoding: "utf8" }).trim();
console.log(`hub benchmarks: ${CORES} cores (${model}), ${new Date().toISOString()}, ${kernel}`);
let commit = "";
try {
  const git = (...args) => execFileSync("git", ["-C", ROOT, ...args], { encoding: "utf8" }).trim();
  const dirty = git("status", "--porcelain", "--", "src", "Cargo.toml", "Cargo.lock")
    .split("\n")
    .filter(Boolean).length;
  const changed = dirty ? ` with ${dirty} changed files in src` : "";
  commit = `, tree at ${git("rev-parse", "--short", "HEAD")}${changed}`;
} catch {
  // Not a git checkout: no commit to name.
}
console.log(`  ${BIN} (built ${statSync(BIN).mtime.toISOString()}${commit}), site ${SITE}`);
try {
  const central = await forwarding();
  await bundles(central);
  await eventHall();
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  for (const server of servers) await server.stop();
}
if (failed || process.env.KEEP) {
  console.log(`\n${failed ? "FAILED; the" : "The"} databases and logs are kept in ${dir}`);
  process.exit(failed ? 1 : 0);
}
rmSync(dir, { recursive: true, force: true });
