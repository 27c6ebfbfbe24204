"""Rule thresholds, loaded from TOML with the DOMAIN.md defaults.

Nothing in the rules hard-codes a number: every threshold comes from a ``RuleConfig``.
An operator's file is merged over the packaged defaults, so it only needs to name what
it changes; a key the defaults do not know is refused, so a typo cannot go unnoticed.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any

from domain.errors import JishiError

RULES_FILE = "rules.toml"  # an operator's thresholds, in the data directory


class ConfigError(JishiError):
    """Raised when a rules file is unreadable or names an unknown threshold."""

    title = "配置无效 (invalid configuration)"


def _merge(base: dict[str, Any], override: Mapping[str, Any], path: str = "") -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        where = f"{path}.{key}" if path else key
        if key not in base:
            msg = f"未知配置项 (unknown setting): {where}"
            raise ConfigError(msg)
        if isinstance(base[key], dict):
            if not isinstance(value, dict):
                msg = f"配置项须为表 (setting must be a table): {where}"
                raise ConfigError(msg)
            merged[key] = _merge(base[key], value, where)
        else:
            if type(value) is not type(base[key]):
                msg = (
                    f"配置项类型错误 (wrong type) {where}: expected "
                    f"{type(base[key]).__name__}, got {type(value).__name__}"
                )
                raise ConfigError(msg)
            merged[key] = value
    return merged


def _defaults() -> dict[str, Any]:
    text = resources.files("domain.rules").joinpath("defaults.toml").read_text("utf-8")
    return tomllib.loads(text)


@dataclass(frozen=True)
class RuleConfig:
    """The thresholds in force: a read-only view over the merged TOML tables."""

    data: Mapping[str, Any]
    source: str = "defaults"

    @classmethod
    def defaults(cls) -> RuleConfig:
        return cls(_defaults())

    @classmethod
    def from_toml(cls, text: str, source: str = "<text>") -> RuleConfig:
        try:
            override = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            msg = f"配置文件无法解析 (cannot parse) {source}: {e}"
            raise ConfigError(msg) from None
        return cls(_merge(_defaults(), override), source)

    @classmethod
    def load(cls, data_dir: Path | None = None) -> RuleConfig:
        """JISHI_RULES if set, else ``<data dir>/rules.toml`` if present, else defaults."""
        explicit = os.environ.get("JISHI_RULES")
        path = Path(explicit) if explicit else (data_dir / RULES_FILE if data_dir else None)
        if path is None or not path.exists():
            if explicit:
                msg = f"JISHI_RULES 指向的文件不存在 (file not found): {explicit}"
                raise ConfigError(msg)
            return cls.defaults()
        return cls.from_toml(path.read_text("utf-8"), str(path))

    def get(self, dotted: str) -> Any:
        node: Any = self.data
        for part in dotted.split("."):
            node = node[part]
        return node

    def int(self, dotted: str) -> int:
        value = self.get(dotted)
        assert isinstance(value, int)
        return value

    def fraction(self, dotted: str) -> Fraction:
        return Fraction(str(self.get(dotted)))

    def flat(self) -> list[tuple[str, Any]]:
        """Every threshold as (dotted key, value), in file order."""
        out: list[tuple[str, Any]] = []

        def walk(node: Mapping[str, Any], prefix: str) -> None:
            for key, value in node.items():
                where = f"{prefix}.{key}" if prefix else key
                if isinstance(value, dict):
                    walk(value, where)
                else:
                    out.append((where, value))

        walk(self.data, "")
        return out
