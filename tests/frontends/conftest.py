"""The ``slow`` marker: tests that ``make test`` runs and a quick run may leave out (``-m "not slow"``)."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: grades many training submissions through every door (minutes)")
