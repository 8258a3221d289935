"""Deployments of the `ingest` flow, one per configured source: served in-process or sent to a work pool."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

from prefect import flow, serve
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron, Interval, Schedule

from flows.config import Source
from flows.ingest import ingest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
ENTRYPOINT = "flows/ingest.py:ingest"
# a run still going when the next is due: the new one is cancelled, never run beside it
ONE_AT_A_TIME = ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW)


def deployment_name(source: Source) -> str:
    return f"copydesk-{source.name}"


def prefect_schedule(source: Source) -> Schedule:
    if source.schedule.cron:
        return Cron(source.schedule.cron, timezone=source.schedule.timezone)
    return Interval(source.schedule.interval, timezone=source.schedule.timezone)


def build_deployments(sources: list[Source]) -> list[RunnerDeployment]:
    return [
        ingest.to_deployment(
            name=deployment_name(source), schedules=[prefect_schedule(source)], parameters=source.flow_parameters(),
            concurrency_limit=ONE_AT_A_TIME, tags=["copydesk"], description=f"copydesk source {source.name}",
        )
        for source in sources
    ]


def serve_sources(sources: list[Source]) -> None:
    """Blocks: this process starts every scheduled run until it is stopped."""
    serve(*build_deployments(sources))


def deploy_sources(sources: list[Source], pool: str) -> list[UUID]:
    """The same deployments for a process work pool; workers import the flow from this project folder."""
    remote = flow.from_source(source=str(PROJECT_ROOT), entrypoint=ENTRYPOINT)
    return [
        remote.deploy(
            name=deployment_name(source), work_pool_name=pool, build=False, push=False,
            schedules=[prefect_schedule(source)], parameters=source.flow_parameters(),
            concurrency_limit=ONE_AT_A_TIME, tags=["copydesk"], description=f"copydesk source {source.name}",
            print_next_steps=False,
        )
        for source in sources
    ]
