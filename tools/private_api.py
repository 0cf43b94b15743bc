"""Lint: cqtt/ uses only the public, documented API of the libraries it builds on (make lint).

Refused:
- importing a name that starts with an underscore from another package (`from django.x import _y`), or a
  module whose path has an underscore part (`django.db.models._z`, `psycopg._py_transformer`);
- importing a module of a library that its documentation does not present as public (UNDOCUMENTED below);
- reaching into a library object's private attributes that the code used before (PRIVATE_ATTRIBUTES).

Exit 1 with one line per finding. The rule is for other packages only; boundaries inside cqtt are
import-linter's job.
"""

import ast
import sys
from pathlib import Path

LIBRARIES = ("django", "rest_framework", "psycopg", "drf_spectacular", "django_tasks", "axes", "redis")
UNDOCUMENTED = (
    "django.db.models.sql",
    "django.db.models.query_utils",
    "django.db.models.fields.related_descriptors",
    "django.db.backends.utils",
    "django.db.backends.postgresql.base",
    "django.core.cache.backends.redis",
    "django.db.models.query",
    "rest_framework.fields",
    "psycopg.types",
    "psycopg.pq",
)
PRIVATE_ATTRIBUTES = {"fields_cache", "_declared_fields", "_get_connection_pool", "_client", "_post_clean"}


def _is_library(module: str) -> bool:
    return module.split(".")[0] in LIBRARIES


def check(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []

    def report(node, what):
        found.append(f"{path}:{node.lineno}: {what}")

    for node in ast.walk(tree):
        modules = []
        if isinstance(node, ast.Import):
            modules = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module]
            if _is_library(node.module):
                for alias in node.names:
                    if alias.name.startswith("_"):
                        report(node, f"private name {alias.name} imported from {node.module}")
        for module in modules:
            if not _is_library(module):
                continue
            if any(part.startswith("_") for part in module.split(".")):
                report(node, f"private module {module}")
            if any(module == m or module.startswith(m + ".") for m in UNDOCUMENTED):
                report(node, f"undocumented module {module}")
        if isinstance(node, ast.Attribute) and node.attr in PRIVATE_ATTRIBUTES:
            report(node, f"private attribute .{node.attr}")
        if isinstance(node, ast.FunctionDef) and node.name in PRIVATE_ATTRIBUTES:
            report(node, f"overrides private method {node.name}")
    return found


def main(roots: list[str]) -> int:
    findings = []
    for root in roots:
        for path in sorted(Path(root).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            findings += check(path)
    for line in findings:
        print(line)
    if findings:
        print(f"{len(findings)} use(s) of private or undocumented library API", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["cqtt"]))
