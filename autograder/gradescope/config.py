"""The settings an autograder zip carries (``gradescope.json`` at its root)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from autograder.assignments import get_assignment
from autograder.registry import VISIBILITIES

CONFIG_NAME = "gradescope.json"


@dataclass
class GradescopeConfig:
    """Which assignments the zip grades, the total score's visibility, and parallel checks."""

    assignments: list[str] | None = None          # None: every assignment
    visibility: str = "visible"                   # of the total score: visible / hidden / after_published ...
    jobs: int = 1

    def __post_init__(self) -> None:
        for name in self.assignments or ():
            get_assignment(name)
        if self.visibility not in VISIBILITIES:
            raise ValueError(f"visibility must be one of {VISIBILITIES}, not {self.visibility!r}")

    @classmethod
    def load(cls, path: Path) -> "GradescopeConfig":
        return cls(**json.loads(Path(path).read_text())) if Path(path).is_file() else cls()

    def dumps(self) -> str:
        return json.dumps(asdict(self), indent=2)
