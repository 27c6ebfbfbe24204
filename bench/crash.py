"""Crash trials (issue 16): a mixed write load against `jishi serve`, the server SIGKILLed at a random
moment, restarted, every unanswered request retried with its Idempotency-Key, then checked.

    python -m bench.crash --backend sqlite|postgres --trials 100 --seed 1 [--out docs/robustness.md]

One store per run; each trial on the store the earlier ones left:

1. ``--writers`` client threads send the workload of ``bench/workload.py`` to `jishi serve --workers N`;
   after a random moment (``--kill-after``) the whole server process group gets SIGKILL.
2. With the server dead, the store is compared with the answers: each write answered 201 is stored
   exactly once, where its answer said; nothing is stored for a refusal or for a request no client
   sent; a request left without an answer (in flight) is stored once or not at all.
3. The server is started again; every request without an answer is sent again with the same key and
   body, and so is every write answered 201 (the retry must answer with the first result).
4. Again: every 201 stored exactly once, every refusal nothing; the audit read model holds each
   acknowledged write at its position; `jishi catch-up --checksum` (the read models the restarted
   server caught up) equals `jishi rebuild --checksum`; `jishi ledger verify` passes.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx

from bench.exactly_once import StoreScan, audit_rows_missing, judge, occupancy_mismatches, same_result
from bench.process import Server, add_user, jishi, log_size, tracebacks
from bench.robustness import git_commit, kinds, machine, problems, store, write_section
from bench.workload import Generator, Outcome, Writer, WriterState, prepare, send
from jishi.settings import Settings


@dataclass
class Trial:
    number: int
    kill_after: float
    sent: int = 0
    answered_201: int = 0
    answered_4xx: int = 0
    statuses: dict[str, int] = field(default_factory=dict)  # answers before the kill, by status
    in_flight: int = 0  # requests without an answer when the server died
    in_flight_stored: int = 0  # … of which the store held the write all the same
    retried: int = 0  # requests sent again after the restart (in flight + answered 201)
    replayed: int = 0  # answered-201 writes whose retry answered with the first result
    stored_once: int = 0  # writes finally answered 201, found exactly once where the answer said
    refused_clean: int = 0  # requests finally refused (4xx) that stored nothing
    checksum_equal: bool = False
    ledger_verified: bool = False
    events: int = 0  # the store's head after the trial
    restart_seconds: float = 0.0
    seconds: float = 0.0
    server_errors: list[str] = field(default_factory=list)  # 5xx answers, during the load or to a retry
    tracebacks: dict[str, int] = field(default_factory=dict)  # in the server log: exception in function → count
    violations: list[str] = field(default_factory=list)  # lost, doubled or unacknowledged writes; read side

    @property
    def passed(self) -> bool:
        return (not self.violations and not self.server_errors and not self.tracebacks and self.checksum_equal
                and self.ledger_verified)


class CrashRun:
    """Trials on one store; the writers' knowledge (their cadres, cases, entries) carries over."""

    def __init__(self, settings: Settings, logs: Path, *, writers: int = 4, workers: int = 2, seed: int = 1,
                 kill_after: tuple[float, float] = (0.5, 6.0)) -> None:
        self.settings, self.logs, self.workers, self.seed = settings, logs, workers, seed
        self.kill_after = kill_after
        self.prefix = f"ct{seed}"
        self.rng = random.Random(seed)
        self.states = [WriterState(i) for i in range(writers)]
        self.outcomes: dict[str, Outcome] = {}  # every request of the run, by marker: its last answer
        self.trials: list[Trial] = []
        self.scan = StoreScan(settings, self.prefix)
        logs.mkdir(parents=True, exist_ok=True)
        self.server = Server(settings, workers, logs / "server.log")
        self.token = ""
        self.posts: list[tuple[str, str]] = []

    def __enter__(self) -> CrashRun:
        self.commit = git_commit()
        made = jishi(self.settings, "init")  # `jishi user add` makes no store: only init, demo and serve do
        if made.returncode != 0:
            raise RuntimeError(f"jishi init failed: {made.stderr}")
        self.token = add_user(self.settings, f"crash-hr-{self.seed}", "hr")
        self.server.start()
        with self._client() as client:
            self.posts = prepare(client)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.stop()

    def _client(self) -> httpx.Client:
        return httpx.Client(base_url=self.server.base, headers={"Authorization": f"Bearer {self.token}"},
                            timeout=120)

    def trial(self) -> Trial:
        number = len(self.trials) + 1
        trial = Trial(number, round(self.rng.uniform(*self.kill_after), 2))
        self.trials.append(trial)
        started, log_mark = time.monotonic(), log_size(self.server.log)
        outcomes = self._load_and_kill(trial)
        self._check(trial, outcomes, "before the retry")  # the server is dead: the store as it was left
        trial.restart_seconds = round(self.server.start(), 2)
        final = self._retry(trial, outcomes)
        trial.events = self._check(trial, final, "after the retry", count=True)
        self._check_read_side(trial, final)
        trial.violations += occupancy_mismatches(self.settings, self.scan.streams(f"{self.prefix}-{number}-"),
                                                 self.posts)
        trial.tracebacks = dict(tracebacks(self.server.log, log_mark))
        trial.seconds = round(time.monotonic() - started, 1)
        return trial

    def _load_and_kill(self, trial: Trial) -> list[Outcome]:
        stop = threading.Event()
        writers = [Writer(self.server.base, self.token,
                          Generator(state, f"{self.prefix}-{trial.number}-{state.index}", self.posts,
                                    random.Random(f"{self.seed}-{trial.number}-{state.index}")), stop)
                   for state in self.states]
        threads = [threading.Thread(target=w.run, name=f"writer-{i}") for i, w in enumerate(writers)]
        for thread in threads:
            thread.start()
        time.sleep(trial.kill_after)
        killed = time.monotonic()
        self.server.kill()
        stop.set()
        for thread in threads:
            thread.join(timeout=180)
        outcomes = [o for w in writers for o in w.outcomes]
        trial.sent = len(outcomes)
        trial.answered_201 = sum(o.status == 201 for o in outcomes)
        trial.answered_4xx = sum(o.status is not None and 400 <= o.status < 500 for o in outcomes)
        trial.in_flight = sum(o.status is None for o in outcomes)
        trial.statuses = dict(Counter(str(o.status) for o in outcomes if o.status is not None))
        trial.violations += [f"{o.request.marker} ({o.request.kind}) lost its connection before the kill: {o.error}"
                             for o in outcomes if o.status is None and o.ended < killed]
        return outcomes

    def _check(self, trial: Trial, outcomes: list[Outcome], when: str, *, count: bool = False) -> int:
        head = self.scan.scan()
        verdict = judge(outcomes, self.scan, prefix=f"{self.prefix}-{trial.number}-")
        trial.violations += [f"{when}: {v}" for v in verdict.violations]
        trial.server_errors += [f"{when}: {v}" for v in verdict.server_errors]
        if count:
            trial.stored_once, trial.refused_clean = verdict.stored_once, verdict.refused_clean
        else:
            trial.in_flight_stored = verdict.in_flight_stored
        return head

    def _retry(self, trial: Trial, outcomes: list[Outcome]) -> list[Outcome]:
        """Send every unanswered request, every 5xx and every 201 again, with the same key and body."""
        final: list[Outcome] = []
        with self._client() as client:
            for outcome in outcomes:
                if outcome.status is not None and outcome.status < 500 and outcome.status != 201:
                    final.append(outcome)
                    continue
                again = send(client, outcome.request)
                trial.retried += 1
                if again.status is None:
                    trial.violations.append(f"retry of {outcome.request.marker}: no answer ({again.error})")
                if outcome.status != 201:
                    final.append(again)
                    self.states[int(outcome.request.marker.rsplit("-", 2)[-2])].learn(again)
                    continue
                final.append(outcome)
                if again.status == 201 and same_result(outcome.body, again.body):
                    trial.replayed += 1
                else:
                    trial.violations.append(f"retry of {outcome.request.marker} answered {again.status} "
                                            f"{str(again.body)[:200]}, first {outcome.body}")
        self.outcomes.update((o.request.marker, o) for o in final)
        return final

    def _check_read_side(self, trial: Trial, final: list[Outcome]) -> None:
        caught_up = jishi(self.settings, "catch-up", "--quiet", "--checksum")
        trial.violations += [f"audit read model: {m}" for m in audit_rows_missing(self.settings, final)]
        verify = jishi(self.settings, "ledger", "verify")
        trial.ledger_verified = verify.returncode == 0
        if not trial.ledger_verified:
            trial.violations.append(f"jishi ledger verify exited {verify.returncode}: {verify.stdout[-500:]}"
                                    f"{verify.stderr[-500:]}")
        rebuilt = jishi(self.settings, "rebuild", "--quiet", "--checksum")
        trial.checksum_equal = (caught_up.returncode == rebuilt.returncode == 0
                                and caught_up.last_line == rebuilt.last_line != "")
        if not trial.checksum_equal:
            trial.violations.append(f"read models after catch-up {caught_up.last_line!r} != rebuild "
                                    f"{rebuilt.last_line!r} ({caught_up.stderr[-300:]} {rebuilt.stderr[-300:]})")

    def final_check(self) -> list[str]:
        """The whole run again, on the whole store: every request's last answer against its events."""
        self.scan.scan()
        outcomes = list(self.outcomes.values())
        verdict = judge(outcomes, self.scan, prefix=f"{self.prefix}-")
        return (verdict.violations + [f"audit read model: {m}" for m in audit_rows_missing(self.settings, outcomes)]
                + occupancy_mismatches(self.settings, self.scan.streams(f"{self.prefix}-"), self.posts))


def run_trials(settings: Settings, logs: Path, trials: int, *, writers: int = 4, workers: int = 2, seed: int = 1,
               kill_after: tuple[float, float] = (0.5, 6.0), progress: bool = False) -> Summary:
    with CrashRun(settings, logs, writers=writers, workers=workers, seed=seed, kill_after=kill_after) as run:
        for _ in range(trials):
            trial = run.trial()
            if progress:
                print(f"trial {trial.number}: kill after {trial.kill_after} s, {trial.sent} sent, {trial.in_flight} "
                      f"in flight ({trial.in_flight_stored} stored), {trial.retried} retried, {trial.stored_once} "
                      f"stored once, checksum {'=' if trial.checksum_equal else '≠'}, ledger "
                      f"{'ok' if trial.ledger_verified else 'FAILED'}, {trial.events} events, {trial.seconds} s"
                      + "".join(f"\n  ✗ {v}" for v in [*trial.violations[:20], *trial.server_errors])
                      + "".join(f"\n  ✗ traceback: {k} ×{n}" for k, n in trial.tracebacks.items()), flush=True)
        final = run.final_check()
    return Summary(settings.backend, writers, workers, seed, kill_after, run.trials, final, run.commit)


@dataclass
class Summary:
    backend: str
    writers: int
    workers: int
    seed: int
    kill_after: tuple[float, float]
    trials: list[Trial]
    final_violations: list[str]
    commit: str = ""

    def total(self, name: str) -> int:
        return sum(int(getattr(t, name)) for t in self.trials)

    @property
    def violations(self) -> list[str]:
        return [f"trial {t.number}: {v}" for t in self.trials for v in t.violations] + self.final_violations

    def _refusals(self) -> str:
        counts: Counter[str] = Counter()
        for trial in self.trials:
            counts.update(trial.statuses)
        return ", ".join(f"{status}: {n:,}" for status, n in sorted(counts.items()) if status.startswith("4"))

    @property
    def server_errors(self) -> list[str]:
        return [f"trial {t.number}: {v}" for t in self.trials for v in t.server_errors]

    def traceback_kinds(self) -> dict[str, int]:
        counted: dict[str, int] = {}
        for trial in self.trials:
            for kind, count in trial.tracebacks.items():
                counted[kind] = counted.get(kind, 0) + count
        return counted

    def as_dict(self) -> dict[str, object]:
        return {**{k: v for k, v in asdict(self).items() if k != "trials"},
                "trials": [asdict(t) for t in self.trials]}

    def markdown(self, command: str) -> str:
        trials, t = self.trials, self.total
        lo, hi = self.kill_after
        passed = sum(x.passed for x in trials)
        kills = [x.kill_after for x in trials]
        lines = [
            f"### {self.backend}: {len(trials)} trials", "",
            f"Machine: {machine()}; commit {self.commit}.", "",
            f"Command: `{command}` — {self.writers} writer threads against `jishi serve --workers {self.workers}`, "
            f"SIGKILL of the whole process group after a random {lo:g}–{hi:g} s "
            f"(this run: {min(kills, default=0):.2f}–{max(kills, default=0):.2f} s).", "",
            "| measure | result |", "|---|---|",
            f"| trials run / passed every check | {len(trials)} / {passed} |",
            f"| SIGKILLs (one per trial) / restarts | {len(trials)} / {len(trials)} |",
            f"| requests sent | {t('sent'):,} |",
            f"| answered before the kill: 201 / 4xx | {t('answered_201'):,} / {t('answered_4xx'):,} "
            f"({self._refusals()}) |",
            f"| in flight at the kill (no answer) | {t('in_flight'):,}, of which {t('in_flight_stored'):,} were "
            f"stored all the same |",
            f"| retried after the restart with the same Idempotency-Key (in flight + every 201) | {t('retried'):,} |",
            f"| retries of a 201 answered with the first result (nothing stored again) | {t('replayed'):,} |",
            f"| writes finally acknowledged (201) and stored exactly once, where the answer said | "
            f"{t('stored_once'):,} |",
            f"| requests finally refused (4xx) that stored nothing | {t('refused_clean'):,} |",
            f"| read models after catch-up = rebuild (checksum) | {t('checksum_equal')} / {len(trials)} |",
            f"| `jishi ledger verify` passed | {t('ledger_verified')} / {len(trials)} |",
            f"| posts whose occupancy disagrees with the holders' records | "
            f"{sum(' holds cadre ' in v for v in self.violations)} |",
            f"| 5xx answers (during the load or to a retry) | {len(self.server_errors)} |",
            f"| tracebacks in the server log | {kinds(self.traceback_kinds())} |",
            f"| events in the store at the end | {trials[-1].events if trials else 0:,} |",
            f"| violations: lost, doubled or unacknowledged writes, read side (trials + the whole-store check at "
            f"the end) | {len(self.violations)} |",
            f"| time per trial: median / max | {_median([x.seconds for x in trials]):.1f} s / "
            f"{max((x.seconds for x in trials), default=0):.1f} s |",
            f"| restart (until every worker answers): median / max | "
            f"{_median([x.restart_seconds for x in trials]):.1f} s / "
            f"{max((x.restart_seconds for x in trials), default=0):.1f} s |",
        ]
        lines += problems(self.violations, self.server_errors)
        return "\n".join(lines) + "\n"



def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else 0.0


def main(argv: list[str] | None = None) -> int:
    import argparse
    import json
    import signal
    import sys

    parser = argparse.ArgumentParser(prog="python -m bench.crash", description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--writers", type=int, default=4, help="client threads writing")
    parser.add_argument("--workers", type=int, default=2, help="jishi serve --workers")
    parser.add_argument("--kill-after", type=float, nargs=2, default=(0.5, 6.0), metavar=("MIN", "MAX"),
                        help="seconds of load before the SIGKILL, uniformly drawn per trial")
    parser.add_argument("--keep", type=Path, default=None, help="keep the store and the logs in this directory")
    parser.add_argument("--out", type=Path, default=None, help="markdown file for this run's section")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the server (and PostgreSQL) on the way out
    command = "python -m bench.crash " + " ".join(argv if argv is not None else sys.argv[1:])
    with store(args.backend, args.keep) as (settings, root):
        summary = run_trials(settings, root / "logs", args.trials, writers=args.writers, workers=args.workers,
                             seed=args.seed, kill_after=tuple(args.kill_after), progress=True)
        (root / "logs" / "summary.json").write_text(json.dumps(summary.as_dict(), indent=1, ensure_ascii=False))
    text = summary.markdown(command)
    print(text)
    if args.out is not None:
        write_section(args.out, f"crash:{args.backend}", text)
    return 1 if summary.violations or summary.server_errors or summary.traceback_kinds() else 0


if __name__ == "__main__":
    raise SystemExit(main())
