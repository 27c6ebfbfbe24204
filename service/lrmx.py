"""干部任免审批表 (LRMX): the file offices exchange, built from a growth file and read back.

An ``.lrmx`` file is UTF-8 XML with the root ``<Person>`` and one element per field, named in pinyin
(``XingMing`` 姓名 …). The conventions of the files in circulation (the 任免审批表 3.x software):

* dates are year and month, six digits: ``197805`` (出生年月, 入党时间, 参加工作时间, 计算年龄时间);
* 性别 and 民族 are written out (``男``, ``汉族``), as are 学历 and 学位;
* 入党时间 holds the month a member joined the CPC; for anyone else it holds the political status
  itself (``群众``, ``民盟盟员`` …);
* 简历 is one line per span, ``YYYY.MM--YYYY.MM  单位职务`` (an open span ends ``--``), lines joined
  by a newline;
* 家庭成员 is ``<JiaTingChengYuan>`` with one ``<Item>`` per relative (not held here: left empty).

What the record does not hold is written as an empty element, never invented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from xml.etree import ElementTree as ET

from domain.errors import FieldError, ValidationError

VERSION = "3.2"  # the layout (field set) of the 任免审批表 3.x files this module writes and reads
FIELDS: tuple[str, ...] = (
    "XingMing", "XingBie", "ChuShengNianYue", "MinZu", "JiGuan", "ChuShengDi", "RuDangShiJian",
    "CanJiaGongZuoShiJian", "JianKangZhuangKuang",
    "QuanRiZhiJiaoYu_XueLi", "QuanRiZhiJiaoYu_XueWei", "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi",
    "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi",
    "ZaiZhiJiaoYu_XueLi", "ZaiZhiJiaoYu_XueWei", "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi",
    "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi",
    "XianRenZhiWu", "NiRenZhiWu", "NiMianZhiWu", "JianLi", "JiangChengQingKuang", "NianDuKaoHeJieGuo",
    "RenMianLiYou", "JiaTingChengYuan", "ChengBaoDanWei", "JiSuanNianLingShiJian", "TianBiaoShiJian",
    "TianBiaoRen", "ShenFenZheng", "Version",
)
LABELS: dict[str, str] = {  # the form's own words, for reports and the printed page
    "XingMing": "姓名", "XingBie": "性别", "ChuShengNianYue": "出生年月", "MinZu": "民族", "JiGuan": "籍贯",
    "ChuShengDi": "出生地", "RuDangShiJian": "入党时间", "CanJiaGongZuoShiJian": "参加工作时间",
    "JianKangZhuangKuang": "健康状况", "QuanRiZhiJiaoYu_XueLi": "全日制教育学历",
    "QuanRiZhiJiaoYu_XueWei": "全日制教育学位",
    "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": "全日制教育毕业院校系及专业",
    "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": "全日制教育学位授予院校",
    "ZaiZhiJiaoYu_XueLi": "在职教育学历", "ZaiZhiJiaoYu_XueWei": "在职教育学位",
    "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": "在职教育毕业院校系及专业",
    "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": "在职教育学位授予院校",
    "XianRenZhiWu": "现任职务", "NiRenZhiWu": "拟任职务", "NiMianZhiWu": "拟免职务", "JianLi": "简历",
    "JiangChengQingKuang": "奖惩情况", "NianDuKaoHeJieGuo": "年度考核结果", "RenMianLiYou": "任免理由",
    "JiaTingChengYuan": "家庭主要成员及重要社会关系", "ChengBaoDanWei": "呈报单位",
    "JiSuanNianLingShiJian": "计算年龄时间", "TianBiaoShiJian": "填表时间", "TianBiaoRen": "填表人",
    "ShenFenZheng": "公民身份号码", "Version": "版本",
}
ASSESSMENT_YEARS = 3  # 年度考核结果: the last three years before the form's date
MAX_BYTES = 1_000_000  # a 任免审批表 is a few kilobytes (a photo makes it a few hundred)
CPC = ("01", "02")  # 中共党员, 中共预备党员: 入党时间 is a month
MONTH = re.compile(r"^(\d{4})[.\-/年]?(\d{1,2})月?(?:[.\-/]?(\d{1,2})日?)?$")


def month(day: date | str | None) -> str:
    """``1978-05-20`` → ``197805``; nothing → ``""``."""
    if not day:
        return ""
    value = day if isinstance(day, date) else date.fromisoformat(str(day))
    return f"{value.year:04d}{value.month:02d}"


def dotted(day: date | str | None) -> str:
    """``1978-05-20`` → ``1978.05`` (the form's printed dates and the 简历 lines)."""
    text = month(day)
    return f"{text[:4]}.{text[4:]}" if text else ""


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


@dataclass(frozen=True)
class FormContext:
    """What the growth file alone does not say: names of units, the case, the maker and the day."""

    unit_names: dict[str, str]
    made_by: str
    made_on: date
    proposed: str = ""  # 拟任职务 (from a selection case)
    dismissed: str = ""  # 拟免职务
    grounds: str = ""  # 任免理由


def _education(found: dict[str, Any]) -> dict[str, str]:
    """The highest 学历 of each kind (全日制 / 在职), from the registration and every 学历学位 entry."""
    profile = found["profile"]
    held: list[tuple[str, bool, str, str, str]] = []  # (code, full_time, label, degree, institution)
    if profile.get("education"):
        held.append((str(profile["education"]), bool(profile.get("full_time_education")),
                     str(profile.get("education_label") or ""), "", str(profile.get("major") or "")))
    for item in found["timeline"]:
        if item["type"] == "EducationAttained" and not item["retracted"]:
            f = item["fields"]
            held.append((str(f["education"]), bool(f["full_time"]), str(f.get("education_label") or ""),
                         str(f.get("degree") or ""), str(f.get("institution") or "")))
    out: dict[str, str] = {}
    for prefix, full_time in (("QuanRiZhiJiaoYu", True), ("ZaiZhiJiaoYu", False)):
        kind = sorted((h for h in held if h[1] is full_time), key=lambda h: h[0])  # GB/T 4658: lower is higher
        code, _, label, degree, school = kind[0] if kind else ("", False, "", "", "")
        out |= {f"{prefix}_XueLi": label, f"{prefix}_XueWei": degree,
                f"{prefix}_XueLi_BiYeYuanXiaoXi": school if code else "", f"{prefix}_XueWei_BiYeYuanXiaoXi":
                school if degree else ""}
    return out


def _post_name(post: dict[str, Any], names: dict[str, str]) -> str:
    return f"{names.get(post['unit_code'], post['unit_code'])}{post.get('title') or post['post_code']}"


def resume(found: dict[str, Any], names: dict[str, str]) -> str:
    """简历: one line per post span and per secondment, in the order they began."""
    spans: list[tuple[str, str, str]] = []
    for post in found["posts"]:
        spans.append((post["since"], post.get("until") or "", _post_name(post, names)))
    for s in found["secondments"]:
        spans.append((s["since"], s.get("until") or "", f"{s['host']}{s.get('role') or ''}（{s['kind']}）"))
    spans.sort(key=lambda s: (s[0], s[1] or "9999"))
    return "\n".join(f"{dotted(since)}--{dotted(until)}  {what}" for since, until, what in spans)


def annual_results(found: dict[str, Any], on: date) -> str:
    """年度考核结果 of the three years before ``on``'s year, those recorded (a year not recorded is left out)."""
    years = {str(on.year - n) for n in range(ASSESSMENT_YEARS, 0, -1)}
    by_year = {str(a["period"]): a["grade"] for a in found["assessments"]
               if a.get("kind") == "年度" and str(a.get("period")) in years}
    return "；".join(f"{y}年度{by_year[y]}" for y in sorted(by_year))


def rewards_and_sanctions(found: dict[str, Any]) -> str:
    """奖惩情况: each commendation and sanction in date order, with its grantor or decision number."""
    lines: list[tuple[str, str]] = []
    for r in found["rewards"]:
        f = r["fields"]
        why = f"（{f['reason']}）" if f.get("reason") else ""
        lines.append((r["effective_on"], f"{dotted(r['effective_on'])} 获{f.get('by') or ''}{f['kind']}{why}"))
    for s in found["sanctions"]:
        f = s["fields"]
        what = f"{f['track']}{f['kind']}处分" if s["type"] == "Sanctioned" else str(f["kind"])
        number = f"（{f['decision_no']}）" if f.get("decision_no") else ""
        lines.append((s["effective_on"], f"{dotted(s['effective_on'])} 受{what}{number}"))
    return "\n".join(text for _, text in sorted(lines))


def build_person(found: dict[str, Any], as_of: date, context: FormContext) -> dict[str, str]:
    """The form's fields from a growth file read on ``as_of`` (already masked for the reader)."""
    p = found["profile"]
    status = str(p.get("political_status") or "")
    joined = month(p.get("party_joined_on")) if status in CPC else str(p.get("political_status_label") or "")
    current = [_post_name(post, context.unit_names) for post in found["posts"] if post.get("current")]
    person = dict.fromkeys(FIELDS, "")
    person |= {
        "XingMing": str(p.get("name") or ""), "XingBie": str(p.get("gender_label") or ""),
        "ChuShengNianYue": month(p.get("birth_date")), "MinZu": str(p.get("ethnicity_label") or ""),
        "JiGuan": str(p.get("native_place") or ""), "RuDangShiJian": joined,
        "CanJiaGongZuoShiJian": month(p.get("work_started_on")), **_education(found),
        "XianRenZhiWu": "、".join(current), "NiRenZhiWu": context.proposed, "NiMianZhiWu": context.dismissed,
        "JianLi": resume(found, context.unit_names), "JiangChengQingKuang": rewards_and_sanctions(found),
        "NianDuKaoHeJieGuo": annual_results(found, as_of), "RenMianLiYou": context.grounds,
        "JiSuanNianLingShiJian": month(as_of), "TianBiaoShiJian": context.made_on.strftime("%Y%m%d"),
        "TianBiaoRen": context.made_by, "ShenFenZheng": str(p.get("id_number") or ""), "Version": VERSION,
    }
    return person


def to_xml(person: dict[str, str]) -> bytes:
    """The ``.lrmx`` bytes: every field of ``FIELDS`` in order, empty ones as empty elements."""
    root = ET.Element("Person")
    for name in FIELDS:
        ET.SubElement(root, name).text = person.get(name, "") or None
    ET.indent(root, space="  ")
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


def parse(data: bytes) -> dict[str, str]:
    """An ``.lrmx`` file's fields (element name → text; ``JiaTingChengYuan`` as the count of its items).

    Not UTF-8 XML with a ``<Person>`` root → ``ValidationError`` on ``file``. No DTDs or entities are
    expanded (``ElementTree`` resolves none that are external, and a file declaring any is refused).
    """
    if len(data) > MAX_BYTES:
        raise ValidationError([FieldError("file", f"文件过大 (file larger than {MAX_BYTES} bytes)")])
    if b"<!DOCTYPE" in data[:2048].upper() or b"<!ENTITY" in data.upper():
        raise ValidationError([FieldError("file", "不接受含 DOCTYPE 或实体声明的文件 (DTDs and entities are refused)")])
    try:
        root = ET.fromstring(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ET.ParseError) as error:
        raise ValidationError([FieldError("file", f"不是UTF-8编码的XML文件 (not UTF-8 XML): {error}")]) from None
    if root.tag != "Person":
        raise ValidationError([FieldError("file", f"根元素应为 Person (the root element is <{root.tag}>, "
                                                  "not <Person>)")])
    out: dict[str, str] = {}
    for child in root:
        if child.tag == "JiaTingChengYuan":
            out[child.tag] = str(len(list(child))) if len(child) else ""
        else:
            out[child.tag] = (child.text or "").strip()
    return out


def parse_month(text: str) -> tuple[int, int, int | None] | None:
    """``197805``, ``1978.05``, ``1978-5``, ``1978年5月`` (a day too if given) → (year, month, day?)."""
    match = MONTH.match(text.strip().replace(" ", ""))
    if match is None:
        return None
    year, mon = int(match.group(1)), int(match.group(2))
    if not 1 <= mon <= 12:
        return None
    return year, mon, int(match.group(3)) if match.group(3) else None
