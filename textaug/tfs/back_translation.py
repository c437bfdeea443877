"""Back-translation: translate a text to a pivot language and back, for a paraphrase.

Each draw picks a pivot pair (forward, backward) with the row's generator, translates
the text forward with beam search and back again, in one batched ``generate`` call per
direction and pivot. Variants stay reproducible per row, whatever the batch:

* beam mode (the default): the way back keeps all ``num_beams`` beams; the row's
  generator picks one of the distinct beams that differ from the input. A text and its
  pivot are translated once however many draws ask for them.
* ``sample=True``: the way back samples (temperature, then nucleus ``top_p``) by the
  Gumbel-max trick: each row adds noise from its own ``torch.Generator``, seeded from
  the row's generator, and decoding is greedy. So a row's sample depends only on its
  seed and text, and the global torch RNG is never touched.

Batched decoding pads rows to a common length; the padding can move logits in the last
float digits, which in a near tie could change a beam. Nothing else links rows.

Examples
--------
>>> tf = back_translate(("Helsinki-NLP/opus-mt-en-fr", "Helsinki-NLP/opus-mt-fr-en"))
>>> tf  # nothing loads until the first batch
BackTranslate('back_translate', model='Helsinki-NLP/opus-mt-en-fr -> Helsinki-NLP/opus-mt-fr-en')
>>> pick_variant(["a film", "the movie", "a film"], "the movie", Rng(0))
'a film'
>>> pick_variant(["the movie"], "the movie", Rng(0)) is None
True
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from textaug._rng import Rng
from textaug.errors import InvalidParameterError, ResourceNotFoundError, check_param
from textaug.loading import from_pretrained, pick_device, require
from textaug.tfs._model import ModelTF

DEFAULT_PAIR = ("Helsinki-NLP/opus-mt-en-de", "Helsinki-NLP/opus-mt-de-en")
Pair = tuple[str, str]


def back_translate(
    model: Sequence[str | os.PathLike[str]] = DEFAULT_PAIR, *,
    pivots: Sequence[Sequence[str | os.PathLike[str]]] | None = None, num_beams: int = 4,
    sample: bool = False, top_p: float = 0.9, temperature: float = 1.0,
    max_new_tokens: int = 256, device: str | None = None, batch_size: int = 16,
    cache: Any = None, local_files_only: bool = False, revision: str | None = None,
    name: str = "back_translate",
) -> BackTranslate:
    """Paraphrase by translating to a pivot language and back.

    Parameters
    ----------
    model
        A pair (forward, backward) of seq2seq translation models: hub ids or local
        directories loadable with ``AutoModelForSeq2SeqLM`` (MarianMT, for instance).
    pivots
        Several such pairs instead of ``model``; each draw picks one uniformly with the
        row's generator (so the choice is reproducible per row).
    num_beams
        Beams on both ways; in beam mode the way back returns all of them, and each draw
        picks one of the distinct beams that differ from the input.
    sample
        Sample the way back (``temperature``, then nucleus ``top_p``) instead of picking
        a beam; per-row seeded, see the module notes.
    top_p, temperature
        The sampling settings (used with ``sample=True``).
    max_new_tokens
        The longest translation, in tokens, each way.
    device
        "cpu", "cuda", "mps", a torch device string, or None to pick the best available.
    batch_size
        Texts per batched ``generate`` call.
    cache
        A SQLite file path (or :class:`~textaug.cache.DiskCache`) for outputs, or None.
    local_files_only
        Load only from local files (a local directory or the hub cache), never the hub.
    revision
        The hub revision (commit or tag) of every model.
    name
        The TF's name in provenance and reports.

    Examples
    --------
    >>> back_translate(pivots=[("en-de", "de-en"), ("en-fr", "fr-en")]).pairs
    [('en-de', 'de-en'), ('en-fr', 'fr-en')]
    """
    owner = "back_translate"
    if pivots is not None and tuple(model) != DEFAULT_PAIR:
        raise InvalidParameterError(
            "back_translate takes either model= (one pair) or pivots= (several pairs), not "
            "both. Put the model pair into pivots=.")
    pairs = [_pair(p, owner, "pivots") for p in pivots] if pivots is not None \
        else [_pair(model, owner, "model")]
    check_param(bool(pairs), owner, "pivots", "a non-empty list of (forward, backward) pairs",
                pivots)
    check_param(_is_int(num_beams) and num_beams >= 1, owner, "num_beams", "an int >= 1",
                num_beams)
    check_param(_is_int(max_new_tokens) and max_new_tokens >= 1, owner, "max_new_tokens",
                "an int >= 1", max_new_tokens)
    check_param(isinstance(sample, bool), owner, "sample", "a bool", sample)
    check_param(_is_num(top_p) and 0 < top_p <= 1, owner, "top_p", "a float in (0, 1]", top_p)
    check_param(_is_num(temperature) and temperature > 0, owner, "temperature",
                "a float > 0", temperature)
    check_param(isinstance(local_files_only, bool), owner, "local_files_only", "a bool",
                local_files_only)
    params = {"pivots": pairs, "num_beams": num_beams, "sample": sample,
              "max_new_tokens": max_new_tokens}
    if sample:
        params.update(top_p=float(top_p), temperature=float(temperature))
    return BackTranslate(name, pairs=pairs, params=params, local_files_only=local_files_only,
                         revision=revision, batch_size=batch_size, device=device, cache=cache)


class BackTranslate(ModelTF):
    """The TF :func:`back_translate` builds; loads every model of its pairs on first use."""

    def __init__(self, name: str, *, pairs: list[Pair], params: dict[str, Any],
                 local_files_only: bool, **kwargs: Any) -> None:
        model = "; ".join(f"{fwd} -> {back}" for fwd, back in pairs)
        super().__init__(name, model=model, params=params, **kwargs)
        self.pairs = pairs
        self.local_files_only = local_files_only

    def load(self) -> dict[str, tuple[Any, Any]]:
        """Tokenizer and model of every model id, on the device, in eval mode."""
        torch, transformers = require("torch"), require("transformers")
        device = pick_device(self.device)
        kw: dict[str, Any] = {"revision": self.revision, "local_files_only": self.local_files_only}
        loaded = {}
        for model_id in dict.fromkeys(m for pair in self.pairs for m in pair):
            tokenizer = from_pretrained(transformers.AutoTokenizer, model_id, **kw)
            with torch.random.fork_rng(devices=[]):  # model init draws from the global RNG
                net = from_pretrained(transformers.AutoModelForSeq2SeqLM, model_id, **kw)
            loaded[model_id] = (tokenizer, net.to(device).eval())
        return loaded

    def generate(self, texts: list[str], rngs: list[Rng]) -> list[str | None]:
        """One back-translation per text, per-row reproducible; None when none is new."""
        outputs: list[str | None] = [None] * len(texts)
        groups: dict[Pair, list[int]] = {}
        for i, rng in enumerate(rngs):
            pair = self.pairs[rng.integers(len(self.pairs))]  # one draw, even of one pair
            groups.setdefault(pair, []).append(i)  # (blank texts never get here: ModelTF)
        for (fwd, back), rows in groups.items():
            unique = list(dict.fromkeys(texts[i] for i in rows))
            pivot = dict(zip(unique, self._translate(fwd, unique), strict=True))
            if self.params["sample"]:
                seeds = [rngs[i].integers(1 << 63) for i in rows]
                found = self._translate(back, [pivot[texts[i]] for i in rows], seeds=seeds)
                for i, out in zip(rows, found, strict=True):
                    outputs[i] = pick_variant([out], texts[i], rngs[i])
            else:
                beams = self.params["num_beams"]
                found = self._translate(back, list(pivot.values()), beams=beams)
                by_text = {t: found[k * beams:(k + 1) * beams] for k, t in enumerate(unique)}
                for i in rows:
                    outputs[i] = pick_variant(by_text[texts[i]], texts[i], rngs[i])
        return outputs

    def _translate(self, model_id: str, texts: list[str], *, beams: int = 1,
                   seeds: list[int] | None = None) -> list[str]:
        """Translate in one ``generate`` call: ``beams`` outputs per text, best first."""
        torch = require("torch")
        tokenizer, net = self.loaded()[model_id]
        positions = getattr(net.config, "max_position_embeddings", None) or 512
        batch = tokenizer(texts, return_tensors="pt", padding=True, truncation=True,
                          max_length=min(tokenizer.model_max_length, positions)).to(net.device)
        new_tokens = min(self.params["max_new_tokens"], positions - 1)  # the decoder's limit
        kwargs: dict[str, Any] = {"max_new_tokens": new_tokens}
        if seeds is not None:
            noise = GumbelNoise(seeds, self.params["temperature"], self.params["top_p"])
            kwargs.update(do_sample=False, num_beams=1,
                          logits_processor=require("transformers").LogitsProcessorList([noise]))
        else:
            kwargs.update(do_sample=False, num_beams=max(beams, self.params["num_beams"]),
                          num_return_sequences=beams)
        with torch.inference_mode():
            ids = net.generate(**batch, **kwargs)
        return [t.strip() for t in tokenizer.batch_decode(ids, skip_special_tokens=True)]


class GumbelNoise:
    """A logits processor that turns greedy decoding into per-row seeded sampling.

    Scales the scores by ``1 / temperature``, keeps the nucleus ``top_p``, and adds
    Gumbel noise drawn from one ``torch.Generator`` per row: the argmax is then a
    sample from the softmax, and row ``i``'s draws depend only on ``seeds[i]``.
    """

    def __init__(self, seeds: list[int], temperature: float, top_p: float) -> None:
        torch = require("torch")
        self.generators = [torch.Generator().manual_seed(s) for s in seeds]
        self.temperature = temperature
        self.top_p = top_p

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        torch = require("torch")
        scores = scores.float() / self.temperature
        if self.top_p < 1:
            ordered, order = scores.sort(dim=-1, descending=True)
            probs = ordered.softmax(-1)
            outside = probs.cumsum(-1) - probs >= self.top_p  # the mass before it is >= top_p
            drop = torch.zeros_like(outside).scatter(-1, order, outside)
            scores = scores.masked_fill(drop, float("-inf"))
        size = scores.shape[-1]
        uniform = torch.stack([torch.rand(size, generator=g) for g in self.generators])
        gumbel = -torch.log(-torch.log(uniform.clamp(1e-10, 1 - 1e-7)))
        return scores + gumbel.to(scores.device)


def pick_variant(candidates: Sequence[str], text: str, rng: Rng) -> str | None:
    """One of the distinct candidates that differ from ``text``, or None if none does."""
    new = [c for c in dict.fromkeys(candidates) if c and c != text]
    return new[rng.integers(len(new))] if new else None


def _pair(value: Any, owner: str, param: str) -> Pair:
    """A (forward, backward) pair of model ids or directories, checked."""
    ok = not isinstance(value, str | bytes) and isinstance(value, Sequence) and len(value) == 2 \
        and all(isinstance(m, str | os.PathLike) and os.fspath(m) for m in value)
    check_param(ok, owner, param, "a (forward, backward) pair of model ids or directories",
                value)
    fwd, back = (os.fspath(m) for m in value)
    for model in (fwd, back):
        if _looks_local(model) and not os.path.isdir(model):
            raise ResourceNotFoundError(
                f"Model folder not found: {model!r}. Pass a directory holding a saved "
                "seq2seq model (save_pretrained), or a hub id such as "
                f"{DEFAULT_PAIR[0]!r}.")
    return (str(fwd), str(back))


def _looks_local(model: str) -> bool:
    """True for a path (a hub id is 'name' or 'owner/name')."""
    return os.path.isabs(model) or model.startswith((".", "~")) or model.count("/") > 1 \
        or os.sep != "/" and os.sep in model


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_num(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
