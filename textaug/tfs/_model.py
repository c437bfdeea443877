"""What every model-backed TF shares: batching, the disk cache, lazy loading, devices.

A :class:`ModelTF` implements ``generate(texts, rngs)``: one output text (or None,
"not applicable") per input, computed in batches of ``batch_size`` (``generate_rows``
and ``row_key`` for a TF that reads more of the row, such as its labels).
``apply_batch`` serves what it can from the disk cache (keyed by the TF's name and
version, the model and its revision, the parameters, the draw's seed and the text), runs
the model on the rest in batches of texts of like length (little padding), and stores
the results, so a rerun is fast and gives the same rows. The model loads on first use;
a pickled TF leaves it behind and loads it again where it lands.

Examples
--------
>>> from textaug.records import Record
>>> class Shout(ModelTF):
...     def generate(self, texts, rngs):
...         return [t.upper() if t.islower() else None for t in texts]
>>> tf = Shout("shout", model="none", params={})
>>> [None if out is None else out.text
...  for out in tf.apply_batch([Record({"text": "hi"}), Record({"text": "OK"})], [Rng(0), Rng(1)])]
['HI', None]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from textaug._rng import Rng
from textaug.cache import CacheError, DiskCache, cache_key, open_cache
from textaug.errors import check_param
from textaug.records import Record
from textaug.tf import Outcome, TransformationFunction


class ModelTF(TransformationFunction):
    """A TF backed by a model (or a remote service); subclasses implement :meth:`generate`.

    Parameters
    ----------
    name, version
        As for any TF; both key the cache.
    model
        The model id or local directory (for an LLM, the model name); keys the cache.
    params
        The JSON-able parameters that change the output; they key the cache.
    revision
        The model revision (a hub commit or tag); keys the cache.
    batch_size
        Texts per ``generate`` call.
    device
        "cpu", "cuda", "mps", a torch device string, or None to pick the best available.
    cache
        A SQLite file path (or :class:`~textaug.cache.DiskCache`), or None for no cache.
    """

    def __init__(self, name: str, *, model: str, params: Mapping[str, Any], version: int = 1,
                 revision: str | None = None, batch_size: int = 32, device: str | None = None,
                 cache: Any = None) -> None:
        check_param(isinstance(batch_size, int) and not isinstance(batch_size, bool)
                    and batch_size >= 1, name, "batch_size", "an int >= 1", batch_size)
        check_param(device is None or isinstance(device, str), name, "device",
                    "None (pick the best), 'cpu', 'cuda', 'mps' or a torch device string", device)
        super().__init__(self._apply_one, name=name, version=version)
        self.model_id = model
        self.revision = revision
        self.params = dict(params)
        self.batch_size = batch_size
        self.device = device
        self.cache: DiskCache | None = open_cache(cache)
        self._loaded: Any = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, model={self.model_id!r})"

    def generate(self, texts: list[str], rngs: list[Rng]) -> list[str | None]:
        """One output per text (None: not applicable); one batch at a time."""
        raise NotImplementedError

    def generate_rows(self, records: list[Record],
                      rngs: list[Rng]) -> Sequence[str | None | BaseException]:
        """One output per row: ``generate`` on the texts, unless a TF reads more of the row.

        An exception in place of an output fails that row only; it is not cached.
        """
        return self.generate([x.text for x in records], rngs)

    def row_key(self, x: Record) -> Any:
        """What else of the row changes the output (it joins the cache key); None: nothing."""
        return None

    def apply_batch(self, records: Sequence[Record], rngs: Sequence[Rng]) -> list[Outcome]:
        """Cached outputs where there are some; ``generate`` in batches for the rest.

        A cache that cannot be read or written (:class:`~textaug.cache.CacheError`) fails
        the rows it could not serve or store, as any other per-row error.
        """
        outcomes: list[Outcome] = [None] * len(records)
        keys = ([self._key(x, rng) for x, rng in zip(records, rngs, strict=True)]
                if self.cache is not None else [""] * len(records))  # no cache: no keys
        known, broken = self._cached(keys)
        todo = []
        for i, (x, key) in enumerate(zip(records, keys, strict=True)):
            if not isinstance(x.text, str):
                outcomes[i] = TypeError(f"{self.name} needs str text; got {x.text!r}")
            elif not x.text.strip():
                outcomes[i] = None  # a blank text: nothing to rewrite, no model call
            elif broken is not None:
                outcomes[i] = broken
            elif key in known:
                outcomes[i] = _outcome(x, known[key])
            else:
                todo.append(i)
        todo.sort(key=lambda i: len(records[i].text))  # batches of like lengths: less padding
        for start in range(0, len(todo), self.batch_size):
            self._run_batch(records, rngs, todo[start:start + self.batch_size], keys, outcomes)
        return outcomes

    def _cached(self, keys: list[str]) -> tuple[Mapping[str, str | None], CacheError | None]:
        """The cached outputs found, or the error that kept the cache from being read."""
        if self.cache is None:
            return {}, None
        try:
            return self.cache.get_many(keys), None
        except CacheError as err:
            return {}, err

    def _run_batch(self, records: Sequence[Record], rngs: Sequence[Rng], batch: list[int],
                   keys: list[str], outcomes: list[Outcome]) -> None:
        """``generate_rows`` on one batch; its outcomes set in place, its outputs cached."""
        try:
            outputs = self.generate_rows([records[i] for i in batch], [rngs[i] for i in batch])
            if len(outputs) != len(batch):
                raise TypeError(f"{type(self).__name__} made {len(outputs)} outputs for "
                                f"{len(batch)} texts")
        except Exception as err:  # noqa: BLE001 - reported per row by the applier
            outputs = [err] * len(batch)
        fresh: dict[str, str | None] = {}
        for i, out in zip(batch, outputs, strict=True):
            if isinstance(out, BaseException):
                outcomes[i] = out
            else:
                outcomes[i] = _outcome(records[i], out)
                fresh[keys[i]] = out
        if self.cache is None or not fresh:
            return
        try:
            self.cache.put_many(fresh)  # per batch: an interrupted run keeps what it made
        except CacheError as err:
            for i in batch:
                if not isinstance(outcomes[i], BaseException):
                    outcomes[i] = err

    def loaded(self) -> Any:
        """The model, loaded by :meth:`load` on first use."""
        if self._loaded is None:
            self._loaded = self.load()
        return self._loaded

    def load(self) -> Any:
        """Load the model (subclasses); called once, on first use."""
        raise NotImplementedError

    def _apply_one(self, x: Record, rng: Rng) -> Record | None:
        out = self.apply_batch([x], [rng])[0]
        if isinstance(out, BaseException):
            raise out
        return out

    def _key(self, x: Record, rng: Rng) -> str:
        parts = [f"{self.name}@{self.version}", self.model_id, self.revision, self.params,
                 rng.seed, x.text]
        extra = self.row_key(x)
        return cache_key(*parts, extra) if extra is not None else cache_key(*parts)

    def __reduce__(self) -> Any:
        state = {k: v for k, v in self.__dict__.items() if k not in ("func", "_loaded")}
        return (_rebuild, (type(self), state))


def _rebuild(cls: type[ModelTF], state: dict[str, Any]) -> ModelTF:
    tf = cls.__new__(cls)
    tf.__dict__.update(state, _loaded=None)
    tf.func = tf._apply_one
    return tf


def _outcome(x: Record, text: str | None) -> Record | None:
    """A changed record, or None when the model gave nothing new."""
    if text is None or text == x.text:
        return None
    return x.replace(text=text)
