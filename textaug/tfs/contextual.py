"""Contextual word substitution and insertion with a masked language model (BERT & co).

Each row's generator chooses words (each editable non-stopword with probability
``aug_p``, at least one, at most ``max_words``); :func:`contextual_substitute` masks each
chosen word (a whole word, however many subword tokens it has, becomes ONE mask token)
and :func:`contextual_insert` puts a mask after it. All the masks of a text go into one
sequence, as in BERT's pretraining (15% masked), so a text costs one sequence, and a
batch of texts one padded forward pass; the LM head runs only at the mask positions.

Predictions are whole alphabetic words (subword pieces such as "##ing", punctuation and
special tokens are never candidates) other than the word itself (case-insensitive); the
``top_k`` best, cut further to the ``top_p`` nucleus, are sampled on the CPU with the
row's derived generator, so the global torch RNG is never touched. A replacement takes
the replaced word's casing (:func:`~textaug.casing.copy_case`): an uncased model does not
lowercase the text, and everything but the edited words stays byte for byte. Stopwords,
protected spans, URLs and e-mails are never masked. In a text longer than the model's
window only the words in its first window are eligible. A text that already holds the
mask token's literal text (such as "[MASK]") is left alone.

Examples
--------
>>> tf = contextual_substitute("distilbert-base-uncased", aug_p=0.2)
>>> tf.name, tf.model_id, tf.params["top_k"]
('contextual_substitute', 'distilbert-base-uncased', 10)
>>> contextual_insert(top_p=1.5)
Traceback (most recent call last):
...
textaug.errors.InvalidParameterError: The 'top_p' parameter of contextual_insert must ...
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textaug._rng import Rng
from textaug.casing import copy_case
from textaug.errors import check_param
from textaug.loading import from_pretrained, pick_device, require
from textaug.tfs._common import (
    Protect,
    check_fraction,
    check_picking,
    pick_positions,
    protector,
)
from textaug.tfs._model import ModelTF
from textaug.tfs.eda import stopwords
from textaug.words import Words

_WORD_START = ("Ġ", "▁")  # byte-level BPE (RoBERTa) and SentencePiece word-start marks


@dataclass
class _Loaded:
    tokenizer: Any
    model: Any
    device: str
    window: int  # the most tokens a sequence may have
    invalid: Any  # bool tensor over the vocabulary: True where the token is no whole word
    words: list[str | None]  # the word each token id stands for, or None
    ids_of: dict[str, list[int]]  # lowercase word -> its token ids
    head: Any  # hidden states at the masks -> logits, or None (run the whole model)
    spare: int  # the most ids one word has: top-k takes that many more, to drop the original


class ContextualTF(ModelTF):
    """Masked-LM substitution (``insert=False``) or insertion; built by the factories."""

    def __init__(self, name: str, *, model: str, insert: bool, aug_p: float, top_k: int,
                 top_p: float | None, max_words: int | None, protect: Protect,
                 local_files_only: bool, **options: Any) -> None:
        guard = protector(protect)
        check_param(not guard.columns, name, "protect",
                    "terms or compiled regexes (SpanColumn needs the row; model TFs see text)",
                    protect)
        params = {"insert": insert, "aug_p": aug_p, "top_k": top_k, "top_p": top_p,
                  "max_words": max_words,
                  "protect": [[p.pattern, p.flags] for p in guard.patterns]}
        super().__init__(name, model=model, params=params, **options)
        self.insert, self.aug_p, self.top_k, self.top_p = insert, aug_p, top_k, top_p
        self.max_words, self.guard, self.local_files_only = max_words, guard, local_files_only

    def load(self) -> _Loaded:
        """Tokenizer and masked LM (remote code off), the vocabulary's whole words."""
        torch = require("torch")
        transformers = require("transformers")
        kwargs: dict[str, Any] = {"revision": self.revision,
                                  "local_files_only": self.local_files_only}
        tokenizer = from_pretrained(transformers.AutoTokenizer, self.model_id, **kwargs)
        with torch.random.fork_rng(devices=[]):  # any weight init leaves the global RNG alone
            model = from_pretrained(transformers.AutoModelForMaskedLM, self.model_id, **kwargs)
        device = pick_device(self.device)
        model.to(device).eval()
        words = _vocab_words(tokenizer, model.config.vocab_size)
        ids_of: dict[str, list[int]] = {}
        for i, word in enumerate(words):
            if word is not None:
                ids_of.setdefault(word.lower(), []).append(i)
        invalid = torch.tensor([w is None for w in words], device=device)
        limit = getattr(model.config, "max_position_embeddings", None) or 512
        window = min(int(tokenizer.model_max_length), int(limit))
        spare = max(map(len, ids_of.values()), default=0)
        return _Loaded(tokenizer, model, device, window, invalid, words, ids_of, _head(model),
                       spare)

    def generate(self, texts: list[str], rngs: list[Rng]) -> list[str | None]:
        """Mask the chosen words of every text; one forward pass for the batch."""
        lm: _Loaded = self.loaded()
        plans = [self._plan(lm, text, rng) for text, rng in zip(texts, rngs, strict=True)]
        rows = [i for i, plan in enumerate(plans) if plan is not None]
        outputs: list[str | None] = [None] * len(texts)
        if not rows:
            return outputs
        masked = [self._masked(lm, plans[i]) for i in rows]  # type: ignore[arg-type]
        candidates = _predict(lm, masked, self.top_k + lm.spare)
        for i, (ids, scores) in zip(rows, candidates, strict=True):
            found, chosen = plans[i]  # type: ignore[misc]
            gen = rngs[i].numpy()
            new = {}
            for w, top_ids, top_scores in zip(chosen, ids, scores, strict=False):
                word = self._sample(lm, found.word(w), top_ids, top_scores, gen)
                if word is not None:
                    new[w] = self._placed(found.word(w), word)
            outputs[i] = found.rewrite(new) if new else None
        return outputs

    def _plan(self, lm: _Loaded, text: str, rng: Rng) -> tuple[Words, list[int]] | None:
        """The text's words and the positions chosen (in order), or None."""
        if lm.tokenizer.mask_token in text:  # (blank texts never get here: ModelTF)
            return None
        found = Words(text, self.guard.spans(text))
        stop = stopwords()
        eligible = [i for i in range(len(found)) if found.word(i).lower() not in stop]
        if eligible and len(text.encode()) > lm.window - 2:  # may not fit: first window only
            cutoff = _window_end(lm, text)
            eligible = [i for i in eligible if found[i].end <= cutoff]
        if not eligible:
            return None
        picked = pick_positions(len(eligible), self.aug_p, self.max_words, rng)
        return found, sorted(eligible[i] for i in picked)

    def _masked(self, lm: _Loaded, plan: tuple[Words, list[int]]) -> str:
        found, chosen = plan
        mask = lm.tokenizer.mask_token
        if self.insert:
            return found.rewrite({i: f"{found.word(i)} {mask}" for i in chosen})
        return found.rewrite(dict.fromkeys(chosen, mask))

    def _sample(self, lm: _Loaded, original: str, ids: Any, scores: Any, gen: Any) -> str | None:
        """One word drawn from the top-k (top-p) candidates other than ``original``."""
        banned = set(lm.ids_of.get(original.lower(), ()))
        keep = [j for j, i in enumerate(ids) if i not in banned and scores[j] > -1e30]
        keep = keep[:self.top_k]
        if not keep:
            return None
        logits = scores[keep] - scores[keep[0]]
        probs = _exp(logits)
        probs /= probs.sum()
        if self.top_p is not None:
            cut = int((probs.cumsum() < self.top_p).sum()) + 1
            probs = probs[:cut] / probs[:cut].sum()
        pick = keep[int(gen.choice(len(probs), p=probs))]
        return lm.words[int(ids[pick])]

    def _placed(self, original: str, word: str) -> str:
        """The text that goes where ``original`` was: the cased word, or both words."""
        if not self.insert:
            return copy_case(original, word)
        if len(original) > 1 and original.isupper():
            word = word.upper()
        return f"{original} {word}"


def _exp(values: Any) -> Any:
    import numpy as np

    return np.exp(values.astype("float64"))


def _vocab_words(tokenizer: Any, size: int) -> list[str | None]:
    """The whole alphabetic word each token id stands for (None: piece, punctuation, special)."""
    tokens = tokenizer.convert_ids_to_tokens(list(range(size)))
    special = set(tokenizer.all_special_ids)
    marked = sum(1 for t in tokens if t and t[0] in _WORD_START) > len(tokens) // 10
    words: list[str | None] = []
    for i, token in enumerate(tokens):
        word = None
        if token and i not in special:
            if marked:  # a word start carries the mark; an unmarked token continues a word
                word = token[1:] if token[0] in _WORD_START else None
            else:  # WordPiece: "##" continues a word
                word = None if token.startswith("##") else token
        words.append(word if word and word.isalpha() else None)
    return words


def _head(model: Any) -> Any:
    """The LM head as a function of the encoder's hidden states, for the known layouts."""
    module = require("torch").nn.Module
    for name in ("cls", "lm_head"):  # BERT; RoBERTa, XLM-R
        if isinstance(getattr(model, name, None), module):
            return getattr(model, name)
    if all(hasattr(model, n) for n in ("vocab_transform", "vocab_layer_norm", "vocab_projector")):
        return lambda h: model.vocab_projector(  # DistilBERT
            model.vocab_layer_norm(model.activation(model.vocab_transform(h))))
    return None


def _window_end(lm: _Loaded, text: str) -> int:
    """Where the text's first window of tokens ends (a character offset)."""
    enc = lm.tokenizer(text, truncation=True, max_length=lm.window,
                       return_offsets_mapping=True, return_special_tokens_mask=True)
    ends = [end for (_, end), special in zip(enc["offset_mapping"], enc["special_tokens_mask"],
                                             strict=True) if not special]
    return max(ends, default=0)


def _predict(lm: _Loaded, texts: list[str], k: int) -> list[tuple[list[list[int]], Any]]:
    """Per text: the ``k`` best whole-word token ids and their logits at each mask, in order
    (masks cut off by the window are missing)."""
    torch = require("torch")
    enc = lm.tokenizer(texts, padding=True, truncation=True, max_length=lm.window,
                       return_tensors="pt").to(lm.device)
    where = enc["input_ids"] == lm.tokenizer.mask_token_id
    with torch.inference_mode():
        if lm.head is not None:
            hidden = lm.model.base_model(**enc).last_hidden_state
            logits = lm.head(hidden[where])
        else:
            logits = lm.model(**enc).logits[where]
        logits = logits.float().masked_fill(lm.invalid, float("-inf"))
        scores, ids = logits.topk(min(k, logits.shape[-1]), dim=-1)
    scores, ids = scores.cpu().numpy(), ids.cpu().tolist()
    counts = where.sum(dim=1).tolist()
    out, start = [], 0
    for n in counts:
        out.append((ids[start:start + n], scores[start:start + n]))
        start += n
    return out


def _factory(insert: bool, owner: str, model: str, aug_p: float, top_k: int,
             top_p: float | None, max_words: int | None, device: str | None, batch_size: int,
             cache: Any, local_files_only: bool, revision: str | None, protect: Protect,
             name: str) -> ContextualTF:
    check_picking(owner, aug_p, max_words)
    check_param(isinstance(top_k, int) and not isinstance(top_k, bool) and top_k >= 1, owner,
                "top_k", "an int >= 1", top_k)
    if top_p is not None:
        check_fraction(owner, "top_p", top_p)
    check_param(isinstance(model, str) and bool(model), owner, "model",
                "a model id or a local directory", model)
    return ContextualTF(name, model=model, insert=insert, aug_p=aug_p, top_k=top_k, top_p=top_p,
                        max_words=max_words, protect=protect, local_files_only=local_files_only,
                        revision=revision, batch_size=batch_size, device=device, cache=cache)


def contextual_substitute(model: str = "distilbert-base-uncased", *, aug_p: float = 0.15,
                          top_k: int = 10, top_p: float | None = None,
                          max_words: int | None = None, device: str | None = None,
                          batch_size: int = 32, cache: Any = None,
                          local_files_only: bool = False, revision: str | None = None,
                          protect: Protect = (),
                          name: str = "contextual_substitute") -> ContextualTF:
    """Replace chosen words with a masked LM's predictions (see the module's notes).

    ``model`` is a hub id or a local directory (``save_pretrained``); ``cache`` a SQLite
    file so that reruns are served from disk; ``device`` None picks cuda, mps or cpu.
    """
    return _factory(False, "contextual_substitute", model, aug_p, top_k, top_p, max_words,
                    device, batch_size, cache, local_files_only, revision, protect, name)


def contextual_insert(model: str = "distilbert-base-uncased", *, aug_p: float = 0.15,
                      top_k: int = 10, top_p: float | None = None,
                      max_words: int | None = None, device: str | None = None,
                      batch_size: int = 32, cache: Any = None, local_files_only: bool = False,
                      revision: str | None = None, protect: Protect = (),
                      name: str = "contextual_insert") -> ContextualTF:
    """Insert a masked LM's prediction after each chosen word (see the module's notes)."""
    return _factory(True, "contextual_insert", model, aug_p, top_k, top_p, max_words,
                    device, batch_size, cache, local_files_only, revision, protect, name)
