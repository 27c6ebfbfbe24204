"""National code tables (国家标准代码表) used to validate input and display Chinese labels.

Every table maps a code (always a ``str``, zero-padded exactly as the standard writes it)
to its Chinese label. Codes are matched strictly: ``"1"`` is not ``"01"`` and surrounding
whitespace is not stripped. The tables are read-only (``MappingProxyType``) and keep the
standard's order, so iterating a table lists the codes as the standard does.

Sources (DOMAIN.md §3):

* gender           GB/T 2261.1-2003 人的性别代码
* ethnicity        GB/T 3304-1991 中国各民族名称的罗马字母拼写法和代码
* political_status GB/T 4762-1984 政治面貌代码
* education        GB/T 4658-2006 学历代码 (the whole standard: categories and sub-codes)
* grade            GB/T 12407 职务层次 (the three-digit codes used by DOMAIN.md §3)
* rank             公务员职务与职级并行规定 (2019) 职级序列 (names, no numeric codes)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final

__all__ = [
    "CODE_TABLES",
    "EDUCATION",
    "ETHNICITY",
    "GENDER",
    "GRADES",
    "POLITICAL_STATUS",
    "POLITICAL_STATUS_FULL_NAMES",
    "RANKS",
    "CodeTable",
    "education_category",
    "grade_level",
    "is_principal",
    "label",
    "rank_above",
    "rank_below",
    "rank_index",
    "validate_code",
]


def _frozen(entries: dict[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(entries))


# --- GB/T 2261.1-2003 人的性别代码 -------------------------------------------------------
# The standard's full names are 未知的性别 / 男性 / 女性 / 未说明的性别; DOMAIN.md uses the
# short display labels below.
GENDER: Final[Mapping[str, str]] = _frozen(
    {
        "0": "未知",
        "1": "男",
        "2": "女",
        "9": "未说明",
    }
)

# --- GB/T 3304-1991 中国各民族名称的罗马字母拼写法和代码 -----------------------------------
# The 56 nationalities in the standard's official order, plus 97 and 98. Nothing else.
ETHNICITY: Final[Mapping[str, str]] = _frozen(
    {
        "01": "汉族",
        "02": "蒙古族",
        "03": "回族",
        "04": "藏族",
        "05": "维吾尔族",
        "06": "苗族",
        "07": "彝族",
        "08": "壮族",
        "09": "布依族",
        "10": "朝鲜族",
        "11": "满族",
        "12": "侗族",
        "13": "瑶族",
        "14": "白族",
        "15": "土家族",
        "16": "哈尼族",
        "17": "哈萨克族",
        "18": "傣族",
        "19": "黎族",
        "20": "傈僳族",
        "21": "佤族",
        "22": "畲族",
        "23": "高山族",
        "24": "拉祜族",
        "25": "水族",
        "26": "东乡族",
        "27": "纳西族",
        "28": "景颇族",
        "29": "柯尔克孜族",
        "30": "土族",
        "31": "达斡尔族",
        "32": "仫佬族",
        "33": "羌族",
        "34": "布朗族",
        "35": "撒拉族",
        "36": "毛南族",
        "37": "仡佬族",
        "38": "锡伯族",
        "39": "阿昌族",
        "40": "普米族",
        "41": "塔吉克族",
        "42": "怒族",
        "43": "乌孜别克族",
        "44": "俄罗斯族",
        "45": "鄂温克族",
        "46": "德昂族",
        "47": "保安族",
        "48": "裕固族",
        "49": "京族",
        "50": "塔塔尔族",
        "51": "独龙族",
        "52": "鄂伦春族",
        "53": "赫哲族",
        "54": "门巴族",
        "55": "珞巴族",
        "56": "基诺族",
        "97": "其他",
        "98": "外国血统中国籍人士",
    }
)

# --- GB/T 4762-1984 政治面貌代码 ---------------------------------------------------------
# Display labels are the standard's short names (简称); 12 uses the standard's name
# 无党派民主人士 (as DOMAIN.md does). Full names are kept in POLITICAL_STATUS_FULL_NAMES.
POLITICAL_STATUS: Final[Mapping[str, str]] = _frozen(
    {
        "01": "中共党员",
        "02": "中共预备党员",
        "03": "共青团员",
        "04": "民革会员",
        "05": "民盟盟员",
        "06": "民建会员",
        "07": "民进会员",
        "08": "农工党党员",
        "09": "致公党党员",
        "10": "九三学社社员",
        "11": "台盟盟员",
        "12": "无党派民主人士",
        "13": "群众",
    }
)

POLITICAL_STATUS_FULL_NAMES: Final[Mapping[str, str]] = _frozen(
    {
        "01": "中国共产党党员",
        "02": "中国共产党预备党员",
        "03": "中国共产主义青年团团员",
        "04": "中国国民党革命委员会会员",
        "05": "中国民主同盟盟员",
        "06": "中国民主建国会会员",
        "07": "中国民主促进会会员",
        "08": "中国农工民主党党员",
        "09": "中国致公党党员",
        "10": "九三学社社员",
        "11": "台湾民主自治同盟盟员",
        "12": "无党派民主人士",
        "13": "群众",
    }
)

# --- GB/T 4658-2006 学历代码 -------------------------------------------------------------
# A two-level code: the xx0 entries are the categories (教育层次), the others the outcomes
# (毕业 / 结业 / 肄业). 50 is unused in the 2006 edition; 70 and 80 have no 结业 code.
# DOMAIN.md's short names map to: 11 博士研究生, 14 硕士研究生, 21 大学本科毕业, 31 大专毕业,
# 41 中专, 61 高中, 71 初中, 90 其他.
EDUCATION: Final[Mapping[str, str]] = _frozen(
    {
        "10": "研究生教育",
        "11": "博士研究生毕业",
        "12": "博士研究生结业",
        "13": "博士研究生肄业",
        "14": "硕士研究生毕业",
        "15": "硕士研究生结业",
        "16": "硕士研究生肄业",
        "17": "研究生班毕业",
        "18": "研究生班结业",
        "19": "研究生班肄业",
        "20": "大学本科教育",
        "21": "大学本科毕业",
        "22": "大学本科结业",
        "23": "大学本科肄业",
        "28": "大学普通班毕业",
        "30": "大学专科教育",
        "31": "大学专科毕业",
        "32": "大学专科结业",
        "33": "大学专科肄业",
        "40": "中等职业教育",
        "41": "中等专科毕业",
        "42": "中等专科结业",
        "43": "中等专科肄业",
        "44": "职业高中毕业",
        "45": "职业高中结业",
        "46": "职业高中肄业",
        "47": "技工学校毕业",
        "48": "技工学校结业",
        "49": "技工学校肄业",
        "60": "普通高级中学教育",
        "61": "普通高中毕业",
        "62": "普通高中结业",
        "63": "普通高中肄业",
        "70": "初级中学教育",
        "71": "初中毕业",
        "73": "初中肄业",
        "80": "小学教育",
        "81": "小学毕业",
        "83": "小学肄业",
        "90": "其他",
    }
)

# --- GB/T 12407 职务层次 (post grade) -------------------------------------------------------
GRADES: Final[Mapping[str, str]] = _frozen(
    {
        "111": "省部级正职",
        "112": "省部级副职",
        "121": "厅局级正职",
        "122": "厅局级副职",
        "131": "县处级正职",
        "132": "县处级副职",
        "141": "乡科级正职",
        "142": "乡科级副职",
        "150": "科员级",
        "160": "办事员级",
    }
)

# Seniority of each grade: one step = one grade level (办事员级 1 … 省部级正职 10). Higher is
# more senior. 副职→正职 of the same tier is one step; 下级正职→上级副职 is one step.
_GRADE_LEVELS: Final[Mapping[str, int]] = MappingProxyType(
    {code: len(GRADES) - position for position, code in enumerate(GRADES)}
)
_PRINCIPAL_GRADES: Final[frozenset[str]] = frozenset({"111", "121", "131", "141"})

# --- 职级 (公务员职务与职级并行规定 2019), high to low ---------------------------------------
RANKS: Final[tuple[str, ...]] = (
    "一级巡视员",
    "二级巡视员",
    "一级调研员",
    "二级调研员",
    "三级调研员",
    "四级调研员",
    "一级主任科员",
    "二级主任科员",
    "三级主任科员",
    "四级主任科员",
    "一级科员",
    "二级科员",
)
_RANK_POSITIONS: Final[Mapping[str, int]] = MappingProxyType(
    {rank: position for position, rank in enumerate(RANKS)}
)


@dataclass(frozen=True)
class CodeTable:
    """One code table: the field it validates, its source standard and its entries.

    ``name`` is the field name (``"ethnicity"``), ``standard`` the source (``"GB/T 3304"``),
    ``entries`` the code → label mapping in the standard's order and ``title`` the Chinese
    name of the field used in messages (``"民族"``).
    """

    name: str
    standard: str
    entries: Mapping[str, str] = field(hash=False)
    title: str = ""

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self.entries

    def label(self, code: str) -> str:
        """The Chinese label of ``code``; ``ValueError`` if the code is not in the table."""
        problem = self.validate(code)
        if problem is not None:
            raise ValueError(problem)
        return self.entries[code]

    def validate(self, code: object) -> str | None:
        """``None`` if ``code`` is in the table, otherwise a Chinese + English message."""
        if code in self:
            return None
        title = self.title or self.name
        english = self.name.replace("_", " ")
        return f"{title}代码无效 (invalid {english} code): {code!r}"


CODE_TABLES: Final[dict[str, CodeTable]] = {
    "gender": CodeTable("gender", "GB/T 2261.1", GENDER, "性别"),
    "ethnicity": CodeTable("ethnicity", "GB/T 3304", ETHNICITY, "民族"),
    "political_status": CodeTable("political_status", "GB/T 4762", POLITICAL_STATUS, "政治面貌"),
    "education": CodeTable("education", "GB/T 4658-2006", EDUCATION, "学历"),
    "grade": CodeTable("grade", "GB/T 12407", GRADES, "职务层次"),
    "rank": CodeTable(
        "rank",
        "公务员职务与职级并行规定 (2019)",
        MappingProxyType({rank: rank for rank in RANKS}),
        "职级",
    ),
}


def _table(table_name: str) -> CodeTable:
    try:
        return CODE_TABLES[table_name]
    except KeyError:
        known = ", ".join(CODE_TABLES)
        raise KeyError(
            f"未知代码表 (unknown code table): {table_name!r}; known tables: {known}"
        ) from None


def label(table_name: str, code: str) -> str:
    """Chinese label of ``code`` in the table ``table_name``.

    Raises ``KeyError`` for an unknown table and ``ValueError`` for a code not in the table.
    """
    return _table(table_name).label(code)


def validate_code(table_name: str, code: object) -> str | None:
    """``None`` if ``code`` is valid for ``table_name``, otherwise the error message.

    >>> validate_code("ethnicity", "99")
    "民族代码无效 (invalid ethnicity code): '99'"

    Raises ``KeyError`` for an unknown table (a programming error, not bad input).
    """
    return _table(table_name).validate(code)


def education_category(code: str) -> str:
    """The two-digit category (教育层次) of an education code: ``"14"`` → ``"10"``."""
    problem = CODE_TABLES["education"].validate(code)
    if problem is not None:
        raise ValueError(problem)
    return code[0] + "0"


def rank_index(rank: str) -> int:
    """Position of ``rank`` on the ladder: 0 = 一级巡视员 (highest) … 11 = 二级科员."""
    try:
        return _RANK_POSITIONS[rank]
    except (KeyError, TypeError):
        raise ValueError(CODE_TABLES["rank"].validate(rank)) from None


def rank_below(rank: str) -> str | None:
    """The next lower rank, or ``None`` for the lowest (二级科员)."""
    position = rank_index(rank)
    return RANKS[position + 1] if position + 1 < len(RANKS) else None


def rank_above(rank: str) -> str | None:
    """The next higher rank, or ``None`` for the highest (一级巡视员)."""
    position = rank_index(rank)
    return RANKS[position - 1] if position > 0 else None


def grade_level(code: str) -> int:
    """Seniority of a post grade: 160 办事员级 = 1 … 111 省部级正职 = 10.

    One step is one grade level (132 县处级副职 → 131 县处级正职 is +1, 141 乡科级正职 → 132
    县处级副职 is +1), so ``grade_level(new) - grade_level(old)`` is the number of levels a
    move crosses (R-LEAP: never more than 1). Codes in ascending order have descending levels.
    """
    try:
        return _GRADE_LEVELS[code]
    except (KeyError, TypeError):
        raise ValueError(CODE_TABLES["grade"].validate(code)) from None


def is_principal(code: str) -> bool:
    """True for a 正职 grade (111, 121, 131, 141); False for 副职 and 科员级/办事员级."""
    grade_level(code)  # validates
    return code in _PRINCIPAL_GRADES
