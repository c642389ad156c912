// Starts the release build of `passport serve` on a free loopback port with a fresh database,
// and a headless Debian Chromium to drive it.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const ROOT = new URL("../../", import.meta.url).pathname;
export const RESULTS = join(ROOT, "test-results");
// The program under test: this tree's release build, or another one (an earlier release, to
// show that a new test fails on it) named by PASSPORT_BIN.
const BIN = process.env.PASSPORT_BIN ?? join(ROOT, "target/release/passport");
// That build's site folder, when it is not beside the program.
const SITE = process.env.PASSPORT_SITE;

/**
 * Resolves with { url, dir, db, pid, stop } once the server has logged the address it listens
 * on. `dir` keeps the database between two servers (a restart with a new build, say); `site`
 * serves another built site folder; `addr` fixes the address, so the origin stays the same;
 * `args` adds options to `serve`; `openFiles` starts it with that soft open-file limit.
 */
export function startServer({ env = {}, addr = "127.0.0.1:0", dir, site = SITE, args = [], openFiles } = {}) {
  const keep = Boolean(dir);
  dir ??= mkdtempSync(join(tmpdir(), "passport-browser-"));
  const db = join(dir, "test.db");
  const serve = ["serve", "--addr", addr, "--db", db, ...(site ? ["--site", site] : []), ...args];
  const [program, programArgs] = openFiles
    ? ["prlimit", [`--nofile=${openFiles}:`, "--", BIN, ...serve]]
    : [BIN, serve];
  const child = spawn(program, programArgs, {
    env: { ...process.env, NO_COLOR: "1", RUST_LOG: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    let started = false;
    // The whole log is kept, for tests that read what the server did later.
    const onData = (chunk) => {
      output += chunk;
      const found = !started && output.match(/serving on (https?:\/\/[0-9a-f.:[\]]+)/);
      if (found) {
        started = true;
        resolve({
          url: found[1],
          dir,
          db,
          pid: child.pid,
          output: () => output,
          stop: async () => {
            const exited = new Promise((done) => child.once("exit", done));
            child.kill("SIGTERM");
            await exited;
            if (!keep) {
              rmSync(dir, { recursive: true, force: true });
            }
          },
          /** `kill -9`: no shutdown of any kind. */
          kill: async () => {
            if (child.exitCode !== null || child.signalCode !== null) return;
            const exited = new Promise((done) => child.once("exit", done));
            child.kill("SIGKILL");
            await exited;
          },
        });
      }
    };
    // The log is on standard error; standard output is kept too, for what a command prints.
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => reject(new Error(`passport exited with ${code}:\n${output}`)));
  });
}

/** What headless Chromium needs on this closed network: nothing it would fetch on its own. */
export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export function launchBrowser(extraArgs = []) {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [...extraArgs, ...CHROMIUM_FLAGS],
  });
}

/** Collects console errors and uncaught exceptions of a page. */
export function watchErrors(page) {
  const errors = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => errors.push(String(error)));
  return errors;
}

/** Runs SQL on a server's database from outside, as an editor's tool would. */
export function runSql(db, sql, ...params) {
  const script = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2], sys.argv[3:]); c.commit()";
  execFileSync("python3", ["-c", script, db, sql, ...params]);
}

/** The first column of the first row SQL returns from a server's database. */
export function querySql(db, sql) {
  const script = "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])";
  return execFileSync("python3", ["-c", script, db, sql]).toString().trim();
}

/** Runs `passport ARGS`; resolves with its standard output, or rejects with its error. */
export function runPassport(args, { input = "", env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, {
      env: { ...process.env, NO_COLOR: "1", RUST_LOG: "warn", ...env },
      stdio: [input ? "pipe" : "ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (err += chunk));
    if (input) {
      // A command that exits before reading its input closes the pipe: its exit code, not
      // the write, says how it went.
      child.stdin.on("error", () => {});
      child.stdin.end(input);
    }
    // "close", not "exit": a process can exit before its output has all been read.
    child.once("close", (code) =>
      code === 0 ? resolve(out) : reject(Object.assign(new Error(`passport ${args[0]} ${args[1] ?? ""} exited with ${code}: ${err}`), { stdout: out, stderr: err })),
    );
  });
}

/** Adds a staff account to a server's database with `passport staff add`, as an admin would. */
export function addStaff(db, username, role, password) {
  execFileSync(BIN, ["staff", "add", username, "--role", role, "--db", db], {
    input: `${password}\n`,
    env: { ...process.env, RUST_LOG: "warn" },
  });
}
