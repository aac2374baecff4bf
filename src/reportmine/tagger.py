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

Saved as two files, nothing else read: config.json (sizes and vocabularies) and
weights.safetensors (tensors only: no pickle, so a model folder cannot run code when loaded).
"""
from __future__ import annotations

import json
import math
import os
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

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


class WindowBuilder:
    """Windows for the figures of one text; each sentence is segmented once."""

    def __init__(self, segmenter, text: str):
        self.segmenter = segmenter
        self.text = text
        self.sentences = sentence_spans(text)
        self.starts = [s for s, _ in self.sentences]
        self._tags: dict = {}

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
        sentence = self._sentence_of(start, end)
        w_start, w_end = max(sentence[0], start - WINDOW_LEFT), min(sentence[1], end + WINDOW_RIGHT)
        tags = self._word_tags(sentence)[w_start - sentence[0]:w_end - sentence[0]]
        roles = [ROLE_OTHER] * (w_end - w_start)
        for o_start, o_end in others:
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


def build_network(sizes: Sizes, n_chars: int, n_tags: int):
    """The torch module (torch is imported here, not at module import: it is the optional extra)."""
    import torch
    from torch import nn

    class FigureNetwork(nn.Module):
        def __init__(self):
            super().__init__()
            self.chars = nn.Embedding(n_chars, sizes.embed, padding_idx=0)
            self.tags = nn.Embedding(n_tags, sizes.tag_embed, padding_idx=0)
            self.distances = nn.Embedding(2 * (len(DISTANCE_EDGES) + 1) + 2, sizes.distance_embed, padding_idx=0)
            self.roles = nn.Embedding(4, sizes.role_embed, padding_idx=0)
            width = sizes.embed + sizes.tag_embed + sizes.distance_embed + sizes.role_embed
            self.dropout = nn.Dropout(sizes.dropout)
            # two one-way LSTMs instead of a packed bidirectional one: each reads its sequences
            # padded at their end, where padding cannot reach the characters (packing costs
            # more than the reading itself on a CPU)
            self.forward_lstm = nn.LSTM(width, sizes.hidden, num_layers=sizes.layers, batch_first=True)
            self.backward_lstm = nn.LSTM(width, sizes.hidden, num_layers=sizes.layers, batch_first=True)
            states = 2 * sizes.hidden
            # the figure's summary: the mean of its own states and the max over the window
            self.metric = nn.Sequential(nn.Linear(2 * states, sizes.hidden), nn.Tanh(), nn.Linear(sizes.hidden, 1))
            self.pointers = nn.Linear(states, 4)  # object start, object end, action start, action end
            self.none = nn.Linear(2 * states, 4)  # the same four for "no object" / "no action"

        def forward(self, chars, tags, distances, roles):
            mask = chars != 0
            x = self.dropout(torch.cat([self.chars(chars), self.tags(tags), self.distances(distances),
                                        self.roles(roles)], dim=-1))
            # each row reversed within its length (padding stays at the end): the backward reading
            lengths = mask.sum(1, keepdim=True)
            positions = torch.arange(chars.shape[1]).unsqueeze(0)
            reverse = torch.where(positions < lengths, lengths - 1 - positions, positions)
            index = reverse.unsqueeze(-1).expand(-1, -1, x.shape[-1])
            ahead, _ = self.forward_lstm(x)
            back, _ = self.backward_lstm(x.gather(1, index))
            back = back.gather(1, reverse.unsqueeze(-1).expand(-1, -1, back.shape[-1]))
            h = torch.cat([ahead, back], dim=-1)
            h = self.dropout(h)
            figure = (roles == ROLE_FIGURE).unsqueeze(-1)
            figure_mean = (h * figure).sum(1) / figure.sum(1).clamp(min=1)
            window_max = h.masked_fill(~mask.unsqueeze(-1), -1e4).max(1).values
            summary = torch.cat([figure_mean, window_max], dim=-1)
            metric = self.metric(summary).squeeze(-1)
            # pointers never land on padding or on the figure itself
            pointers = self.pointers(h).masked_fill((~mask | figure.squeeze(-1)).unsqueeze(-1), -1e4)
            # position 0 of each pointer distribution is "none"
            pointers = torch.cat([self.none(summary).unsqueeze(1), pointers], dim=1)
            return metric, pointers

    return FigureNetwork()


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


def encode(windows: Sequence[Window], chars: Vocab, tags: Vocab):
    """Padded id tensors (chars, tags, distances, roles) for a batch of windows."""
    import torch

    width = max(len(w.chars) for w in windows)
    # the rows padded with 0 as Python lists, one tensor per field (the same values as filling
    # zero tensors row by row, in one conversion each)
    rows = [[], [], [], []]
    for w in windows:
        pad = [0] * (width - len(w.chars))
        rows[0].append(chars.ids(w.chars) + pad)
        rows[1].append(tags.ids(w.tags) + pad)
        rows[2].append(list(w.distances) + pad)
        rows[3].append(list(w.roles) + pad)
    return [torch.tensor(field, dtype=torch.long) for field in rows]


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
    characters that does not reach into the figure. start_logp, end_logp: (batch, 1 + width)."""
    import torch

    width = start_logp.shape[1] - 1
    starts, ends = start_logp[:, 1:], end_logp[:, 1:]
    i = torch.arange(width).unsqueeze(1)  # (width, 1): the span's first character
    j = i + torch.arange(MAX_SPAN).unsqueeze(0)  # (width, MAX_SPAN): its last
    scores = starts.unsqueeze(2) + ends[:, j.clamp(max=width - 1)]  # log p(start i) + log p(end j)
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


class FigureTagger:
    """A trained network with its vocabularies: reads windows, returns Readings."""

    def __init__(self, network, chars: Vocab, tags: Vocab, sizes: Sizes, extra: Optional[dict] = None):
        self.network = network
        self.chars, self.tags, self.sizes = chars, tags, sizes
        self.extra = extra or {}

    def read(self, windows: Sequence[Window], batch_size: int = 64) -> list[Reading]:
        import torch

        self.network.eval()
        out: list = [None] * len(windows)
        # batches of similar lengths; each window's reading does not depend on its batch
        order = sorted(range(len(windows)), key=lambda i: len(windows[i].chars))
        with torch.inference_mode():
            for first in range(0, len(order), batch_size):
                indices = order[first:first + batch_size]
                batch = [windows[i] for i in indices]
                metric, pointers = self.network(*encode(batch, self.chars, self.tags))
                logp = torch.log_softmax(pointers, dim=1)
                p_metric = torch.sigmoid(metric).tolist()
                objects = best_spans(logp[:, :, 0], logp[:, :, 1], batch)
                actions = best_spans(logp[:, :, 2], logp[:, :, 3], batch)
                for row, i in enumerate(indices):
                    out[i] = Reading(p_metric[row], *objects[row], *actions[row])
        return out

    # ---- saving and loading: JSON and safetensors only ------------------------------------
    def save(self, directory: os.PathLike) -> None:
        from safetensors.torch import save_file

        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        config = {"format": FORMAT, "sizes": self.sizes.__dict__, "chars": self.chars.items, "tags": self.tags.items,
                  **self.extra}
        (directory / CONFIG_FILE).write_text(json.dumps(config, ensure_ascii=False, indent=0, sort_keys=True) + "\n",
                                             encoding="utf-8")
        tensors = {name: tensor.detach().contiguous() for name, tensor in self.network.state_dict().items()}
        save_file(tensors, str(directory / WEIGHTS_FILE))

    @classmethod
    def load(cls, directory: os.PathLike) -> "FigureTagger":
        """Read config.json (JSON) and weights.safetensors (tensors only). Anything else in the
        folder is never opened; a weights file that is not safetensors (a pickle, say) is refused."""
        from safetensors import SafetensorError
        from safetensors.torch import load_file

        directory = Path(directory)
        config = json.loads((directory / CONFIG_FILE).read_text(encoding="utf-8"))
        if config.get("format") != FORMAT:
            raise UnsafeModel(f"{directory / CONFIG_FILE}: not a {FORMAT} model (format {config.get('format')!r})")
        sizes = Sizes(**config["sizes"])
        chars, tags = Vocab(config["chars"]), Vocab(config["tags"])
        network = build_network(sizes, len(chars.items), len(tags.items))
        try:
            state = load_file(str(directory / WEIGHTS_FILE), device="cpu")
        except (SafetensorError, OSError, ValueError) as exc:
            raise UnsafeModel(f"{directory / WEIGHTS_FILE} is not a safetensors file of tensors ({exc})") from None
        network.load_state_dict(state, strict=True)
        network.eval()
        extra = {k: v for k, v in config.items() if k not in ("format", "sizes", "chars", "tags")}
        return cls(network, chars, tags, sizes, extra)


def logit(p: float, floor: float = 1e-4) -> float:
    p = min(1 - floor, max(floor, p))
    return math.log(p / (1 - p))
