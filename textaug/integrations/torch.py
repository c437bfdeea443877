"""Augmentation during training: a map-style dataset for a PyTorch ``DataLoader``.

:class:`AugmentedDataset` makes each item when it is read: item ``i`` at epoch ``e`` is a
reproducible variant of its row, seeded by (seed, row key, epoch, draw) and nothing else,
never by global random state. So it is the same in every ``DataLoader`` worker and for any
number of workers, and :meth:`AugmentedDataset.set_epoch` gives new variants each epoch.
Epoch 0 draws exactly the candidates :func:`textaug.augment` draws with the same seed.

The dataset needs no torch itself (``DataLoader`` takes any object with ``__len__`` and
``__getitem__``), so nothing here imports it.

Examples
--------
>>> import pandas as pd
>>> from textaug import RandomPolicy, transformation_function
>>> @transformation_function()
... def exclaim(x, rng):
...     return x.replace(text=x.text + "!" * (1 + rng.integers(3)))
>>> df = pd.DataFrame({"text": ["good movie", "bad plot"], "label": [1, 0]})
>>> ds = AugmentedDataset(df, [exclaim], RandomPolicy(n_per_original=2), seed=0, label="label")
>>> len(ds), ds[0]["text"], ds[1]["text"], ds[1]["textaug_tfs"]
(6, 'good movie', 'good movie!!', 'exclaim')
>>> ds.set_epoch(1)
>>> ds[1]["text"]
'good movie!'

Items are dicts; a collate function for a classifier turns a list of them into a batch
(``DataLoader(ds, batch_size=32, collate_fn=collate, num_workers=2)``, and
``ds.set_epoch(epoch)`` before each epoch's loop):

>>> def collate(items):  # with torch: labels as torch.tensor([...])
...     return [it["text"] for it in items], [it["label"] for it in items]
>>> collate([ds[0], ds[1]])
(['good movie', 'good movie!'], [1, 1])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from textaug._rng import Rng, derive_seed, hash_text, mix
from textaug.apply import Augmenter
from textaug.checks import check_frame, check_keys, row_keys
from textaug.chunk import _POLICY_SALT, _rebased, _unchanged
from textaug.errors import ColumnNotFoundError, InvalidParameterError, TransformError, check_param
from textaug.policy import ClassBalancedPolicy
from textaug.records import IS_ORIGINAL, SOURCE, TFS, Record

_EPOCH_SALT = hash_text("textaug.epoch")


class AugmentedDataset:
    """Rows of ``data`` with their variants, made on the fly, new each epoch.

    Each row gives ``keep_original + n`` items in a row, ``n`` the policy's draws per
    row: the original (if the policy keeps it), then one variant per draw. A draw that no
    TF changed gives the original's values, with ``textaug_is_original`` True.

    Parameters
    ----------
    data
        A DataFrame (keyed by its index, or ``key``), or a sequence of row mappings, such
        as a list of dicts or a Hugging Face ``Dataset`` (keyed by position, or ``key``).
        It is never modified.
    tfs, policy, seed, text, label, key
        As for :func:`textaug.augment` (the seed is required; ``ClassBalancedPolicy`` is
        not taken: its draws per row vary, and a dataset's length cannot).

    Notes
    -----
    Items are read from ``__getitem__`` in each worker; the epoch is copied into the
    workers when a ``DataLoader`` starts them, so call :meth:`set_epoch` before iterating
    and do not use ``persistent_workers=True`` (its workers keep the epoch they started
    with).
    """

    def __init__(self, data: Any, tfs: Sequence[Any] | Any, policy: Any = None, *, seed: int,
                 text: str = "text", label: str | None = None, key: str | None = None) -> None:
        check_param(isinstance(seed, int) and not isinstance(seed, bool) and seed >= 0,
                    "AugmentedDataset", "seed", "an int >= 0", seed)
        runner = Augmenter(tfs, policy, seed=seed, text=text, label=label, key=key)
        if isinstance(runner.policy, ClassBalancedPolicy):
            raise InvalidParameterError(
                "AugmentedDataset takes a policy with a fixed number of draws per row; "
                "ClassBalancedPolicy's vary. Use RandomPolicy, and balance classes with a "
                "WeightedRandomSampler or textaug.integrations.imblearn.TextAugmentSampler.")
        self.tfs, self.seed, self.epoch = runner.tfs, seed, 0
        self.text, self.label, self.key = text, label, key
        self._salts = [hash_text(tf.name) for tf in self.tfs]
        self._policy = runner.policy.bind([tf.name for tf in self.tfs])
        self._fixed = self._policy.fixed_sequences()
        self._draws = len(self._fixed if self._fixed is not None
                          else self._policy.sequences(Rng(0), ()))
        self._per_row = int(self._policy.keep_original) + self._draws
        self._rows, self._keys = _rows_and_keys(data, text, label, key)

    def set_epoch(self, epoch: int) -> None:
        """Draw the variants of ``epoch`` from now on."""
        check_param(isinstance(epoch, int) and not isinstance(epoch, bool) and epoch >= 0,
                    "set_epoch", "epoch", "an int >= 0", epoch)
        self.epoch = epoch

    def __len__(self) -> int:
        return len(self._rows) * self._per_row

    def __getitem__(self, index: int) -> dict[str, Any]:
        if not -len(self) <= index < len(self):
            raise IndexError(f"AugmentedDataset index {index} out of range ({len(self)} items).")
        row, slot = divmod(index % len(self), self._per_row)
        values = self._rows[row]
        key = values[self.key] if self.key else self._keys[row]
        record = Record(dict(values), self.text, self.label, key=key)
        draw = slot - int(self._policy.keep_original)
        made, chain = (record, ()) if draw < 0 else self._variant(record, key, draw)
        item = {str(name): made[name] for name in made}
        item.update({SOURCE: key, IS_ORIGINAL: not chain, TFS: ">".join(chain)})
        return item

    def _variant(self, x: Record, key: Any, draw: int) -> tuple[Record, tuple[str, ...]]:
        """Draw ``draw`` of the row this epoch: its TF sequence run as the applier does."""
        seed = self.seed if self.epoch == 0 else mix(self.seed, _EPOCH_SALT, self.epoch)
        row_seed = derive_seed(seed, key)
        sequences = self._fixed if self._fixed is not None else self._policy.sequences(
            Rng(mix(row_seed, _POLICY_SALT)), ())
        chain: tuple[str, ...] = ()
        for stage, t in enumerate(sequences[draw]):
            tf = self.tfs[t]
            try:
                out = tf.apply(x, Rng(mix(row_seed, draw, self._salts[t], stage)))
            except Exception as err:
                raise TransformError(tf.name, key, err) from err
            if out is not None and not _unchanged(out := _rebased(out, x), x):
                x, chain = out, (*chain, tf.name)
        return x, chain


def _rows_and_keys(data: Any, text: str, label: str | None,
                   key: str | None) -> tuple[Sequence[Mapping[str, Any]], list[Any]]:
    """The rows (a DataFrame's as dicts, read once) and, without ``key``, their keys."""
    if isinstance(data, pd.DataFrame):
        check_frame(data, text, label, key)
        columns = list(data.columns)
        rows = [dict(zip(columns, values, strict=True))
                for values in zip(*(data[c].tolist() for c in columns), strict=True)]
        keys = row_keys(data, key)
    elif not isinstance(data, Mapping | str) and hasattr(data, "__getitem__") and hasattr(
            data, "__len__"):
        rows, keys = data, list(range(len(data)))
        if key is not None:
            keys = [row[key] for row in rows]
    else:
        raise InvalidParameterError(
            f"AugmentedDataset takes a DataFrame or a sequence of row dicts (a list, a Hugging "
            f"Face Dataset). Got {type(data).__name__}.")
    check_keys(keys, key, set())
    for name in (text, label):
        if name is not None and len(rows) and name not in rows[0]:
            raise ColumnNotFoundError(f"Column {name!r} not in the rows. Available: "
                                      f"{list(rows[0])}. Pass text=/label= to name it.")
    return rows, keys
