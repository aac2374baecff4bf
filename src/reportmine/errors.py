"""One root for every error reportmine raises on purpose, so callers can catch them all."""


class ReportmineError(Exception):
    """Base class of the errors that reportmine raises deliberately."""


class LexiconError(ReportmineError):
    """A lexicon file is malformed or holds a duplicate entry; the message starts with file:line."""

    def __init__(self, path, line, message):
        self.path, self.line = str(path), line
        super().__init__(f"{path}:{line}: {message}")


class DecodeError(ReportmineError):
    """The input bytes are not a text document (binary, empty, or no encoding fits)."""


class AlignmentError(ReportmineError):
    """A span in normalized text could not be mapped back to the original text."""
