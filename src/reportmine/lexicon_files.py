"""Reading lexicon files: safe YAML with duplicate keys and entries rejected (file:line), regular
expressions compiled with the line they came from, and where the shipped lexicons are. Shared by
lexicons.py, indicators.py and metadata.py, which each turn their files into objects."""
from __future__ import annotations

from pathlib import Path

import regex
import yaml

from . import cache
from .cache import content_key
from .errors import LexiconError

# libyaml's parser when PyYAML was built with it (the wheels are): start-up reads ~20 YAML files
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
YAML_CACHE_FORMAT = "yaml/1"

def shipped_lexicon_dir() -> Path:
    """lexicons/ inside the installed wheel, else the repository's top-level lexicons/."""
    inside = Path(__file__).parent / "lexicons"
    if inside.is_dir():
        return inside
    return Path(__file__).resolve().parents[2] / "lexicons"


def load_yaml(path: Path):
    """Parse YAML, rejecting duplicate mapping keys and duplicate scalar list items (file:line).
    A file read before, of the same content, comes from the user cache (cache.py: its data as
    marshal, keyed by the text's hash): parsing the lexicons twice (the duplicate check, then the
    values) took a third of their load time."""
    text = path.read_text(encoding="utf-8")
    name, key = f"yaml-{path.name}", content_key((YAML_CACHE_FORMAT, yaml.__version__, SAFE_LOADER.__name__, text))
    cached = cache.load(name, key)
    if isinstance(cached, tuple) and len(cached) == 2 and cached[0] == YAML_CACHE_FORMAT:
        return cached[1]
    data = _parse_yaml(path, text)
    cache.store(name, key, (YAML_CACHE_FORMAT, data))  # (not stored if marshal cannot hold a value: a date)
    return data


def _parse_yaml(path: Path, text: str):
    try:
        root = yaml.compose(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise LexiconError(path, (mark.line + 1) if mark else 0, f"not valid YAML: {exc}") from None
    if root is not None:
        check_duplicates(path, root)
    return yaml.load(text, Loader=SAFE_LOADER)


def check_duplicates(path, node):
    if isinstance(node, yaml.MappingNode):
        seen = {}
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    raise LexiconError(path, key.start_mark.line + 1,
                                       f"duplicate key {key.value!r} (first on line {seen[key.value]})")
                seen[key.value] = key.start_mark.line + 1
            check_duplicates(path, value)
    elif isinstance(node, yaml.SequenceNode):
        seen = {}
        for item in node.value:
            if isinstance(item, yaml.ScalarNode):
                if item.value in seen:
                    raise LexiconError(path, item.start_mark.line + 1,
                                       f"duplicate entry {item.value!r} (first on line {seen[item.value]})")
                seen[item.value] = item.start_mark.line + 1
            else:
                check_duplicates(path, item)


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    return 0


def compile_expression(path: Path, expression, what: str):
    if not isinstance(expression, str) or not expression:
        raise LexiconError(path, line_of(path, str(expression)), f"{what} must be a non-empty string")
    try:
        return regex.compile(expression)
    except regex.error as exc:
        raise LexiconError(path, line_of(path, expression[:20]), f"bad regular expression in {what}: {exc}") from None


def string_list(path: Path, data, key: str) -> list:
    values = data.get(key, []) if isinstance(data, dict) else []
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        raise LexiconError(path, line_of(path, key + ":"), f"{key} must be a list of non-empty strings")
    return values


def string_map(path: Path, data, key: str, what: str) -> dict:
    mapping = (data.get(key) if isinstance(data, dict) else None) or {}
    if not isinstance(mapping, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()):
        raise LexiconError(path, line_of(path, key), f"{key} must map {what}")
    return mapping
