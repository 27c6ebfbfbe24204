"""`jishi rebuild` and `jishi catch-up`: streaming, with a progress bar (events/s, ETA)."""

from __future__ import annotations

from collections.abc import Callable

import typer

from jishi.catch_up import apply_log
from projections.checksum import checksum
from projections.rebuild_workers import RebuildWorkerFailed
from projections.runner import PROJECTIONS, ProjectionRunner

PROJECTION_HELP = f"Only these projections: {', '.join(PROJECTIONS)}"


def register(app: typer.Typer, make_runner: Callable[[], ProjectionRunner]) -> None:
    """Add `rebuild` and `catch-up` to the CLI; `make_runner()` builds a runner from the environment."""

    @app.command("rebuild")
    def rebuild(
        projection: list[str] = typer.Option(None, "--projection", "-p", help=PROJECTION_HELP),
        quiet: bool = typer.Option(False, "--quiet", help="No progress bar."),
        show_checksum: bool = typer.Option(False, "--checksum", help="Print the read-model checksum."),
    ) -> None:
        """Rebuild read models from the event store: all of them in one transaction, aggregate by
        aggregate; with --projection, those emptied and then caught up event by event."""
        unknown = set(projection or ()) - set(PROJECTIONS)
        if unknown:
            raise typer.BadParameter(f"unknown projection(s): {', '.join(sorted(unknown))}")
        runner = make_runner()
        if projection:
            runner.reset(projection)
            reached = apply_log(runner, quiet=quiet)
        else:  # all of them: in bulk, one transaction (readers keep the old read models until it commits)
            try:
                reached = apply_log(runner, rebuild=True, quiet=quiet)
            except RebuildWorkerFailed as failed:  # rolled back: the read models are as they were
                typer.echo(f"重建失败，读模型保持原样 (rebuild failed, the read models are as they were): {failed}",
                           err=True)
                if failed.detail:
                    typer.echo(failed.detail, err=True)
                raise typer.Exit(1) from None
        typer.echo(f"rebuilt to position {reached}")
        if show_checksum:
            typer.echo(checksum(runner.engine))

    @app.command("catch-up")
    def catch_up(
        quiet: bool = typer.Option(False, "--quiet", help="No progress bar."),
        show_checksum: bool = typer.Option(False, "--checksum", help="Print the read-model checksum."),
    ) -> None:
        """Apply what is not applied yet (also resumes an interrupted rebuild)."""
        runner = make_runner()
        reached = apply_log(runner, quiet=quiet)
        typer.echo(f"caught up to position {reached}")
        if show_checksum:
            typer.echo(checksum(runner.engine))

    @app.command("findings-refresh")
    def findings_refresh() -> None:
        """Re-evaluate every cadre's findings for today (run daily, or when the year turns)."""
        runner = make_runner()
        typer.echo(f"re-evaluated {runner.refresh_findings()} cadres")
