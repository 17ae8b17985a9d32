#!/usr/bin/env python3
"""The share of findings whose primary location is on the deciding key, over a corpus.

    scripts/location-share.py [--saguard BIN] [--verbose] CORPUS

Renders every chart of CORPUS/helm with `helm template` and the overlays of CORPUS/kustomize
that render with `kubectl kustomize`, and analyses each twice: the rendered stream with
`saguard scan -` (where every location is on the deciding key, the stream being the file), and
the chart or overlay with `saguard helm` / `saguard kustomize` (where locations are mapped back
to templates and overlay files). A mapped finding is on the deciding key when the line it names
writes the same key as the line the scan names for the same finding (rule, object, key path),
or both start the same kind of list entry (`- apiGroups: ...`). A location in a file that does
not exist is off the key.
"""


import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

HELM_ARGS = {"external-dns": ["--set", "policy=sync"]}
OVERLAYS = [
    "argo-cd/cluster-install", "argo-workflows/quick-start/base", "microservices-demo",
    "metrics-server/overlays/release", "podinfo/overlays/production", "descheduler/cronjob",
    "kubebuilder-project-v4/default", "kubeflow-profiles/overlays/kubeflow",
    "kustomize-ldap/overlays/production", "kustomize-multibases",
]


def key_of(line):
    """The key a YAML line writes (`- ` entries as "-"), or None."""
    text = line.strip()
    if text.startswith("- ") or text == "-":
        return "-"
    m = re.match(r"""["']?([^"':{}]+?)["']?\s*:(\s|$)""", text)
    return m.group(1) if m else None


def identity(f):
    o = f["object"]
    return (f["ruleId"], o["kind"], o["namespace"], o["name"], f["keyPath"], f["message"])


def line_of(path, number):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for i, line in enumerate(f, 1):
                if i == number:
                    return line
    except OSError:
        return None
    return ""


def run(argv, stdin=None):
    out = subprocess.run(argv, input=stdin, capture_output=True, text=True, check=False)
    if out.returncode not in (0, 1):
        sys.stderr.write(f"{' '.join(argv)}: exit {out.returncode}: {out.stderr}\n")
        return None
    return out.stdout


def findings(saguard, args, stdin=None):
    out = run([saguard, *args, "--format", "json", "--fail-on", "none"], stdin)
    return json.loads(out)["findings"] if out else []


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--saguard", default="build/src/cli/saguard")
    parser.add_argument("--verbose", action="store_true", help="list the findings off the key")
    opts = parser.parse_args()

    runs = []
    for chart in sorted((opts.corpus / "helm").iterdir()):
        extra = HELM_ARGS.get(chart.name, [])
        runs.append(("helm", chart.name, ["helm", "test", str(chart), *extra],
                     ["helm", "template", "test", str(chart), *extra]))
    for overlay in OVERLAYS:
        path = str(opts.corpus / "kustomize" / overlay)
        runs.append(("kustomize", overlay, ["kustomize", path], ["kubectl", "kustomize", path]))

    totals = {"helm": [0, 0], "kustomize": [0, 0]}
    for kind, name, args, render in runs:
        rendered = run(render) or ""
        lines = rendered.splitlines()
        deciding, loose = {}, {}
        for f in findings(opts.saguard, ["scan", "-"], rendered):
            line = f["location"]["line"]
            key = key_of(lines[line - 1]) if 0 < line <= len(lines) else None
            deciding[identity(f)] = key
            # Objects named by randAlphaNum differ between the two renders: matched without the
            # name when every such finding agrees on the key.
            loose.setdefault(identity(f)[:3] + identity(f)[4:5], set()).add(key)
        good = 0
        found = findings(opts.saguard, args)
        for f in found:
            loc = f["location"]
            line = line_of(loc["file"], loc["line"]) if loc.get("file") else None
            want = deciding.get(identity(f))
            if want is None and len(loose.get(identity(f)[:3] + identity(f)[4:5], ())) == 1:
                want = next(iter(loose[identity(f)[:3] + identity(f)[4:5]]))
            if line is not None and want is not None and key_of(line) == want:
                good += 1
            elif opts.verbose:
                print(f"  off: {f['ruleId']} {f['keyPath'] or '(object)'} (want {want}) -> "
                      f"{loc.get('file')}:{loc.get('line')}: {(line or '<no file>').strip()}")
        totals[kind][0] += good
        totals[kind][1] += len(found)
        print(f"{kind} {name}: {good}/{len(found)} on the deciding key")
    all_good = sum(t[0] for t in totals.values())
    all_count = sum(t[1] for t in totals.values())
    for kind, (good, count) in totals.items():
        print(f"{kind}: {good}/{count} ({100.0 * good / max(count, 1):.1f}%)")
    print(f"all: {all_good}/{all_count} ({100.0 * all_good / max(all_count, 1):.1f}%)")


if __name__ == "__main__":
    main()
