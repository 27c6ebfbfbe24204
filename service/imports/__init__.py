"""导入台账: files an office already keeps (Excel 台账 …) imported through the one write path.

``read_file`` (``readers.py``) turns a file into source rows, ``run_import`` (``runner.py``) takes
them through ``Jishi.handle`` and answers the per-row ``ImportReport`` (``report.py``); the kinds
of 台账 and their templates are in ``kinds.py`` and ``xlsx.py``.
"""

from __future__ import annotations

from service.imports.kinds import KINDS, Kind, kind_of
from service.imports.readers import READERS, Reader, read_file
from service.imports.report import ImportFile, ImportReport, RowProblem, Sheet, SourceRow
from service.imports.runner import import_file, problems_of, run_import

__all__ = ["KINDS", "READERS", "ImportFile", "ImportReport", "Kind", "Reader", "RowProblem", "Sheet", "SourceRow",
           "import_file", "kind_of", "problems_of", "read_file", "run_import"]
