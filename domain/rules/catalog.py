"""Every rule of DOMAIN.md §6, as the modules that hold them declare them (``domain/rules/registry.py``):
the guards of ``domain/rules/`` and the monitors of ``domain/monitors/``.

Importing this module imports every module that declares a rule, so ``RULES`` is complete; the
engine, the findings projection, the pages and the README's rule table read it. Rules are listed —
and guards run, and their violations reported — in the order of ``RULE_MODULES``, then of the
functions within each module.
"""

from __future__ import annotations

from importlib import import_module

from domain.rules.registry import REGISTERED, Rule

RULE_MODULES = (
    "domain.rules.guards", "domain.rules.sanctions", "domain.rules.promotion", "domain.rules.lateral",
    "domain.rules.procedure", "domain.rules.assessment",
    "domain.monitors.talks", "domain.monitors.training", "domain.monitors.career", "domain.monitors.pools",
    "domain.monitors.annual", "domain.monitors.posts",
    "domain.monitors.overrides", "domain.monitors.unit", "domain.monitors.calendar",
    "domain.monitors.retroactive",
)
for _module in RULE_MODULES:
    import_module(_module)


def _place(rule: Rule) -> tuple[int, int]:
    return RULE_MODULES.index(rule.module), rule.function.__code__.co_firstlineno


RULES: dict[str, Rule] = {r.id: r for r in sorted(REGISTERED.values(), key=_place)}
GUARDS = [r for r in RULES.values() if r.kind == "guard"]
MONITORS = [r for r in RULES.values() if r.kind == "monitor"]

__all__ = ["GUARDS", "MONITORS", "RULES", "Rule"]
