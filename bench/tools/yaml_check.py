#!/usr/bin/env python3
"""Parses each file given as YAML with PyYAML (Debian's python3-yaml: a parser independent of the
SnakeYAML kubeboot uses): a kubeconfig (*.conf) must have clusters and users, a manifest kind Pod
with containers. Prints one line per bad file and exits 1 when any is bad."""
import sys

import yaml


def problem(path):
    try:
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        return str(e).replace("\n", " ")
    if not isinstance(doc, dict):
        return "not a mapping"
    if path.endswith(".conf"):
        if not doc.get("clusters"):
            return "no clusters"
        if not doc.get("users"):
            return "no users"
        return None
    if doc.get("kind") != "Pod":
        return "kind is not Pod"
    spec = doc.get("spec")
    if not isinstance(spec, dict) or not spec.get("containers"):
        return "no containers"
    return None


bad = 0
for path in sys.argv[1:]:
    p = problem(path)
    if p:
        bad += 1
        print(f"BAD {path}: {p}")
sys.exit(1 if bad else 0)
