"""Every file a bureau folder holds, turned into the text the extractor reads.

A file's format is found from its bytes, not its name (a PDF saved as download.jsp is a PDF, a
page saved as .aspx or without an extension is HTML or text). Each reader returns a Source: the
text that metric offsets index and the report shows, and, for PDFs, where each page begins.

What cannot be read is said, never passed over: a malformed file raises UnreadableDocument (an
`error` row), a file that holds no text to read or needs something not installed raises Skipped
(a `skipped` row whose reason names the fix: `install reportmine[pdf]`, the LibreOffice command).
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..errors import ReportmineError
from .sniff import sniff

__all__ = ["Source", "Skipped", "UnreadableDocument", "read_source", "read_path", "sniff", "reason_key"]


class Skipped(ReportmineError):
    """The file is not read, and that is no fault of its content: an image, an archive, a scanned
    PDF, or a format whose reader is not installed. The message says why and what would read it;
    its first words, up to a colon, are the reason the batch summary counts."""

    def __init__(self, message: str, format: Optional[str] = None):
        super().__init__(message)
        self.format = format


class UnreadableDocument(ReportmineError):
    """The file claims a format it does not hold (a truncated PDF, a DOCX that is no zip, an XLSX
    whose XML is broken): an error row."""

    def __init__(self, message: str, format: Optional[str] = None):
        super().__init__(message)
        self.format = format


@dataclass
class Source:
    """A file read into text. `text` is what offsets index and what the report shows;
    `reading_text`, when set, is the same text with the cells of its plain-text tables marked by
    tabs (same length, character for character elsewhere), which is what the extractor reads."""

    text: str
    format: str
    encoding: Optional[str] = None
    is_html: Optional[bool] = None
    reading_text: Optional[str] = None
    page_starts: list = field(default_factory=list)  # offset in text where each page begins (PDF)
    warnings: list = field(default_factory=list)


# the extra that brings each optional reader, and the module it needs
EXTRAS = {"pdf": ("pypdfium2", "pdf"), "sheet": ("python_calamine", "office"), "docx": ("docx", "office")}


def require(module: str, extra: str, what: str):
    """Import an optional reader, or skip the file saying which extra installs it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise Skipped(f"install reportmine[{extra}]: reading {what} needs the `{extra}` extra "
                      f"(pip install 'reportmine[{extra}]')", format=what.split()[0].lower()) from None


def read_source(data: bytes, name: str = "") -> Source:
    """Read a file's bytes; `name` (a path or file name) only helps where the bytes cannot tell
    (an HTML page named .html is HTML whatever it looks like; an OLE file names no format)."""
    kind = sniff(data, Path(name).suffix.lower())
    if kind.error:
        raise UnreadableDocument(kind.error, format=kind.format)
    if kind.skip:
        raise Skipped(kind.skip, format=kind.format)
    if kind.format == "pdf":
        from .pdf import read_pdf

        return read_pdf(data)
    if kind.format == "docx":
        from .word import read_docx

        return read_docx(data)
    if kind.format in ("xlsx", "xls", "ods"):
        from .sheets import read_sheets

        return read_sheets(data, kind.format)
    if kind.format in ("doc", "wps", "rtf", "odt"):
        from .legacy import read_legacy

        return read_legacy(data, kind.format)
    from .text import read_text

    return read_text(data, name)


def reason_key(message: str) -> str:
    """The reason a summary counts a failed or skipped file under: its message up to the first
    colon or bracket (file too large: 70,000,000 bytes ... -> file too large; empty file (0 bytes)
    -> empty file; scanned PDF: no text layer ... -> scanned PDF)."""
    ends = [i for i in (message.find(": "), message.find(" (")) if i > 0]
    return message[:min(ends)].strip() if ends else message.strip()


def read_path(path) -> Source:
    return read_source(Path(path).read_bytes(), str(path))
