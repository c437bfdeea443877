"""The invariance test: does a trained model's prediction survive each TF?

A TF that preserves labels should leave a good model's prediction as it was; a low
score flags a TF that changes what a text means (or a model that leans on surface
cues). Each row is transformed ``n`` times per TF with textaug's per-row generators (as
the applier draws them), and every variant that differs from its original counts.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from textaug import transformation_function
>>> from textaug.evaluate.models import TfidfClassifier
>>> @transformation_function()
... def shout(x):
...     return x.replace(text=x.text.upper())
>>> df = pd.DataFrame({"text": ["good film", "great film", "bad film", "awful film"],
...                    "label": ["pos", "pos", "neg", "neg"]})
>>> clf = TfidfClassifier().fit(df["text"].tolist(), df["label"].to_numpy())
>>> invariance(clf, df, [shout])
      tf  label  variants  unchanged  invariance
0  shout  (all)         4          4         1.0
1  shout    neg         2          2         1.0
2  shout    pos         2          2         1.0
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from textaug._rng import derive_seed, mix
from textaug.checks import check_frame, row_keys
from textaug.errors import InvalidParameterError, check_param
from textaug.evaluate.tta import transformed
from textaug.interop import as_tf
from textaug.records import Record, as_labels, frame_records

ALL = "(all)"  # the label of a TF's row over all rows


def invariance(model: Any, df: pd.DataFrame, tfs: Sequence[Any], *, text: str = "text",
               label: str | None = "label", seed: int = 0, n: int = 1) -> pd.DataFrame:
    """How often ``model.predict`` gives a variant its original's prediction, per TF.

    Parameters
    ----------
    model
        A fitted classifier with ``predict(texts)``.
    df
        The rows to transform (never modified), keyed by the index.
    tfs
        The TFs to test.
    text, label
        The text column, and the label column (``None``: no per-label rows).
    seed
        Seeds the TFs' draws.
    n
        Variants drawn per row and TF.

    Returns
    -------
    pandas.DataFrame
        Per TF, a row over all rows (``label`` "(all)") and one per label (a multi-label row
        counts for each of its labels): the variants that differ from their original,
        how many kept its prediction, and their share (NaN when the TF changed nothing).
    """
    if not callable(getattr(model, "predict", None)):
        raise InvalidParameterError(
            f"invariance needs a fitted classifier with predict. Got {type(model).__name__}.")
    check_frame(df, text, label, None)
    check_param(isinstance(n, int) and not isinstance(n, bool) and n >= 1, "invariance", "n",
                "an int >= 1", n)
    functions = [as_tf(tf) for tf in ([tfs] if not isinstance(tfs, Sequence) else tfs)]
    if not functions:
        raise InvalidParameterError("invariance needs at least one TF. Got an empty list.")
    keys = row_keys(df, None)
    records = frame_records(df, text, label, keys)
    originals = [str(r.text) for r in records]
    made = {tf.name: _variants_of(tf, records, originals, keys, seed, n) for tf in functions}
    texts = [t for pairs in made.values() for _, t in pairs]
    predicted = list(model.predict(originals + texts)) if texts else list(
        model.predict(originals))
    before, after = predicted[:len(originals)], iter(predicted[len(originals):])
    tags = [as_labels(r.raw(label)) if label is not None else () for r in records]
    table = []
    for tf in functions:
        kept = [(i, _same(before[i], next(after))) for i, _ in made[tf.name]]
        table += _rows(tf.name, kept, tags)
    return pd.DataFrame(table, columns=["tf", "label", "variants", "unchanged", "invariance"])


def _variants_of(tf: Any, records: list[Record], originals: list[str], keys: list[Any],
                 seed: int, n: int) -> list[tuple[int, str]]:
    """(row position, variant text) of each draw that changed the text."""
    out = []
    row_seeds = [derive_seed(seed, k) for k in keys]
    for draw in range(n):
        texts = transformed(tf, records, [mix(s, draw) for s in row_seeds])
        out += [(i, t) for i, t in enumerate(texts) if t is not None and t != originals[i]]
    return out


def _same(a: Any, b: Any) -> bool:
    return bool(np.array_equal(np.asarray(a), np.asarray(b)))


def _rows(tf: str, kept: list[tuple[int, bool]], tags: list[tuple[Any, ...]]) -> list[dict[str,
                                                                                          Any]]:
    """The overall row, then one per label, of one TF."""
    groups: dict[Any, list[bool]] = {ALL: [same for _, same in kept]}
    for label in sorted({t for row in tags for t in row}, key=repr):
        groups[label] = [same for i, same in kept if label in tags[i]]
    return [{"tf": tf, "label": label, "variants": len(v), "unchanged": sum(v),
             "invariance": sum(v) / len(v) if v else float("nan")} for label, v in groups.items()]
