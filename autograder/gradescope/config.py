"""The settings an autograder zip carries (``gradescope.json`` at its root)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from autograder.course import get_assignment
from autograder.registry import VISIBILITIES
from autograder.results import HIDDEN_VISIBILITIES

CONFIG_NAME = "gradescope.json"
#: Why a zip holds only the assignments an instructor names (README, "Publish on Gradescope").
ONE_ZIP_MEMORY = "all five assignments in one zip peak at 763-778 MB against Gradescope's default 768 MB"


@dataclass
class GradescopeConfig:
    """Which assignments the zip grades, the visibility of the results and of the hidden checks, and
    parallel checks."""

    assignments: list[str] | None = None          # None: every assignment
    visibility: str = "visible"                   # of the results and total score: visible / after_published ...
    jobs: int = 1
    hidden_visibility: str = "after_published"    # of the hidden checks' tests

    def __post_init__(self) -> None:
        for name in self.assignments or ():
            get_assignment(name)
        if self.visibility not in VISIBILITIES:
            raise ValueError(f"visibility must be one of {VISIBILITIES}, not {self.visibility!r}")
        if self.hidden_visibility not in HIDDEN_VISIBILITIES:
            raise ValueError(f"hidden_visibility must be one of {HIDDEN_VISIBILITIES}, not {self.hidden_visibility!r}")

    @classmethod
    def load(cls, path: Path) -> "GradescopeConfig":
        return cls(**json.loads(Path(path).read_text())) if Path(path).is_file() else cls()

    def dumps(self) -> str:
        return json.dumps(asdict(self), indent=2)
