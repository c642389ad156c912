#!/usr/bin/env python3
# Hardening benchmark: how `passport serve` holds up against four cheap abuses, each on a
# fresh server with a fresh temporary database, over loopback. It PRINTS FIGURES; it judges
# nothing and asserts nothing (the exit status is 0 whatever the figures are).
#
#   1. Host flood: 3,000 GETs of /en/share, each with its own made-up `Host:` header (the
#      share page, the booklet and offline.json are kept in the page cache per host), 8 at
#      a time. Resident memory before, after, 5 s after and at its peak (sampled every 20 ms,
#      and the kernel's VmHWM); the latency of a cached GET /en/ (normal Host, a new
#      connection every 0.5 s) during the flood; then whether a page not asked for before
#      (/en/guides) is still kept by the cache: the time of 10 repeats.
#   2. 40 concurrent wrong sign-ins (POST /staff/login with the form's own CSRF cookie and
#      token, for a real caseworker account): once all from 127.0.0.1, once each from its
#      own loopback address (127.0.0.2-41, so the per-address limit does not stop them).
#      Memory before, at its peak (every 20 ms) and 5 s after; the total time; what each
#      attempt was answered; and the latency of GET /healthz sampled during it.
#   3. Half-open connections: 500 connections that send "GET / HTTP/1.1\r\nHost: x\r\n" and
#      nothing more, held; how many the server has not closed after 1 s ... HOLD s, and
#      whether a fresh GET /healthz is answered (10 s timeout) while they are held; then
#      SIGTERM with 500 fresh ones held, and how long the process takes to exit (15 s cap,
#      then SIGKILL). Then the same with 1,100 held. The server is started with a soft
#      open-files limit of PASSPORT_BENCH_NOFILE (default 1024, the usual Linux/systemd
#      default soft limit; `inherit` leaves this shell's limit); the limit the server ends
#      up with (it may raise it itself) is read from /proc/PID/limits and printed.
#   4. GET /en/offline.json repeated, against /en/offline.json?x=N for 5 different N (a query
#      string bypasses the page cache), and, as a baseline, SIGTERM with nothing held.
#
# Run (Python 3.8+, standard library only; no cargo, no network beyond loopback):
#
#   python3 bench/hardening.py
#   PASSPORT_BIN=/tmp/passport-old PASSPORT_SITE=/tmp/site-old python3 bench/hardening.py
#
# Environment: PASSPORT_BIN (default target/release/passport), PASSPORT_SITE (default
# target/site), PASSPORT_BENCH_HOLD (seconds to hold the 500 half-open connections, default
# 45), PASSPORT_BENCH_NOFILE (the server's soft open-files limit, default 1024, or
# `inherit`), PASSPORT_BENCH_HOSTS (hosts in the flood, default 3000), PASSPORT_BENCH_ONLY
# (a comma list of scenario numbers to run, default all). Takes about 5 minutes on 2 cores
# (the flood alone about 3 minutes on the build before hardening).
# Servers are stopped and temporary folders removed at exit, also on Ctrl-C.

import atexit
import http.client
import os
import queue
import re
import resource
import select
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("PASSPORT_BIN", os.path.join(ROOT, "target/release/passport"))
SITE = os.environ.get("PASSPORT_SITE", os.path.join(ROOT, "target/site"))
HOLD = float(os.environ.get("PASSPORT_BENCH_HOLD", "45"))
NOFILE = os.environ.get("PASSPORT_BENCH_NOFILE", "1024")
HOSTS = int(os.environ.get("PASSPORT_BENCH_HOSTS", "3000"))
ONLY = {s.strip() for s in os.environ.get("PASSPORT_BENCH_ONLY", "1,2,3,4").split(",")}
PASSWORD = "correct horse battery staple 1"

sys.stdout.reconfigure(line_buffering=True)

# ---------------------------------------------------------------------------------------
# Servers, cleaned up at exit whatever happens.

SERVERS = []


def cleanup():
    for server in SERVERS:
        server.kill()
        shutil.rmtree(server.dir, ignore_errors=True)


atexit.register(cleanup)
for _sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
    signal.signal(_sig, lambda signum, frame: sys.exit(128 + signum))


def child_limits():
    if NOFILE != "inherit":
        soft = int(NOFILE)
        _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


class Server:
    def __init__(self, staff=False):
        self.dir = tempfile.mkdtemp(prefix="passport-hardening-")
        self.db = os.path.join(self.dir, "test.db")
        self.proc = None
        SERVERS.append(self)
        env = {**os.environ, "NO_COLOR": "1", "RUST_LOG": os.environ.get("RUST_LOG", "info")}
        if staff:
            subprocess.run(
                [BIN, "staff", "add", "mai", "--role", "caseworker", "--db", self.db],
                input=(PASSWORD + "\n").encode(),
                env={**env, "RUST_LOG": "warn"},
                check=True,
                stdout=subprocess.DEVNULL,
            )
        self.log_path = os.path.join(self.dir, "server.log")
        log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [BIN, "serve", "--addr", "127.0.0.1:0", "--db", self.db, "--site", SITE],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            preexec_fn=child_limits,
        )
        log.close()
        self.pid = self.proc.pid
        deadline = time.monotonic() + 30
        while True:
            text = self.log()
            found = re.search(r"serving on http://127\.0\.0\.1:(\d+)", text)
            if found:
                self.port = int(found.group(1))
                break
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"passport did not start:\n{text}")
            time.sleep(0.05)
        # A build that warms its page cache at start says when it is done: measure after
        # that, not during it. An older build never says so; it is measured after 15 s.
        deadline = time.monotonic() + 15
        while "page cache warmed" not in self.log() and time.monotonic() < deadline:
            time.sleep(0.05)

    def log(self):
        with open(self.log_path, "rb") as f:
            return re.sub(r"\x1b\[[0-9;]*m", "", f.read().decode(errors="replace"))

    def status(self, field):
        """A field of /proc/PID/status in MiB (VmRSS, VmHWM), or None once it has exited."""
        try:
            with open(f"/proc/{self.pid}/status") as f:
                for line in f:
                    if line.startswith(field + ":"):
                        return int(line.split()[1]) / 1024
        except OSError:
            return None
        return None

    def rss(self):
        return self.status("VmRSS")

    def hwm(self):
        return self.status("VmHWM")

    def fds(self):
        try:
            return len(os.listdir(f"/proc/{self.pid}/fd"))
        except OSError:
            return None

    def nofile(self):
        try:
            with open(f"/proc/{self.pid}/limits") as f:
                for line in f:
                    if line.startswith("Max open files"):
                        parts = line.split()
                        return f"soft {parts[3]}, hard {parts[4]}"
        except OSError:
            pass
        return "?"

    def threads(self):
        try:
            return len(os.listdir(f"/proc/{self.pid}/task"))
        except OSError:
            return None

    def terminate(self, cap=15.0):
        """SIGTERM; the seconds until the process exited, or None if it had not after `cap`
        seconds (it is then killed)."""
        start = time.perf_counter()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=cap)
            return time.perf_counter() - start
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def close(self):
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)
        SERVERS.remove(self)


# ---------------------------------------------------------------------------------------
# Requests and samplers.


def request(port, method, path, headers=None, body=None, timeout=10.0, source=None, conn=None):
    """(status, body bytes, response headers, milliseconds); status None on error/timeout."""
    own = conn is None
    start = time.perf_counter()
    try:
        if own:
            conn = http.client.HTTPConnection(
                "127.0.0.1", port, timeout=timeout,
                source_address=(source, 0) if source else None,
            )
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return response.status, data, response.getheaders(), (time.perf_counter() - start) * 1000
    except (OSError, http.client.HTTPException) as error:
        return None, repr(error).encode(), [], (time.perf_counter() - start) * 1000
    finally:
        if own and conn is not None:
            conn.close()


def get(port, path, host=None, **kw):
    headers = {"Accept-Encoding": "br, gzip"}
    if host:
        headers["Host"] = host
    return request(port, "GET", path, headers=headers, **kw)


class RssSampler(threading.Thread):
    def __init__(self, server, every=0.02):
        super().__init__(daemon=True)
        self.server, self.every, self.peak, self.samples = server, every, 0.0, 0
        self.halt = threading.Event()
        self.start()

    def run(self):
        while not self.halt.is_set():
            rss = self.server.rss()
            if rss is not None:
                self.peak = max(self.peak, rss)
                self.samples += 1
            self.halt.wait(self.every)

    def stop(self):
        self.halt.set()
        self.join()
        return self.peak


class LatencySampler(threading.Thread):
    """GETs `path` on a new connection every `every` seconds until stopped."""

    def __init__(self, port, path, every, timeout=10.0, limit=None):
        super().__init__(daemon=True)
        self.port, self.path, self.every, self.timeout, self.limit = port, path, every, timeout, limit
        self.ms, self.failures, self.statuses = [], 0, {}
        self.halt = threading.Event()
        self.start()

    def run(self):
        while not self.halt.is_set() and (self.limit is None or len(self.ms) + self.failures < self.limit):
            status, _, _, ms = get(self.port, self.path, timeout=self.timeout)
            if status is None:
                self.failures += 1
            else:
                self.ms.append(ms)
                self.statuses[status] = self.statuses.get(status, 0) + 1
            self.halt.wait(self.every)

    def stop(self):
        self.halt.set()
        self.join()
        return self

    def summary(self):
        if not self.ms:
            return f"no answer ({self.failures} failed)"
        text = (f"{len(self.ms)} samples: median {statistics.median(self.ms):.1f} ms, "
                f"max {max(self.ms):.1f} ms")
        if self.failures:
            text += f", {self.failures} failed or timed out"
        other = {s: n for s, n in self.statuses.items() if s != 200}
        if other:
            text += f", statuses {self.statuses}"
        return text


# ---------------------------------------------------------------------------------------
# Printing.


def title(text):
    print()
    print("=" * 92)
    print(text)
    print("=" * 92)


def table(rows):
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"  {name.ljust(width)}  {value}")


def mib(value):
    return "n/a (exited)" if value is None else f"{value:.1f} MiB"


def ms_list(values):
    return " ".join(f"{v:.1f}" for v in values)


def secs(value, cap=15):
    return f"did not exit in {cap:g} s (SIGKILLed)" if value is None else f"{value * 1000:.0f} ms"


# ---------------------------------------------------------------------------------------
# 1. Host flood.


def host_flood():
    title(f"1. Host flood: {HOSTS} GET /en/share, each with its own Host header, 8 at a time")
    server = Server()
    port = server.port
    get(port, "/en/")
    get(port, "/en/")
    rows = [("server soft/hard open files", server.nofile()),
            ("RSS before", mib(server.rss())),
            ("VmHWM before", mib(server.hwm()))]
    sampler = RssSampler(server)
    home = LatencySampler(port, "/en/", every=0.5)
    work = queue.Queue()
    for i in range(1, HOSTS + 1):
        work.put(i)
    statuses, errors, lock = {}, [0], threading.Lock()

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            try:
                i = work.get_nowait()
            except queue.Empty:
                break
            status, _, _, _ = get(port, "/en/share", host=f"h{i}.example", conn=conn)
            if status is None:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status, _, _, _ = get(port, "/en/share", host=f"h{i}.example", conn=conn)
            with lock:
                if status is None:
                    errors[0] += 1
                else:
                    statuses[status] = statuses.get(status, 0) + 1
        conn.close()

    start = time.perf_counter()
    workers = [threading.Thread(target=worker, daemon=True) for _ in range(8)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - start
    home.stop()
    rss_after = server.rss()
    time.sleep(5)
    peak = sampler.stop()
    rows += [
        ("flood total time", f"{elapsed:.1f} s ({HOSTS / elapsed:.0f} req/s)"),
        ("flood answers", f"{statuses}" + (f", {errors[0]} errors" if errors[0] else "")),
        ("RSS right after", mib(rss_after)),
        ("RSS 5 s after", mib(server.rss())),
        ("peak RSS (sampled every 20 ms)", mib(peak)),
        ("VmHWM after", mib(server.hwm())),
        ("GET /en/ (cached) during flood", home.summary()),
    ]
    guides = [get(port, "/en/guides")[3] for _ in range(10)]
    rows += [
        ("GET /en/guides x10 after (new page)", f"1st {guides[0]:.1f} ms; 2nd..10th: {ms_list(guides[1:])} ms"),
        ("  2nd..10th median", f"{statistics.median(guides[1:]):.1f} ms"),
    ]
    for host in ("h1.example", f"h{HOSTS}.example"):
        again = [get(port, "/en/share", host=host)[3] for _ in range(3)]
        rows.append((f"GET /en/share Host {host} x3 after", f"{ms_list(again)} ms"))
    rows.append(("SIGTERM to exit (nothing held)", secs(server.terminate())))
    table(rows)
    server.close()


# ---------------------------------------------------------------------------------------
# 2. Concurrent wrong sign-ins.


def login_form(port, source=None):
    status, body, headers, _ = request(port, "GET", "/staff/login", source=source)
    cookie = None
    for name, value in headers:
        if name.lower() == "set-cookie" and value.startswith("passport_login="):
            cookie = value.split(";", 1)[0]
    token = re.search(rb'name="csrf" value="([0-9a-f]+)"', body)
    if status != 200 or cookie is None or token is None:
        raise SystemExit(f"no sign-in form: {status} {body[:300]!r}")
    return cookie, token.group(1).decode()


def alert(body):
    found = re.search(rb'role="alert"[^>]*>([^<]*)', body)
    return found.group(1).decode(errors="replace").strip() if found else body[:60].decode(errors="replace")


def sign_in(port, cookie, token, username, password, source=None, conn=None):
    body = urllib.parse.urlencode(
        {"csrf": token, "next": "", "username": username, "password": password})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": cookie,
        "Origin": f"http://127.0.0.1:{port}",
    }
    return request(port, "POST", "/staff/login", headers=headers, body=body,
                   timeout=60, source=source, conn=conn)


def wrong_sign_ins(spread):
    n = 40
    where = "each from its own address 127.0.0.2-41" if spread else "all from 127.0.0.1"
    title(f"2{'b' if spread else 'a'}. {n} concurrent wrong sign-ins for a real account, {where}")
    server = Server(staff=True)
    port = server.port
    cookie, token = login_form(port)
    # The same request with an unknown name, from an address of its own: the answer a wrong
    # password gets (not the CSRF refusal), without counting towards the account's lock or
    # the other addresses' limit.
    status, body, _, ms = sign_in(port, cookie, token, "nobody-here", "wrong", source="127.0.0.250")
    rows = [("check: one wrong sign-in answers", f"{status} \"{alert(body)}\" in {ms:.0f} ms")]
    time.sleep(0.5)
    rows += [("server threads before", str(server.threads())),
             ("RSS before", mib(server.rss())),
             ("VmHWM before", mib(server.hwm()))]
    sampler = RssSampler(server)
    health = LatencySampler(port, "/healthz", every=0.05)
    barrier = threading.Barrier(n + 1)
    results = [None] * n

    def attempt(i):
        source = f"127.0.0.{2 + i}" if spread else None
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60,
                                          source_address=(source, 0) if source else None)
        try:
            conn.connect()
        except OSError:
            pass
        barrier.wait()
        results[i] = sign_in(port, cookie, token, "mai", f"wrong password {i}", conn=conn)
        results[i] = results[i] + (time.perf_counter(),)
        conn.close()

    threads = [threading.Thread(target=attempt, args=(i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    total = max(r[4] for r in results) - start
    health.stop()
    threads_now = server.threads()
    rss_done = server.rss()
    time.sleep(5)
    peak = sampler.stop()
    answers = {}
    for status, body, _, _, _ in results:
        key = f"{status} \"{alert(body)}\""
        answers[key] = answers.get(key, 0) + 1
    each = sorted(r[3] for r in results)
    rows += [
        ("total time (all 40 answered)", f"{total * 1000:.0f} ms"),
        ("per attempt", f"min {each[0]:.0f} ms, median {statistics.median(each):.0f} ms, max {each[-1]:.0f} ms"),
    ]
    rows += [("answers", "")] + [(f"  x{count}", key) for key, count in sorted(answers.items())]
    rows += [
        ("peak RSS during (every 20 ms)", mib(peak)),
        ("VmHWM after", mib(server.hwm())),
        ("RSS when the last was answered", mib(rss_done)),
        ("RSS 5 s after", mib(server.rss())),
        ("server threads after", str(threads_now)),
        ("GET /healthz during (every 50 ms)", health.summary()),
    ]
    table(rows)
    server.terminate()
    server.close()


# ---------------------------------------------------------------------------------------
# 3. Half-open connections.

PARTIAL = b"GET / HTTP/1.1\r\nHost: x\r\n"


class HalfOpen:
    def __init__(self, port, n):
        self.socks, self.failed = [], 0
        self.closed_eof = self.closed_reset = 0
        self.answered = {}
        start = time.perf_counter()
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.settimeout(3)
            try:
                s.connect(("127.0.0.1", port))
                s.sendall(PARTIAL)
                s.setblocking(False)
                self.socks.append(s)
            except OSError:
                self.failed += 1
                s.close()
        self.open_ms = (time.perf_counter() - start) * 1000
        self.opened = len(self.socks)

    def census(self):
        """How many the server has not closed; answers it sent are tallied by first line."""
        if self.socks:
            poller = select.poll()
            by_fd = {}
            for s in self.socks:
                poller.register(s, select.POLLIN | select.POLLERR | select.POLLHUP)
                by_fd[s.fileno()] = s
            gone = set()
            for fd, _ in poller.poll(0):
                s = by_fd[fd]
                while True:
                    try:
                        data = s.recv(65536)
                    except BlockingIOError:
                        break
                    except OSError:
                        self.closed_reset += 1
                        gone.add(s)
                        break
                    if not data:
                        self.closed_eof += 1
                        gone.add(s)
                        break
                    line = data.split(b"\r\n", 1)[0].decode(errors="replace")
                    if line.startswith("HTTP/"):
                        self.answered[line] = self.answered.get(line, 0) + 1
            for s in gone:
                s.close()
            self.socks = [s for s in self.socks if s not in gone]
        return len(self.socks)

    def describe(self):
        text = f"{len(self.socks)} of {self.opened} still open"
        closed = []
        if self.closed_eof:
            closed.append(f"{self.closed_eof} closed")
        if self.closed_reset:
            closed.append(f"{self.closed_reset} reset")
        if closed:
            text += " (" + ", ".join(closed) + ")"
        if self.answered:
            text += f"; server sent {self.answered}"
        return text

    def close(self):
        for s in self.socks:
            s.close()
        self.socks = []


def probe(port):
    status, body, _, ms = get(port, "/healthz", timeout=10)
    if status is None or ms > 10000:
        return f"NOT answered within 10 s ({ms / 1000:.1f} s, {body.decode()[:60]})"
    return f"answered {status} in {ms:.1f} ms"


def half_open(n, checkpoints, sigterm_fresh):
    title(f"3. {n} half-open connections (partial request line and header, then nothing)")
    server = Server()
    port = server.port
    rows = [("server soft/hard open files", server.nofile()),
            ("server fds before", str(server.fds())),
            ("GET /healthz before", probe(port))]
    held = HalfOpen(port, n)
    t0 = time.monotonic()
    rows.append((f"opened", f"{held.opened} in {held.open_ms:.0f} ms" +
                 (f", {held.failed} failed to connect" if held.failed else "")))
    for i, at in enumerate(checkpoints):
        wait = t0 + at - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        held.census()
        rows.append((f"after {at:g} s", held.describe() + f"; server fds {server.fds()}"))
        if i == 0 or at == checkpoints[-1]:
            rows.append((f"  GET /healthz on a new connection", probe(port)))
            if i == 0:
                rows.append(("  server RSS", mib(server.rss())))
    if sigterm_fresh:
        held.close()
        time.sleep(0.5)
        held = HalfOpen(port, n)
        time.sleep(1)
        held.census()
        rows.append(("fresh set for SIGTERM, after 1 s", held.describe() + f"; server fds {server.fds()}"))
    rows.append((f"SIGTERM with {len(held.socks)} held, to exit", secs(server.terminate())))
    table(rows)
    held.close()
    server.close()


# ---------------------------------------------------------------------------------------
# 4. Query strings past the cache.


def query_bypass():
    title("4. GET /en/offline.json repeated vs /en/offline.json?x=N (query string: not cached)")
    server = Server()
    port = server.port
    first = get(port, "/en/offline.json")
    plain = [get(port, "/en/offline.json") for _ in range(5)]
    queried = [get(port, f"/en/offline.json?x={n}") for n in range(1, 6)]
    table([
        ("1st /en/offline.json (cold)", f"{first[0]} in {first[3]:.1f} ms"),
        ("/en/offline.json x5", f"{ms_list(r[3] for r in plain)} ms (statuses {sorted({r[0] for r in plain})})"),
        ("/en/offline.json?x=1..5", f"{ms_list(r[3] for r in queried)} ms (statuses {sorted({r[0] for r in queried})})"),
        ("  median plain vs ?x=N", f"{statistics.median(r[3] for r in plain):.1f} ms vs "
                                   f"{statistics.median(r[3] for r in queried):.1f} ms"),
        ("SIGTERM to exit (nothing held)", secs(server.terminate())),
    ])
    server.close()


# ---------------------------------------------------------------------------------------


def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < 4096:
        want = 4096 if hard == resource.RLIM_INFINITY else min(4096, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    version = subprocess.run([BIN, "--version"], capture_output=True, text=True).stdout.strip()
    title("passport hardening benchmark: figures only, nothing judged")
    table([
        ("binary", f"{BIN} ({version})"),
        ("site", SITE),
        ("date", time.strftime("%Y-%m-%d %H:%M:%S %Z")),
        ("cores", str(os.cpu_count())),
        ("this process's open files", f"soft {resource.getrlimit(resource.RLIMIT_NOFILE)[0]}, "
                                      f"hard {resource.getrlimit(resource.RLIMIT_NOFILE)[1]}"),
        ("server started with soft limit", NOFILE),
        ("hold time (PASSPORT_BENCH_HOLD)", f"{HOLD:g} s"),
    ])
    began = time.monotonic()
    if "1" in ONLY:
        host_flood()
    if "2" in ONLY:
        wrong_sign_ins(spread=False)
        wrong_sign_ins(spread=True)
    if "3" in ONLY:
        checkpoints = sorted({c for c in (1, 15, 31, HOLD) if c <= HOLD} | {HOLD})
        half_open(500, checkpoints, sigterm_fresh=True)
        half_open(1100, [1], sigterm_fresh=False)
    if "4" in ONLY:
        query_bypass()
    print()
    print(f"total run time {time.monotonic() - began:.0f} s")


if __name__ == "__main__":
    main()
