"""The figure tagger: a small network that reads ONE figure in its sentence and says whether it is
a metric, which words are its object and which its action, each with a probability.

Figure-relative: the numeral grammar (numbers.py, with the listed and table readings of rules/)
proposes the figures; the network reads each one in a window of its sentence where every character
carries its distance to that figure, so one sentence with five figures is five readings, each
pointing at its own object and action (检查企业128家次，发现隐患242项: 企业/检查 for the first,
隐患/发现 for the second).

Per character the network sees: the character (digits as 0, whitespace as ␣), the jieba word it
belongs to (its place in the word, B/M/E/S, with the word's part of speech), its distance to the
figure (in buckets) and whether it belongs to this figure or another one. A BiLSTM reads the
window; three heads answer:
- metric: p(the figure is a metric), from the figure's own states and the window's;
- object and action: each a start and an end pointer over the window's characters, plus "none";
  a reading's probability is normalized over every span it could have chosen (at most MAX_SPAN
  characters, never the figure's own), so "none" competes with the spans.

Trained in torch (train.py) and read here in NumPy (FigureNetwork: the same forward pass from the
same weights), so extraction never imports torch. Saved as two files, nothing else read:
config.json (sizes and vocabularies) and weights.safetensors (tensors only: no pickle, so a model
folder cannot run code when loaded).
"""
from __future__ import annotations

import json
import math
import os
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

import numpy as np
import regex

from .rules.grammar import CLAUSE_BREAK, SENTENCE_BREAK

CONFIG_FILE = "config.json"
WEIGHTS_FILE = "weights.safetensors"
FORMAT = "reportmine-figure-tagger/1"
WINDOW_LEFT, WINDOW_RIGHT = 80, 40  # objects and acts stand mostly before their figure
MAX_SPAN = 16  # the longest object or action read (characters); longer gold names are read in part
DIGIT = regex.compile(r"[0-9]")
SPACE = regex.compile(r"\s")
PAD, UNKNOWN = "<pad>", "<unk>"
# distance to the figure, in characters, bucketed: exact near the figure, coarser further away
DISTANCE_EDGES = (1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 19, 24, 30, 38, 48, 60, 80)
ROLE_OTHER, ROLE_FIGURE, ROLE_OTHER_FIGURE = 1, 2, 3  # 0 is padding


class UnsafeModel(ValueError):
    """A model folder that holds something other than the two expected files' formats."""


# ---- what the network reads ----------------------------------------------------------------
def model_chars(text: str) -> list[str]:
    """The characters the network sees: digits as 0, whitespace as ␣ (one char per char)."""
    return list(SPACE.sub("␣", DIGIT.sub("0", text)))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Half-open sentence spans of text (a break character ends its sentence), blank ones skipped."""
    spans, start = [], 0
    for match in SENTENCE_BREAK.finditer(text):
        spans.append((start, match.end()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def distance_bucket(position: int, start: int, end: int) -> int:
    """1..len(EDGES)+1 left of the figure, the next as many right of it, the last inside it."""
    n = len(DISTANCE_EDGES) + 1
    if start <= position < end:
        return 2 * n + 1
    distance = start - position if position < start else position - end + 1
    bucket = bisect_right(DISTANCE_EDGES, distance)  # 1 for a neighbour
    return bucket if position < start else n + bucket


def _bucket_table(size: int) -> list:
    return [bisect_right(DISTANCE_EDGES, distance) for distance in range(size)]


_BUCKETS = _bucket_table(256)  # bisect_right(DISTANCE_EDGES, distance), by distance


def distance_buckets(w_start: int, w_end: int, start: int, end: int) -> list:
    """[distance_bucket(p, start, end) for p in range(w_start, w_end)], by table look-ups."""
    n = len(DISTANCE_EDGES) + 1
    table = _BUCKETS if max(start - w_start, w_end - end) < len(_BUCKETS) else _bucket_table(max(start - w_start, w_end - end) + 1)
    inside = 2 * n + 1
    left = [table[start - p] for p in range(w_start, min(start, w_end))]
    middle = [inside] * (min(end, w_end) - max(start, w_start)) if min(end, w_end) > max(start, w_start) else []
    right = [n + table[p - end + 1] for p in range(max(end, w_start), w_end)]
    return left + middle + right


@dataclass
class Window:
    """One figure's reading frame: text[start:end] around the figure at (figure_start, figure_end)."""

    start: int
    end: int
    figure_start: int
    figure_end: int
    chars: list
    tags: list  # one word tag per character: B-v, E-n ...
    distances: list
    roles: list


class SpanIndex:
    """Spans (start, end), sorted once, for the few that may overlap a range: found by bisection
    from the range's start less the longest span, not by a pass over all of them."""

    def __init__(self, spans):
        self.spans = sorted(spans)
        self.starts = [start for start, _ in self.spans]
        self.longest = max((end - start for start, end in self.spans), default=0)

    def near(self, lo: int, hi: int) -> list:
        """The spans that start before hi and are long enough to reach lo (each still to be tested
        for an overlap)."""
        return self.spans[bisect_left(self.starts, lo - self.longest):bisect_left(self.starts, hi)]


class WindowBuilder:
    """Windows for the figures of one text; each sentence is segmented once."""

    def __init__(self, segmenter, text: str):
        self.segmenter = segmenter
        self.text = text
        self.sentences = sentence_spans(text)
        self.starts = [s for s, _ in self.sentences]
        self._tags: dict = {}
        self._others, self._other_index = None, SpanIndex(())

    def _sentence_of(self, start: int, end: int) -> tuple[int, int]:
        index = bisect_right(self.starts, start) - 1
        if index < 0:
            return (start, end)
        s, e = self.sentences[index]
        return (min(s, start), max(e, end))

    def _word_tags(self, sentence: tuple[int, int]) -> list[str]:
        """One tag per character of the sentence, segmented clause by clause: jieba cuts at every
        clause break anyway, so the words are the sentence's, and the clauses are the strings the
        rules segment, whose words the segmenter has cached."""
        tags = self._tags.get(sentence)
        if tags is None:
            tags = []
            start = sentence[0]
            for match in CLAUSE_BREAK.finditer(self.text, sentence[0], sentence[1]):
                tags += self._tokens_tags(self.text[start:match.start()])
                tags += self._tokens_tags(match.group())
                start = match.end()
            tags += self._tokens_tags(self.text[start:sentence[1]])
            self._tags[sentence] = tags
        return tags

    def _tokens_tags(self, piece: str) -> list[str]:
        tags = []
        if not piece:
            return tags
        for token in self.segmenter.tag(piece):
            size = token.end - token.start
            flag = token.flag or "x"
            tags += [f"S-{flag}"] if size == 1 else [f"B-{flag}"] + [f"M-{flag}"] * (size - 2) + [f"E-{flag}"]
        return tags

    def window(self, start: int, end: int, others: Sequence[tuple[int, int]] = ()) -> Window:
        """The window of the figure at [start, end); `others`, the document's figures, are marked
        where they fall inside it."""
        sentence = self._sentence_of(start, end)
        w_start, w_end = max(sentence[0], start - WINDOW_LEFT), min(sentence[1], end + WINDOW_RIGHT)
        tags = self._word_tags(sentence)[w_start - sentence[0]:w_end - sentence[0]]
        roles = [ROLE_OTHER] * (w_end - w_start)
        # only the figures that can reach into the window, found by bisection: a loop over all of
        # them for every window grew with the square of a document's figures
        if others is not self._others:
            self._others, self._other_index = others, SpanIndex(others)
        for o_start, o_end in self._other_index.near(w_start, w_end):
            for p in range(max(o_start, w_start), min(o_end, w_end)):
                roles[p - w_start] = ROLE_OTHER_FIGURE
        for p in range(start, end):
            roles[p - w_start] = ROLE_FIGURE
        return Window(w_start, w_end, start, end, model_chars(self.text[w_start:w_end]), tags,
                      distance_buckets(w_start, w_end, start, end), roles)


# ---- the network -----------------------------------------------------------------------------
@dataclass
class Sizes:
    embed: int = 64
    tag_embed: int = 16
    distance_embed: int = 16
    role_embed: int = 8
    hidden: int = 96
    layers: int = 1
    dropout: float = 0.25


N_DISTANCES = 2 * (len(DISTANCE_EDGES) + 1) + 2  # the distance buckets, the figure's own and padding
N_ROLES = 4  # padding and the three roles
DIRECTIONS = ("forward_lstm", "backward_lstm")


def weight_shapes(sizes: Sizes, n_chars: int, n_tags: int) -> dict:
    """Name -> shape of every tensor of the network, named as the torch module of the training
    side (train.build_network) names its parameters, so that one weights file serves both."""
    width = sizes.embed + sizes.tag_embed + sizes.distance_embed + sizes.role_embed
    hidden, states = sizes.hidden, 2 * sizes.hidden
    shapes = {"chars.weight": (n_chars, sizes.embed), "tags.weight": (n_tags, sizes.tag_embed),
              "distances.weight": (N_DISTANCES, sizes.distance_embed), "roles.weight": (N_ROLES, sizes.role_embed),
              "metric.0.weight": (hidden, 2 * states), "metric.0.bias": (hidden,),
              "metric.2.weight": (1, hidden), "metric.2.bias": (1,),
              "pointers.weight": (4, states), "pointers.bias": (4,), "none.weight": (4, 2 * states), "none.bias": (4,)}
    for direction in DIRECTIONS:
        for layer in range(sizes.layers):
            shapes[f"{direction}.weight_ih_l{layer}"] = (4 * hidden, width if layer == 0 else hidden)
            shapes[f"{direction}.weight_hh_l{layer}"] = (4 * hidden, hidden)
            shapes[f"{direction}.bias_ih_l{layer}"] = (4 * hidden,)
            shapes[f"{direction}.bias_hh_l{layer}"] = (4 * hidden,)
    return shapes


def _sigmoid(x, out=None):
    """float32 1 / (1 + exp(-x)), as torch computes it; exp overflows to inf far below zero, which
    gives the right limit, 0."""
    out = np.negative(x, out=out)
    np.exp(out, out=out)
    out += 1
    return np.reciprocal(out, out=out)


def _log_softmax(x, axis: int):
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


class FigureNetwork:
    """The trained network's eval forward pass (no dropout) in NumPy, float32, from the weights of
    the torch module it was trained as (train.build_network): torch takes 1-2 s to import and
    hundreds of MB, for a network of four embeddings, two one-way LSTMs and three linear heads."""

    STEPS_AT_ONCE = 8  # the LSTMs' input shares are looked up for this many steps at a time (kept in cache)

    def __init__(self, weights: dict, sizes: Sizes):
        if sizes.layers != 1:
            raise UnsafeModel(f"the figure tagger is read with one LSTM layer per direction, not {sizes.layers}")
        self.weights = weights  # as read or trained: what save() writes
        self.sizes = sizes
        hidden = sizes.hidden
        # One tanh gives all four gates of a step: sigmoid(x) = (1 + tanh(x / 2)) / 2, so the rows of
        # the input, forget and output gates (torch's order: i, f, g, o) are halved (exact: a power
        # of two), and the candidate gate g is read back as tanh(x) = 2 sigmoid(2x) - 1.
        scale = np.full(4 * hidden, 0.5, dtype=np.float32)
        scale[2 * hidden:3 * hidden] = 1
        by_direction = [{kind: weights[f"{direction}.{kind}_l0"]
                         for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")} for direction in DIRECTIONS]
        # The input's share of the gates is linear in the four embeddings it concatenates: each
        # embedding table times its columns of weight_ih is a table of shares, and a character's
        # share is the sum of four rows, looked up instead of multiplied. Each field's table holds
        # the backward direction's rows after the forward one's; the biases go into the roles' table
        # (every position, padding too, has a role).
        self.input_tables, self.table_sizes = [], []
        column = 0
        for name in ("chars", "tags", "distances", "roles"):
            embedding = weights[f"{name}.weight"]
            columns = slice(column, column + embedding.shape[1])
            column += embedding.shape[1]
            shares = [embedding @ (d["weight_ih"][:, columns] * scale[:, None]).T for d in by_direction]
            if name == "roles":
                shares = [s + (d["bias_ih"] + d["bias_hh"]) * scale for s, d in zip(shares, by_direction)]
            self.input_tables.append(np.concatenate(shares))
            self.table_sizes.append(embedding.shape[0])
        self.recurrent = np.stack([np.ascontiguousarray((d["weight_hh"] * scale[:, None]).T) for d in by_direction])
        self.metric_hidden = (np.ascontiguousarray(weights["metric.0.weight"].T), weights["metric.0.bias"])
        self.metric_out = (np.ascontiguousarray(weights["metric.2.weight"].T), weights["metric.2.bias"])
        self.pointers = (np.ascontiguousarray(weights["pointers.weight"].T), weights["pointers.bias"])
        self.none = (np.ascontiguousarray(weights["none.weight"].T), weights["none.bias"])

    def _lstms(self, ids: list, lengths):
        """Both one-way LSTMs, stepped together. ids: per field (2, width, batch), each direction's
        ids in the order it reads them (time-major), rows by decreasing length. Returns their states
        (2, width, batch, hidden); past a row's length they are zero or read from padding, and the
        caller masks them."""
        hidden = self.sizes.hidden
        _, steps, batch = ids[0].shape
        states = np.zeros((2, steps, batch, hidden), dtype=np.float32)
        cells = np.zeros((2, batch, hidden), dtype=np.float32)
        gates = np.empty((2, batch, 4 * hidden), dtype=np.float32)
        update = np.empty((2, batch, hidden), dtype=np.float32)
        # flat, so that the part of it a group of steps uses is contiguous (lookups into a strided
        # view take twice as long)
        shares = np.empty(2 * self.STEPS_AT_ONCE * batch * 4 * hidden, dtype=np.float32)
        looked_up = np.empty_like(shares)
        previous = np.zeros((2, batch, hidden), dtype=np.float32)
        for first in range(0, steps, self.STEPS_AT_ONCE):
            last = min(first + self.STEPS_AT_ONCE, steps)
            # only the rows still reading (a prefix: rows by decreasing length); a row that ends
            # within these steps reads padding to their end, which the caller masks
            rows = int((lengths > first).sum())
            shape = (2, last - first, rows, 4 * hidden)
            size = 2 * (last - first) * rows * 4 * hidden
            share, part = shares[:size].reshape(shape), looked_up[:size].reshape(shape)
            for n, (table, field) in enumerate(zip(self.input_tables, ids)):
                # mode "clip": the ids are in range (vocabularies, buckets), and the default mode
                # buffers the output
                np.take(table, field[:, first:last, :rows], axis=0, out=share if n == 0 else part, mode="clip")
                if n:
                    share += part
            reading, cell, product = gates[:, :rows], cells[:, :rows], update[:, :rows]
            i, f, candidate, o = (reading[..., k * hidden:(k + 1) * hidden] for k in range(4))
            h = previous[:, :rows]
            for step in range(first, last):
                np.matmul(h, self.recurrent, out=reading)
                reading += share[:, step - first]
                np.tanh(reading, out=reading)
                reading *= 0.5
                reading += 0.5  # i, f, o: their sigmoids; the candidate: sigmoid(2x)
                cell *= f
                np.multiply(i, candidate, out=product)
                product += product
                cell += product
                cell -= i  # f c + i (2 sigmoid(2x) - 1) = f c + i tanh(x)
                h = states[:, step, :rows]
                np.tanh(cell, out=h)
                h *= o
            previous = states[:, last - 1]
        return states

    def forward(self, chars, tags, distances, roles):
        """(metric logits (batch,), pointer logits (batch, 1 + width, 4)) for padded id arrays
        (batch, width): what the torch module's forward gives in eval mode."""
        batch, width = chars.shape
        lengths = (chars != 0).sum(1)
        # rows by decreasing length (stable), put back in their order at the end
        order = np.argsort(-lengths, kind="stable")
        chars, tags, distances, roles = chars[order], tags[order], distances[order], roles[order]
        lengths = lengths[order]
        mask = (chars != 0).T  # (width, batch)
        # each row reversed within its length (padding stays at the end): the backward reading
        positions = np.arange(width)[:, None]
        reverse = np.where(positions < lengths, lengths - 1 - positions, positions)  # (width, batch)
        rows = np.arange(batch)
        ids = [np.stack([field.T, field.T[reverse, rows] + size])  # the backward rows follow the forward ones
               for field, size in zip((chars, tags, distances, roles), self.table_sizes)]
        states = self._lstms(ids, lengths)
        h = np.concatenate([states[0], states[1][reverse, rows]], axis=-1)  # (width, batch, 2 hidden)
        figure = (roles == ROLE_FIGURE).T  # (width, batch)
        # the mean of the figure's own states, summed in their order over its positions only: the
        # same sums as over every position with the others zeroed, as torch sums them
        counts = figure.sum(0)
        own = np.argsort(~figure, axis=0, kind="stable")[:counts.max()]  # the figure's positions first
        figure_sum = (h[own, rows] * figure[own, rows][..., None]).sum(0)
        figure_mean = figure_sum / np.maximum(counts, 1)[:, None].astype(np.float32)
        window_max = np.where(mask[..., None], h, np.float32(-1e4)).max(0)
        summary = np.concatenate([figure_mean, window_max], axis=-1)
        hidden = np.tanh(summary @ self.metric_hidden[0] + self.metric_hidden[1])
        metric = hidden @ self.metric_out[0] + self.metric_out[1]
        # pointers never land on padding or on the figure itself
        pointers = np.where((mask & ~figure)[..., None], h @ self.pointers[0] + self.pointers[1], np.float32(-1e4))
        # position 0 of each pointer distribution is "none"
        none = summary @ self.none[0] + self.none[1]
        back = np.argsort(order)
        return metric[back, 0], np.concatenate([none[None], pointers]).transpose(1, 0, 2)[back]


class Vocab:
    def __init__(self, items: Sequence[str]):
        self.items = list(items)
        self.index = {item: i for i, item in enumerate(self.items)}

    def ids(self, sequence) -> list[int]:
        unknown = self.index[UNKNOWN]
        return [self.index.get(item, unknown) for item in sequence]

    @classmethod
    def build(cls, sequences, min_count: int = 1) -> "Vocab":
        counts: dict = {}
        for sequence in sequences:
            for item in sequence:
                counts[item] = counts.get(item, 0) + 1
        kept = sorted(item for item, count in counts.items() if count >= min_count)
        return cls([PAD, UNKNOWN] + kept)


def encode(windows: Sequence[Window], chars: Vocab, tags: Vocab) -> list:
    """Padded int64 id arrays (chars, tags, distances, roles), (batch, width), for a batch of windows."""
    width = max(len(w.chars) for w in windows)
    # the rows padded with 0 as Python lists, one array per field (the same values as filling
    # zero arrays row by row, in one conversion each)
    rows = [[], [], [], []]
    for w in windows:
        pad = [0] * (width - len(w.chars))
        rows[0].append(chars.ids(w.chars) + pad)
        rows[1].append(tags.ids(w.tags) + pad)
        rows[2].append(list(w.distances) + pad)
        rows[3].append(list(w.roles) + pad)
    return [np.array(field, dtype=np.int64) for field in rows]


@dataclass
class Reading:
    """What the network says about one figure: p(metric), and for object and action the span it
    chose (window-relative to the text: text offsets), or None, with the probability of that choice."""

    p_metric: float
    object_span: Optional[tuple]
    p_object: float
    action_span: Optional[tuple]
    p_action: float


def best_spans(start_logp, end_logp, windows: Sequence[Window]) -> list:
    """The most probable reading of one pointer pair for each window of a batch: (span in text
    offsets or None, its probability), normalized over "none" and every span of at most MAX_SPAN
    characters that does not reach into the figure. start_logp, end_logp: float32 (batch, 1 + width).
    Of spans equally probable, the first (by start, then length) is chosen."""
    width = start_logp.shape[1] - 1
    starts, ends = start_logp[:, 1:], end_logp[:, 1:]
    i = np.arange(width)[:, None]  # (width, 1): the span's first character
    j = i + np.arange(MAX_SPAN)[None, :]  # (width, MAX_SPAN): its last
    scores = starts[:, :, None] + ends[:, np.minimum(j, width - 1)]  # log p(start i) + log p(end j)
    lengths = np.array([len(w.chars) for w in windows]).reshape(-1, 1, 1)
    left = np.array([w.figure_start - w.start for w in windows]).reshape(-1, 1, 1)
    right = np.array([w.figure_end - w.start for w in windows]).reshape(-1, 1, 1)
    valid = (j[None] < lengths) & ~((i[None] < right) & (j[None] >= left))
    flat = np.where(valid, scores, np.float32(-np.inf)).reshape(len(windows), -1)
    none = start_logp[:, 0] + end_logp[:, 0]
    every = np.concatenate([flat, none[:, None]], axis=1)
    most = every.max(axis=1)  # finite: "none" always is
    total = most + np.log(np.exp(every - most[:, None]).sum(axis=1))
    best = flat.argmax(axis=1)  # the first of equal maxima
    best_score = flat[np.arange(len(windows)), best]
    out = []
    for row, w in enumerate(windows):
        score = best_score[row]
        if not np.isfinite(score) or none[row] >= score:
            out.append((None, float(np.exp(none[row] - total[row]))))
            continue
        a, k = divmod(int(best[row]), MAX_SPAN)
        out.append(((w.start + a, w.start + a + k + 1), float(np.exp(score - total[row]))))
    return out


@lru_cache(maxsize=1)
def _blas_libraries():
    """The BLAS libraries NumPy's products run on, whose threads the tagger limits to one while it
    reads (the caller's setting restored after): on these small products a second thread saved 5%
    of the wall time on 2 cores for twice the CPU, and two processes reading at once each took 3.3x
    as long (its threads wait spinning for each other); the readings are the same either way."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController().select(user_api="blas")


class FigureTagger:
    """A trained network with its vocabularies: reads windows, returns Readings."""

    def __init__(self, network: FigureNetwork, chars: Vocab, tags: Vocab, sizes: Sizes, extra: Optional[dict] = None):
        self.network = network
        self.chars, self.tags, self.sizes = chars, tags, sizes
        self.extra = extra or {}

    def read(self, windows: Sequence[Window], batch_size: int = 64) -> list[Reading]:
        out: list = [None] * len(windows)
        # batches of similar lengths (little padding); padding at a row's end never reaches its
        # characters, so each window's reading does not depend on its batch
        order = sorted(range(len(windows)), key=lambda i: len(windows[i].chars))
        with _blas_libraries().limit(limits=1):
            for first in range(0, len(order), batch_size):
                indices = order[first:first + batch_size]
                batch = [windows[i] for i in indices]
                metric, pointers = self.network.forward(*encode(batch, self.chars, self.tags))
                logp = _log_softmax(pointers, axis=1)
                with np.errstate(over="ignore"):
                    p_metric = _sigmoid(metric).tolist()
                objects = best_spans(logp[:, :, 0], logp[:, :, 1], batch)
                actions = best_spans(logp[:, :, 2], logp[:, :, 3], batch)
                for row, i in enumerate(indices):
                    out[i] = Reading(p_metric[row], *objects[row], *actions[row])
        return out

    # ---- saving and loading: JSON and safetensors only ------------------------------------
    def save(self, directory: os.PathLike) -> None:
        from safetensors.numpy import save_file

        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        config = {"format": FORMAT, "sizes": self.sizes.__dict__, "chars": self.chars.items, "tags": self.tags.items,
                  **self.extra}
        (directory / CONFIG_FILE).write_text(json.dumps(config, ensure_ascii=False, indent=0, sort_keys=True) + "\n",
                                             encoding="utf-8")
        save_file(self.network.weights, str(directory / WEIGHTS_FILE))

    @classmethod
    def load(cls, directory: os.PathLike) -> "FigureTagger":
        """Read config.json (JSON) and weights.safetensors (tensors only). Anything else in the
        folder is never opened; a weights file that is not safetensors (a pickle, say) is refused,
        and so is one whose tensors are not the network's the config describes."""
        from safetensors import SafetensorError
        from safetensors.numpy import load_file

        directory = Path(directory)
        config = json.loads((directory / CONFIG_FILE).read_text(encoding="utf-8"))
        if config.get("format") != FORMAT:
            raise UnsafeModel(f"{directory / CONFIG_FILE}: not a {FORMAT} model (format {config.get('format')!r})")
        sizes = Sizes(**config["sizes"])
        chars, tags = Vocab(config["chars"]), Vocab(config["tags"])
        try:
            weights = load_file(str(directory / WEIGHTS_FILE))
        except (SafetensorError, OSError, ValueError) as exc:
            raise UnsafeModel(f"{directory / WEIGHTS_FILE} is not a safetensors file of tensors ({exc})") from None
        expected = weight_shapes(sizes, len(chars.items), len(tags.items))
        found = {name: tuple(array.shape) for name, array in weights.items()}
        if found != expected:
            wrong = sorted(name for name in expected.keys() | found.keys() if found.get(name) != expected.get(name))
            raise UnsafeModel(f"{directory / WEIGHTS_FILE} does not hold the network {CONFIG_FILE} describes "
                              f"(tensors missing, extra or of another shape: {', '.join(wrong)})")
        weights = {name: array.astype(np.float32, copy=False) for name, array in weights.items()}
        extra = {k: v for k, v in config.items() if k not in ("format", "sizes", "chars", "tags")}
        return cls(FigureNetwork(weights, sizes), chars, tags, sizes, extra)


def logit(p: float, floor: float = 1e-4) -> float:
    p = min(1 - floor, max(floor, p))
    return math.log(p / (1 - p))
