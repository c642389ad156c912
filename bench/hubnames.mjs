// Hub names benchmark (issue 22): how long a hub waits for its certificate, what a renewal
// costs it, and what the hub's own DNS responder answers per second. Prints figures; judges
// nothing. Run by hand as root, after `scripts/build.sh`, not in CI:
//
//   node bench/hubnames.mjs
//   QUERIES=50000 node bench/hubnames.mjs
//
// 1. Pairing to HTTPS. Pebble (Let's Encrypt's test CA) checks DNS-01 answers in a real BIND
//    that central updates by RFC 2136. Central serves; `passport hubs add --domain` and
//    `passport hub pair` run; the hub serves with `--https` and `--upstream`, syncing every
//    second. Timed: from the start of `hub pair` to the first TLS handshake in which the hub
//    offers a certificate for its name that chains to Pebble's root.
// 2. A renewal. With certificates of LIFE seconds, the hub's serial is watched until it
//    changes; printed: when that happened, as a share of the certificate's life.
// 3. The DNS responder. QUERIES A queries for the hub's name from one UDP socket, 64 in
//    flight, over loopback; printed: answers per second, and that every answer said the
//    hub's address.
import dgram from "node:dgram";
import tls from "node:tls";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, runPassport } from "../tests/browser/server.mjs";
import { cleanupLeftovers, freePort, startNamed, startPebble } from "../tests/browser/acme-net.mjs";

const LIFE = Number(process.env.LIFE ?? 120);
const QUERIES = Number(process.env.QUERIES ?? 20000);
const NAME = "hall.hubs.test";
const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function served(port, rootPem) {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: "127.0.0.1", port, servername: NAME, ca: rootPem });
    socket.once("secureConnect", () => {
      const serial = socket.getPeerCertificate().serialNumber;
      socket.end();
      resolve(serial);
    });
    socket.once("error", () => resolve(null));
  });
}

async function poll(check) {
  for (;;) {
    const value = await check();
    if (value) return value;
    await wait(20);
  }
}

/** One A query for `name` with id `id`, as a resolver sends it. */
function query(id, name) {
  const labels = name.split(".").flatMap((label) => [Buffer.from([label.length]), Buffer.from(label)]);
  const header = Buffer.from([id >> 8, id & 255, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  return Buffer.concat([header, ...labels, Buffer.from([0, 0, 1, 0, 1])]);
}

async function dnsRate(port) {
  const socket = dgram.createSocket("udp4");
  await new Promise((resolve) => socket.bind(0, "127.0.0.1", resolve));
  let answered = 0;
  let right = 0;
  let sent = 0;
  const started = process.hrtime.bigint();
  const done = new Promise((resolve) => {
    socket.on("message", (message) => {
      answered += 1;
      if (message.subarray(-4).equals(Buffer.from([127, 0, 0, 1]))) right += 1;
      if (sent < QUERIES) socket.send(query(sent++ & 0xffff, NAME), port, "127.0.0.1");
      if (answered === QUERIES) resolve();
    });
  });
  for (let i = 0; i < 64; i++) socket.send(query(sent++, NAME), port, "127.0.0.1");
  await done;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  socket.close();
  return { seconds, answered, right };
}

cleanupLeftovers();
const dir = mkdtempSync(join(tmpdir(), "passport-bench-names-"));
const named = await startNamed({ zone: "hubs.test" });
const pebble = await startPebble({ dnsServer: `127.0.0.1:${named.port}`, validitySeconds: LIFE });
const [centralDir, hubDir] = [join(dir, "central"), join(dir, "hub")];
mkdirSync(centralDir);
mkdirSync(hubDir);
const central = await startServer({
  dir: centralDir,
  args: [
    "--hub-domain", "hubs.test", "--acme-directory", pebble.directory, "--acme-root", pebble.caCertFile,
    "--dns-update", `127.0.0.1:${named.port}`, "--dns-zone", "hubs.test", "--dns-key", named.keyFile,
  ],
});
const added = await runPassport(["hubs", "add", "hall", "--domain", "hubs.test", "--db", central.db]);
const code = added.match(/^ {4}([a-z0-9]{4}(?:-[a-z0-9]{4}){3})$/m)[1];
const [httpsPort, dnsPort] = [await freePort(), await freePort({ udp: true })];
const paired = Date.now();
await runPassport(["hub", "pair", central.url, code, "--db", join(hubDir, "test.db")]);
const hub = await startServer({
  dir: hubDir,
  args: ["--https", `127.0.0.1:${httpsPort}`, "--dns", `127.0.0.1:${dnsPort}`, "--upstream", central.url, "--sync-every", "1"],
});
const first = await poll(() => served(httpsPort, pebble.rootPem));
console.log(`pairing to HTTPS at the hub: ${((Date.now() - paired) / 1000).toFixed(2)} s (certificate ${first})`);
const issued = Date.now();
const second = await poll(async () => {
  const serial = await served(httpsPort, pebble.rootPem);
  return serial && serial !== first ? serial : null;
});
const after = (Date.now() - issued) / 1000;
console.log(`renewal reached the hub after ${after.toFixed(1)} s of a ${LIFE} s certificate (${Math.round((100 * after) / LIFE)}% of its life)`);
const rate = await dnsRate(dnsPort);
console.log(
  `DNS responder: ${rate.answered} answers in ${rate.seconds.toFixed(2)} s, ${Math.round(rate.answered / rate.seconds)} per second; ${rate.right} gave the hub's address`,
);
await hub.stop();
await central.stop();
await pebble.stop();
await named.stop();
rmSync(dir, { recursive: true, force: true });
