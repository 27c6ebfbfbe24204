"""Which reader reads an uploaded file, by its name's suffix (``.xlsx`` here; the ``.lrmx`` reader of
干部任免审批表 plugs in with ``READERS[".lrmx"] = …``). A reader turns bytes into a ``Sheet`` of source
rows; ``run_import`` takes any of them through the same write path and report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

from domain.errors import FieldError, ValidationError
from service.imports import xlsx
from service.imports.report import Sheet

Reader = Callable[[bytes, str | None, str | None], Sheet]  # (data, kind, sheet) -> rows


def _xlsx(data: bytes, kind: str | None, sheet: str | None) -> Sheet:
    return xlsx.read(data, kind=kind, sheet=sheet)


READERS: dict[str, Reader] = {".xlsx": _xlsx}


def read_file(file_name: str, data: bytes, *, kind: str | None = None, sheet: str | None = None) -> Sheet:
    """The rows of an uploaded file, read by the reader of its suffix (400 naming the file otherwise)."""
    suffix = PurePath(file_name).suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        raise ValidationError([FieldError("file", f"不支持的文件类型 (unsupported file type): {suffix or file_name}；"
                                                  f"可导入 {'、'.join(sorted(READERS))}")])
    if not data:
        raise ValidationError([FieldError("file", "文件为空 (the file is empty)")])
    return reader(data, kind, sheet)
