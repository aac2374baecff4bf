"""Legacy word-processor files (.doc, Kingsoft .wps, .rtf, .odt): converted to DOCX by
LibreOffice, headless, then read as DOCX.

Without LibreOffice (`soffice` on PATH) such a file is a skipped row whose reason gives the
command that converts it. The conversion runs with a time limit (its whole process group is
killed past it), in a private LibreOffice profile per process (two workers never share one),
and that profile forbids macros: nothing in a document is executed.
"""
from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Optional

# seconds one conversion may take (a first start builds the profile, a few seconds)
CONVERT_TIMEOUT = 120
SUFFIX = {"doc": ".doc", "wps": ".wps", "rtf": ".rtf", "odt": ".odt"}
# the profile's settings: macros never run, whatever the document asks
NO_MACROS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
</oor:items>
"""

_profile: Optional[Path] = None


def soffice() -> Optional[str]:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _private_profile() -> Path:
    global _profile
    if _profile is None or not _profile.exists():
        _profile = Path(tempfile.mkdtemp(prefix="reportmine-soffice-"))
        (_profile / "user").mkdir()
        (_profile / "user" / "registrymodifications.xcu").write_text(NO_MACROS, encoding="utf-8")
        atexit.register(shutil.rmtree, _profile, True)
    return _profile


def convert_to_docx(data: bytes, format: str, timeout: float = CONVERT_TIMEOUT) -> bytes:
    from . import Skipped, UnreadableDocument

    program = soffice()
    suffix = SUFFIX[format]
    if program is None:
        raise Skipped(f"needs LibreOffice: legacy {format.upper()} files are converted with it, and soffice is not on "
                      f"PATH (apt-get install libreoffice-writer-nogui, or convert it yourself: "
                      f"soffice --headless --convert-to docx FILE{suffix})", format=format)
    with tempfile.TemporaryDirectory(prefix="reportmine-convert-") as folder:
        source = Path(folder) / f"document{suffix}"
        source.write_bytes(data)
        command = [program, f"-env:UserInstallation={_private_profile().as_uri()}", "--headless", "--norestore",
                   "--nolockcheck", "--convert-to", "docx", "--outdir", folder, str(source)]
        # a session of its own, so a time-out ends soffice.bin too, not only the launcher script
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise UnreadableDocument(f"LibreOffice did not convert this {format.upper()} file within {timeout:.0f} s",
                                     format=format) from None
        converted = Path(folder) / "document.docx"
        if not converted.exists():
            said = output.decode("utf-8", "replace").strip().splitlines()
            raise UnreadableDocument(f"LibreOffice could not convert this {format.upper()} file"
                                     + (f" ({said[-1]})" if said else ""), format=format)
        return converted.read_bytes()


def read_legacy(data: bytes, format: str):
    from .word import read_docx

    source = read_docx(convert_to_docx(data, format))
    source.format = format
    return source
