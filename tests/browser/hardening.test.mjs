// What an attacker on the event Wi-Fi, or any website, can do to the server (issue 15), tried
// against the real program over real sockets. No browser: raw HTTP, as an attacker sends it.
// Loopback has a whole /8, so each "phone" or "stranger" below has its own 127.0.0.x address.
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import net from "node:net";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { startServer, addStaff, querySql } from "./server.mjs";

/** One HTTP request on its own connection: { status, headers, body }. */
function ask(url, { method = "GET", path = "/", headers = {}, body, from } = {}) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: hostname.replace(/^\[|\]$/g, ""),
        port,
        method,
        path,
        headers,
        agent: false,
        localAddress: from,
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode, headers: response.headers, body: text }));
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

/** Resolves with what `promise` gives, or rejects once `ms` have passed: a deadline. */
function within(ms, promise, what) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** `count` connections that send half a request head and then nothing. */
async function halfOpen(url, count) {
  const { hostname, port } = new URL(url);
  const sockets = [];
  for (let n = 0; n < count; n++) {
    const socket = net.connect({ host: hostname, port });
    socket.on("error", () => {});
    socket.gone = new Promise((done) => socket.once("close", done));
    await new Promise((done) => socket.once("connect", done));
    socket.write("GET / HTTP/1.1\r\nHost: x\r\n");
    sockets.push(socket);
  }
  return sockets;
}

/** Stops a server, or kills it when SIGTERM did not within `ms`; whether SIGTERM sufficed. */
async function stopWithin(server, ms) {
  const exited = server.stop();
  try {
    await within(ms, exited, "shutdown");
    return true;
  } catch {
    process.kill(server.pid, "SIGKILL");
    await exited;
    return false;
  }
}

const helpRequest = (extra = {}) =>
  JSON.stringify({ id: randomUUID(), kind: "not-paid", country: "kr", channel: "zalo", contact: "0912 345 678", language: "vi", consent: true, ...extra });

const json = { "content-type": "application/json" };

/** A sign-in form's CSRF cookie and token, then a sign-in with them from `from`. */
/** The sign-in form's cookie and CSRF token, as `from` gets them. */
async function loginForm(url, { from, headers = {} } = {}) {
  const form = await ask(url, { path: "/staff/login", from, headers });
  const cookie = (form.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).find((c) => c.includes("passport_login="));
  const csrf = form.body.match(/name="csrf" value="([^"]+)"/)?.[1];
  assert.ok(cookie && csrf, `a sign-in form with its token: ${form.status}`);
  return { cookie, csrf };
}

/** Posts the sign-in form; with `form`, one fetched before. */
async function signIn(url, username, password, { from, headers = {}, form } = {}) {
  const { cookie, csrf } = form ?? (await loginForm(url, { from, headers }));
  const body = new URLSearchParams({ csrf, username, password, next: "/staff" }).toString();
  return ask(url, {
    method: "POST",
    path: "/staff/login",
    from,
    headers: { ...headers, cookie, "content-type": "application/x-www-form-urlencoded" },
    body,
  });
}

test("1: a made-up Host is answered as the server's own address, on the share page and the booklet", async () => {
  const server = await startServer();
  try {
    const own = new URL(server.url).host;
    for (const path of ["/en/share", "/en/booklet"]) {
      for (let n = 0; n < 5; n++) {
        const host = `flood-${n}.example`;
        const page = await ask(server.url, { path, headers: { host } });
        assert.equal(page.status, 200, `${path} with Host ${host}`);
        assert.ok(!page.body.includes(host), `${path} does not show the made-up host ${host}`);
        assert.ok(page.body.includes(own), `${path} shows the server's own address ${own}`);
      }
    }
  } finally {
    await server.stop();
  }
});

test("2: a query string gets the cached page, not a new render of every page", async () => {
  const server = await startServer();
  try {
    for (const path of ["/en/offline.json", "/en/booklet"]) {
      const plain = await ask(server.url, { path });
      assert.equal(plain.status, 200);
      const queried = await ask(server.url, { path: `${path}?x=1` });
      assert.equal(queried.status, 200);
      assert.equal(queried.headers.etag, plain.headers.etag, `${path}?x=1 is the kept page`);
      assert.equal(queried.body, plain.body);
    }
  } finally {
    await server.stop();
  }
});

test("3: half-open connections are closed, a fresh request is answered meanwhile, and shutdown completes", async () => {
  const server = await startServer();
  let sockets = [];
  try {
    sockets = await halfOpen(server.url, 300);
    const fresh = await within(2000, ask(server.url, { path: "/healthz" }), "a fresh /healthz");
    assert.equal(fresh.status, 200);
    await within(30_000, Promise.all(sockets.map((s) => s.gone)), "the server closing 300 half-open connections");
    sockets = await halfOpen(server.url, 300);
  } finally {
    const stopped = await stopWithin(server, 20_000);
    sockets.forEach((s) => s.destroy());
    assert.ok(stopped, "SIGTERM stops the server while half-open connections are held");
  }
});

test("3: with a soft open-file limit of 1,024, 1,100 half-open connections do not keep a fresh request out", async (t) => {
  const hard = readFileSync("/proc/self/limits", "utf8").match(/Max open files\s+\d+\s+(\d+|unlimited)/)?.[1];
  if (hard !== "unlimited" && Number(hard) < 4096) {
    t.skip(`this machine's hard open-file limit is ${hard}: the server cannot raise its own above 1,024`);
    return;
  }
  const server = await startServer({ openFiles: 1024 });
  let sockets = [];
  try {
    sockets = await halfOpen(server.url, 1100);
    const fresh = await within(5000, ask(server.url, { path: "/healthz" }), "a fresh /healthz");
    assert.equal(fresh.status, 200);
  } finally {
    sockets.forEach((s) => s.destroy());
    await stopWithin(server, 20_000);
  }
});

test("4: forty sign-ins at once: those beyond the hashing queue are told the server is busy", async () => {
  const server = await startServer();
  try {
    addStaff(server.db, "mai", "caseworker", "the right password here");
    const forms = [];
    for (let n = 0; n < 40; n++) {
      const from = `127.0.1.${n + 10}`;
      forms.push({ from, form: await loginForm(server.url, { from }) });
    }
    // All forms first, then every post at once.
    const answers = await Promise.all(
      forms.map(({ from, form }) => signIn(server.url, "mai", "a wrong password", { from, form })),
    );
    const statuses = answers.map((a) => a.status);
    const busy = answers.filter((a) => a.status === 503);
    assert.ok(busy.length > 0, `some are told to wait: ${statuses}`);
    assert.ok(busy.every((a) => a.headers["retry-after"] && /busy/i.test(a.body)), "busy answers say when to retry");
    assert.ok(statuses.every((s) => s === 401 || s === 503), `${statuses}`);
  } finally {
    await server.stop();
  }
});

test("5: IPv4 clients of a dual-stack listener are limited one by one, not as one bucket", async () => {
  const server = await startServer({ addr: "[::]:0", args: ["--help-rate", "2/3600"] });
  try {
    const port = new URL(server.url).port;
    const url = `http://127.0.0.1:${port}`;
    const send = (from) =>
      ask(url, { method: "POST", path: "/api/v1/help-requests", from, headers: json, body: helpRequest() });
    assert.equal((await send("127.0.2.1")).status, 201);
    assert.equal((await send("127.0.2.1")).status, 201);
    assert.equal((await send("127.0.2.1")).status, 429, "the third from one address is over the limit");
    assert.equal((await send("127.0.2.2")).status, 201, "another address is not");
  } finally {
    await server.stop();
  }
});

test("5, 14: X-Forwarded-For and -Proto count only from a --trusted-proxy", async () => {
  const server = await startServer({ args: ["--trusted-proxy", "127.0.0.1", "--help-rate", "1/3600"] });
  try {
    const send = (from, forwarded) =>
      ask(server.url, {
        method: "POST",
        path: "/api/v1/help-requests",
        from,
        headers: { ...json, "x-forwarded-for": forwarded },
        body: helpRequest(),
      });
    assert.equal((await send("127.0.3.1", "203.0.113.1")).status, 201);
    assert.equal((await send("127.0.3.1", "203.0.113.2")).status, 429, "a stranger cannot pick its own bucket");
    assert.equal((await send("127.0.0.1", "203.0.113.1")).status, 201, "the proxy's clients are counted apart");
    assert.equal((await send("127.0.0.1", "203.0.113.2")).status, 201);
    assert.equal((await send("127.0.0.1", "198.51.100.9, 203.0.113.1")).status, 429, "the proxy's own entry counts");

    const proxied = await ask(server.url, {
      path: "/en/share",
      headers: { "x-forwarded-for": "203.0.113.7", "x-forwarded-proto": "https" },
    });
    assert.match(proxied.body, /https:\/\/127\.0\.0\.1/, "the trusted proxy's https is believed");
    const stranger = await ask(server.url, { path: "/en/share", from: "127.0.3.2", headers: { "x-forwarded-proto": "https" } });
    assert.ok(!/https:\/\/127/.test(stranger.body), "a stranger's https is not");
    assert.equal(stranger.headers["strict-transport-security"], undefined);
  } finally {
    await server.stop();
  }
});

test("14: a stranger's X-Forwarded-Proto neither adds HSTS nor poisons the share page's address", async () => {
  const server = await startServer();
  try {
    const own = new URL(server.url).host;
    const poisoned = await ask(server.url, { path: "/en/share", headers: { "x-forwarded-proto": "https" } });
    assert.equal(poisoned.headers["strict-transport-security"], undefined, "no HSTS over plain HTTP");
    assert.ok(poisoned.body.includes(`http://${own}`) && !poisoned.body.includes(`https://${own}`));
    const next = await ask(server.url, { path: "/en/share" });
    assert.ok(next.body.includes(`http://${own}`), "the next visitor's QR code names the working address");
  } finally {
    await server.stop();
  }
});

test("6: a stranger's wrong passwords do not lock a caseworker out, and every refusal reads the same", async () => {
  const server = await startServer();
  try {
    addStaff(server.db, "mai", "caseworker", "the right password here");
    const unknown = await signIn(server.url, "nobody", "whatever it is", { from: "127.0.4.1" });
    assert.equal(unknown.status, 401);
    const wrongText = unknown.body.match(/id="sign-in-problem"[^>]*>([^<]+)</)?.[1];
    assert.ok(wrongText, "the refusal says why");
    for (let n = 0; n < 8; n++) {
      const guess = await signIn(server.url, "mai", `guess number ${n}`, { from: "127.0.4.1" });
      assert.equal(guess.status, 401, `guess ${n}`);
      assert.equal(guess.body.match(/id="sign-in-problem"[^>]*>([^<]+)</)?.[1], wrongText, `guess ${n} reads as any wrong password`);
    }
    const slowed = await signIn(server.url, "mai", "the right password here", { from: "127.0.4.1" });
    assert.equal(slowed.status, 401, "the guesser's network must wait, even with the right password");
    const caseworker = await signIn(server.url, "mai", "the right password here", { from: "127.0.4.2" });
    assert.equal(caseworker.status, 303, "the caseworker elsewhere signs in");
    const audit = querySql(server.db, "SELECT count(*) FROM audit_log WHERE action = 'sign-in-throttled'");
    assert.equal(audit, "1", "the admins are told once");
  } finally {
    await server.stop();
  }
});

test("7: over plain HTTP from another machine the staff side asks for no password; over TLS its cookies are __Host-", async () => {
  const server = await startServer({ args: ["--trusted-proxy", "127.0.0.1"] });
  try {
    addStaff(server.db, "mai", "caseworker", "the right password here");
    const remote = { "x-forwarded-for": "203.0.113.5" };
    for (const path of ["/staff/login", "/staff", "/staff/requests"]) {
      const page = await ask(server.url, { path, headers: remote });
      assert.equal(page.status, 403, path);
      assert.match(page.body, /secure connection/, `${path} says why`);
      assert.ok(!page.body.includes('type="password"'), `${path} asks for no password`);
      assert.ok(page.headers["content-security-policy"], `${path} has the security headers`);
    }
    const local = await ask(server.url, { path: "/staff/login" });
    assert.equal(local.status, 200, "this machine itself may sign in over HTTP");
    const tls = { ...remote, "x-forwarded-proto": "https" };
    const form = await ask(server.url, { path: "/staff/login", headers: tls });
    assert.equal(form.status, 200);
    const cookie = form.headers["set-cookie"].find((c) => c.startsWith("__Host-passport_login="));
    assert.ok(cookie && /; Secure/.test(cookie) && /Path=\/;/.test(cookie), `a __Host- cookie: ${form.headers["set-cookie"]}`);
    const signed = await signIn(server.url, "mai", "the right password here", { headers: tls });
    assert.equal(signed.status, 303);
    assert.ok(signed.headers["set-cookie"].some((c) => c.startsWith("__Host-passport_staff=")));
  } finally {
    await server.stop();
  }
  const lab = await startServer({ args: ["--trusted-proxy", "127.0.0.1", "--allow-staff-over-http"] });
  try {
    const page = await ask(lab.url, { path: "/staff/login", headers: { "x-forwarded-for": "203.0.113.5" } });
    assert.equal(page.status, 200, "--allow-staff-over-http lets a lab network in");
    assert.match(lab.output(), /allow-staff-over-http/, "and says so at start");
  } finally {
    await lab.stop();
  }
});

test("13: another website cannot file help requests or clear a phone", async () => {
  const server = await startServer();
  try {
    const count = () => Number(querySql(server.db, "SELECT count(*) FROM help_request"));
    const api = (headers, body = helpRequest()) =>
      ask(server.url, { method: "POST", path: "/api/v1/help-requests", headers, body });
    const plain = await api({ "content-type": "text/plain" });
    assert.equal(plain.status, 415, "a cross-site form's text/plain is not JSON");
    assert.ok(JSON.parse(plain.body).errors[0].message);
    assert.equal((await api({ ...json, origin: "http://evil.example" })).status, 403);
    assert.equal((await api({ ...json, "sec-fetch-site": "cross-site" })).status, 403);
    assert.equal(count(), 0, "nothing was stored");
    assert.equal((await api({ ...json, origin: "null", "sec-fetch-site": "same-origin" })).status, 201, "the app's own page still sends");
    assert.equal((await api(json)).status, 201, "an old browser that sends neither header still sends");

    const form = new URLSearchParams({ kind: "not-paid", country: "kr", channel: "zalo", contact: "0912 345 678", consent: "yes", id: randomUUID() }).toString();
    const posted = await ask(server.url, {
      method: "POST",
      path: "/en/help",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://evil.example" },
      body: form,
    });
    assert.equal(posted.status, 303, "a cross-site form post is sent back to the form");
    assert.equal(posted.headers.location, "/en/help");
    assert.equal(count(), 2, "and stores nothing");

    const cleared = await ask(server.url, {
      method: "POST",
      path: "/en/clear",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://evil.example" },
      body: "leave=no",
    });
    assert.equal(cleared.headers["clear-site-data"], undefined, "another site cannot wipe the phone");
    assert.equal(cleared.headers.location, "/en/privacy");
  } finally {
    await server.stop();
  }
});

test("16: the preview shows only pages, and a path that is no URI is a 404", async () => {
  const server = await startServer();
  try {
    addStaff(server.db, "lan", "editor", "the editor's password");
    const signed = await signIn(server.url, "lan", "the editor's password");
    assert.equal(signed.status, 303);
    const cookie = signed.headers["set-cookie"].map((c) => c.split(";")[0]).find((c) => c.startsWith("passport_staff="));
    const preview = (path) => ask(server.url, { path, headers: { cookie } });
    const page = await preview("/staff/preview/en/");
    assert.equal(page.status, 200, "a page is previewed");
    const manifest = await preview("/staff/preview/en/manifest.webmanifest");
    assert.equal(manifest.status, 404, "JSON is not shown as a staff HTML page");
    assert.ok(manifest.headers["content-security-policy"]);
    const bad = await preview("/staff/preview/%20");
    assert.equal(bad.status, 404);
  } finally {
    await server.stop();
  }
});
