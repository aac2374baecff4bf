"""reportmine: metrics an analyst can trust, from Chinese government bureau reports.

    import reportmine
    for document in reportmine.extract("reports/"):      # files or folders, str or Path
        for metric in document.metrics:
            print(document.doc, metric.text, metric.value, metric.unit, metric.object)
    frame = reportmine.to_frame(reportmine.extract("reports/"))   # pandas, one row per metric
    frame = reportmine.read_table("results.parquet")               # a file written by `reportmine extract`

The library logs through the standard logging module (logger "reportmine") and never configures
logging itself: call logging.basicConfig(level=logging.INFO) to see what it says.
"""
__version__ = "0.1.0"

import logging as _logging

from .errors import DecodeError, LexiconError, ReportmineError  # noqa: E402
from .lexicons import load_lexicons  # noqa: E402
from .pipeline import Pipeline, extract, extract_file, extract_paths, extract_text  # noqa: E402
from .records import Document, Metric, Warning_  # noqa: E402

# the standard practice for a library: a NullHandler, so that nothing is printed unless the
# application configures logging (Python's last-resort handler would print warnings to stderr)
_logging.getLogger(__name__).addHandler(_logging.NullHandler())

__all__ = ["Document", "Metric", "Warning_", "Pipeline", "ReportmineError", "LexiconError", "DecodeError",
           "extract", "extract_text", "extract_file", "extract_paths", "to_frame", "documents_frame", "read_table",
           "panel", "load_lexicons", "__version__"]

_TABLES = {"to_frame", "panel", "documents_frame", "read_table"}


def __getattr__(name):
    # pandas takes half a second and ~100 MB to import: only the table functions need it, not
    # extraction (nor the batch workers)
    if name in _TABLES:
        from . import aggregate

        return getattr(aggregate, name)
    raise AttributeError(f"module 'reportmine' has no attribute {name!r}")
