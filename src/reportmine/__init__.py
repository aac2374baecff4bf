"""reportmine: metrics an analyst can trust, from Chinese government bureau reports.

    import reportmine
    doc = reportmine.extract_file("report.txt")
    frame = reportmine.to_frame([doc])
"""
__version__ = "0.1.0"

from .aggregate import documents_frame, panel, to_frame  # noqa: E402
from .errors import DecodeError, LexiconError, ReportmineError  # noqa: E402
from .lexicons import load_lexicons  # noqa: E402
from .pipeline import Pipeline, extract_file, extract_paths, extract_text  # noqa: E402
from .records import Document, Metric  # noqa: E402

__all__ = ["Document", "Metric", "Pipeline", "ReportmineError", "LexiconError", "DecodeError",
           "extract_text", "extract_file", "extract_paths", "to_frame", "panel", "documents_frame", "load_lexicons",
           "__version__"]
