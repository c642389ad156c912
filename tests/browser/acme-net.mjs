// A small world for testing "a hub at an event gets a trusted HTTPS name": Let's Encrypt's
// test CA Pebble, a real BIND `named` authoritative for the hub names (Pebble's DNS-01 checks
// go there), pebble-challtestsrv as a plain "public" DNS server, network namespaces with
// their own resolver, and a Chromium "phone" that runs inside one and trusts chosen roots.
//
// Needs root, and Debian's pebble, bind9, dnsutils, libnss3-tools and iproute2
// (scripts/setup.sh installs them). Everything started here is stopped, and everything made
// is removed, by its stop()/remove(), or at the latest when this process exits.
import { execFileSync, spawn } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import dgram from "node:dgram";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import https from "node:https";
import net from "node:net";
import { constants, tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM_FLAGS } from "./server.mjs";

// Every namespace, veth, temp dir and child process carries our name and pid, so a later run
// can tell leftovers of a crashed run from things a live run (or anyone else) owns.
const PREFIX = "smp-acme";
const VETH = "smpa"; // interface names are at most 15 characters
const OWNER_VAR = "SMP_ACME_NET_OWNER";
const PID36 = process.pid.toString(36);

// ---------------------------------------------------------------------------------------
// Cleaning up at exit

const atExit = new Set();

/** Runs `undo` (synchronously) when the process exits, unless the returned function is called first. */
function onExit(undo) {
  atExit.add(undo);
  return () => atExit.delete(undo);
}

process.once("exit", () => {
  for (const undo of [...atExit].reverse()) {
    try {
      undo();
    } catch {
      // Keep going: the rest must still be cleaned up.
    }
  }
});
// Ctrl-C or the test runner's SIGTERM: exit normally, so the handler above runs.
for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => process.exit(128 + constants.signals[signal]));

/** A fresh temp dir, removed at exit if nobody removed it before. */
export function tempDir(kind) {
  const dir = mkdtempSync(join(tmpdir(), `${PREFIX}-${PID36}-${kind}-`));
  const forget = onExit(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, remove: () => (forget(), rmSync(dir, { recursive: true, force: true })) };
}

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
};

/** Removes what crashed runs of this harness left behind: processes, namespaces, veths, dirs. */
export function cleanupLeftovers() {
  for (const pid of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
    let environ = "";
    try {
      environ = readFileSync(`/proc/${pid}/environ`, "latin1");
    } catch {
      continue;
    }
    const owner = environ.match(new RegExp(`(?:^|\\0)${OWNER_VAR}=(\\d+)`))?.[1];
    if (owner && !alive(Number(owner))) process.kill(Number(pid), "SIGKILL");
  }
  const deadRun = (pid36) => !alive(parseInt(pid36, 36));
  for (const name of run("ip", ["netns", "list"]).split("\n").map((line) => line.split(" ")[0])) {
    const pid36 = name.match(new RegExp(`^${PREFIX}-.+-([a-z0-9]+)$`))?.[1];
    if (pid36 && deadRun(pid36)) runQuietly("ip", ["netns", "delete", name]);
  }
  for (const link of run("ip", ["-o", "link", "show"]).matchAll(new RegExp(`^\\d+: (${VETH}-([a-z0-9]+)-\\d+)[@:]`, "gm"))) {
    if (deadRun(link[2])) runQuietly("ip", ["link", "delete", link[1]]);
  }
  for (const [base, pattern] of [["/etc/netns", /^smp-acme-.+-([a-z0-9]+)$/], [tmpdir(), /^smp-acme-([a-z0-9]+)-/]]) {
    if (!existsSync(base)) continue;
    for (const entry of readdirSync(base)) {
      const pid36 = entry.match(pattern)?.[1];
      if (pid36 && deadRun(pid36)) rmSync(join(base, entry), { recursive: true, force: true });
    }
  }
}

// ---------------------------------------------------------------------------------------
// Small tools

const run = (program, args, options = {}) => execFileSync(program, args, { encoding: "utf8", stdio: ["pipe", "pipe", "pipe"], ...options });
const runQuietly = (program, args) => {
  try {
    run(program, args);
  } catch {
    // Already gone.
  }
};

/** A port that is free for TCP (and, with `udp`, for UDP too) on `host`. */
export async function freePort({ host = "127.0.0.1", udp = false } = {}) {
  for (;;) {
    const port = await new Promise((resolve, reject) => {
      const server = net.createServer().once("error", reject);
      server.listen(0, host, () => {
        const { port: found } = server.address();
        server.close(() => resolve(found));
      });
    });
    if (!udp) return port;
    const free = await new Promise((resolve) => {
      const socket = dgram.createSocket("udp4").once("error", () => resolve(false));
      socket.bind(port, host, () => socket.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

/** Waits until `check()` is truthy (polled every 50 ms), failing early if `child` dies. */
async function until(check, what, { child, seconds = 30 } = {}) {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    if (child && child.exited()) throw new Error(`${what}: the process exited:\n${child.output()}`);
    const result = await check();
    if (result) return result;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${child ? `:\n${child.output()}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Spawns a long-running program that is killed at exit; `stop()` ends it and waits. */
function startChild(program, args, { env = {}, cwd } = {}) {
  const child = spawn(program, args, {
    cwd,
    env: { ...process.env, ...env, [OWNER_VAR]: String(process.pid) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  child.on("error", (error) => (output += `\n${error}`));
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const forget = onExit(() => exited() || child.kill("SIGKILL"));
  const stop = async () => {
    forget();
    if (exited()) return;
    const done = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await done;
  };
  return { pid: child.pid, output: () => output, exited, stop };
}

/** `dig +short` against one server; "" when it does not answer. */
export function dig(server, port, name, type = "A") {
  try {
    return run("dig", [`@${server}`, "-p", String(port), name, type, "+short", "+time=1", "+tries=1"]).trim();
  } catch {
    return "";
  }
}

/** An HTTPS request trusting `ca` (PEM); resolves with { status, headers, body } (body a string). */
export function httpsRequest(url, { method = "GET", body, headers = {}, ca } = {}) {
  return new Promise((resolve, reject) => {
    const request = https.request(url, { method, headers, ca, agent: false }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode, headers: response.headers, body: text }));
    });
    request.on("error", reject);
    request.end(body);
  });
}

// ---------------------------------------------------------------------------------------
// Certificates made with openssl

/** A throwaway CA in `dir`: { cert, key } paths. */
export function makeCa(dir, name = "test-ca") {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}.key`);
  run("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
    "-keyout", key, "-out", cert, "-days", "2", "-subj", `/CN=${name}`,
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  return { cert, key };
}

/** A server certificate signed by `ca` for DNS names and IP addresses: { cert, key } paths. */
export function makeLeaf(dir, ca, { name = "leaf", dns = [], ips = [] }) {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}.ext`);
  const san = [...dns.map((d) => `DNS:${d}`), ...ips.map((ip) => `IP:${ip}`)].join(",");
  writeFileSync(ext, `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`);
  run("openssl", ["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", csr, "-subj", `/CN=${dns[0] ?? ips[0]}`]);
  run("openssl", ["x509", "-req", "-in", csr, "-CA", ca.cert, "-CAkey", ca.key, "-days", "2", "-extfile", ext, "-out", cert]);
  return { cert, key };
}

// ---------------------------------------------------------------------------------------
// BIND named: the authoritative server for the hub names, open to TSIG-signed updates

const zoneFile = (zone) => `$TTL 60
@ IN SOA ns.${zone}. hostmaster.${zone}. 1 60 60 600 60
@ IN NS ns.${zone}.
ns IN A 127.0.0.1
`;

const namedConf = ({ dir, host, port, zone, keyFile, keyName }) => `include "${keyFile}";
options {
  directory "${dir}";
  pid-file "${dir}/named.pid";
  session-keyfile "${dir}/session.key";
  listen-on port ${port} { ${host}; };
  listen-on-v6 { none; };
  recursion no;
  dnssec-validation no;
};
controls { };
zone "${zone}" {
  type primary;
  file "${dir}/${zone}.zone";
  update-policy { grant ${keyName} zonesub TXT; };
};
`;

/**
 * Starts `named` for `zone` on host:port (a free port unless given). Resolves with
 * { host, port, zone, keyName, keyFile, lookup(name, type), update(lines), stop }.
 * `keyFile` is the TSIG key in BIND's format (`key "passport-acme" { algorithm ...; secret ...; };`).
 */
export async function startNamed({ zone = "hubs.test", host = "127.0.0.1", port, keyName = "passport-acme" } = {}) {
  port ??= await freePort({ host, udp: true });
  const temp = tempDir("named");
  const dir = temp.dir;
  const keyFile = join(dir, `${keyName}.key`);
  let child;
  try {
    writeFileSync(keyFile, run("tsig-keygen", ["-a", "hmac-sha256", keyName]));
    writeFileSync(join(dir, `${zone}.zone`), zoneFile(zone));
    const conf = join(dir, "named.conf");
    writeFileSync(conf, namedConf({ dir, host, port, zone, keyFile, keyName }));
    // -g: stay in the foreground and log to stderr. As root no -u is needed (it then stays root).
    child = startChild("named", ["-g", "-c", conf, "-p", String(port)]);
    await until(() => dig(host, port, zone, "SOA"), `named on ${host}:${port}`, { child });
  } catch (error) {
    await child?.stop();
    temp.remove();
    throw error;
  }
  return {
    host,
    port,
    zone,
    keyName,
    keyFile,
    lookup: (name, type = "A") => dig(host, port, name, type),
    /** Sends `nsupdate` lines (e.g. "update add x.hubs.test. 60 TXT \"v\"") signed with the key. */
    update: (lines) => run("nsupdate", ["-k", keyFile], { input: [`server ${host} ${port}`, `zone ${zone}`, ...lines, "send", ""].join("\n") }),
    output: child.output,
    stop: async () => {
      await child.stop();
      temp.remove();
    },
  };
}

// ---------------------------------------------------------------------------------------
// Pebble, Let's Encrypt's test CA

/**
 * Starts Pebble with DNS-01 checks sent to `dnsServer` ("127.0.0.1:PORT") and, if given,
 * certificates valid for `validitySeconds`. Resolves with { directory, managementUrl,
 * caCertFile (the CA of Pebble's own HTTPS certificate: give it to the ACME client),
 * rootPem (the root that signs issued certificates), certStatus(serialHex), stop }.
 */
export async function startPebble({ dnsServer, validitySeconds, env = {} } = {}) {
  const temp = tempDir("pebble");
  const dir = temp.dir;
  let child;
  try {
    // Pebble's own HTTPS certificate: a leaf for 127.0.0.1 and localhost under a tiny CA, so
    // clients (rustls included) get a proper root to trust rather than a self-signed leaf.
    const httpsCa = makeCa(dir, "pebble-https-ca");
    const leaf = makeLeaf(dir, httpsCa, { name: "pebble-https", dns: ["localhost"], ips: ["127.0.0.1"] });
    const [acmePort, managementPort] = [await freePort(), await freePort()];
    // Pebble's config struct has no JSON tags, so Go matches these names case-insensitively
    // against ListenAddress, ..., CertificateValidityPeriod. httpPort and tlsPort are the ports
    // its validator would use for HTTP-01 and TLS-ALPN-01; nothing listens on them.
    const config = {
      listenAddress: `127.0.0.1:${acmePort}`,
      managementListenAddress: `127.0.0.1:${managementPort}`,
      certificate: leaf.cert,
      privateKey: leaf.key,
      httpPort: 5002,
      tlsPort: 5001,
      ocspResponderURL: "",
      externalAccountBindingRequired: false,
      ...(validitySeconds ? { certificateValidityPeriod: validitySeconds } : {}),
    };
    writeFileSync(join(dir, "pebble.json"), JSON.stringify({ pebble: config }, null, 2));
    const args = ["-config", join(dir, "pebble.json"), ...(dnsServer ? ["-dnsserver", dnsServer] : [])];
    // No random validation sleeps, no rejected nonces, no reused authorizations.
    const pebbleEnv = { PEBBLE_VA_NOSLEEP: "1", PEBBLE_WFE_NONCEREJECT: "0", PEBBLE_AUTHZREUSE: "0", ...env };
    child = startChild("pebble", args, { env: pebbleEnv, cwd: dir });
    const ca = readFileSync(httpsCa.cert);
    const get = (url) => httpsRequest(url, { ca }).catch(() => ({ status: 0 }));
    const directory = `https://127.0.0.1:${acmePort}/dir`;
    const managementUrl = `https://127.0.0.1:${managementPort}`;
    await until(async () => (await get(directory)).status === 200, "Pebble's directory", { child });
    const root = await until(async () => {
      const response = await get(`${managementUrl}/roots/0`);
      return response.status === 200 && response.body;
    }, "Pebble's root", { child });
    return {
      directory,
      managementUrl,
      caCertFile: httpsCa.cert,
      rootPem: root,
      /** "Valid" or "Revoked" for a serial in hex (any case, colons or leading zeros allowed); null if unknown. */
      certStatus: async (serialHex) => {
        const serial = serialHex.replace(/:/g, "").toLowerCase().replace(/^0+(?=.)/, "");
        const response = await httpsRequest(`${managementUrl}/cert-status-by-serial/${serial}`, { ca });
        return response.status === 200 ? JSON.parse(response.body).Status : null;
      },
      output: child.output,
      stop: async () => {
        await child.stop();
        temp.remove();
      },
    };
  } catch (error) {
    await child?.stop();
    temp.remove();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------
// pebble-challtestsrv as a plain DNS server: every A query gets `answer`

/** Starts a DNS server on ip:port answering every A query with `answer` and no AAAA; { stop }. */
export async function startPublicDns({ ip, port = 53, answer }) {
  const managementPort = await freePort();
  // Its management API cannot be switched off (an empty address means ":80"), so it gets a
  // free loopback port; the HTTP, HTTPS and TLS-ALPN challenge servers are off.
  const child = startChild("pebble-challtestsrv", [
    "-dns01", `${ip}:${port}`, "-defaultIPv4", answer, "-defaultIPv6", "",
    "-http01", "", "-https01", "", "-tlsalpn01", "", "-management", `127.0.0.1:${managementPort}`,
  ]);
  try {
    await until(() => dig(ip, port, `probe.${PREFIX}.test`) === answer, `DNS on ${ip}:${port}`, { child });
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { ip, port, answer, output: child.output, stop: child.stop };
}

// ---------------------------------------------------------------------------------------
// Network namespaces: a "place" with its own network link to this host and its own resolver

let vethCount = 0;

/**
 * Creates namespace `smp-acme-NAME-<pid>` joined to this host by a veth pair: hostIp on the
 * host end, nsIp on the namespace end (default route via hostIp), and `resolver` as the only
 * nameserver in its /etc/resolv.conf. Returns { name, hostIp, nsIp, exec(cmd, args), remove }.
 */
export function makeNetns(name, { hostIp, nsIp, prefix = 24, resolver }) {
  const ns = `${PREFIX}-${name}-${PID36}`;
  const veth = `${VETH}-${PID36}-${vethCount++}`;
  const etc = `/etc/netns/${ns}`;
  const remove = () => {
    runQuietly("ip", ["netns", "delete", ns]); // takes the veth pair with it
    runQuietly("ip", ["link", "delete", veth]);
    rmSync(etc, { recursive: true, force: true });
  };
  const forget = onExit(remove);
  try {
    run("ip", ["netns", "add", ns]);
    run("ip", ["link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns]);
    run("ip", ["addr", "add", `${hostIp}/${prefix}`, "dev", veth]);
    run("ip", ["link", "set", veth, "up"]);
    run("ip", ["-n", ns, "addr", "add", `${nsIp}/${prefix}`, "dev", "eth0"]);
    run("ip", ["-n", ns, "link", "set", "eth0", "up"]);
    run("ip", ["-n", ns, "link", "set", "lo", "up"]);
    run("ip", ["-n", ns, "route", "add", "default", "via", hostIp]);
    // `ip netns exec` bind-mounts every file in /etc/netns/NS over the one in /etc.
    mkdirSync(etc, { recursive: true });
    writeFileSync(join(etc, "resolv.conf"), `nameserver ${resolver}\n`);
    // /etc/hosts too, so nothing from the host's file leaks in.
    writeFileSync(join(etc, "hosts"), "127.0.0.1 localhost\n");
  } catch (error) {
    forget();
    remove();
    throw error;
  }
  return {
    name: ns,
    hostIp,
    nsIp,
    /** Runs a command inside; resolves with { code, stdout, stderr } (never blocks this process). */
    exec: (cmd, args = []) => new Promise((resolve) => {
      const child = spawn("ip", ["netns", "exec", ns, cmd, ...args], { stdio: ["ignore", "pipe", "pipe"] });
      let [stdout, stderr] = ["", ""];
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    }),
    remove: () => (forget(), remove()),
  };
}

// ---------------------------------------------------------------------------------------
// A phone: Chromium inside a namespace, with a persistent profile and its own trusted roots

const PHONE_FLAGS = [...CHROMIUM_FLAGS, "--disable-quic"];

/** Adds PEM roots to the NSS database Chromium reads at $HOME/.pki/nssdb (made if missing). */
function trustRoots(home, pems) {
  const db = join(home, ".pki/nssdb");
  if (!existsSync(join(db, "cert9.db"))) {
    mkdirSync(db, { recursive: true });
    run("certutil", ["-d", `sql:${db}`, "-N", "--empty-password"]);
  }
  for (const pem of pems) {
    const fingerprint = createHash("sha256").update(new X509Certificate(pem).raw).digest("hex");
    const file = join(home, `root-${fingerprint.slice(0, 16)}.pem`);
    writeFileSync(file, pem);
    // Trusted to issue server certificates ("C"); adding the same root again is harmless.
    run("certutil", ["-d", `sql:${db}`, "-A", "-t", "C,,", "-n", `root-${fingerprint.slice(0, 16)}`, "-i", file]);
  }
}

/**
 * Launches headless Chromium inside `netns` (a makeNetns result) as a Playwright persistent
 * context. `phoneDir` holds the phone's state, kept across launches: its profile
 * (phoneDir/profile: service workers, IndexedDB, localStorage) and its HOME (phoneDir/home,
 * with the NSS database of roots it trusts). `trustRootPem` is one PEM or a list of them.
 */
export async function launchPhone({ netns, phoneDir, trustRootPem = [], args = [], options = {} }) {
  const home = join(phoneDir, "home");
  mkdirSync(home, { recursive: true });
  trustRoots(home, [trustRootPem].flat());
  // Playwright starts the executable it is given, so it is given this wrapper.
  const wrapper = join(phoneDir, `chromium-in-${netns.name}.sh`);
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${netns.name} env HOME=${home} ${OWNER_VAR}=${process.pid} /usr/bin/chromium "$@"\n`);
  chmodSync(wrapper, 0o755);
  return chromium.launchPersistentContext(join(phoneDir, "profile"), {
    executablePath: wrapper,
    args: [...PHONE_FLAGS, ...args],
    ...options,
  });
}
