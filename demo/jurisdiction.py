"""The demo jurisdiction: a county's unit tree (单位) and posts (职位) with their establishment (职数).

A county of about 1,000 cadres has ~65 units: the county party committee and government
(县委, 县政府: the county leaders), 12 党委部门, 23 政府部门, 20 乡镇/街道, 5 事业单位 and 3 群团.
A smaller county keeps the same shape with fewer departments and towns; sizes above one county
are several counties (a city of 10, a province of 100), each with its own code prefix.
"""

from __future__ import annotations

from dataclasses import dataclass

# 县名: two syllables, so a province of 100 counties gets 100 distinct fictional names.
COUNTY_FIRST = "青安清永兴宁和丰平长"
COUNTY_SECOND = "山河源川阳城林水溪丘"


@dataclass(frozen=True)
class PostSpec:
    post_code: str
    title: str
    grade: str  # GB/T 12407 职务层次
    leadership: bool
    establishment: int
    probation: bool


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    kind: str  # 党委部门 · 政府部门 · 乡镇 · 街道 · 事业单位 · 群团
    parent_code: str | None
    posts: tuple[PostSpec, ...]

    @property
    def grassroots(self) -> bool:
        return self.kind in ("乡镇", "街道")


@dataclass(frozen=True)
class County:
    code: str  # unit-code prefix, e.g. "QS"
    name: str  # e.g. 青山县
    short: str  # one character for document numbers, e.g. 青
    region: str  # 6-digit 行政区划代码 for ID numbers
    units: tuple[UnitSpec, ...]

    def unit(self, code: str) -> UnitSpec:
        return next(u for u in self.units if u.code == code)

    @property
    def seats(self) -> int:
        return sum(p.establishment for u in self.units for p in u.posts)


# (suffix, name, head title, deputy title, deputies)
PARTY_DEPARTMENTS = (
    ("BGS", "县委办公室", "主任", "副主任", 3), ("ZZB", "县委组织部", "常务副部长", "副部长", 3),
    ("XCB", "县委宣传部", "常务副部长", "副部长", 2), ("TZB", "县委统战部", "常务副部长", "副部长", 2),
    ("ZFW", "县委政法委", "常务副书记", "副书记", 2), ("JW", "县纪委监委", "副书记", "常委", 3),
    ("BB", "县委编办", "主任", "副主任", 1), ("XCZ", "县委巡察办", "主任", "副主任", 2),
    ("JGGW", "县直机关工委", "书记", "副书记", 1), ("ZYS", "县委政策研究室", "主任", "副主任", 1),
    ("WXB", "县委网信办", "主任", "副主任", 1), ("LGB", "县委老干部局", "局长", "副局长", 1),
)
GOVERNMENT_DEPARTMENTS = (
    ("ZFB", "县人民政府办公室", "主任", "副主任", 3), ("FGJ", "县发展和改革局", "局长", "副局长", 3),
    ("JYJ", "县教育局", "局长", "副局长", 3), ("GXJ", "县科技和工业信息化局", "局长", "副局长", 2),
    ("GAJ", "县公安局", "局长", "副局长", 3), ("MZJ", "县民政局", "局长", "副局长", 2),
    ("SFJ", "县司法局", "局长", "副局长", 2), ("CZJ", "县财政局", "局长", "副局长", 3),
    ("RSJ", "县人力资源和社会保障局", "局长", "副局长", 2), ("ZRJ", "县自然资源局", "局长", "副局长", 2),
    ("ZJJ", "县住房和城乡建设局", "局长", "副局长", 3), ("JTJ", "县交通运输局", "局长", "副局长", 2),
    ("SLJ", "县水利局", "局长", "副局长", 2), ("NYJ", "县农业农村局", "局长", "副局长", 3),
    ("SWJ", "县商务局", "局长", "副局长", 2), ("WLJ", "县文化和旅游局", "局长", "副局长", 2),
    ("WJJ", "县卫生健康局", "局长", "副局长", 3), ("YJJ", "县应急管理局", "局长", "副局长", 2),
    ("SJJ", "县审计局", "局长", "副局长", 2), ("SCJ", "县市场监督管理局", "局长", "副局长", 3),
    ("TJJ", "县统计局", "局长", "副局长", 1), ("YBJ", "县医疗保障局", "局长", "副局长", 1),
    ("XFJ", "县信访局", "局长", "副局长", 1),
)
TOWNS = (
    ("城关街道", "街道"), ("东城街道", "街道"), ("西城街道", "街道"), ("河西镇", "乡镇"), ("柳林镇", "乡镇"),
    ("石桥镇", "乡镇"), ("马村镇", "乡镇"), ("北岭镇", "乡镇"), ("南庄镇", "乡镇"), ("龙泉镇", "乡镇"),
    ("杨树镇", "乡镇"), ("高桥镇", "乡镇"), ("永安镇", "乡镇"), ("新店乡", "乡镇"), ("李家庄乡", "乡镇"),
    ("白云乡", "乡镇"), ("三岔乡", "乡镇"), ("红星乡", "乡镇"), ("桃园乡", "乡镇"), ("黄土坡乡", "乡镇"),
)
INSTITUTIONS = (
    ("RMT", "县融媒体中心", "主任", "副主任"), ("DAG", "县档案馆", "馆长", "副馆长"),
    ("JKZX", "县疾病预防控制中心", "主任", "副主任"), ("ZWZX", "县政务服务中心", "主任", "副主任"),
    ("NJZX", "县农业技术推广中心", "主任", "副主任"),
)
MASS_ORGANISATIONS = (("TXW", "共青团县委", "书记", "副书记"), ("FL", "县妇女联合会", "主席", "副主席"),
                      ("ZGH", "县总工会", "常务副主席", "副主席"))


def county_name(index: int) -> str:
    return f"{COUNTY_FIRST[index // 10 % 10]}{COUNTY_SECOND[index % 10]}县"


def county_code(index: int, single: bool) -> str:
    return "QS" if single and index == 0 else f"X{index:03d}"


def _staff(code: str, count: int) -> PostSpec:
    return PostSpec("KY", "科员", "150", False, max(1, count), False)


def build_county(index: int, cadres: int, *, single: bool = True) -> County:
    """The unit tree of one county sized for about ``cadres`` cadres over ten years."""
    code = county_code(index, single)
    name = county_name(index)
    short = name[0]
    region = f"14{(5 + index // 100) % 10}{(index // 10) % 10}{index % 10}{(index * 7) % 10}"
    scale = min(1.0, cadres / 1000)
    small = cadres < 400
    n_party = max(2, round(12 * scale))
    n_gov = max(3, round(23 * scale))
    n_towns = max(2, round(20 * scale))
    n_inst = max(1, round(5 * scale))
    n_mass = round(3 * scale)
    xw, zf = f"{code}-XW", f"{code}-ZF"
    leaders: list[UnitSpec] = [
        UnitSpec(xw, f"中共{name}委员会", "党委部门", None, (
            PostSpec("SJ", "县委书记", "131", True, 1, False),
            PostSpec("FSJ", "县委副书记", "132", True, 1 if small else 2, True),
            *(() if small else (PostSpec("CW", "县委常委", "132", True, 4, True),)),
        )),
        UnitSpec(zf, f"{name}人民政府", "政府部门", None, (
            PostSpec("XZ", "县长", "131", True, 1, False),
            PostSpec("FXZ", "副县长", "132", True, 2 if small else 5, True),
        )),
    ]
    # Leadership seats first; staff seats then bring the total to ~0.87 × cadres (the rest of
    # the ten-year population is the turnover: retirements replaced by new recruits).
    units: list[tuple[str, str, str, str, list[PostSpec], float]] = []
    for suffix, unit_name, head, deputy, deputies in PARTY_DEPARTMENTS[:n_party]:
        units.append((f"{code}-{suffix}", unit_name, "党委部门", xw, [
            PostSpec("ZZ", head, "141", True, 1, True),
            PostSpec("FZ", deputy, "142", True, 1 if small else deputies, True)], 1.0))
    for suffix, unit_name, head, deputy, deputies in GOVERNMENT_DEPARTMENTS[:n_gov]:
        units.append((f"{code}-{suffix}", unit_name, "政府部门", zf, [
            PostSpec("ZZ", head, "141", True, 1, True),
            PostSpec("FZ", deputy, "142", True, 1 if small else deputies, True)], 1.0))
    for n, (town, kind) in enumerate(TOWNS[:n_towns], start=1):
        street = kind == "街道"
        posts = [PostSpec("SJ", "党工委书记" if street else "党委书记", "141", True, 1, True),
                 PostSpec("ZZ", "办事处主任" if street else ("乡长" if town.endswith("乡") else "镇长"),
                          "141", True, 1, True),
                 PostSpec("FSJ", "党工委副书记" if street else "党委副书记", "142", True, 1, True),
                 PostSpec("FZ", "办事处副主任" if street else ("副乡长" if town.endswith("乡") else "副镇长"),
                          "142", True, 2 if small else 3, True)]
        if not small:
            posts += [PostSpec("JW", "纪委书记" if not street else "纪工委书记", "142", True, 1, True),
                      PostSpec("ZW", "组织委员", "142", True, 1, True)]
        units.append((f"{code}-T{n:02d}", town.replace("城关", name[:2]) if street and n == 1 else town,
                      kind, xw, posts, 1.6))
    for suffix, unit_name, head, deputy in INSTITUTIONS[:n_inst]:
        units.append((f"{code}-{suffix}", unit_name, "事业单位", zf, [
            PostSpec("ZZ", head, "141", True, 1, True), PostSpec("FZ", deputy, "142", True, 1, True)], 0.7))
    for suffix, unit_name, head, deputy in MASS_ORGANISATIONS[:n_mass]:
        units.append((f"{code}-{suffix}", unit_name, "群团", xw, [
            PostSpec("ZZ", head, "141", True, 1, True), PostSpec("FZ", deputy, "142", True, 1, True)], 0.4))
    leadership = sum(p.establishment for u in leaders for p in u.posts) + sum(
        p.establishment for u in units for p in u[4])
    staff = max(len(units), round(cadres * 0.87) - leadership)
    weight = sum(u[5] for u in units)
    specs = list(leaders)
    remaining = staff
    for n, (ucode, uname, kind, parent, posts, w) in enumerate(units):
        share = remaining if n == len(units) - 1 else max(1, round(staff * w / weight))
        share = max(1, min(share, remaining - (len(units) - n - 1))) if remaining > len(units) - n - 1 else 1
        remaining -= share
        specs.append(UnitSpec(ucode, uname, kind, parent, (*posts, _staff(ucode, share))))
    return County(code, name, short, region, tuple(specs))
