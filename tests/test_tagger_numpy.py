"""The figure tagger read in NumPy (tagger.FigureNetwork, best_spans) gives the readings of the
torch network it was trained as (train.build_network), and extraction never imports torch."""
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from conftest import CORPUS, ROOT

from reportmine.extract_model import DEFAULT_MODEL_DIR, load_tagger
from reportmine.tagger import CONFIG_FILE, MAX_SPAN, WEIGHTS_FILE, FigureTagger, encode

for needed in ("safetensors", "threadpoolctl"):
    pytest.importorskip(needed, reason="install the model extra: pip install -e '.[model]'")


def torch_best_spans(start_logp, end_logp, windows):
    """best_spans as it was written in torch before the NumPy reader: the reference."""
    import torch

    width = start_logp.shape[1] - 1
    starts, ends = start_logp[:, 1:], end_logp[:, 1:]
    i = torch.arange(width).unsqueeze(1)
    j = i + torch.arange(MAX_SPAN).unsqueeze(0)
    scores = starts.unsqueeze(2) + ends[:, j.clamp(max=width - 1)]
    lengths = torch.tensor([len(w.chars) for w in windows]).view(-1, 1, 1)
    left = torch.tensor([w.figure_start - w.start for w in windows]).view(-1, 1, 1)
    right = torch.tensor([w.figure_end - w.start for w in windows]).view(-1, 1, 1)
    valid = (j.unsqueeze(0) < lengths) & ~((i.unsqueeze(0) < right) & (j.unsqueeze(0) >= left))
    flat = scores.masked_fill(~valid, float("-inf")).flatten(1)
    none = start_logp[:, 0] + end_logp[:, 0]
    total = torch.logsumexp(torch.cat([flat, none.unsqueeze(1)], dim=1), dim=1)
    best_score, best = flat.max(dim=1)
    out = []
    for row, w in enumerate(windows):
        score = best_score[row]
        if not torch.isfinite(score) or none[row] >= score:
            out.append((None, float(torch.exp(none[row] - total[row]))))
            continue
        a, k = divmod(int(best[row]), MAX_SPAN)
        out.append(((w.start + a, w.start + a + k + 1), float(torch.exp(score - total[row]))))
    return out


def torch_readings(network, tagger: FigureTagger, windows, batch_size: int = 64) -> list:
    """(p_metric, object span, p_object, action span, p_action) of each window by the torch network,
    in the batches FigureTagger.read makes, on one thread as extraction ran it."""
    import torch

    out = [None] * len(windows)
    order = sorted(range(len(windows)), key=lambda i: len(windows[i].chars))
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with torch.inference_mode():
            for first in range(0, len(order), batch_size):
                indices = order[first:first + batch_size]
                batch = [windows[i] for i in indices]
                metric, pointers = network(*(torch.from_numpy(ids) for ids in encode(batch, tagger.chars, tagger.tags)))
                logp = torch.log_softmax(pointers, dim=1)
                p_metric = torch.sigmoid(metric).tolist()
                objects = torch_best_spans(logp[:, :, 0], logp[:, :, 1], batch)
                actions = torch_best_spans(logp[:, :, 2], logp[:, :, 3], batch)
                for row, i in enumerate(indices):
                    out[i] = (p_metric[row], *objects[row], *actions[row])
    finally:
        torch.set_num_threads(threads)
    return out


@pytest.fixture(scope="module")
def corpus_windows():
    """Every window the default extractor reads over corpus/docs, as it reads them (recorded from
    the pipeline itself)."""
    from reportmine import Pipeline

    pipeline = Pipeline()
    recorded = []
    tagger = pipeline.model.tagger

    class Recording:
        def read(self, windows):
            recorded.extend(windows)
            return tagger.read(windows)

    pipeline.model.tagger = Recording()
    for path in sorted((CORPUS / "docs").iterdir()):
        pipeline.extract_file(path)
    return recorded


def test_numpy_readings_are_the_torch_networks_on_every_corpus_window(corpus_windows):
    pytest.importorskip("torch", reason="the torch reference needs the train extra: pip install -e '.[train]'")
    from safetensors.torch import load_file

    from reportmine.train import build_network

    tagger = load_tagger(DEFAULT_MODEL_DIR)
    network = build_network(tagger.sizes, len(tagger.chars.items), len(tagger.tags.items))
    network.load_state_dict(load_file(str(DEFAULT_MODEL_DIR / WEIGHTS_FILE)), strict=True)
    network.eval()
    assert len(corpus_windows) > 1000
    expected = torch_readings(network, tagger, corpus_windows)
    got = tagger.read(corpus_windows)
    for window, reading, (p_metric, object_span, p_object, action_span, p_action) in zip(corpus_windows, got, expected):
        where = (window.start, window.figure_start, window.figure_end)
        assert (reading.object_span, reading.action_span) == (object_span, action_span), where
        assert reading.p_metric == pytest.approx(p_metric, abs=1e-4), where
        assert reading.p_object == pytest.approx(p_object, abs=1e-4), where
        assert reading.p_action == pytest.approx(p_action, abs=1e-4), where


def test_a_windows_reading_does_not_depend_on_its_batch(corpus_windows):
    tagger = load_tagger(DEFAULT_MODEL_DIR)
    sample = corpus_windows[::25]
    together = tagger.read(sample)
    alone = [tagger.read([w])[0] for w in sample]
    for a, b in zip(together, alone):
        assert (a.object_span, a.action_span) == (b.object_span, b.action_span)
        assert [a.p_metric, a.p_object, a.p_action] == pytest.approx([b.p_metric, b.p_object, b.p_action], abs=1e-5)


def test_a_weights_file_of_another_shape_is_refused(tmp_path):
    from safetensors.numpy import load_file, save_file

    from reportmine.extract_model import ModelUnavailable

    (tmp_path / CONFIG_FILE).write_bytes((DEFAULT_MODEL_DIR / CONFIG_FILE).read_bytes())
    weights = load_file(str(DEFAULT_MODEL_DIR / WEIGHTS_FILE))
    weights["pointers.weight"] = weights["pointers.weight"][:, :10]
    save_file(weights, str(tmp_path / WEIGHTS_FILE))
    with pytest.raises(ModelUnavailable, match="pointers.weight"):
        load_tagger(tmp_path)
    del weights["pointers.weight"]
    save_file(weights, str(tmp_path / WEIGHTS_FILE))
    with pytest.raises(ModelUnavailable, match="pointers.weight"):
        load_tagger(tmp_path)


def test_saving_writes_the_weights_file_it_read(tmp_path):
    tagger = load_tagger(DEFAULT_MODEL_DIR)
    tagger.save(tmp_path)
    assert (tmp_path / WEIGHTS_FILE).read_bytes() == (DEFAULT_MODEL_DIR / WEIGHTS_FILE).read_bytes()
    assert all(array.dtype == np.float32 for array in tagger.network.weights.values())


def test_extraction_with_the_default_extractor_never_imports_torch():
    script = textwrap.dedent("""
        import sys
        from reportmine import Pipeline
        pipeline = Pipeline()
        assert pipeline.extractor == "combined" and pipeline.model is not None, "no model loaded"
        document = pipeline.extract_text("今年以来，全县共检查企业128家次，发现安全隐患242项。")
        assert document.metrics and all(0 < m.confidence < 1 for m in document.metrics), "the model did not read"
        assert "torch" not in sys.modules, "torch was imported"
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
