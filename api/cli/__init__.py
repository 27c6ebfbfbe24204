"""The `jishi` command line."""

from __future__ import annotations

from importlib.metadata import version as dist_version

import typer
from rich.console import Console
from rich.table import Table

from api.cli import users_signin
from api.cli.backup import backup, restore
from api.cli.calendar import calendar_app
from api.cli.evidence import evidence_app
from api.cli.exports import export_app
from api.cli.imports import import_app
from api.cli.ledger import ledger_app
from api.cli.lrmx import import_lrmx
from api.cli.projections import register as register_projection_commands
from api.cli.serving import demo, serve
from api.cli.store import application_session, existing_settings, init, open_runtime
from api.cli.witness import witness_app
from domain.recorded import Provenance
from domain.rules.config import RuleConfig
from jishi.settings import Settings
from projections.runner import ProjectionRunner

# Plain (click) help, not typer's rich panels: typer 0.29's rich panel prints a type after every option,
# flags included (`--can-override <bool>`, even `--help <bool>`), as if a flag took a value; the plain
# help prints types only for options that take one. Sub-commands inherit both settings.
app = typer.Typer(help="纪实 Jishi — the cadre career record (干部成长纪实).", no_args_is_help=True,
                  rich_markup_mode=None, context_settings={"max_content_width": 120})
config_app = typer.Typer(help="Rule configuration.", no_args_is_help=True)
app.add_typer(config_app, name="config")
app.add_typer(ledger_app, name="ledger")
app.add_typer(calendar_app, name="calendar")
app.add_typer(export_app, name="export")
import_app.command("lrmx")(import_lrmx)  # 任免审批表 files (api/cli/lrmx.py) beside the Excel 台账
app.add_typer(import_app, name="import")
app.add_typer(evidence_app, name="evidence")
app.add_typer(witness_app, name="witness")
app.command("init")(init)
app.command("backup")(backup)
app.command("restore")(restore)


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
    settings = existing_settings()
    config = RuleConfig.load(settings.data_dir)
    table = Table(title=f"规则阈值 Rule thresholds — source: {config.source}")
    table.add_column("key")
    table.add_column("value")
    for key, value in config.flat():
        table.add_row(key, str(value))
    Console(width=120).print(table)
    _calendar_notice(settings)


def _calendar_notice(settings: Settings) -> None:
    """The working-day calendar: this year's and next year's schedule, or that one is missing."""
    from api.calendar_notice import notice_lines
    from jishi.bootstrap import build_application

    try:
        application = build_application(settings)
    except Exception as error:  # the thresholds are printed; the store may be elsewhere or down
        typer.echo(f"节假日安排：无法读取事件库 (calendar: the event store cannot be read): {error}")
        return
    try:
        for line in notice_lines(application):
            typer.echo(line)
    finally:
        application.close()


def _runner_from_env() -> ProjectionRunner:
    return open_runtime().runner


register_projection_commands(app, _runner_from_env)


# ——— HTTP API and users (issue 5) ———

user_app = typer.Typer(help="Users, their sign-in and their tokens (用户、登录与令牌).", no_args_is_help=True)
users_signin.register(user_app)
app.add_typer(user_app, name="user")


def _cli_provenance() -> Provenance:
    """Who writes from the CLI: the operator on the server (``cli:<login>``, role admin), whose scope is
    the whole tree — the CLI runs where the store is, outside any user's jurisdiction, and says so."""
    import getpass
    import uuid

    actor = f"cli:{getpass.getuser()}"
    typer.echo(f"以服务器操作员身份执行，管辖范围为全部单位 (as the operator on the server, {actor}, whole tree)",
               err=True)
    return Provenance(actor, "admin", f"cli-{uuid.uuid4().hex}", scopes=None)


@user_app.command("add")
def user_add(
    name: str = typer.Argument(..., help="user name (letters, digits, Chinese, _ or -)"),
    role: str = typer.Option(..., "--role", help="hr | auditor | oversight | admin"),
    can_override: bool = typer.Option(False, "--can-override", help="hr only: may override guards (例外放行)"),
    can_publish_calendar: bool = typer.Option(False, "--can-publish-calendar",
                                              help="hr only: may record the working-day calendar (节假日安排)"),
    scope: list[str] = typer.Option([], "--scope", help="管辖范围: a unit code whose subtree the user may see "
                                                        "and write (repeatable); none = the whole tree"),
) -> None:
    """Add a user and print their token as the LAST line (shown once; only its hash is stored)."""
    from service.users import add_user

    with application_session() as application:
        token = add_user(application, name, role, can_override, _cli_provenance(), scope,
                         can_publish_calendar=can_publish_calendar, token_days=existing_settings().token_days)
    typer.echo(f"用户已添加 (user added): {name} role={role} can_override={can_override} "
               f"can_publish_calendar={can_publish_calendar} scope={','.join(scope) or 'whole tree'}", err=True)
    typer.echo(token)


@user_app.command("token")
def user_token(name: str = typer.Argument(..., help="user name"),
               days: int | None = typer.Option(None, "--days", show_default=False,
                                               help="how many days the token works (1–3660; default "
                                                    "$JISHI_TOKEN_DAYS, else 90)")) -> None:
    """Issue a new token for a user, valid ``--days`` (the old one stops working); prints it as the last line."""
    from service.users import issue_token

    with application_session() as application:
        token = issue_token(application, name, _cli_provenance(),
                            existing_settings().token_days if days is None else days)
    typer.echo(token)


@user_app.command("disable")
def user_disable(name: str = typer.Argument(..., help="user name")) -> None:
    """Disable a user: their token stops working and their web sessions end."""
    from service.users import disable_user

    with application_session() as application:
        disable_user(application, name, _cli_provenance())
    with users_signin.session_store() as store:
        store.end_user(name)
    typer.echo(f"用户已停用 (user disabled): {name}")


@user_app.command("scope")
def user_scope(
    name: str = typer.Argument(..., help="user name"),
    grant: list[str] = typer.Option([], "--grant", help="unit code whose subtree to add (repeatable)"),
    revoke: list[str] = typer.Option([], "--revoke", help="unit code whose subtree to remove (repeatable)"),
) -> None:
    """Grant or revoke a scoped user's unit subtrees (管辖范围); recorded as ScopeGranted / ScopeRevoked."""
    from service.users import change_scopes

    if not grant and not revoke:
        typer.echo("错误 (error): 须给出 --grant 或 --revoke (give --grant or --revoke)", err=True)
        raise typer.Exit(2)
    with application_session() as application:
        scopes = change_scopes(application, name, grant, revoke, _cli_provenance())
    typer.echo(f"管辖范围 (scope) {name}: {', '.join(scopes)}")


@user_app.command("permission")
def user_permission(
    name: str = typer.Argument(..., help="user name"),
    grant: list[str] = typer.Option([], "--grant", help="permission to grant: can_publish_calendar, can_override"),
    revoke: list[str] = typer.Option([], "--revoke", help="permission to revoke"),
) -> None:
    """Grant or revoke an hr user's permission (can_publish_calendar: may record the working-day calendar);
    recorded as PermissionGranted / PermissionRevoked."""
    from service.users import change_permission

    if not grant and not revoke:
        typer.echo("错误 (error): 须给出 --grant 或 --revoke (give --grant or --revoke)", err=True)
        raise typer.Exit(2)
    with application_session() as application:
        for permission in grant:
            change_permission(application, name, permission, True, _cli_provenance())
        for permission in revoke:
            change_permission(application, name, permission, False, _cli_provenance())
    typer.echo(f"权限 (permissions) {name}: granted {', '.join(grant) or '-'}; revoked {', '.join(revoke) or '-'}")


@user_app.command("list")
def user_list() -> None:
    """List users with role, override permission and state (never tokens)."""
    from service.users import list_users

    with application_session() as application:
        table = Table(title="用户 Users")
        for column in ("name", "role", "can_override", "can_publish_calendar", "scopes", "disabled", "added_at",
                       "added_by"):
            table.add_column(column)
        for u in list_users(application):
            table.add_row(u["name"], u["role"], str(u["can_override"]), str(u["can_publish_calendar"]),
                          ",".join(u["scopes"]) or "*",
                          str(u["disabled"]), u["added_at"].isoformat(), u["added_by"])
        Console(width=120).print(table)


# ——— 年度考核 rounds (R-EXCELLENT-QUOTA) ———

assessment_app = typer.Typer(help="年度考核: participants and the 优秀 quota of a unit's round.", no_args_is_help=True)
app.add_typer(assessment_app, name="assessment")


@assessment_app.command("participants")
def assessment_participants(
    unit_code: str = typer.Argument(..., help="单位代码 (unit code)"),
    period: str = typer.Argument(..., help="the year assessed, e.g. 2023"),
    participants: int = typer.Argument(..., help="参加考核人数: how many cadres took part"),
    document_no: str = typer.Option(..., "--document-no", help="文号 of the document that says so"),
    effective_on: str = typer.Option(..., "--effective-on", help="date of that document (YYYY-MM-DD)"),
) -> None:
    """Record a unit's 年度考核 participants (AssessmentParticipantsRecorded): R-EXCELLENT-QUOTA then counts
    优秀 against this number instead of the unit's post holders on 31 December. Refused like the API
    (exit code by error class) if the 优秀 already counted would exceed the quota."""
    from service.commands import RecordAssessmentParticipants

    with application_session() as application:
        result = application.handle(RecordAssessmentParticipants(unit_code, {
            "kind": "年度", "period": period, "participants": participants, "document_no": document_no,
            "effective_on": effective_on}), _cli_provenance())
        counted = application.assessment_round(unit_code, period)
    typer.echo(f"已记录 (recorded) {unit_code} {period}年度考核参加人数 {participants} ({document_no}); "
               f"优秀 {counted.excellent}; entry {result.entry_id}")


@assessment_app.command("round")
def assessment_round(
    unit_code: str = typer.Argument(..., help="单位代码 (unit code)"),
    period: str = typer.Argument(..., help="the year assessed, e.g. 2023"),
) -> None:
    """Show a unit's 年度考核 round as R-EXCELLENT-QUOTA counts it: participants, 优秀, and the limits."""
    from domain.rules.assessment import excellent_allowed

    with application_session() as application:
        counted = application.assessment_round(unit_code, period)
        quota = excellent_allowed(counted.participants, application.config)
        approved = excellent_allowed(counted.participants, application.config, approved=True)
    source = f"recorded under {counted.document_no}" if counted.document_no else f"post holders on {counted.day}"
    typer.echo(f"{unit_code} {period}: participants {counted.participants} ({source}); 优秀 {counted.excellent}; "
               f"allowed {quota}, with approval (批准文号) {approved}")


# ——— serving: `jishi serve` and `jishi demo` (api/cli/serving.py) ———

app.command("serve")(serve)
app.command("demo")(demo)
