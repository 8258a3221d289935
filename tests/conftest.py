"""Shared fixtures: the ../shared data sets and one Prefect test harness per session."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# The embedded API takes 15-21 s to start here, past Prefect's 20 s default.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

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


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[None]:
    """One temporary Prefect API and database for every flow test of the session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield
