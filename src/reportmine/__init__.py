"""reportmine: metrics an analyst can trust, from Chinese government bureau reports.

    import reportmine
    doc = reportmine.extract_file("report.txt")
    frame = reportmine.to_frame([doc])
"""
__version__ = "0.1.0"

from .errors import DecodeError, LexiconError, ReportmineError  # noqa: E402
from .lexicons import load_lexicons  # noqa: E402
from .pipeline import Pipeline, extract_file, extract_paths, extract_text  # noqa: E402
from .records import Document, Metric  # noqa: E402

__all__ = ["Document", "Metric", "Pipeline", "ReportmineError", "LexiconError", "DecodeError",
           "extract_text", "extract_file", "extract_paths", "to_frame", "panel", "documents_frame", "load_lexicons",
           "__version__"]

_TABLES = {"to_frame", "panel", "documents_frame"}


def __getattr__(name):
    # pandas takes half a second and ~100 MB to import: only the table functions need it, not
    # extraction (nor the batch workers)
    if name in _TABLES:
        from . import aggregate

        return getattr(aggregate, name)
    raise AttributeError(f"module 'reportmine' has no attribute {name!r}")
