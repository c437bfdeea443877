"""Over-sampling rare classes with augmented texts, for imbalanced-learn pipelines.

``TextAugmentSampler(tfs, sampling_strategy=..., seed=...)`` has imbalanced-learn's
``fit_resample(X, y)``: it returns the rows of ``X`` and, after them, new augmented
variants of each class's rows, as many as the over-sampling ``sampling_strategy`` asks
("auto" / "not majority", "minority", "not minority", "all", a float ratio, or a dict
``{class: count}``, as in ``RandomOverSampler``). The variants are spread evenly over the
class's rows (each row's first draw, then each row's second, ...). It fits in an
``imblearn.pipeline.Pipeline`` before a vectorizer, so only training folds are
over-sampled. The class is built on first use: importing this module imports neither
imbalanced-learn nor scikit-learn (``pip install 'textaug[imblearn]'``).

Examples
--------
>>> from textaug import transformation_function
>>> from textaug.integrations.imblearn import TextAugmentSampler
>>> @transformation_function()
... def exclaim(x, rng):
...     return x.replace(text=x.text + "!" * (1 + rng.integers(3)))
>>> X, y = ["good", "fine", "great", "bad"], [1, 1, 1, 0]
>>> X_res, y_res = TextAugmentSampler([exclaim], seed=0).fit_resample(X, y)
>>> X_res, y_res.tolist()
(['good', 'fine', 'great', 'bad', 'bad!', 'bad!!!'], [1, 1, 1, 0, 0, 0])
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from textaug.apply import Augmenter
from textaug.errors import InvalidParameterError, TextaugWarning, check_param
from textaug.integrations.sklearn import labels_like, like, sklearn_class, texts_of
from textaug.loading import require
from textaug.policy import RandomPolicy
from textaug.records import IS_ORIGINAL, SOURCE
from textaug.report import AugmentReport

_TEXT, _LABEL = "text", "textaug_label"


class _TextAugmentSampler:
    """Top up classes with augmented texts to the counts ``sampling_strategy`` asks.

    Parameters
    ----------
    tfs
        textaug TFs (or snorkel TFs); each variant applies one, drawn at random.
    sampling_strategy
        imbalanced-learn's over-sampling strategy: a string, a float ratio (minority over
        majority, two classes), or a dict of the wanted count per class.
    seed
        Root seed: the same data and seed give the same rows.
    validators, max_attempts
        As for :func:`textaug.augment`: a rejected variant is drawn again.

    Attributes
    ----------
    sampling_strategy_
        The number of rows added per class, as imbalanced-learn reads the strategy.
    sample_indices_
        For each returned row, the position in ``X`` of its source row.
    repeated_
        Per class, how many added rows repeat an earlier one because the TFs made too few
        distinct variants (a warning says so).
    report_
        The :class:`~textaug.report.AugmentReport` of the classes' augmentation.
    """

    def __init__(self, tfs: Sequence[Any] | Any, *, sampling_strategy: Any = "auto",
                 seed: int = 0, validators: Sequence[Any] = (), max_attempts: int = 3) -> None:
        check_param(isinstance(seed, int) and not isinstance(seed, bool) and seed >= 0,
                    "TextAugmentSampler", "seed", "an int >= 0", seed)
        self.tfs = tfs
        self.sampling_strategy = sampling_strategy
        self.seed = seed
        self.validators = validators
        self.max_attempts = max_attempts

    def fit(self, X: Any, y: Any) -> Any:  # noqa: N803 - imbalanced-learn's name
        """Work out the counts to add (``fit_resample`` does this too)."""
        self.sampling_strategy_ = self._strategy(np.asarray(y))
        return self

    def fit_resample(self, X: Any, y: Any) -> tuple[Any, Any]:  # noqa: N803
        """``X`` and ``y`` with the augmented rows of each class added after them."""
        texts, labels = texts_of(X, "TextAugmentSampler"), np.asarray(y)
        if labels.ndim != 1 or len(labels) != len(texts):
            raise InvalidParameterError(
                f"TextAugmentSampler takes one label per text: X has {len(texts)} texts, y has "
                f"shape {labels.shape}.")
        self.fit(X, y)
        self.report_ = AugmentReport(self.seed, [])
        self.repeated_: dict[Any, int] = {}
        sources: list[int] = list(range(len(texts)))
        made_texts: list[Any] = []
        for cls, need in self.sampling_strategy_.items():
            rows = np.flatnonzero(labels == cls)
            if need <= 0 or not len(rows):
                continue
            made, made_sources = self._top_up(texts, labels, rows, int(need), cls)
            made_texts += made
            sources += made_sources
        self.sample_indices_ = np.asarray(sources, dtype=np.intp)
        new_labels = labels[self.sample_indices_[len(texts):]].tolist()
        return like(X, texts + made_texts), labels_like(y, labels.tolist() + new_labels)

    def _strategy(self, y: np.ndarray) -> dict[Any, int]:
        utils = require("imblearn.utils", "imblearn")
        strategy = utils.check_sampling_strategy(self.sampling_strategy, y, "over-sampling")
        return {cls: int(n) for cls, n in strategy.items()}

    def _top_up(self, texts: list[Any], labels: np.ndarray, rows: np.ndarray, need: int,
                cls: Any) -> tuple[list[Any], list[int]]:
        """``need`` variants of the class's ``rows``, spread evenly, with their sources."""
        draws = math.ceil(need / len(rows)) + 1  # one spare draw per row for duplicates
        runner = Augmenter(self.tfs, RandomPolicy(n_per_original=draws), seed=self.seed,
                           text=_TEXT, label=_LABEL, validators=self.validators,
                           max_attempts=self.max_attempts)
        frame = pd.DataFrame({_TEXT: [texts[i] for i in rows], _LABEL: labels[rows].tolist()},
                             index=pd.Index(rows.tolist()))
        out = runner.augment(frame)
        self.report_.merge(runner.report_)
        self.report_.tf_names = runner.report_.tf_names
        made = out[~out[IS_ORIGINAL]]
        order = np.lexsort((made[SOURCE].to_numpy(),  # draw 0 of each row, then draw 1, ...
                            made.groupby(SOURCE, sort=False).cumcount().to_numpy()))
        picked = made.iloc[order]
        repeat = need - len(picked)
        if repeat > 0:  # too few distinct variants: cycle through them (or the originals)
            pool = picked if len(picked) else frame.reset_index(names=SOURCE)
            picked = pd.concat([picked, pool.iloc[np.arange(repeat) % len(pool)]])
            self.repeated_[cls] = repeat
            warnings.warn(
                f"TextAugmentSampler: the TFs made {need - repeat} distinct variants of class "
                f"{cls!r}, which needs {need}; {repeat} rows repeat earlier ones. Add TFs or "
                "raise their strength.", TextaugWarning, stacklevel=3)
        picked = picked.iloc[:need]
        return picked[_TEXT].tolist(), picked[SOURCE].astype(int).tolist()


def _bases() -> tuple[type, ...]:
    return (require("sklearn.base", "imblearn").BaseEstimator,)


def __getattr__(name: str) -> Any:
    if name == "TextAugmentSampler":
        return sklearn_class(name, _TextAugmentSampler, _bases)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
