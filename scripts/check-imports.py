#!/usr/bin/env python3
"""Fails when a target imports a module it does not declare as a direct dependency, or when
a dependency crosses the layer map.

SwiftPM's `--explicit-target-dependency-import-check error` (which .ci/run also passes) only
flags imports of package targets outside a target's transitive dependencies. Torso's rule is
stricter (DESIGN.md): a target names every module it imports, so it can never lean on a
dependency's dependencies and every border between modules is written in Package.swift.

Allowed without declaring: the toolchain's own modules (Foundation, Testing…). Run from the
repository root: `scripts/check-imports.py`; exit status 1 lists each offending import.
"""
import json
import os
import re
import subprocess
import sys

# The layer map (docs/architecture.md): the targets of this package each source target may
# depend on. Domain modules know only TorsoKit; Publishing is the read-model layer above the
# domains it projects; Workflows sees domains and ports, never storage or HTTP; TorsoStorage
# implements the domains' repositories without Workflows or HTTP; TorsoHTTP never touches SQL.
DOMAINS = {"Channels", "Catalog", "Inventory", "Commerce", "Customers", "Access", "Events"}
LAYERS = {
    "TorsoKit": set(),
    **{domain: {"TorsoKit"} for domain in DOMAINS},
    "Publishing": {"TorsoKit", "Catalog", "Channels", "Commerce", "Inventory"},
    "Exchange": {"TorsoKit", "Catalog"},
    "Workflows": {"TorsoKit", "Publishing", "Exchange"} | DOMAINS,
    "TorsoStorage": {"TorsoKit", "Publishing", "Exchange"} | DOMAINS,
    "TorsoHTTP": {"TorsoKit", "Publishing", "Exchange", "Workflows"} | DOMAINS,
    "TorsoApp": {"TorsoKit", "Publishing", "Exchange", "Workflows", "TorsoStorage", "TorsoHTTP"} | DOMAINS,
    "torso": {"TorsoApp", "TorsoStorage", "TorsoKit", "Access", "Exchange", "Workflows"},
}
# Outside packages a layer must not reach, whatever the import check says.
FORBIDDEN_PRODUCTS = {
    "TorsoStorage": {"Hummingbird", "HummingbirdCore"},
    "TorsoHTTP": {"SQLKit", "SQLiteKit", "PostgresKit"},
    "Workflows": {"Hummingbird", "SQLKit", "SQLiteKit", "PostgresKit"},
}

TOOLCHAIN = {"Foundation", "FoundationEssentials", "FoundationNetworking", "Dispatch", "Synchronization",
             "Glibc", "Musl", "Darwin", "Testing", "XCTest", "_Concurrency", "os", "Observation", "RegexBuilder"}


def main() -> int:
    manifest = json.loads(subprocess.run(["swift", "package", "dump-package"], check=True,
                                         capture_output=True, text=True).stdout)
    problems = []
    for target in manifest["targets"]:
        name, kind = target["name"], target["type"]
        path = target.get("path") or os.path.join("Tests" if kind == "test" else "Sources", name)
        declared = set()
        for dependency in target["dependencies"]:
            for key in ("byName", "target", "product"):
                if key in dependency:
                    declared.add(dependency[key][0])
        targets = {d[key][0] for d in target["dependencies"] for key in ("byName", "target") if key in d}
        products = {d["product"][0] for d in target["dependencies"] if "product" in d}
        if name in LAYERS:
            local = {t["name"] for t in manifest["targets"]}
            for dependency in sorted((targets & local) - LAYERS[name]):
                problems.append(f"Package.swift: target {name} depends on {dependency}, which the layer map does not allow")
        for product in sorted(products & FORBIDDEN_PRODUCTS.get(name, set())):
            problems.append(f"Package.swift: target {name} depends on {product}, which the layer map does not allow")
        imported = {}
        for folder, _, files in os.walk(path):
            for file in files:
                if not file.endswith(".swift"):
                    continue
                source = os.path.join(folder, file)
                with open(source, encoding="utf-8") as handle:
                    for number, line in enumerate(handle, 1):
                        match = re.match(r"\s*(?:@testable\s+|@_exported\s+|(?:public|package|internal)\s+)?import\s+(?:struct\s+|enum\s+|class\s+|func\s+|protocol\s+)?([A-Za-z_][A-Za-z0-9_]*)", line)
                        if match:
                            imported.setdefault(match.group(1), f"{source}:{number}")
        for module, where in sorted(imported.items()):
            if module not in declared and module not in TOOLCHAIN and module != name:
                problems.append(f"{where}: target {name} imports {module} without declaring it a dependency")
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s)")
        return 1
    print(f"imports checked: every target imports only what it declares ({len(manifest['targets'])} targets)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
