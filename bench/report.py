"""The suite's results: the rows of one run, the machine it ran on, the markdown section and its place
in docs/benchmarks.md, and the small formatting helpers the figures share."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


@dataclass
class Results:
    size: str
    backend: str
    rows: list[tuple[str, str, str, str, str]] = field(default_factory=list)  # section, what, value, target, status
    notes: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    def add(self, section: str, what: str, value: str, target: str = "—", status: str = "—") -> None:
        self.rows.append((section, what, value, target, status))

    def markdown(self) -> str:
        f = self.facts
        lines = [f"### Size {self.size} on {self.backend} — {f.get('date', '')}", "",
                 f"Machine: {f.get('cores')} cores ({f.get('cpu', '')}), {f.get('memory_gb')} GB memory, "
                 f"Python {platform.python_version()}; {f.get('cadres', 0):,} cadres, {f.get('events', 0):,} events, "
                 f"{f.get('units', 0)} units, {f.get('posts', 0)} posts; {f.get('load', '')}.", "",
                 "| section | measure | result | target (ARCHITECTURE.md) | met? |", "|---|---|---|---|---|"]
        lines += [f"| {s} | {w} | {v} | {t} | {st} |" for s, w, v, t, st in self.rows]
        if self.notes:
            lines += ["", *[f"* {n}" for n in self.notes]]
        return "\n".join(lines) + "\n"


def machine() -> dict[str, Any]:
    memory = 0
    try:
        with open("/proc/meminfo") as fh:
            memory = int(fh.readline().split()[1]) // (1024 * 1024)
    except OSError:
        pass
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), cpu)
    except OSError:
        pass
    return {"date": datetime.now(UTC).strftime("%Y-%m-%d"), "cores": os.cpu_count(), "memory_gb": memory, "cpu": cpu}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def write(results: Results, out: Path) -> None:
    """Put the run's section into ``out``, replacing the same size and backend's earlier one."""
    marker = f"<!-- bench:{results.size}:{results.backend} -->"
    end = f"<!-- /bench:{results.size}:{results.backend} -->"
    block = f"{marker}\n{results.markdown()}{end}\n"
    text = out.read_text(encoding="utf-8") if out.exists() else (
        "# Benchmarks\n\nWritten by `python -m bench` (see `bench/`). Targets from ARCHITECTURE.md.\n\n"
        "<!-- results -->\n")
    if marker in text and end in text:
        before, rest = text.split(marker, 1)
        text = before + block + rest.split(end, 1)[1].lstrip("\n")
    elif "<!-- results -->" in text:
        text = text.replace("<!-- results -->", f"<!-- results -->\n{block}", 1)
    else:
        text += "\n" + block
    out.write_text(text, encoding="utf-8")
