"""The EDA paper's CNN text classifier, in torch on the CPU, with MiniLM's word vectors.

Wei and Zou (2019) measured EDA with a CNN: a 1-D convolution of 128 filters of width 5,
global max pooling, a dense layer of 20 ReLU units and a softmax output, trained with
Adam and early stopping (patience 3) on a validation split, the best weights restored.
Here the word vectors are the input embedding matrix of all-MiniLM-L6-v2 (WordPiece
tokens, frozen), read from the packaged offline copy: no network. Validation rows are
originals held out whole: none of their augmentations is trained on (``groups``).

All randomness is local: a ``torch.Generator`` for the batches, and the initial weights
drawn inside ``torch.random.fork_rng``, so the caller's torch state is untouched.

Examples
--------
>>> import numpy as np
>>> texts = ["good film", "great film", "bad film", "awful film"] * 3
>>> clf = CNNClassifier(max_epochs=2, seed=0).fit(texts, np.array([1, 1, 0, 0] * 3))
>>> clf.predict_proba(["good film"]).shape
(1, 2)
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from textaug.errors import check_param
from textaug.loading import from_pretrained, require


class WordVectors:
    """MiniLM's WordPiece tokenizer and input embedding matrix, loaded once on first use.

    Parameters
    ----------
    model_dir
        A transformers folder with ``model.safetensors``; default the packaged MiniLM.
    max_length
        Tokens kept per text.
    """

    def __init__(self, model_dir: str | Path | None = None, max_length: int = 64) -> None:
        self.model_dir, self.max_length = model_dir, max_length
        self._matrix: Any = None
        self._ids: dict[str, list[int]] = {}

    @property
    def matrix(self) -> Any:
        """The frozen embedding matrix, a (vocabulary, dimension) float tensor."""
        if self._matrix is None:
            self._load()
        return self._matrix

    def ids(self, texts: Sequence[str]) -> list[list[int]]:
        """The token ids of each text (no special tokens), cached per text."""
        if self._matrix is None:
            self._load()
        new = list(dict.fromkeys(t for t in texts if t not in self._ids))
        if new:
            encoded = self._tokenizer(new, add_special_tokens=False, truncation=True,
                                      max_length=self.max_length)["input_ids"]
            self._ids.update(zip(new, encoded, strict=True))
        return [self._ids[t] for t in texts]

    def _load(self) -> None:
        transformers, safetensors = require("transformers"), require("safetensors")
        from textaug.evaluate.models import minilm_dir

        folder = Path(self.model_dir) if self.model_dir is not None else minilm_dir()
        self._tokenizer = from_pretrained(transformers.AutoTokenizer, str(folder))
        with safetensors.safe_open(str(folder / "model.safetensors"), "pt") as weights:
            name = next(k for k in weights.keys() if  # noqa: SIM118 - safe_open has no __iter__
                         k.endswith("word_embeddings.weight"))
            self._matrix = weights.get_tensor(name).float()


class CNNClassifier:
    """Conv1D(128, 5) + global max pooling + Dense(20, ReLU) + softmax, on frozen vectors.

    Parameters
    ----------
    vectors
        The :class:`WordVectors` (shared between classifiers); default MiniLM's.
    max_epochs, patience
        Early stopping: training stops after ``patience`` epochs without a lower
        validation loss, and the best epoch's weights are restored.
    batch_size, lr
        Adam's batches and learning rate.
    validation
        The share of source rows held out for early stopping (with fewer than 10 source
        rows there is none: all ``max_epochs`` epochs run).
    filters, width, hidden
        The convolution's filters and width, and the dense layer's units.
    threads
        torch's CPU threads while fitting and predicting (restored afterwards); default
        the current setting, at most 4.
    seed
        Seeds the initial weights, the validation split and the batches.

    Attributes
    ----------
    epochs_, best_epoch_
        After ``fit``: the epochs run, and the one whose weights were kept (0: the last,
        when there was no validation split).
    """

    def __init__(self, vectors: WordVectors | None = None, *, max_epochs: int = 30,
                 patience: int = 3, batch_size: int = 32, lr: float = 1e-3,
                 validation: float = 0.1, filters: int = 128, width: int = 5, hidden: int = 20,
                 threads: int | None = None, seed: int = 0) -> None:
        for name, value in (("max_epochs", max_epochs), ("patience", patience),
                            ("batch_size", batch_size), ("filters", filters),
                            ("width", width), ("hidden", hidden)):
            check_param(isinstance(value, int) and value >= 1, "CNNClassifier", name,
                        "an int >= 1", value)
        check_param(0 <= validation < 1, "CNNClassifier", "validation", "a float in [0, 1)",
                    validation)
        self.vectors = vectors if vectors is not None else WordVectors()
        self.max_epochs, self.patience, self.batch_size, self.lr = (max_epochs, patience,
                                                                   batch_size, lr)
        self.validation, self.filters, self.width, self.hidden = validation, filters, width, hidden
        self.threads, self.seed = threads, seed

    def fit(self, texts: Sequence[str], y: np.ndarray, groups: Sequence[Any] | None = None,
            is_original: Sequence[bool] | None = None) -> CNNClassifier:
        """Train; ``groups`` (each text's source row) and ``is_original`` shape the
        validation split: held-out rows' originals validate, their variants are unused."""
        torch = require("torch")
        y = np.asarray(y)
        self.multi = y.ndim == 2
        self.classes_ = np.arange(y.shape[1]) if self.multi else np.unique(y)
        target = y.astype(np.float32) if self.multi else np.searchsorted(self.classes_, y)
        fit_rows, val_rows = self._split(len(texts), groups, is_original)
        ids = self.vectors.ids(list(texts))
        with _threads(torch, self.threads):
            self._build(torch, len(self.classes_) if not self.multi else y.shape[1])
            self._train(torch, ids, target, fit_rows, val_rows)
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Class probabilities (multi-label: each label's), in ``classes_`` order."""
        torch = require("torch")
        ids = self.vectors.ids(list(texts))
        out = []
        with _threads(torch, self.threads), torch.inference_mode():
            for lo in range(0, len(ids), 256):
                logits = self._forward(torch, *_batch(torch, ids[lo:lo + 256], self.width))
                out.append(torch.sigmoid(logits) if self.multi else logits.softmax(dim=1))
        return torch.cat(out).numpy() if out else np.zeros((0, len(self.classes_)))

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """Class labels (multi-label: a 0/1 indicator row per text)."""
        proba = self.predict_proba(texts)
        return (proba >= 0.5).astype(int) if self.multi else self.classes_[proba.argmax(axis=1)]

    def _split(self, n: int, groups: Sequence[Any] | None,
               is_original: Sequence[bool] | None) -> tuple[np.ndarray, np.ndarray]:
        """Training rows and validation rows (originals of held-out groups)."""
        group = np.asarray(range(n) if groups is None else groups, dtype=object)
        original = np.ones(n, bool) if is_original is None else np.asarray(is_original, bool)
        distinct = list(dict.fromkeys(group.tolist()))
        held = round(self.validation * len(distinct)) if len(distinct) >= 10 else 0
        if held == 0:
            return np.arange(n), np.arange(0)
        rng = np.random.Generator(np.random.PCG64(self.seed))
        out = {distinct[i] for i in rng.permutation(len(distinct))[:held]}
        in_val = np.array([g in out for g in group.tolist()], bool)
        return np.flatnonzero(~in_val), np.flatnonzero(in_val & original)

    def _build(self, torch: Any, outputs: int) -> None:
        nn = torch.nn
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(self.seed)
            self.net = nn.ModuleDict({
                "conv": nn.Conv1d(self.vectors.matrix.shape[1], self.filters, self.width),
                "hidden": nn.Linear(self.filters, self.hidden),
                "out": nn.Linear(self.hidden, outputs)})

    def _forward(self, torch: Any, ids: Any, lengths: Any) -> Any:
        f = torch.nn.functional
        x = f.embedding(ids, self.vectors.matrix).transpose(1, 2)
        h = f.relu(self.net["conv"](x))
        valid = torch.arange(h.shape[2]) < (lengths - self.width + 1).clamp(min=1)[:, None]
        h = h.masked_fill(~valid[:, None, :], float("-inf")).amax(dim=2)
        return self.net["out"](f.relu(self.net["hidden"](h)))

    def _loss(self, torch: Any, logits: Any, target: Any) -> Any:
        f = torch.nn.functional
        if self.multi:
            return f.binary_cross_entropy_with_logits(logits, target)
        return f.cross_entropy(logits, target)

    def _train(self, torch: Any, ids: list[list[int]], target: np.ndarray,
               fit_rows: np.ndarray, val_rows: np.ndarray) -> None:
        generator = torch.Generator().manual_seed(self.seed)
        optimizer = torch.optim.Adam(self.net.parameters(), lr=self.lr)
        y = torch.as_tensor(target)
        lengths = np.array([len(row) for row in ids])
        best, best_state, waited = float("inf"), None, 0
        self.epochs_ = self.best_epoch_ = 0
        for epoch in range(1, self.max_epochs + 1):
            self.epochs_ = epoch
            self.net.train()
            order = fit_rows[torch.randperm(len(fit_rows), generator=generator).numpy()]
            for part in _batches(order, lengths, self.batch_size, torch, generator):
                optimizer.zero_grad()
                logits = self._forward(torch, *_batch(torch, [ids[i] for i in part], self.width))
                self._loss(torch, logits, y[part]).backward()
                optimizer.step()
            if not len(val_rows):
                continue
            loss = self._validation_loss(torch, ids, y, val_rows)
            if loss < best:
                best, waited, self.best_epoch_ = loss, 0, epoch
                best_state = {k: v.detach().clone() for k, v in self.net.state_dict().items()}
            else:
                waited += 1
                if waited >= self.patience:
                    break
        if best_state is not None:
            self.net.load_state_dict(best_state)
        self.net.eval()

    def _validation_loss(self, torch: Any, ids: list[list[int]], y: Any,
                         rows: np.ndarray) -> float:
        self.net.eval()
        with torch.no_grad():
            logits = self._forward(torch, *_batch(torch, [ids[i] for i in rows], self.width))
            return float(self._loss(torch, logits, y[rows]))


def _batches(order: np.ndarray, lengths: np.ndarray, size: int, torch: Any,
             generator: Any) -> list[np.ndarray]:
    """The rows in ``order`` cut into batches of texts of similar length (sorted within
    pools of 20 batches, so a batch pads little), the batches in random order."""
    pool, batches = 20 * size, []
    for lo in range(0, len(order), pool):
        chunk = order[lo:lo + pool]
        chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
        batches += [chunk[i:i + size] for i in range(0, len(chunk), size)]
    return [batches[i] for i in torch.randperm(len(batches), generator=generator).tolist()]


def _batch(torch: Any, ids: list[list[int]], width: int) -> tuple[Any, Any]:
    """Token ids padded with 0 to the longest text (at least ``width``), and the lengths."""
    longest = max([width, *map(len, ids)])
    padded = torch.zeros((len(ids), longest), dtype=torch.long)
    for i, row in enumerate(ids):
        padded[i, :len(row)] = torch.as_tensor(row, dtype=torch.long)
    return padded, torch.as_tensor([len(row) for row in ids], dtype=torch.long)


class _threads:  # noqa: N801 - a context manager used like a function
    """torch's thread count set for a block (default: the current one, at most 4), then
    restored."""

    def __init__(self, torch: Any, threads: int | None) -> None:
        self.torch, self.threads = torch, threads

    def __enter__(self) -> None:
        self.saved = self.torch.get_num_threads()
        self.torch.set_num_threads(self.threads or min(self.saved, 4))

    def __exit__(self, *exc: object) -> None:
        self.torch.set_num_threads(self.saved)
