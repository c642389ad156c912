#!/usr/bin/env python3
# Sealed requests benchmark: what sealing costs a caseworker. It PRINTS FIGURES; it judges
# nothing and asserts nothing. On a fresh server with a fresh temporary database, over
# loopback:
#
#   1. 1,000 help requests sent one after another over one keep-alive connection through
#      POST /api/v1/help-requests (--help-rate off): the total time.
#   2. A caseworker signs in; GET /staff/requests/REF of one request, 50 times: the median
#      and 90th percentile (each opens the request's sealed blob and its notes).
#   3. POST /staff/export of all 1,000 with every field, personal ones included, 5 times: the
#      median time, the rows and the bytes (each opens 1,000 blobs).
#
# The intake rate under load is measured by bench/pages.sh (wrk, 16 connections).
#
#   python3 bench/sealed.py
#   PASSPORT_BIN=/tmp/old/passport PASSPORT_SITE=/tmp/old/site python3 bench/sealed.py
#
# Environment: PASSPORT_BIN (default target/release/passport), PASSPORT_SITE (default
# target/site), PASSPORT_BENCH_REQUESTS (default 1000). Standard library only.

import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("PASSPORT_BIN", os.path.join(ROOT, "target/release/passport"))
SITE = os.environ.get("PASSPORT_SITE", os.path.join(ROOT, "target/site"))
COUNT = int(os.environ.get("PASSPORT_BENCH_REQUESTS", "1000"))
PASSWORD = "correct horse battery staple 1"
FIELDS = ["reference", "received", "status", "kind", "country", "language", "assigned", "updated",
          "channel", "place", "contact", "safe_time", "name", "message", "ticked"]

work = tempfile.mkdtemp(prefix="passport-sealed-")
db = os.path.join(work, "bench.db")
env = {**os.environ, "NO_COLOR": "1", "RUST_LOG": "info"}
subprocess.run([BIN, "staff", "add", "mai", "--role", "caseworker", "--db", db],
               input=(PASSWORD + "\n").encode(), env={**env, "RUST_LOG": "warn"}, check=True,
               stdout=subprocess.DEVNULL)
log_path = os.path.join(work, "server.log")
with open(log_path, "wb") as log:
    server = subprocess.Popen([BIN, "serve", "--addr", "127.0.0.1:0", "--db", db, "--site", SITE,
                               "--help-rate", "off"], stdout=log, stderr=subprocess.STDOUT, env=env)
try:
    deadline = time.monotonic() + 30
    while not (found := re.search(rb"serving on http://127\.0\.0\.1:(\d+)", open(log_path, "rb").read())):
        if server.poll() is not None or time.monotonic() > deadline:
            sys.exit(open(log_path).read())
        time.sleep(0.05)
    port = int(found.group(1))
    conn = http.client.HTTPConnection("127.0.0.1", port)

    def call(method, path, body=None, headers=None):
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response, response.read()

    references = []
    began = time.perf_counter()
    for n in range(COUNT):
        body = json.dumps({
            "id": str(uuid.uuid4()), "kind": "passport-held", "country": "th", "channel": "line",
            "contact": f"line.user.{n}", "name": f"Nok {n}", "place": "Mae Sot",
            "message": "My employer keeps my passport and I cannot leave. " * 3,
            "safe_time": "after 8 pm", "language": "th", "consent": True,
            "ticked": ["forced-labour/documents-kept"],
        })
        response, answer = call("POST", "/api/v1/help-requests", body, {"Content-Type": "application/json"})
        references.append(json.loads(answer)["reference"])
    sent = time.perf_counter() - began
    print(f"{COUNT} requests sent one by one: {sent:.2f} s ({COUNT / sent:.0f}/s on one connection)")

    response, page = call("GET", "/staff/login")
    login_cookie = re.search(r"(passport_login=[^;]+)", response.getheader("Set-Cookie")).group(1)
    csrf = re.search(rb'name="csrf" value="([^"]+)"', page).group(1).decode()
    form = urllib.parse.urlencode({"csrf": csrf, "username": "mai", "password": PASSWORD, "next": "/staff/requests"})
    response, _ = call("POST", "/staff/login", form, {"Content-Type": "application/x-www-form-urlencoded", "Cookie": login_cookie})
    cookies = [v for k, v in response.getheaders() if k.lower() == "set-cookie"]
    session = next(re.search(r"(passport_staff=[^;]+)", c).group(1) for c in cookies if c.startswith("passport_staff="))
    times = []
    for _ in range(50):
        began = time.perf_counter()
        response, page = call("GET", f"/staff/requests/{references[COUNT // 2]}", headers={"Cookie": session})
        times.append((time.perf_counter() - began) * 1000)
    shown = b"Nok " in page
    times.sort()
    print(f"opening one request: median {statistics.median(times):.2f} ms, p90 {times[44]:.2f} ms (its fields shown: {shown})")

    response, page = call("GET", "/staff/export?status=any", headers={"Cookie": session})
    csrf = re.search(rb'name="csrf" value="([^"]+)"', page).group(1).decode()
    pairs = [("csrf", csrf), ("status", "any"), ("understood", "yes")] + [("field", f) for f in FIELDS]
    form = urllib.parse.urlencode(pairs)
    times = []
    for _ in range(5):
        began = time.perf_counter()
        response, csv = call("POST", "/staff/export", form, {"Content-Type": "application/x-www-form-urlencoded", "Cookie": session})
        times.append((time.perf_counter() - began) * 1000)
    rows = csv.count(b"\r\n") - 1
    print(f"exporting {rows} requests with every field: median {statistics.median(times):.0f} ms ({len(csv)} bytes, status {response.status})")
    size = sum(os.path.getsize(os.path.join(work, f)) for f in os.listdir(work) if f.startswith("bench.db"))
    print(f"database with its WAL: {size / 1024:.0f} KiB")
finally:
    server.terminate()
    server.wait()
    shutil.rmtree(work, ignore_errors=True)
