#!/usr/bin/env python3
"""Folds JFR jdk.ExecutionSample stacks (jfr print --json) into PREFIX.folded, draws them as a
flame graph in PREFIX.svg (one box per frame, width = share of samples, root at the bottom) and
prints the top frames by self time and the share of samples that pass through OIDC Gate's code.

Usage: flamegraph.py SAMPLES_JSON PREFIX"""
import collections, html, json, sys

samples_file, prefix = sys.argv[1], sys.argv[2]
events = json.load(open(samples_file))["recording"]["events"]
stacks = collections.Counter()
for e in events:
    frames = e["values"]["stackTrace"]["frames"]
    names = []
    for f in reversed(frames):  # root first
        m = f["method"]
        names.append(m["type"]["name"].replace("/", ".").split(".")[-1] + "." + m["name"])
    stacks[";".join(names)] += 1
total = sum(stacks.values())
with open(prefix + ".folded", "w") as out:
    for s, n in stacks.most_common():
        out.write(f"{s} {n}\n")

self_time = collections.Counter()
through = collections.Counter()
for s, n in stacks.items():
    parts = s.split(";")
    self_time[parts[-1]] += n
    for p in set(parts):
        through[p] += n
print(f"{total} samples")
print("top frames by self time:")
for f, n in self_time.most_common(15):
    print(f"  {100 * n / total:5.1f}%  {f}")
print("inclusive share of selected frames:")
for key in ("OidcFilter.doFilter", "OidcGate.authenticateBearer", "BearerTokenValidator.validate",
            "TokenHash.of", "BearerTokenResolver.resolve", "ProxyServlet.service",
            "ProxyServlet.copyRequestHeaders", "RequestHeaderCopier.copy",
            "ProxyServlet.copyResponseHeaders", "UpstreamClient.open"):
    if through[key]:
        print(f"  {100 * through[key] / total:5.1f}%  {key}")

# The flame graph: a tree of frames, drawn bottom-up.
tree = {}
for s, n in stacks.items():
    node = tree
    for p in s.split(";"):
        child = node.setdefault(p, [0, {}])
        child[0] += n
        node = child[1]
WIDTH, ROW, MIN = 1200, 16, 0.5
depth_max = max(len(s.split(";")) for s in stacks)
height = (depth_max + 2) * ROW
boxes = []

def draw(node, x, depth):
    for name, (n, children) in sorted(node.items()):
        w = WIDTH * n / total
        if w >= MIN:
            y = height - (depth + 1) * ROW
            ours = "oidcgate" in name or name.split(".")[0] in OURS
            hue = 200 if ours else 20 + (sum(map(ord, name)) % 40)
            label = html.escape(name)
            boxes.append(
                f'<g><title>{label} ({100 * n / total:.1f}%)</title>'
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{ROW - 1}" '
                f'fill="hsl({hue},70%,60%)"/>'
                + (f'<text x="{x + 2:.1f}" y="{y + ROW - 4}">{label[: int(w / 7)]}</text>' if w > 30 else "")
                + "</g>")
            draw(children, x, depth + 1)
        x += w

OURS = {"OidcFilter", "OidcGate", "BearerTokenValidator", "BearerTokenResolver", "TokenHash",
        "IdentityRequest", "ServletSessionCookies", "Callers", "IdentityHeaders", "ProxyServlet",
        "RequestHeaderCopier", "ForwardedHeaders", "HopByHopHeaders", "ResponseHeaderRewriter",
        "UpstreamClient", "ResponseBodyCopier", "ClientRequestEntity", "ProxyTarget", "IncomingPath",
        "PathEscapes", "SessionKeeper", "FilterPaths", "OwnCookies", "SafeEvents", "RequiredValues"}
draw(tree, 0.0, 0)
with open(prefix + ".svg", "w") as out:
    out.write(f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
              f'font-family="monospace" font-size="11">'
              f'<text x="4" y="12">{total} JFR samples; width = share of CPU samples; blue = OIDC Gate code</text>'
              + "".join(boxes) + "</svg>\n")
print(f"wrote {prefix}.folded and {prefix}.svg")
