"""队伍结构 and 人才库 of a unit subtree (单位及其下级单位) on a day as known at an instant.

The figures are the API's own (``GET /api/v1/structure`` and ``GET /api/v1/pools/{pool}`` run the same
read-model queries); this module only orders them for the page and names them in Chinese.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api.auth import masked_for
from api.pages import reads
from api.pages.render import Reader, html_errors, render, start_timer, status_of, timed
from api.pages.units import UnitCode, When, flatten, when
from domain.codes import CODE_TABLES, RANKS
from domain.entry_values import Pool
from domain.errors import NotFoundError
from domain.users import Principal
from jishi.bootstrap import Runtime
from projections.search import AGE_BANDS, OLDEST_BAND

router = APIRouter(include_in_schema=False, dependencies=[Depends(start_timer)])
POOLS: tuple[str, ...] = Pool.__args__  # type: ignore[attr-defined]

# The dimensions of 队伍结构 in the order the page shows them: (key of the API's counts, title, chart kind,
# whether the share is of the cadres or of the posts held).
DIMENSIONS: tuple[tuple[str, str, str, str], ...] = (
    ("age_band", "年龄结构", "bar", "cadres"),
    ("gender", "性别结构", "pie", "cadres"),
    ("ethnicity", "民族结构", "pie", "cadres"),
    ("education", "学历结构", "bar", "cadres"),
    ("political_status", "政治面貌", "pie", "cadres"),
    ("grade", "职务层次（按所任职位）", "bar", "posts_held"),
    ("rank", "职级结构", "bar", "cadres"),
)
UNSET_RANK = "未定"  # the API's label for a cadre with no rank on the day


def _order(key: str) -> list[str]:
    """The natural order of a dimension's labels: age bands young to old, code tables in the standard's
    order, ranks high to low."""
    if key == "age_band":
        return [label for _, label in AGE_BANDS] + [OLDEST_BAND]
    if key == "rank":
        return [*RANKS, UNSET_RANK]
    return list(CODE_TABLES[key].entries.values())


def _share(count: int, total: int) -> str:
    return f"{count * 100 / total:.1f}%" if total else "—"


def dimensions(found: dict[str, Any]) -> list[dict[str, Any]]:
    """The API's counts as rows per dimension, in natural order (labels not in the order keep the API's
    order, at the end), each with its share of the cadres (or of the posts held, for 职务层次)."""
    out = []
    for key, title, chart, base in DIMENSIONS:
        counts: dict[str, int] = found["counts"].get(key, {})
        order = _order(key)
        labels = [label for label in order if label in counts] + [label for label in counts if label not in order]
        total = int(found[base])
        rows = [{"label": label or "未填", "count": counts[label], "share": _share(counts[label], total)}
                for label in labels]
        out.append({"key": key, "title": title, "chart": chart, "total": total,
                    "base": "职位" if base == "posts_held" else "人", "rows": rows})
    return out


def _unit(runtime: Runtime, user: Principal, unit_code: str, at: When) -> dict[str, Any]:
    """The unit as the page names it; a unit out of the caller's scope does not exist for them (404)."""
    if not runtime.read_models.unit_in_scope(unit_code, user.scopes):
        raise NotFoundError(f"单位不存在 (no such unit): {unit_code}")
    tree = reads.unit_tree(runtime, user, at.as_of, at.known_at)
    nodes = {n["code"]: n for n in flatten(tree)}
    node = nodes.get(unit_code)
    if node is not None:
        return {"code": unit_code, "name": node["name"], "exists": True, "units": _count(node), "tree": tree}
    name = reads.unit_names(runtime, user, {unit_code}, at.as_of).get(unit_code)
    if name is None:
        raise NotFoundError(f"单位不存在 (no such unit): {unit_code}")
    return {"code": unit_code, "name": name, "exists": False, "units": 0, "tree": tree}


def _count(node: dict[str, Any]) -> int:
    return 1 + sum(_count(child) for child in node["children"])


@router.get("/units/{unit_code}/structure")
@html_errors
def structure(request: Request, session: Reader, unit_code: UnitCode) -> Response:
    """队伍结构: the cadres holding posts in the unit and every unit below it, by age, gender, ethnicity,
    education, political status, grade and rank — charts and the same figures as tables."""
    runtime: Runtime = request.app.state.runtime
    at = when(request)
    unit = _unit(runtime, session.principal, unit_code, at)
    with timed(request, "read"):
        found = runtime.read_models.structure(unit_code, at.as_of, scope=session.principal.scopes,
                                              known_at=at.known_at)
    dims = dimensions(found)
    chart = {"unit": unit["name"], "dimensions": [
        {"key": d["key"], "title": d["title"], "chart": d["chart"],
         "labels": [r["label"] for r in d["rows"]], "counts": [r["count"] for r in d["rows"]]} for d in dims]}
    return render(request, "structure.html", {
        "nav": "units", "at": at, "unit": unit, "tree": unit["tree"], "found": found, "dims": dims,
        "chart": chart}, status=status_of(at.errors))


@router.get("/units/{unit_code}/pools")
@html_errors
def pools(request: Request, session: Reader, unit_code: UnitCode) -> Response:
    """人才库: the members of each pool who are in the unit or a unit below it on the day, as known then."""
    runtime: Runtime = request.app.state.runtime
    at = when(request)
    user = session.principal
    unit = _unit(runtime, user, unit_code, at)
    chosen = (request.query_params.get("pool") or "").strip()
    errors = dict(at.errors)
    if chosen and chosen not in POOLS:
        errors["pool"] = "不在可选的人才库之内"
    shown = [chosen] if chosen and not errors.get("pool") else list(POOLS)
    groups = []
    with timed(request, "read"):
        for pool in shown:
            # the subtree as a scope: "in scope on the day" is exactly "in the subtree on the day"; the unit
            # is in the caller's scope (checked above), so its subtree is too
            members = runtime.read_models.pool_members(pool, at.as_of, at.known_at, scope=frozenset({unit_code}))
            groups.append({"pool": pool, "slug": f"pool-{POOLS.index(pool)}", "members": masked_for(user, members)})
    return render(request, "pools.html", {
        "nav": "units", "at": at, "unit": unit, "tree": unit["tree"], "groups": groups, "pools": POOLS,
        "chosen": chosen, "errors": errors, "total": sum(len(g["members"]) for g in groups),
        "grades": CODE_TABLES["grade"].entries}, status=status_of(errors))
