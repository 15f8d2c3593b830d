"""What ``run_autograder`` runs on Gradescope: grade the submission, always write results.json."""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from pathlib import Path

from autograder.gradescope.config import CONFIG_NAME, GradescopeConfig
from autograder.results import Report
from autograder.sandbox import SandboxPool


def run(root: Path) -> Report:
    """Grade ``root/submission`` as the config in ``root/source`` says; write ``root/results/results.json``."""
    results = root / "results" / "results.json"
    report = Report(submission=str(root / "submission"))
    config = GradescopeConfig()
    try:
        config = GradescopeConfig.load(root / "source" / CONFIG_NAME)
        pool = SandboxPool(config.jobs)  # its fork servers import torch while this process does
        from autograder.grading import Grader

        with Grader(pool=pool) as grader:
            report = grader.grade(root / "submission", config.assignments)
    except BaseException as exc:  # noqa: BLE001 -- Gradescope must always get a valid result
        traceback.print_exc()
        report.notes.append(f"The autograder stopped early ({type(exc).__name__}); the checks above it ran. "
                            "Please tell your instructor.")
    data = report.to_gradescope()
    data["visibility"] = config.visibility
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(data, indent=2))
    print(report.to_table(verbose=False))
    for warning in report.warnings:
        print(f"grader warning: {warning}", file=sys.stderr)
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, default=Path("/autograder"))
    run(parser.parse_args().root)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
