"""The `jishi` command line."""

from __future__ import annotations

from importlib.metadata import version as dist_version

import typer
from rich.console import Console
from rich.table import Table

from api.settings import Settings
from domain.rules.config import RuleConfig

app = typer.Typer(help="纪实 Jishi — the cadre career record (干部成长纪实).", no_args_is_help=True)
config_app = typer.Typer(help="Rule configuration.", no_args_is_help=True)
app.add_typer(config_app, name="config")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"jishi {dist_version('jishi')}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """纪实 Jishi."""


@config_app.command("show")
def config_show() -> None:
    """Print the rule thresholds in force (defaults merged with the operator's file)."""
    settings = Settings.from_env()
    config = RuleConfig.load(settings.data_dir)
    table = Table(title=f"规则阈值 Rule thresholds — source: {config.source}")
    table.add_column("key")
    table.add_column("value")
    for key, value in config.flat():
        table.add_row(key, str(value))
    Console(width=120).print(table)
