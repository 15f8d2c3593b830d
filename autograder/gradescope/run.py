"""What ``run_autograder`` runs on Gradescope: grade the submission, always write results.json."""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from pathlib import Path

from autograder.gradescope.config import CONFIG_NAME, GradescopeConfig
from autograder.preflight import InfrastructureError
from autograder.results import Report
from autograder.sandbox import SandboxPool


def run(root: Path) -> Report:
    """Grade ``root/submission`` as the config in ``root/source`` says; write ``root/results/results.json``.

    When the grader cannot grade (dataset, dependencies) or fails, results.json's top-level output
    says that the autograder failed, not the student; checks that ran keep their results.
    """
    results = root / "results" / "results.json"
    report = Report(submission=str(root / "submission"))
    config = GradescopeConfig()
    try:
        config = GradescopeConfig.load(root / "source" / CONFIG_NAME)
        pool = SandboxPool(config.jobs, assignments=config.assignments)  # starts while this process imports torch
        from autograder.grading import Grader

        with Grader(pool=pool) as grader:
            report = grader.grade(root / "submission", config.assignments)
    except InfrastructureError as exc:
        report.errors.append(f"the grading machine is not ready: {exc}")
    except BaseException as exc:  # noqa: BLE001 -- Gradescope must always get a valid result
        traceback.print_exc()
        report.errors.append(f"the autograder stopped early ({type(exc).__name__}: {exc})")
    data = report.to_gradescope(config.hidden_visibility)
    data["visibility"] = config.visibility
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(data, indent=2))
    print(report.to_table(verbose=False))
    for warning in report.warnings:
        print(f"grader warning: {warning}", file=sys.stderr)
    for error in report.errors:
        print(f"GRADER ERROR: {error}", file=sys.stderr)
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, default=Path("/autograder"))
    run(parser.parse_args().root)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
