#!/usr/bin/env python3
"""Import circles among the crate's files, the largest files and functions, lines per module.

A file reaches another through `use crate::…` or a `crate::…` path. Prints each strongly
connected set of files larger than one, the largest first, and exits 1 if the largest holds
more files than --max (default: no limit).
"""
import argparse, os, re, sys

ap = argparse.ArgumentParser()
ap.add_argument("--src", default="src")
ap.add_argument("--max", type=int, default=None)
args = ap.parse_args()

files = {}
is_mod = {}
for root, _, names in os.walk(args.src):
    for n in names:
        if n.endswith(".rs"):
            p = os.path.join(root, n)
            rel = os.path.relpath(p, args.src)[:-3]
            parts = rel.split(os.sep)
            if parts[-1] == "mod":
                parts = parts[:-1]
            if parts in (["lib"], ["main"]):
                parts = []
            files[tuple(parts)] = p
            is_mod[tuple(parts)] = n == "mod.rs"

def blank(text):
    """`text` with comments, strings and char literals emptied, newlines kept."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i)
            j = n if j < 0 else j + 2
            out.append("\n" * text.count("\n", i, j)); i = j
        elif c == "r" and re.match(r'r#*"', text[i:]) and not (i and (text[i-1].isalnum() or text[i-1] == "_")):
            hashes = re.match(r'r(#*)"', text[i:]).group(1)
            end = '"' + hashes
            j = text.find(end, i + len(hashes) + 2)
            j = n if j < 0 else j + len(end)
            out.append('""' + "\n" * text.count("\n", i, j)); i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append('""' + "\n" * text.count("\n", i, j)); i = j + 1
        elif c == "'" and re.match(r"'(\\.[^']*|[^\\'])'", text[i:]):
            m = re.match(r"'(\\.[^']*|[^\\'])'", text[i:])
            out.append("''"); i += m.end()
        else:
            out.append(c); i += 1
    return "".join(out)

def strip_tests(text):
    i = text.find("#[cfg(test)]\nmod tests")
    return text if i < 0 else text[:i]

def resolve(path):
    """The file a `crate::a::b::c` path lands in: the longest module prefix that is a file."""
    for k in range(len(path), 0, -1):
        if tuple(path[:k]) in files:
            return tuple(path[:k])
    return None

def uses(text, here):
    text = re.sub(r"//[^\n]*", "", text)
    # `super::` and `self::` name the same files a `crate::` path would.
    parent = list(here[:-1]) if not is_mod[here] else list(here[:-1])
    selfp = list(here)
    text = re.sub(r"\bsuper::", "crate::" + "".join(p + "::" for p in parent), text)
    text = re.sub(r"\bself::", "crate::" + "".join(p + "::" for p in selfp), text)
    out = []
    for m in re.finditer(r"\buse\s+crate::([^;]+);", text, re.S):
        body = m.group(1)
        out += expand([], body)
    for m in re.finditer(r"\bcrate::((?:[A-Za-z_][A-Za-z0-9_]*::)*[A-Za-z_][A-Za-z0-9_]*)", text):
        out.append(m.group(1).split("::"))
    return out

def expand(prefix, body):
    body = re.sub(r"\s+", "", body)
    # split top-level on '{'
    if "{" not in body:
        return [prefix + body.split("::")]
    head, rest = body.split("{", 1)
    rest = rest[: rest.rfind("}")]
    head = [h for h in head.split("::") if h]
    res, depth, cur = [], 0, ""
    for ch in rest:
        if ch == "{": depth += 1
        if ch == "}": depth -= 1
        if ch == "," and depth == 0:
            res.append(cur); cur = ""
        else:
            cur += ch
    if cur: res.append(cur)
    out = []
    for r in res:
        if r == "self":
            out.append(prefix + head)
        else:
            out += expand(prefix + head, r)
    return out

edges = {k: set() for k in files}
for k, p in files.items():
    text = strip_tests(open(p).read())
    for path in uses(text, k):
        t = resolve(path)
        if t is not None and t != k:
            edges[k].add(t)

# Tarjan
index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]
sys.setrecursionlimit(10000)
def strong(v):
    index[v] = low[v] = counter[0]; counter[0] += 1
    stack.append(v); on.add(v)
    for w in edges[v]:
        if w not in index:
            strong(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v: break
        sccs.append(comp)
for v in files:
    if v not in index:
        strong(v)
big = sorted((c for c in sccs if len(c) > 1), key=len, reverse=True)
name = lambda k: os.path.relpath(files[k], args.src)
largest = len(big[0]) if big else 1
print(f"largest import circle: {largest} files")
for c in big:
    print(f"  circle of {len(c)}: " + ", ".join(sorted(name(k) for k in c)))

sizes = sorted(((sum(1 for _ in open(p)), os.path.relpath(p, args.src)) for p in files.values()), reverse=True)
print(f"largest file: {sizes[0][1]} ({sizes[0][0]} lines)")
funcs = []
for p in files.values():
    code = blank(strip_tests(open(p).read()))
    lines = code.split("\n")
    i = 0
    while i < len(lines):
        m = re.match(r"\s*(pub(\([^)]*\))?\s+)?(async\s+)?fn\s+(\w+)", lines[i])
        if m:
            depth, j, opened = 0, i, False
            while j < len(lines):
                depth += lines[j].count("{") - lines[j].count("}")
                if "{" in lines[j]: opened = True
                if opened and depth <= 0: break
                if not opened and lines[j].rstrip().endswith(";"): break
                j += 1
            funcs.append((j - i + 1, f"{os.path.relpath(p, args.src)}:{i+1} {m.group(4)}"))
        i += 1
funcs.sort(reverse=True)
print("largest functions: " + "; ".join(f"{w} ({n} lines)" for n, w in funcs[:5]))
mods = {}
for k, p in files.items():
    top = k[0] if len(k) > 1 or (k and os.path.basename(files[k]) == "mod.rs") else (k[0] if k else "lib.rs")
    top = top if (len(k) > 1 or os.path.basename(files[k]) == "mod.rs") else (k[0] + ".rs" if k else os.path.basename(p))
    mods[top] = mods.get(top, 0) + sum(1 for _ in open(p))
print("lines per module: " + ", ".join(f"{m} {n}" for m, n in sorted(mods.items(), key=lambda x: -x[1])))
if args.max is not None and largest > args.max:
    sys.exit(1)
