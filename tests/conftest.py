import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = Path(os.environ.get("REPORTMINE_SHARED", ROOT.parent / "shared"))
SEEDS = SHARED / "seeds"
SEED_GOLD = SHARED / "gold"


def need_seeds():
    if not SEEDS.is_dir() or not SEED_GOLD.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS} (set REPORTMINE_SHARED to the shared folder)")


@pytest.fixture(scope="session")
def pipeline():
    from reportmine import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def rules_pipeline():
    """The rule extractor alone: what the rules' regression figures are recorded for (the default,
    combined, adds the tagger, which was trained on corpus/ and so cannot be judged on it)."""
    from reportmine import Pipeline

    return Pipeline(extractor="rules")


@pytest.fixture(scope="session")
def lexicons():
    from reportmine import load_lexicons

    return load_lexicons()
