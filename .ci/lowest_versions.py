"""Print pip constraints pinning every direct dependency to the lowest version pyproject.toml
allows (its `>=` or `==` bound), so CI can prove those bounds are real.

Usage: python .ci/lowest_versions.py [extra ...] > constraints.txt
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

BOUND = re.compile(r"^\s*([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?\s*[^;]*?(?:>=|==)\s*([0-9][^,;\s]*)")


def lowest(requirements: list[str]) -> dict[str, str]:
    pins: dict[str, str] = {}
    for requirement in requirements:
        match = BOUND.match(requirement)
        if match is None:
            raise SystemExit(f"no lower bound: {requirement!r} (every direct dependency declares one)")
        pins[match.group(1).lower()] = match.group(2)
    return pins


def main(extras: list[str]) -> None:
    project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in extras:
        requirements += project["optional-dependencies"][extra]
    for name, version in sorted(lowest(requirements).items()):
        print(f"{name}=={version}")


if __name__ == "__main__":
    main(sys.argv[1:])
