#!/usr/bin/env python3
"""Prints the medians of the last `cargo bench --bench matching` run, with
faqbot-versus-baseline ratios, from criterion's saved estimates.

Usage: python3 benches/medians.py [target/criterion]"""
import json
import pathlib
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/criterion")


def median(group, bench):
    path = root / group / bench / "new" / "estimates.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())["median"]["point_estimate"]  # nanoseconds


def fmt(ns):
    if ns is None:
        return "-"
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.0f} ns"


if not root.exists():
    sys.exit(f"{root} not found: run `cargo bench --bench matching` first")

print("| benchmark | faqbot (median) | baseline (median) | baseline / faqbot |")
print("| --- | --- | --- | --- |")
for d in sorted((root / "real_faq" / "ask").glob("*")) if (root / "real_faq" / "ask").exists() else []:
    print(f"| real faq/, \"{d.name}\" | {fmt(median('real_faq/ask', d.name))} | | |")
base = median("real_faq/baseline", next((d.name for d in (root / "real_faq" / "baseline").glob("*")), ""))
if base is not None:
    print(f"| real faq/, baseline, first question | | {fmt(base)} | |")
for n in ("1000", "10000", "100000"):
    ours, theirs = median("synthetic_match/faqbot", n), median("synthetic_match/baseline", n)
    ratio = f"{theirs / ours:.0f}×" if ours and theirs else "-"
    print(f"| match, {int(n):,} entries | {fmt(ours)} | {fmt(theirs)} | {ratio} |")
for n in ("1000", "10000", "100000"):
    print(f"| load and index, {int(n):,} entries | {fmt(median('load_and_index', n))} | | |")
