"""Applying the log to the read models with a progress bar (events/s, ETA): the CLI's `rebuild` and
`catch-up`, and `jishi demo` after generating."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from projections.runner import ProjectionRunner


def apply_log(runner: ProjectionRunner, *, rebuild: bool = False, quiet: bool = False,
              console: Console | None = None) -> int:
    """Rebuild every projection (``rebuild``), or catch them up, with a progress bar (events/s, ETA).
    A catch-up from nothing applied yet (a new store) is done as a bulk rebuild: the same rows, faster."""
    head = runner.head()
    start = min(runner.positions().values())
    bulk = rebuild or start == 0
    if bulk:
        start = 0
    if quiet:
        return runner.rebuild() if bulk else runner.catch_up(head)
    columns = (TextColumn("[bold]投影 projections"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]:>8} events/s"), TimeRemainingColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("apply", total=max(0, head - start), rate="—")

        def step(done: int, reached: int) -> None:
            elapsed = progress.tasks[task].elapsed or 0.0
            completed = max(0, reached - start)
            rate = f"{completed / elapsed:,.0f}" if elapsed > 0 else "—"
            progress.update(task, completed=completed, rate=rate)

        return runner.rebuild(progress=step) if bulk else runner.catch_up(head, progress=step)
