#!/usr/bin/env python3
"""Fails when the modules of the `app` crate import each other in a cycle, or when
a layer imports one it must not (see ARCHITECTURE.md): pages → calls → services →
domain, entities, search; `api` and `domain` are leaves beside each other.

Reads `crate::<module>` references in the sources (imports and paths alike)."""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "app" / "src"

# What each layer may use besides itself. Modules not listed may use anything
# that keeps the graph acyclic.
ALLOWED = {
    "domain": {"error"},
    "api": {"domain", "error"},
    "entities": {"domain"},
    "search": {"domain", "error"},
    "services": {"api", "domain", "entities", "search", "auth", "state", "error", "failpoint", "live"},
    "calls": {"api", "domain", "services", "auth", "state", "error", "search"},
}


def module_of(path: Path) -> str:
    relative = path.relative_to(ROOT)
    return relative.parts[0].removesuffix(".rs")


def main() -> int:
    edges: dict[str, dict[str, str]] = {}
    for path in sorted(ROOT.rglob("*.rs")):
        source = module_of(path)
        if source in ("lib", "main"):
            continue
        text = path.read_text(encoding="utf-8")
        # Tests may reach anything; comments name modules without using them.
        text = text.split("#[cfg(test)]")[0]
        text = "\n".join(line.split("//")[0] for line in text.splitlines())
        for match in re.finditer(r"crate::(\w+)", text):
            target = match.group(1)
            known = (ROOT / target).is_dir() or (ROOT / f"{target}.rs").exists()
            if known and target != source:
                edges.setdefault(source, {}).setdefault(
                    target, str(path.relative_to(ROOT.parent))
                )
    problems = []
    for source, allowed in ALLOWED.items():
        for target, where in edges.get(source, {}).items():
            if target not in allowed:
                problems.append(f"{source} must not use {target} ({where})")
    # Cycle search over the whole graph.
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(edges.get(node, {})):
            if state.get(target) == 1:
                cycle = stack[stack.index(target):] + [target]
                problems.append("cycle: " + " → ".join(cycle) + f" ({edges[node][target]})")
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(f"layers ok: {sum(len(t) for t in edges.values())} dependencies between {len(edges)} modules, no cycle")
    return 0


if __name__ == "__main__":
    sys.exit(main())
