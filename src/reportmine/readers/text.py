"""Plain text and HTML pages, whatever their file name: decoded, then sniffed for HTML."""
from __future__ import annotations

from pathlib import Path

from ..decode import decode_bytes
from ..normalize import HTML_SUFFIXES, looks_like_html
from .texttables import mark_text_tables


def read_text(data: bytes, name: str = ""):
    from . import Source

    decoded = decode_bytes(data)  # DecodeError (empty, binary, undecodable): an error row
    # a page saved as .jsp, .aspx, .php or with no extension is HTML when it looks like HTML
    is_html = Path(name).suffix.lower() in HTML_SUFFIXES or looks_like_html(decoded.text)
    reading = None if is_html else mark_text_tables(decoded.text)
    return Source(text=decoded.text, format="html" if is_html else "text", encoding=decoded.encoding,
                  is_html=is_html, reading_text=reading, warnings=list(decoded.warnings))
