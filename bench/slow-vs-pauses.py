#!/usr/bin/env python3
"""Lines up the slow requests of an open-loop run (fairness --slow-log DIR/slow.txt) with the safepoints (garbage
collection pauses among them) of the server's and the client's JVM (-Xlog:gc*,safepoint:file=DIR/server-gc.log and
DIR/client-gc.log, decorators utctime,...). Usage: slow-vs-pauses.py DIR [ignored] [rows]. For each turn of the
ticker that had a slow request, it names what overlapped it: a server safepoint of 1 ms or more, a client one, or the
client's own lateness in sending (over 1 ms); "none" is a stall that neither JVM logged."""
import re, sys, datetime as dt, collections
def ts(s):
    return dt.datetime.strptime(s[:23], "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=dt.timezone.utc).timestamp()
def safepoints(path):
    out = []
    for line in open(path):
        m = re.match(r"\[([^\]]+)\].*Safepoint \"([^\"]+)\".*Reaching safepoint: (\d+) ns.*Total: (\d+) ns", line)
        if m:
            end = ts(m.group(1)); tot = int(m.group(4)) / 1e9
            out.append((end - tot - 0.001, end + 0.001, m.group(2), tot * 1e3, int(m.group(3)) / 1e6))
    return out
d = sys.argv[1]; thr = float(sys.argv[2]) if len(sys.argv) > 2 else 0
srv = safepoints(d + "/server-gc.log"); cli = safepoints(d + "/client-gc.log")
turns = collections.OrderedDict()
for line in open(d + "/slow.txt"):
    if line.startswith("#"): continue
    t, late, fturn, fsend, conn, seq = line.split()
    t0 = ts(t[:23]) + int(t[23:26]) / 1e6
    turns.setdefault(t0, []).append((float(late), float(fturn), float(fsend)))
n = sum(len(v) for v in turns.values())
print(f"slow requests {n} in {len(turns)} turns; server safepoints {len(srv)} (>=1ms: {sum(1 for s in srv if s[3]>=1)}), client {len(cli)}")
def hit(sps, a, b, minms):
    return [s for s in sps if s[3] >= minms and s[0] < b and s[1] > a]
cats = collections.Counter(); ex = []
for t0, reqs in turns.items():
    worst = max(r[1] for r in reqs); late = max(r[0] for r in reqs)
    a, b = t0, t0 + worst / 1e3
    hs = hit(srv, a, b, 1); hc = hit(cli, a, b, 1)
    key = ("server-sp " if hs else "") + ("client-sp " if hc else "") + ("client-late " if late > 1 else "")
    key = key.strip() or "none"
    cats[key] += len(reqs)
    ex.append((t0, len(reqs), worst, late, [(x[2], round(x[3], 1)) for x in hs], [(x[2], round(x[3], 1)) for x in hc]))
for k, v in cats.most_common(): print(f"  {k}: {v} requests ({100*v/max(n,1):.0f}%)")
for e in sorted(ex, key=lambda e: -e[2])[:int(sys.argv[3]) if len(sys.argv) > 3 else 15]:
    print(f"  {dt.datetime.utcfromtimestamp(e[0]).strftime('%H:%M:%S.%f')} n={e[1]} worst={e[2]:.1f}ms late={e[3]:.1f}ms server={e[4]} client={e[5]}")
# safepoint summary
for name, sps in (("server", srv), ("client", cli)):
    by = collections.defaultdict(list)
    for s in sps: by[s[2]].append(s[3])
    print(name, {k: (len(v), round(max(v), 1), round(sum(v), 1)) for k, v in by.items()})
