"""Background jobs end: `done` or `failed` with a reason, whatever they raise, and stuck ones are swept.

A job is a row with a status that a Celery task works on (a register import, a donation's certificate pack). Each
app registers its job models here in `AppConfig.ready()` (core imports no domain); the helpers below then give every
job the same rules:

- `job_claim` takes a waiting job with a conditional UPDATE, so a task delivered twice does the work once. It
  stamps `updated_at`, the clock the sweeper reads.
- `job_fail` ends a job as failed, only if it is still in the status the caller expects (the sweeper may have
  failed it first). A `DomainError` keeps its message, written for the person; anything else is logged with its
  class and a short reference, and the person reads a plain reason with the same reference, never the exception.
- `jobs_sweep` fails every job that is still waiting or running past `DEVICEBANK_JOB_TIMEOUT_MINUTES` since
  it was last touched: a worker killed mid-job, a message lost by the broker. Celery beat runs it every few
  minutes (`CELERY_BEAT_SCHEDULE` in settings); installs without a broker run `devicebank sweep-jobs` from cron.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from devicebank.core.errors import DomainError
from devicebank.core.evidence import evidence_delete

logger = logging.getLogger("devicebank.jobs")


@dataclass(frozen=True)
class JobModel:
    """How a job model keeps its state. The model has `status`, `error`, `finished_at` and `updated_at`."""

    model: type[models.Model]
    waiting: tuple[str, ...]
    running: tuple[str, ...]
    failed: str
    label: str
    on_fail: tuple[tuple[str, Any], ...] = ()
    drop_files: tuple[str, ...] = ()

    def fail(self, rows: models.QuerySet[Any], **values: Any) -> int:
        """The conditional UPDATE that ends a job as failed, plus `on_fail`; files named in `drop_files` are
        emptied and, once the update commits, deleted from evidence storage."""
        names = [n for row in rows.values_list(*self.drop_files) for n in row if n] if self.drop_files else []
        done = rows.update(
            status=self.failed, **values, **dict(self.on_fail), **dict.fromkeys(self.drop_files, "")
        )
        if done:
            for name in names:
                evidence_delete(name)
        return done

    @property
    def key(self) -> str:
        return self.model._meta.label


_JOBS: dict[str, JobModel] = {}


class JobEnded(Exception):
    """Raised by a job that finds, at its last write, that it is no longer running (the sweeper ended it):
    raising rolls its work back, so what the person was told (failed) stays true."""


def register_job(
    model: type[models.Model],
    *,
    waiting: Iterable[str],
    running: Iterable[str],
    failed: str,
    label: str,
    on_fail: dict[str, Any] | None = None,
    drop_files: Iterable[str] = (),
) -> None:
    """Declare a job model: its statuses before a worker takes it (`waiting`), while one works on it
    (`running`), the one that ends it in failure, and other fields to set when it fails (`on_fail`, e.g. drop a
    file kept only for the job), and fields naming evidence files kept only for the job (`drop_files`: emptied,
    and the files deleted, when it fails). Idempotent, so `ready()` may run twice in tests."""
    extra = tuple((on_fail or {}).items())
    files = tuple(drop_files)
    for name in ("status", "error", "finished_at", "updated_at", *(name for name, _ in extra), *files):
        model._meta.get_field(name)  # fails at start-up, not at 3 a.m. in the sweeper
    job = JobModel(model, tuple(waiting), tuple(running), failed, label, extra, files)
    _JOBS[job.key] = job


def registered_jobs() -> list[JobModel]:
    return list(_JOBS.values())


def _job(model: type[models.Model]) -> JobModel:
    try:
        return _JOBS[model._meta.label]
    except KeyError:
        raise LookupError(
            f"{model._meta.label} is not a registered job model (core.jobs.register_job)"
        ) from None


def job_claim(model: type[models.Model], pk: int, *, waiting: str, running: str, **fields: Any) -> bool:
    """Move job `pk` from `waiting` to `running` if nobody has: True for the one run that did.

    The conditional UPDATE is the claim: two workers given the same message cannot both pass it.
    """
    return bool(
        model._default_manager.filter(pk=pk, status=waiting).update(
            status=running, updated_at=timezone.now(), **fields
        )
    )


def failure_reason(error: BaseException, *, job: str, pk: int) -> str:
    """The reason a person reads. A `DomainError` was written for them; anything else is our fault, so they
    get a reference to quote and the log gets the exception (class, message and traceback) under it."""
    if isinstance(error, DomainError):
        return error.message
    reference = secrets.token_hex(4).upper()
    logger.error(
        "Job %s %s failed (reference %s): %s",
        job,
        pk,
        reference,
        type(error).__name__,
        exc_info=(type(error), error, error.__traceback__),
    )
    return (
        f"Something went wrong on our side (reference {reference}), so this did not finish and nothing from it "
        "was saved. Try again; if it happens again, give the reference to your administrator."
    )


def job_fail(model: type[models.Model], pk: int, error: BaseException, *, expected: Iterable[str]) -> bool:
    """End job `pk` as failed with the reason for `error`, if it is still in one of the `expected` statuses.

    Returns whether it did. Called from a job's catch-all `except Exception`, outside the job's own transaction,
    so the failure is recorded even though the work was rolled back.
    """
    job = _job(model)
    if isinstance(error, JobEnded):
        logger.warning("%s", error)
        return False
    reason = failure_reason(error, job=job.label, pk=pk)
    now = timezone.now()
    rows = model._default_manager.filter(pk=pk, status__in=list(expected))
    return bool(job.fail(rows, error=reason, finished_at=now, updated_at=now))


def job_timeout() -> timedelta:
    return timedelta(minutes=int(settings.DEVICEBANK_JOB_TIMEOUT_MINUTES))


def _stale_reason(job: JobModel, *, started: bool, timeout: timedelta) -> str:
    minutes = int(timeout.total_seconds() // 60)
    if started:
        return (
            f"This stopped without finishing: nothing was heard from it for {minutes} minutes, so it was ended "
            "and nothing from it was saved. Try again."
        )
    return f"This waited {minutes} minutes without starting, so it was cancelled. Try again."


@dataclass
class SweepResult:
    """What a sweep failed, per job model label (`donations.RegisterImport`): ids of jobs that were waiting,
    and of jobs that were running."""

    waiting: dict[str, list[int]]
    running: dict[str, list[int]]

    @property
    def total(self) -> int:
        return sum(map(len, self.waiting.values())) + sum(map(len, self.running.values()))


def jobs_sweep(
    *, now: datetime | None = None, timeout: timedelta | None = None, dry_run: bool = False
) -> SweepResult:
    """Fail every registered job still waiting or running that nobody has touched for `timeout`.

    Safe to run at any time and from several places at once: each job is ended by a conditional UPDATE that
    re-checks its status and age, so a job that finished (or moved on) meanwhile is left alone.
    """
    now = now or timezone.now()
    timeout = timeout or job_timeout()
    cutoff = now - timeout
    result = SweepResult(waiting={}, running={})
    for job in registered_jobs():
        manager = job.model._default_manager
        for started, statuses, bucket in (
            (False, job.waiting, result.waiting),
            (True, job.running, result.running),
        ):
            if not statuses:
                continue
            stale = manager.filter(status__in=statuses, updated_at__lt=cutoff)
            ids = list(stale.order_by("pk").values_list("pk", flat=True))
            if not ids:
                continue
            if not dry_run:
                reason = _stale_reason(job, started=started, timeout=timeout)
                ended: list[int] = []
                for pk in ids:
                    # One row at a time, each re-checked: a job that moved on since the select is not touched.
                    rows = manager.filter(pk=pk, status__in=statuses, updated_at__lt=cutoff)
                    if job.fail(rows, error=reason, finished_at=now, updated_at=now):
                        ended.append(pk)
                ids = ended
                if ids:
                    logger.warning(
                        "Swept %d %s job(s) %s for longer than %s: %s",
                        len(ids),
                        job.label,
                        "running" if started else "waiting",
                        timeout,
                        ids,
                    )
            if ids:
                bucket[job.key] = ids
    return result
