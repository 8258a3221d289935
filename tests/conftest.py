"""Shared fixtures: the ../shared data sets and one Prefect test harness per session."""

import os
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared/data; CI must have it, so there a missing folder fails instead of skipping."""
    if not SHARED_DATA.is_dir():
        message = f"shared data not found at {SHARED_DATA}: clone the project with ../shared beside it"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return SHARED_DATA
