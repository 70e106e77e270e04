"""devicebank sweep-jobs [--older-than-minutes N] [--dry-run]"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from devicebank.core.jobs import job_timeout, jobs_sweep


class Command(BaseCommand):
    help = (
        "Fail background jobs (register imports, certificate packs, ...) still waiting or running after the "
        "timeout (DEVICEBANK_JOB_TIMEOUT_MINUTES). Celery beat runs the same sweep every five minutes; run this "
        "from cron on installs without a broker. Safe to run at any time, and twice."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--older-than-minutes",
            type=int,
            help="Untouched for this long counts as stuck (default: DEVICEBANK_JOB_TIMEOUT_MINUTES).",
        )
        parser.add_argument("--dry-run", action="store_true", help="List the stuck jobs; change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        minutes = options["older_than_minutes"]
        if minutes is not None and minutes < 1:
            raise CommandError("--older-than-minutes must be 1 or more.")
        timeout = timedelta(minutes=minutes) if minutes else job_timeout()
        result = jobs_sweep(timeout=timeout, dry_run=options["dry_run"])
        verb = "would fail" if options["dry_run"] else "failed"
        for label, bucket in (("waiting", result.waiting), ("running", result.running)):
            for model, ids in bucket.items():
                shown = ", ".join(map(str, ids[:20])) + (" ..." if len(ids) > 20 else "")
                self.stdout.write(f"{model}: {verb} {len(ids)} {label} (ids {shown})")
        self.stdout.write(f"{result.total} stuck job(s) {verb}; timeout {timeout}.")
