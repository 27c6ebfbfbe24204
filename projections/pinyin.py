"""姓名的拼音与首字母 (search keys): ``黄柳`` → ``huangliu`` / ``hl``, the surname read as a surname.

pypinyin reads a name as ordinary text: 单 dan, 曾 ceng, 解 jie, 仇 chou. Its Python package has no
surname mode (the JavaScript ``pinyin`` has one), so the surname is looked up here first — the
two-character surnames, then the single characters whose surname reading differs from the common
one — and the given name is read by pypinyin (with its phrase dictionary). Computed once per name at
projection time (``projections/derive.py``), never on a request."""

from __future__ import annotations

import re
from functools import lru_cache

# 复姓: read as a whole (the common reading of each character is often wrong: 万俟 mò qí, 尉迟 yù chí)
COMPOUND_SURNAMES: dict[str, tuple[str, str]] = {
    "万俟": ("mo", "qi"), "尉迟": ("yu", "chi"), "单于": ("chan", "yu"), "长孙": ("zhang", "sun"),
    "澹台": ("tan", "tai"), "令狐": ("ling", "hu"), "欧阳": ("ou", "yang"), "司马": ("si", "ma"),
    "上官": ("shang", "guan"), "诸葛": ("zhu", "ge"), "皇甫": ("huang", "fu"), "东方": ("dong", "fang"),
    "夏侯": ("xia", "hou"), "慕容": ("mu", "rong"), "宇文": ("yu", "wen"), "公孙": ("gong", "sun"),
    "司徒": ("si", "tu"), "司空": ("si", "kong"), "轩辕": ("xuan", "yuan"), "钟离": ("zhong", "li"),
    "呼延": ("hu", "yan"), "端木": ("duan", "mu"), "百里": ("bai", "li"), "南宫": ("nan", "gong"),
}
# 多音字作姓: the surname reading (单 shàn, 曾 zēng …), where pypinyin's reading of the lone character
# differs or is not reliably the surname's
SURNAMES: dict[str, str] = {
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "朴": "piao", "查": "zha", "区": "ou",
    "乐": "yue", "盖": "ge", "缪": "miao", "召": "shao", "员": "yun", "种": "chong", "折": "she",
    "繁": "po", "覃": "qin", "翟": "zhai", "秘": "bi", "冼": "xian", "句": "gou", "宓": "fu",
    "谌": "chen", "隗": "wei", "藏": "zang", "阚": "kan", "沈": "shen", "褚": "chu", "任": "ren",
    "华": "hua", "纪": "ji", "燕": "yan", "应": "ying", "尉": "yu", "长": "chang", "重": "chong",
    "薄": "bo", "柏": "bai", "卜": "bu", "曲": "qu", "都": "du", "舍": "she", "占": "zhan", "奚": "xi",
    "郇": "xun", "贲": "ben", "过": "guo", "眭": "sui",
}
_NOT_LETTERS = re.compile(r"[^a-z]")


def _syllables(name: str) -> list[str]:
    name = name.strip()
    if not name:
        return []
    head = name[:2]
    if head in COMPOUND_SURNAMES:
        surname, rest = list(COMPOUND_SURNAMES[head]), name[2:]
    elif name[0] in SURNAMES:
        surname, rest = [SURNAMES[name[0]]], name[1:]
    else:
        surname, rest = [], name
    from pypinyin import Style, lazy_pinyin  # imported when first needed: its dictionaries take a second to load

    # non-Han characters (a · in a minority name, Latin letters) pass through; keep letters only
    read = [_NOT_LETTERS.sub("", s.lower()) for s in lazy_pinyin(rest, style=Style.NORMAL, v_to_u=False)]
    return [s for s in surname + read if s]


# a rebuild asks again for a cadre's name each time its spans move; 4,096 names ≈ 1.2 MB (65,536 held 18 MB at L)
@lru_cache(maxsize=4_096)
def name_keys(name: str) -> tuple[str, str]:
    """(全拼, 首字母) of a name: ``("shanxiongxin", "sxx")`` for 单雄信."""
    syllables = _syllables(name)
    return "".join(syllables), "".join(s[0] for s in syllables)


def is_latin_query(text: str) -> bool:
    """Whether a query can be pinyin or initials: letters only (spaces and apostrophes ignored)."""
    return bool(text) and fold_query(text).isascii() and fold_query(text).isalpha()


def fold_query(text: str) -> str:
    """A typed pinyin query as stored: lower case, no spaces or apostrophes (``Huang Liu`` → ``huangliu``)."""
    return re.sub(r"[\s'’]", "", text).lower()
