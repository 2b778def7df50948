#!/usr/bin/env python3
"""Parses each file given as YAML with PyYAML (Debian's python3-yaml: a parser independent of the
SnakeYAML kubeboot uses): a kubeconfig (*.conf) must have clusters and users, a manifest kind Pod
with containers; beside an etcd manifest, kubeboot's etcd data record (when there) names its
etcd-data hostPath. Prints one line per bad file and exits 1 when any is bad."""
import os
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
    if os.path.basename(path) == "etcd.yaml":
        return record_problem(path, spec)
    return None


def record_problem(path, spec):
    record = os.path.join(os.path.dirname(os.path.dirname(path)), ".kubeboot-etcd-data-dir")
    if not os.path.exists(record):
        return None
    with open(record, encoding="utf-8") as f:
        recorded = f.read()
    volumes = [v for v in spec.get("volumes") or [] if v.get("name") == "etcd-data"]
    data_dir = volumes[0].get("hostPath", {}).get("path") if volumes else None
    if recorded != f"{data_dir}\n":
        return f"{record} holds {recorded!r}, the etcd-data volume is {data_dir!r}"
    return None


bad = 0
for path in sys.argv[1:]:
    p = problem(path)
    if p:
        bad += 1
        print(f"BAD {path}: {p}")
sys.exit(1 if bad else 0)
