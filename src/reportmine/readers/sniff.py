"""What a file is, from its first bytes (and its name only where the bytes leave it open).

Bureau sites serve documents under any name: a PDF behind download.jsp, an article saved as
.aspx, .shtml or with no extension at all. So the bytes decide: a PDF, a zip (DOCX, XLSX, ODS,
ODT, or another archive), an OLE compound file (legacy .doc, .wps, .xls), RTF, an image or other
media, and otherwise text (HTML or plain, found when it is decoded).
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Optional

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# the names of an OLE file's main streams, as its directory stores them (UTF-16LE)
OLE_STREAMS = (("Workbook", "xls"), ("Book", "xls"), ("WordDocument", "doc"), ("WpsDocument", "wps"),
               ("PowerPoint Document", "ppt"))
LEGACY_WORD_SUFFIXES = {".wps": "wps", ".doc": "doc", ".dot": "doc", ".wpt": "wps"}
LEGACY_SHEET_SUFFIXES = {".xls", ".et", ".xlt", ".ett"}

# (magic bytes, format, reason it is not read)
MEDIA = (
    (b"\x89PNG\r\n\x1a\n", "png", "image"), (b"\xff\xd8\xff", "jpeg", "image"), (b"GIF87a", "gif", "image"),
    (b"GIF89a", "gif", "image"), (b"II*\x00", "tiff", "image"), (b"MM\x00*", "tiff", "image"),
    (b"BM", "bmp", "image"), (b"\x00\x00\x01\x00", "ico", "image"),
    (b"Rar!\x1a\x07", "rar", "archive"), (b"7z\xbc\xaf\x27\x1c", "7z", "archive"), (b"\x1f\x8b", "gzip", "archive"),
    (b"BZh", "bzip2", "archive"), (b"\xfd7zXZ\x00", "xz", "archive"),
    (b"MZ", "exe", "program"), (b"\x7fELF", "elf", "program"),
    (b"ID3", "mp3", "audio or video"), (b"OggS", "ogg", "audio or video"), (b"fLaC", "flac", "audio or video"),
    (b"FWS", "swf", "program"), (b"CWS", "swf", "program"),
    (b"wOFF", "woff", "font"), (b"wOF2", "woff2", "font"),
)
# files a saved web page brings along (its _files/ folder): not documents, whatever they hold
RESOURCE_SUFFIXES = {".css": "stylesheet", ".js": "script", ".mjs": "script", ".map": "source map",
                     ".ttf": "font", ".otf": "font", ".eot": "font", ".woff": "font", ".woff2": "font",
                     ".ico": "icon", ".svg": "image", ".webp": "image", ".mp4": "video", ".avi": "video",
                     ".wmv": "video", ".mov": "video", ".flv": "video", ".mp3": "audio", ".wav": "audio"}
# an uncompressed size past this is a zip bomb, not a report
MAX_UNZIPPED_BYTES = 1 << 30


@dataclass(frozen=True)
class Kind:
    format: str
    skip: Optional[str] = None  # why the file is not read (a skipped row), None when it is read
    error: Optional[str] = None  # why the file cannot be read although it claims a format (an error row)


def _skip(format: str, what: str, detail: str) -> Kind:
    # the reason first (image, archive ...), then the detail: the batch summary counts by reason
    return Kind(format, f"{what}: not a document, {detail}")


def sniff(data: bytes, suffix: str = "") -> Kind:
    head = data[:2048]
    if b"%PDF-" in head[:1024]:
        return Kind("pdf")
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(data, suffix)
    if head.startswith(OLE_MAGIC):
        return _ole_kind(data, suffix)
    if head.lstrip().startswith(b"{\\rtf"):
        return Kind("rtf")
    for magic, format, what in MEDIA:
        if head.startswith(magic):
            if format == "bmp" and len(head) > 14 and head[6:10] != b"\x00\x00\x00\x00":
                continue  # "BM" starting a text is no bitmap: its reserved bytes are zero
            return _skip(format, what, f"{format} file, no text to read"
                         + (" (reportmine does not OCR images)" if what == "image" else
                            "; unpack it and give the folder" if what == "archive" else ""))
    if head[4:8] == b"ftyp":
        return _skip("mp4", "audio or video", "no text to read")
    if head.startswith(b"RIFF") and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return _skip(head[8:12].decode().strip().lower(), "image" if head[8:12] == b"WEBP" else "audio or video",
                     "no text to read")
    if suffix in RESOURCE_SUFFIXES:
        what = RESOURCE_SUFFIXES[suffix]
        return _skip(suffix[1:], what, f"a {what} file, such as a saved page brings along")
    return Kind("text")


OFFICE_ZIP_SUFFIXES = {".docx": "docx", ".docm": "docx", ".xlsx": "xlsx", ".xlsm": "xlsx", ".ods": "ods", ".odt": "odt"}


def _zip_kind(data: bytes, suffix: str) -> Kind:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        unzipped = sum(info.file_size for info in archive.infolist())
        mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip() if "mimetype" in names else ""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, KeyError, RuntimeError, NotImplementedError) as exc:
        # an Office file is a zip: one that does not open is a broken document
        format = OFFICE_ZIP_SUFFIXES.get(suffix, "zip")
        return Kind(format, error=f"malformed {format.upper()} file: its zip container does not open ({exc})")
    format = None
    if "word/document.xml" in names:
        format = "docx"
    elif "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        format = "xlsx"
    elif mimetype == "application/vnd.oasis.opendocument.spreadsheet":
        format = "ods"
    elif mimetype == "application/vnd.oasis.opendocument.text":
        format = "odt"
    elif "ppt/presentation.xml" in names or mimetype.startswith("application/vnd.oasis.opendocument.presentation"):
        return _skip("pptx", "presentation", "slides are not read; save them as PDF")
    if format is None:
        return _skip("zip", "archive", "a zip archive; unpack it and give the folder")
    if unzipped > MAX_UNZIPPED_BYTES:
        return Kind(format, error=f"malformed {format.upper()} file: {unzipped:,} bytes when unpacked (a zip bomb?)")
    return Kind(format)


def _ole_kind(data: bytes, suffix: str) -> Kind:
    """The OLE directory names its streams in UTF-16LE: the main stream tells the format. (No
    OLE parser is needed for that; the directory sits anywhere in the file, so all of it is
    searched, which costs a few milliseconds for a large file.)"""
    for stream, format in OLE_STREAMS:
        if stream.encode("utf-16-le") + b"\x00\x00" in data:
            if format == "ppt":
                return _skip("ppt", "presentation", "slides are not read; save them as PDF")
            if format == "doc" and suffix in (".wps", ".wpt"):
                return Kind("wps")
            return Kind(format)
    if suffix in LEGACY_SHEET_SUFFIXES:
        return Kind("xls")
    if suffix in LEGACY_WORD_SUFFIXES:
        return Kind(LEGACY_WORD_SUFFIXES[suffix])
    return _skip("ole", "unknown Office file", "an OLE compound file of no known kind")
