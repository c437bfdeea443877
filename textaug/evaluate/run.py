"""Did augmentation help? Train a model with and without it, on paired subsamples.

For each training size, each seed and each augmenter, :func:`evaluate` draws a seeded
stratified subsample of ``train`` (the same rows for every augmenter at that size and
seed, so the gain over no augmentation is paired), augments only those rows, trains a
fresh model and scores it on ``test``. :class:`Evaluation` holds one row per run and
summarises the paired gains with 95% confidence intervals.

Examples
--------
>>> import pandas as pd
>>> from textaug import ApplyOnePolicy, transformation_function
>>> @transformation_function()
... def shout(x):
...     return x.replace(text=x.text.upper())
>>> train = pd.DataFrame({"text": ["good film", "great plot", "bad film", "awful plot"] * 5,
...                       "label": ["pos", "pos", "neg", "neg"] * 5})
>>> test = pd.DataFrame({"text": ["good plot", "bad plot"], "label": ["pos", "neg"]})
>>> result = evaluate(train, test, {"shout": ([shout], ApplyOnePolicy(1))}, model="tfidf",
...                   sizes=[8], seeds=2, progress=False)
>>> result.runs[["size", "augmenter", "seed", "accuracy", "train_rows"]]
   size augmenter  seed  accuracy  train_rows
0     8      none     0       1.0           8
1     8     shout     0       1.0          16
2     8      none     1       1.0           8
3     8     shout     1       1.0          16
>>> result.summary()[["size", "augmenter", "runs", "accuracy", "gain"]]
   size augmenter  runs  accuracy  gain
0     8      none     2       1.0   0.0
1     8     shout     2       1.0   0.0
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from textaug._rng import derive_seed
from textaug.apply import Augmenter
from textaug.checks import check_labels
from textaug.errors import ColumnNotFoundError, InvalidParameterError, TextaugWarning, check_param
from textaug.evaluate.models import ModelFactory, model_factory, takes_groups
from textaug.evaluate.sampling import stratified_sample
from textaug.interop import as_tf
from textaug.io import written_whole
from textaug.loading import require
from textaug.records import IS_ORIGINAL, SOURCE, as_labels
from textaug.tf import TransformationFunction

BASELINE = "none"
TTA_DRAWS = 8
_CACHE_VERSION = "textaug.evaluate/1"


@dataclass(frozen=True)
class AugmenterSpec:
    """One augmenter as ``evaluate`` runs it: re-seeded per run, TFs removable."""

    name: str
    tfs: tuple[TransformationFunction, ...] = ()
    policy: Any = None
    validators: tuple[Any, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)

    def build(self, seed: int, text: str, label: str) -> Augmenter | None:
        """The augmenter of one run (None for the baseline, which augments nothing)."""
        if not self.tfs:
            return None
        return Augmenter(list(self.tfs), self.policy, seed=seed, text=text, label=label,
                         validators=list(self.validators), **self.options)

    def config(self) -> str:
        """What the augmenter does, as text (a run's cache key includes it)."""
        parts = [[tf.name, str(tf.version), repr(sorted(tf.resources.items()))] for tf in self.tfs]
        checks = [f"{_name(v)}={v!r}" for v in self.validators]
        described = json.dumps([parts, repr(self.policy), checks,
                                repr(sorted(self.options.items()))])
        return re.sub(r" at 0x[0-9a-fA-F]+", "", described)  # object addresses change per run

    def without(self, tf: TransformationFunction) -> AugmenterSpec:
        """This augmenter with one TF removed (ablation); a policy's weight for that TF goes
        too, the others keep theirs."""
        return AugmenterSpec(f"{self.name}-minus-{tf.name}",
                             tuple(t for t in self.tfs if t is not tf),
                             _policy_without(self.policy, tf.name), self.validators, self.options)


def _policy_without(policy: Any, name: str) -> Any:
    """A copy of ``policy`` whose per-TF weights (its own, or its inner policy's: as
    MeanFieldPolicy and ClassBalancedPolicy hold them) no longer name ``name``."""
    weights = getattr(policy, "weights", None)
    inner = getattr(policy, "_inner", None)
    if isinstance(weights, dict) and name in weights:
        policy = copy.copy(policy)
        policy.weights = {k: v for k, v in weights.items() if k != name}
    elif inner is not None and name in getattr(inner, "weights", {}):
        policy = copy.copy(policy)
        policy._inner = _policy_without(inner, name)
    return policy


def _name(validator: Any) -> str:
    return str(getattr(validator, "name", getattr(validator, "__qualname__", repr(validator))))


def augmenter_spec(name: str, value: Any) -> AugmenterSpec:
    """The :class:`AugmenterSpec` of an ``augmenters`` entry: an ``Augmenter``, or a
    ``(tfs, policy)`` or ``(tfs, policy, validators)`` tuple."""
    if isinstance(value, Augmenter):
        s = value._settings
        options = {"max_attempts": s.max_attempts, "dedupe": s.dedupe, "on_error": s.on_error}
        if s.relabel is not None:
            options["relabel"] = s.relabel
        return AugmenterSpec(name, value.tfs, value.policy, s.validators, options)
    if isinstance(value, tuple) and len(value) in (2, 3):
        tfs = value[0] if isinstance(value[0], Sequence) else [value[0]]
        validators = value[2] if len(value) == 3 else ()
        validators = [validators] if callable(validators) else list(validators)
        return AugmenterSpec(name, tuple(as_tf(tf) for tf in tfs), value[1], tuple(validators))
    raise InvalidParameterError(
        f"Augmenter {name!r} must be a textaug.Augmenter or a (tfs, policy) or (tfs, policy, "
        f"validators) tuple. Got {type(value).__name__}.")


def _specs(augmenters: Mapping[str, Any], ablate: bool) -> list[AugmenterSpec]:
    check_param(isinstance(augmenters, Mapping), "evaluate", "augmenters",
                "a dict of name -> Augmenter or (tfs, policy[, validators])", augmenters)
    if BASELINE in augmenters:
        raise InvalidParameterError(
            f"The augmenter name {BASELINE!r} is the baseline (no augmentation) that evaluate "
            "always adds; give yours another name.")
    specs = [AugmenterSpec(BASELINE)]
    for name, value in augmenters.items():
        spec = augmenter_spec(name, value)
        specs.append(spec)
        if ablate and len(spec.tfs) > 1:
            specs += [spec.without(tf) for tf in spec.tfs]
    return specs


class Labels:
    """The label encoding of one evaluation: class indices, or a 0/1 indicator matrix."""

    def __init__(self, cells: Sequence[Any], column: str) -> None:
        self.column = column
        self.multi = any(isinstance(v, list | tuple | set | frozenset | np.ndarray)
                         for v in cells)
        self.classes = _sorted({tag for cell in cells for tag in self.tags(cell)})

    def tags(self, cell: Any) -> tuple[Any, ...]:
        """The labels of one cell (a single-label cell has exactly one)."""
        tags = as_labels(cell)
        if not self.multi and len(tags) != 1:
            raise InvalidParameterError(
                f"Label {cell!r} in column {self.column!r} is missing: every training and test "
                "row needs a label; drop the unlabelled rows first.")
        return tags

    def encode(self, cells: Sequence[Any], where: str) -> np.ndarray:
        """Class indices (single-label) or an indicator matrix (multi-label)."""
        index = {c: i for i, c in enumerate(self.classes)}
        rows = [self.tags(cell) for cell in cells]
        unseen = _sorted({t for row in rows for t in row} - set(index))
        if unseen:
            raise InvalidParameterError(
                f"The {where} has labels {unseen[:10]} that no training row has (training "
                f"labels: {self.classes[:10]}): a model cannot predict them; drop those rows or "
                "add training rows with them.")
        if not self.multi:
            return np.array([index[row[0]] for row in rows], dtype=np.intp)
        out = np.zeros((len(rows), len(self.classes)), dtype=np.intp)
        for i, row in enumerate(rows):
            out[i, [index[t] for t in row]] = 1
        return out


def _sorted(values: set[Any]) -> list[Any]:
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=repr)


@dataclass
class Evaluation:
    """The runs of :func:`evaluate`: one row per (size, augmenter, seed).

    ``runs`` has the columns size, augmenter, seed, accuracy, macro_f1 (multi-label also
    micro_f1; accuracy is then subset accuracy), train_rows (after augmentation), seconds,
    and tta_accuracy with ``tta``.
    """

    runs: pd.DataFrame
    multi_label: bool = False
    model: str = ""

    def summary(self, metric: str = "accuracy") -> pd.DataFrame:
        """Per size and augmenter: runs, the mean and std of ``metric``, and the paired
        gain over no augmentation (same size and seed): mean, std and 95% interval
        (Student's t with runs - 1 degrees of freedom); with TTA, its mean and gain."""
        check_param(metric in self.runs.columns, "Evaluation.summary", "metric",
                    f"one of {_METRICS}", metric)
        base = self.runs[self.runs["augmenter"] == BASELINE][["size", "seed", metric]]
        paired = self.runs.merge(base, on=["size", "seed"], suffixes=("", "_base"))
        paired["gain"] = paired[metric] - paired[f"{metric}_base"]
        rows = [self._row(int(size), str(name), group, metric)  # type: ignore[call-overload]
                for (size, name), group in paired.groupby(["size", "augmenter"], sort=False)]
        order = {name: i for i, name in enumerate(dict.fromkeys(self.runs["augmenter"]))}
        out = pd.DataFrame(rows)
        out = out.sort_values(["size", "augmenter"], key=lambda c: c.map(order)
                              if c.name == "augmenter" else c, kind="stable")
        return out.reset_index(drop=True)

    def _row(self, size: int, name: str, group: pd.DataFrame, metric: str) -> dict[str, Any]:
        low, high = confidence_interval(group["gain"].to_numpy())
        row = {"size": size, "augmenter": name, "runs": len(group),
               metric: group[metric].mean(), f"{metric}_std": group[metric].std(),
               "gain": group["gain"].mean(), "gain_std": group["gain"].std(),
               "gain_low": low, "gain_high": high}
        if "tta_accuracy" in group:
            row["tta_accuracy"] = group["tta_accuracy"].mean()
            row["tta_gain"] = (group["tta_accuracy"] - group["accuracy"]).mean()
        return row

    def plot(self, ax: Any = None, metric: str = "accuracy") -> Any:
        """``metric`` against training size, one line per augmenter, with 95% intervals
        of the mean (needs matplotlib: ``pip install 'textaug[plot]'``)."""
        check_param(metric in self.runs.columns, "Evaluation.plot", "metric",
                    f"one of {_METRICS}", metric)
        if ax is None:
            ax = require("matplotlib.pyplot", "plot").subplots()[1]
        for name, group in self.runs.groupby("augmenter", sort=False):
            by_size = group.groupby("size")[metric]
            sizes = np.array(sorted(int(s) for s in by_size.groups))  # type: ignore[call-overload]
            means = by_size.mean().loc[sizes].to_numpy()
            spans = [confidence_interval(by_size.get_group(s).to_numpy()) for s in sizes]
            errors = np.array([[m - lo, hi - m] for m, (lo, hi) in zip(means, spans,
                                                                        strict=True)]).T
            ax.errorbar(sizes, means, yerr=np.nan_to_num(errors), marker="o", capsize=3,
                        label=str(name))
        ax.set_xlabel("training size")
        ax.set_ylabel(metric.replace("_", " "))
        ax.legend()
        return ax


_METRICS = ("accuracy", "macro_f1", "micro_f1", "tta_accuracy")


def confidence_interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """The Student-t interval of the mean of ``values`` (NaN with fewer than two).

    >>> confidence_interval(np.array([1.0, 2.0, 3.0]))
    (np.float64(-0.48...), np.float64(4.48...))
    """
    n = len(values)
    if n < 2:
        return float("nan"), float("nan")
    stats = require("scipy.stats", "evaluate")
    half = stats.t.ppf(0.5 + level / 2, n - 1) * values.std(ddof=1) / np.sqrt(n)
    return values.mean() - half, values.mean() + half


@dataclass(frozen=True)
class _Setup:
    """What every run of one evaluation shares."""

    train: pd.DataFrame
    test_texts: list[str]
    y_test: np.ndarray
    labels: Labels
    text: str
    label: str
    model: ModelFactory
    tta: Any
    cache: Path | None
    digest: str
    train_tags: list[tuple[Any, ...]]


def evaluate(
    train: pd.DataFrame,
    test: pd.DataFrame,
    augmenters: Mapping[str, Any],
    *,
    model: Any = "cnn",
    sizes: Sequence[int | None] = (500, 2000, None),
    seeds: int | Sequence[int] = 5,
    text: str = "text",
    label: str = "label",
    progress: bool = True,
    ablate: bool = False,
    tta: bool | Sequence[Any] = False,
    cache_dir: str | os.PathLike[str] | None = None,
) -> Evaluation:
    """Train ``model`` with each augmenter and without, on paired subsamples; score on ``test``.

    Parameters
    ----------
    train, test
        Labelled frames (never modified). A label cell that is a list or tuple makes the
        evaluation multi-label.
    augmenters
        Name -> :class:`~textaug.Augmenter` (its seed, text and label columns are replaced
        per run) or ``(tfs, policy)`` / ``(tfs, policy, validators)``. ``"none"``, no
        augmentation, is always added as the baseline.
    model
        ``"cnn"``, ``"tfidf"``, ``"embeddings"``, ``(name, options)``, a classifier with
        ``fit``/``predict`` (cloned per run) or a factory (called per run); see
        :mod:`textaug.evaluate.models`.
    sizes
        Training sizes: seeded stratified subsamples of ``train``; ``None`` (or a size
        larger than ``train``, with a warning) is all of it.
    seeds
        How many seeds (0, 1, ...), or the seeds themselves. Each seed draws its own
        subsample, augmentation and model initialisation.
    text, label
        The text and label columns.
    progress
        Show a progress bar over runs.
    ablate
        Also run each augmenter of two or more TFs with each TF removed in turn
        (named ``"NAME-minus-TF"``).
    tta
        Also score each run with :func:`~textaug.evaluate.tta.tta_predict` (column
        ``tta_accuracy``): ``True`` with the run's own augmenter's TFs (NaN for the
        baseline), or a list of TFs for every run.
    cache_dir
        A folder for one small JSON file per run, keyed by a hash of the data, size,
        seed, augmenter and model: a rerun (or a resumed, interrupted one) reads finished
        runs instead of training again. Runs of a model given as an object or a factory
        are keyed by its repr or its name.
    """
    setup, specs, plan = _prepare(train, test, augmenters, model, sizes, seeds, text, label,
                                  ablate, tta, cache_dir)
    rows = []
    with _bar(progress, len(plan) * len(specs)) as bar:
        for size, seed in plan:
            positions = stratified_sample(setup.train_tags, size, derive_seed(seed, size))
            sample = setup.train.iloc[positions].set_axis(pd.Index(positions))
            for spec in specs:
                rows.append({"size": size, "augmenter": spec.name, "seed": seed,
                             **_cached_run(setup, spec, sample, size, seed)})
                bar.update(1)
    return Evaluation(pd.DataFrame(rows), setup.labels.multi, setup.model.name)


def _prepare(train: pd.DataFrame, test: pd.DataFrame, augmenters: Mapping[str, Any], model: Any,
             sizes: Sequence[int | None], seeds: int | Sequence[int], text: str, label: str,
             ablate: bool, tta: bool | Sequence[Any], cache_dir: Any
             ) -> tuple[_Setup, list[AugmenterSpec], list[tuple[int, int]]]:
    for name, df in (("train", train), ("test", test)):
        _check_frame(df, name, text, label)
    specs = _specs(augmenters, ablate)
    for spec in specs:
        spec.build(0, text, label)  # a pipeline that cannot be built fails now, not mid-run
    labels = Labels(train[label].tolist(), label)
    y_test = labels.encode(test[label].tolist(), "test set")
    tta_tfs: Any = tta if isinstance(tta, bool) else tuple(as_tf(tf) for tf in tta)
    cache = Path(cache_dir) if cache_dir is not None else None
    setup = _Setup(train, [str(t) for t in test[text].tolist()], y_test, labels, text, label,
                   model_factory(model), tta_tfs, cache, _digest(train, test, text, label),
                   [labels.tags(cell) for cell in train[label].tolist()])
    plan = [(size, seed) for size in _sizes(sizes, len(train)) for seed in _seeds(seeds)]
    return setup, specs, plan


def _check_frame(df: Any, name: str, text: str, label: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise InvalidParameterError(
            f"evaluate() takes the {name} split as a pandas DataFrame. Got {type(df).__name__}.")
    for role, column in (("Text", text), ("Label", label)):
        if column not in df.columns:
            raise ColumnNotFoundError(
                f"{role} column {column!r} not in the {name} DataFrame. Available columns: "
                f"{list(df.columns)}. Pass {role.lower()}='...' to name it.")
    if len(df) == 0:
        raise InvalidParameterError(f"The {name} DataFrame has no rows.")
    check_labels(df[label].tolist(), df.index.tolist(), label)


def _sizes(sizes: Sequence[int | None], n: int) -> list[int]:
    """The distinct training sizes, capped at ``n`` (said once)."""
    check_param(isinstance(sizes, Sequence) and len(sizes) > 0 and all(
        s is None or (isinstance(s, int) and not isinstance(s, bool) and s >= 1) for s in sizes),
        "evaluate", "sizes", "a non-empty list of ints >= 1 or None", sizes)
    over = [s for s in sizes if s is not None and s > n]
    if over:
        warnings.warn(f"Training sizes {over} are larger than the {n} training rows: those runs "
                      "use all of them.", TextaugWarning, stacklevel=4)
    return sorted({n if s is None else min(s, n) for s in sizes})


def _seeds(seeds: int | Sequence[int]) -> list[int]:
    if isinstance(seeds, int) and not isinstance(seeds, bool):
        check_param(seeds >= 1, "evaluate", "seeds", "an int >= 1 or a list of ints >= 0", seeds)
        return list(range(seeds))
    check_param(isinstance(seeds, Sequence) and len(seeds) > 0 and all(
        isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in seeds)
        and len(set(seeds)) == len(seeds), "evaluate", "seeds",
        "an int >= 1 or a list of distinct ints >= 0", seeds)
    return [int(s) for s in seeds]  # type: ignore[union-attr]


def _digest(train: pd.DataFrame, test: pd.DataFrame, text: str, label: str) -> str:
    blake = hashlib.blake2b(digest_size=16)
    for df in (train, test):
        for column in (text, label):
            blake.update(json.dumps(df[column].tolist(), default=repr).encode())
    return blake.hexdigest()


def _cached_run(setup: _Setup, spec: AugmenterSpec, sample: pd.DataFrame, size: int,
                seed: int) -> dict[str, Any]:
    """The scores of one run, from the cache when it holds them."""
    if setup.cache is None:
        return _run(setup, spec, sample, seed)
    tta = "" if setup.tta is False else (
        "own" if setup.tta is True else AugmenterSpec("tta", setup.tta).config())
    key = hashlib.blake2b(json.dumps([_CACHE_VERSION, setup.digest, size, seed, spec.config(),
                                      setup.model.name, setup.text, setup.label, tta]).encode(),
                          digest_size=16).hexdigest()
    path = setup.cache / f"{key}.json"
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        pass
    result = _run(setup, spec, sample, seed)
    _write_json(path, result)
    return result


def _write_json(path: Path, data: dict[str, Any]) -> None:
    """Write whole or not at all, so an interrupted run leaves no partial cache file."""
    with written_whole(path) as handle:
        handle.write(json.dumps(data).encode("utf-8"))


def _run(setup: _Setup, spec: AugmenterSpec, sample: pd.DataFrame, seed: int) -> dict[str, Any]:
    """Augment the sample, train a fresh model, score it on the test set."""
    started = time.perf_counter()
    augmenter = spec.build(derive_seed(seed, "augment"), setup.text, setup.label)
    data = sample if augmenter is None else augmenter.augment(sample)
    texts = [str(t) for t in data[setup.text].tolist()]
    y = setup.labels.encode(data[setup.label].tolist(), "augmented training set")
    model = setup.model(derive_seed(seed, "model") & 0x7FFFFFFF)
    if takes_groups(model):
        groups = data[SOURCE] if augmenter is not None else data.index
        original = data[IS_ORIGINAL] if augmenter is not None else np.ones(len(data), bool)
        model.fit(texts, y, groups=list(groups), is_original=list(original))
    else:
        model.fit(texts, y)
    scores = _scores(setup, np.asarray(model.predict(setup.test_texts)))
    tfs = spec.tfs if setup.tta is True else (() if setup.tta is False else setup.tta)
    if setup.tta is not False:
        scores["tta_accuracy"] = _tta_accuracy(setup, model, tfs, seed)
    return {**scores, "train_rows": len(data), "seconds": time.perf_counter() - started}


def _scores(setup: _Setup, predicted: np.ndarray) -> dict[str, float]:
    metrics = require("sklearn.metrics", "evaluate")
    y, k = setup.y_test, range(len(setup.labels.classes))
    scores = {"accuracy": float(metrics.accuracy_score(y, predicted)),
              "macro_f1": float(metrics.f1_score(y, predicted, average="macro",
                                                 labels=list(k), zero_division=0))}
    if setup.labels.multi:
        scores["micro_f1"] = float(metrics.f1_score(y, predicted, average="micro",
                                                    zero_division=0))
    return scores


def _tta_accuracy(setup: _Setup, model: Any, tfs: Sequence[Any], seed: int) -> float:
    if not tfs:
        return float("nan")
    from textaug.evaluate.tta import tta_predict

    proba = tta_predict(model, setup.test_texts, tfs, n=TTA_DRAWS, seed=seed)
    if setup.labels.multi:
        predicted = (proba >= 0.5).astype(int)
    else:
        classes = np.asarray(getattr(model, "classes_", np.arange(proba.shape[1])))
        predicted = classes[proba.argmax(axis=1)]
    return _scores(setup, predicted)["accuracy"]


class _bar:  # noqa: N801 - a context manager used like a function
    """A tqdm bar over runs, or nothing."""

    def __init__(self, enabled: bool, total: int) -> None:
        self.enabled, self.total = enabled, total

    def __enter__(self) -> Any:
        if not self.enabled:
            self.tqdm = None
            return self
        from tqdm.auto import tqdm

        self.tqdm = tqdm(total=self.total, unit="run", desc="evaluate")
        return self.tqdm

    def update(self, n: int) -> None:
        """Nothing to show."""

    def __exit__(self, *exc: object) -> None:
        if self.tqdm is not None:
            self.tqdm.close()

