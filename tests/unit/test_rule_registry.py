"""One registry of rules: every rule is declared once beside its function, with what the engine, the
findings projection, the configuration and the README need to know of it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from domain.monitors.registry import CADRE_MONITORS, MONITOR_FUNCTIONS, READS
from domain.rules import table
from domain.rules.catalog import GUARDS, MONITORS, RULE_MODULES, RULES
from domain.rules.config import RuleConfig
from domain.rules.engine import AS_OF_RULES, GUARD_FUNCTIONS

ROOT = Path(__file__).resolve().parents[2]
# Settings of the configuration that are no rule's threshold, and what reads them.
NOT_THRESHOLDS = {
    "general.timezone": "the application's today (service/application.py)",
    "calendar.warn_from": "the notice that next year's calendar is missing (domain/calendar_year.py)",
    "appointment.ends_reason": "the 免职 reason recorded for the posts an appointment ends (domain/appointment.py)",
}


def test_the_readme_rule_tables_are_the_ones_the_registry_generates() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert table.replaced(readme) == readme, "run: python -m domain.rules.table --write README.md"


# The rule ids of DOMAIN.md §6 (§6.1 guards, §6.2 monitors, §6.3's grade cap, §6.4's additions).
SPECIFIED = {
    "R-ID", "R-SEQ", "R-FUTURE", "R-EST", "R-SANCTION-PERIOD", "R-INVESTIGATION", "R-ELIGIBLE", "R-PROMO-YEARS",
    "R-LEAP", "R-RANK-YEARS", "R-FOUR-CHECKS", "R-PUBLICITY", "R-QUORUM", "R-RECOMMEND-VALID",
    "R-TALK-PROMO", "R-TALK-CONCERN", "R-TALK-DEPART", "R-TALK-SANCTION", "R-TALK-HARDSHIP", "R-TRAIN-INITIAL",
    "R-TRAIN-POST", "R-TRAIN-HOURS", "R-PROBATION", "R-FOLLOWUP", "R-ROTATE", "R-SECONDMENT-OVERDUE",
    "R-POOL-REVIEW", "R-POOL-STALE", "R-MERIT", "R-UNFIT", "R-PERSONAL-MATTERS", "R-RUSH", "R-OVERRIDE",
    "R-GRADE-CAP",
    "R-EXCELLENT-QUOTA", "R-LATERAL", "R-DUAL-POST", "R-CALENDAR-CHANGED", "R-RETROACTIVE",
}


def test_every_rule_id_of_the_domain_specification_is_declared_and_nothing_else() -> None:
    assert set(RULES) == SPECIFIED


def test_the_engine_runs_each_declared_guard_and_judges_as_of_the_date_those_that_say_so() -> None:
    assert {r.id: r.function for r in GUARDS} == GUARD_FUNCTIONS
    assert {r.id for r in GUARDS if r.as_of} == AS_OF_RULES
    assert all(r.function.__name__ == "r_" + r.id[2:].lower().replace("-", "_") for r in RULES.values())


def test_the_findings_projection_runs_each_declared_monitor_with_the_entry_types_it_declares() -> None:
    assert {r.id: r.function for r in MONITORS} == MONITOR_FUNCTIONS
    assert set(CADRE_MONITORS) == {r.id for r in MONITORS if not r.across_records}
    assert {r.id: r.reads for r in MONITORS if not r.across_records} == READS


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_each_rule_takes_its_thresholds_from_the_configuration(rule_id: str) -> None:
    config = RuleConfig.defaults()
    for key in RULES[rule_id].thresholds:
        config.get(key)  # a KeyError names a threshold the defaults do not have


def test_every_setting_of_the_configuration_is_a_rules_threshold_or_says_what_else_reads_it() -> None:
    declared = {key for r in RULES.values() for key in r.thresholds}
    unread = [key for key, _ in RuleConfig.defaults().flat()
              if not any(key == d or key.startswith(d + ".") for d in (*declared, *NOT_THRESHOLDS))]
    assert unread == []


def test_the_thresholds_a_rule_declares_are_the_ones_its_module_reads() -> None:
    """Each config key a rule module reads by name is among the thresholds its rules declare."""
    for module in RULE_MODULES:
        path = ROOT / (module.replace(".", "/") + ".py")
        read = {node.args[0].value for node in ast.walk(ast.parse(path.read_text("utf-8")))
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("get", "int", "fraction") and node.args
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
                and "." in node.args[0].value and node.args[0].value.split(".")[0] in dict(RuleConfig.defaults().data)}
        declared = {key for r in RULES.values() if r.module == module for key in r.thresholds}
        covered = {key for key in read if any(key == d or key.startswith(d + ".") for d in declared)}
        assert read - covered == set(), module
