"""Validation of results.json against Gradescope's documented format (tests/schemas/)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "gradescope_results.schema.json").read_text())


def validate_results(data: dict) -> None:
    """Raise ``jsonschema.ValidationError`` unless ``data`` is a valid Gradescope results object."""
    jsonschema.validate(data, SCHEMA)
    for test in data.get("tests", []):
        if "max_score" in test:
            assert 0 <= test["score"] <= test["max_score"], test
