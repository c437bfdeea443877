"""Augmentation inside Hugging Face ``Dataset.map(batched=True)``.

:func:`augment_batch` returns a function that takes a batch (a dict of columns) and
returns the batch's augmented rows, with every column kept and the provenance columns
added: the rows :func:`textaug.augment` makes from the same data and seed, whatever the
batch size. Each row's draws are seeded by the row's key, so the key must not depend on
where a batch starts: name a column of unique ids with ``key=``, or pass
``with_indices=True`` to ``map`` and the row's index in the dataset is its key (as the
index of a pandas frame is for ``augment``).

Examples
--------
The function works on a plain dict of columns, without ``datasets``:

>>> from textaug import ApplyOnePolicy, transformation_function
>>> @transformation_function()
... def shout(x):
...     return x.replace(text=x.text.upper())
>>> fn = augment_batch([shout], ApplyOnePolicy(), seed=0)
>>> fn({"text": ["good", "bad"], "y": [1, 0]}, [10, 11])
... # doctest: +NORMALIZE_WHITESPACE
{'text': ['good', 'GOOD', 'bad', 'BAD'], 'y': [1, 1, 0, 0], 'textaug_source': [10, 10, 11, 11],
 'textaug_is_original': [True, False, True, False], 'textaug_tfs': ['', 'shout', '', 'shout']}

With ``datasets``: ``ds.map(fn, batched=True, with_indices=True)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from textaug.apply import Augmenter
from textaug.errors import InvalidParameterError
from textaug.policy import ClassBalancedPolicy


class BatchAugmenter:
    """The function :func:`augment_batch` returns: ``fn(batch, indices=None)``.

    ``report_`` gathers the reports of the batches this process augmented.
    """

    def __init__(self, augmenter: Augmenter, key: str | None) -> None:
        self.augmenter, self.key = augmenter, key
        self.report_ = augmenter._settings.new_report()

    def __call__(self, batch: Mapping[str, Sequence[Any]],
                 indices: Sequence[int] | None = None) -> dict[str, list[Any]]:
        """The augmented rows of ``batch`` (with ``indices``: the rows' keys)."""
        if self.key is None and indices is None:
            raise InvalidParameterError(
                "augment_batch needs each row's key, independent of the batch: call "
                "ds.map(fn, batched=True, with_indices=True), or build it with key='id' naming "
                "a column of unique row ids.")
        frame = pd.DataFrame(dict(batch))
        if self.key is None:
            frame.index = pd.Index(list(indices or ()))
        parts = list(self.augmenter.stream(frame, chunk_size=max(len(frame), 1)))
        self.report_.merge(self.augmenter.report_)
        out = pd.concat(parts) if parts else frame
        return {str(name): out[name].tolist() for name in out.columns}


def augment_batch(tfs: Sequence[Any] | Any, policy: Any = None, *, seed: int,
                  text: str = "text", label: str | None = None, key: str | None = None,
                  validators: Sequence[Any] = (), dedupe: bool = True,
                  **augment_options: Any) -> BatchAugmenter:
    """A function for ``Dataset.map(batched=True)`` that augments each batch.

    Parameters
    ----------
    tfs, policy, text, label, validators, dedupe
        As for :func:`textaug.augment`.
    seed
        Root seed (required: every process that runs the function must draw alike).
    key
        A column of unique row ids; without it, call ``map`` with ``with_indices=True``.
    **augment_options
        Further options of :func:`textaug.augment` (``on_error``, ``max_attempts``, ...).

    Returns
    -------
    BatchAugmenter
        ``fn(batch, indices=None)``: the batch's augmented rows as a dict of columns.
    """
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise InvalidParameterError(
            f"augment_batch needs seed= an int, so that every batch and process draws alike. "
            f"Got {seed!r}.")
    for name in ("n_jobs", "progress", "return_report"):
        if name in augment_options:
            raise InvalidParameterError(
                f"augment_batch does not take {name}=: Dataset.map runs the batches (use its "
                "num_proc= for processes).")
    runner = Augmenter(tfs, policy, seed=seed, text=text, label=label, key=key,
                       validators=validators, dedupe=dedupe, **augment_options)
    if isinstance(runner.policy, ClassBalancedPolicy) and runner.policy.counts is None:
        raise InvalidParameterError(
            "ClassBalancedPolicy needs the label counts of the whole dataset, a batch has only "
            "its own: pass ClassBalancedPolicy(counts=...).")
    return BatchAugmenter(runner, key)
