"""Label models: combine the votes of labeling functions into labels.

Every model works on a label matrix ``L`` (rows x LFs, ints, ``-1`` = abstain, classes
``0 .. cardinality - 1``) and has ``fit(L)``, ``predict_proba(L)`` and
``predict(L, tie_break=...)``:

- :class:`MajorityVote`: the vote shares of each row, no fitting;
- :class:`DawidSkene`: EM over one confusion matrix per LF (numpy), started from the
  majority vote;
- :class:`LabelModel`: snorkel's ``LabelModel``, seeded by the caller at fit time, the
  caller's global ``random``, ``numpy`` and ``torch`` generators left as they were.

A scipy sparse matrix is accepted too, stored as snorkel's appliers build it: each
entry is ``label + 1``, so the implicit ``0`` means abstain.

Multi-label data (a list of tags per row) is handled by :class:`MultiLabel`, one binary
model per tag.

Examples
--------
>>> import numpy as np
>>> L = np.array([[0, 0, -1], [1, 1, 0], [1, 0, -1], [-1, -1, -1]])
>>> MajorityVote().predict(L)
array([ 0,  1, -1, -1])
>>> MajorityVote().predict(L, tie_break="first")
array([0, 1, 0, 0])
>>> DawidSkene(seed=0).fit(L).predict(L, tie_break="first")[:2]
array([0, 1])
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Literal, NamedTuple, Protocol

import numpy as np

from textaug._rng import fresh_seed, seeded_globals
from textaug.errors import InvalidParameterError, check_param
from textaug.labeling.lf import ABSTAIN
from textaug.loading import require

TieBreak = Literal["abstain", "random", "first"]
TIE_BREAKS = ("abstain", "random", "first")
_TIE_TOL = 1e-5  # probabilities this close to the row's maximum count as tied (as in snorkel)
_FIT_OPTIONS = frozenset({
    "n_epochs", "lr", "l2", "optimizer", "optimizer_config", "lr_scheduler",
    "lr_scheduler_config", "prec_init", "log_freq", "mu_eps", "class_balance", "Y_dev",
    "progress_bar"})


class LabelModelLike(Protocol):
    """What :class:`MultiLabel` needs of a model: ``fit`` and ``predict_proba``."""

    def fit(self, L: Any) -> Any:
        """Fit on a label matrix."""

    def predict_proba(self, L: Any) -> np.ndarray:
        """Class probabilities, rows x classes."""


def as_label_matrix(L: Any, cardinality: int, owner: str) -> np.ndarray:
    """``L`` as a 2-D int array with values in ``-1 .. cardinality - 1``, or a clear error.

    A scipy sparse matrix holds ``label + 1`` (``0``, the implicit value, is abstain).

    Examples
    --------
    >>> as_label_matrix([[0, -1], [1, 1]], 2, "MajorityVote").tolist()
    [[0, -1], [1, 1]]
    """
    arr = dense_votes(L)
    check_param(arr.ndim == 2, owner, "L", "a 2-D label matrix (rows x LFs)",
                f"an array of shape {arr.shape}")
    check_param(arr.size == 0 or np.issubdtype(arr.dtype, np.integer), owner, "L",
                "a matrix of ints (-1 = abstain)", f"dtype {arr.dtype}")
    arr = arr.astype(np.int64, copy=False)
    if arr.size and (arr.min() < ABSTAIN or arr.max() >= cardinality):
        raise InvalidParameterError(
            f"The 'L' parameter of {owner} must hold labels in -1..{cardinality - 1} "
            f"(cardinality={cardinality}). Got values in {arr.min()}..{arr.max()}: "
            "pass the right cardinality.")
    return arr


def dense_votes(L: Any) -> np.ndarray:
    """``L`` as an array of votes; a scipy sparse matrix holds ``label + 1`` (snorkel's
    layout: ``0``, the implicit value, is abstain).

    >>> dense_votes([[0, -1], [-1, 2]]).tolist()  # a dense matrix is taken as it is
    [[0, -1], [-1, 2]]
    """
    if hasattr(L, "toarray") and hasattr(L, "nnz"):
        return np.asarray(L.toarray()) - 1
    return np.asarray(L)


def _check_cardinality(cardinality: object, owner: str) -> None:
    check_param(isinstance(cardinality, int) and not isinstance(cardinality, bool)
                and cardinality >= 2, owner, "cardinality", "an int >= 2", cardinality)


def _check_seed(seed: object, owner: str) -> int:
    check_param(seed is None or isinstance(seed, int) and not isinstance(seed, bool)
                and seed >= 0, owner, "seed", "None or an int >= 0", seed)
    return fresh_seed() if not isinstance(seed, int) else seed


def vote_counts(matrix: np.ndarray, cardinality: int) -> np.ndarray:
    """Per row, how many LFs voted for each class (rows x cardinality).

    >>> vote_counts(np.array([[0, 1, 1, -1]]), 3).tolist()
    [[1, 2, 0]]
    """
    return np.stack([(matrix == c).sum(axis=1) for c in range(cardinality)], axis=1)


def probs_to_preds(probs: np.ndarray, tie_break: str = "abstain",
                   seed: int | None = None) -> np.ndarray:
    """The class of highest probability per row; ties abstain, or go to a random or the
    first (lowest) tied class.

    ``"random"`` draws from ``numpy.random.default_rng(seed)``, never global state.

    Examples
    --------
    >>> p = np.array([[0.5, 0.5], [0.2, 0.8]])
    >>> probs_to_preds(p).tolist(), probs_to_preds(p, "first").tolist()
    ([-1, 1], [0, 1])
    >>> probs_to_preds(p, "random", seed=1)[1]
    np.int64(1)
    """
    check_param(tie_break in TIE_BREAKS, "predict", "tie_break",
                "one of 'abstain', 'random', 'first'", tie_break)
    tied = probs >= probs.max(axis=1, keepdims=True) - _TIE_TOL
    if tie_break == "random":
        scores = np.random.default_rng(seed).random(probs.shape)
        return np.where(tied, scores, -1.0).argmax(axis=1).astype(np.int64)
    preds = tied.argmax(axis=1).astype(np.int64)
    if tie_break == "abstain":
        preds[tied.sum(axis=1) > 1] = ABSTAIN
    return preds


class _Model:
    """The shared ``predict`` and parameter checks of the label models."""

    cardinality: int
    seed: int
    _fitted: bool = False

    def predict_proba(self, L: Any) -> np.ndarray:  # pragma: no cover - overridden
        raise NotImplementedError

    def predict(self, L: Any, tie_break: TieBreak = "abstain",
                seed: int | None = None) -> np.ndarray:
        """The label of each row (``-1`` where ``tie_break="abstain"`` meets a tie).

        Parameters
        ----------
        L
            The label matrix, rows x LFs.
        tie_break
            ``"abstain"`` (-1), ``"random"`` (a seeded draw among the tied classes) or
            ``"first"`` (the lowest tied class).
        seed
            The seed of ``"random"``; None uses the model's ``seed``.
        """
        return probs_to_preds(self.predict_proba(L), tie_break,
                              self.seed if seed is None else seed)

    def _check_fitted(self) -> None:
        if not self._fitted:
            raise InvalidParameterError(
                f"{type(self).__name__} is not fitted yet: call fit(L) before predicting.")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(cardinality={self.cardinality}, seed={self.seed})"


class MajorityVote(_Model):
    """Each row's label is the class most LFs voted for.

    ``predict_proba`` gives the vote shares (uniform where every LF abstains);
    ``predict`` agrees with snorkel's ``MajorityLabelVoter`` (ties abstain by default).

    Parameters
    ----------
    cardinality
        The number of classes.
    seed
        The default seed of ``predict(..., tie_break="random")``; None draws one.

    Examples
    --------
    >>> L = np.array([[1, 1, 0], [-1, -1, -1]])
    >>> MajorityVote().predict_proba(L).round(2).tolist()
    [[0.33, 0.67], [0.5, 0.5]]
    """

    def __init__(self, cardinality: int = 2, seed: int | None = None) -> None:
        _check_cardinality(cardinality, "MajorityVote")
        self.cardinality = cardinality
        self.seed = _check_seed(seed, "MajorityVote")
        self._fitted = True

    def fit(self, L: Any) -> MajorityVote:
        """Nothing to learn: checks ``L`` and returns the model."""
        as_label_matrix(L, self.cardinality, "MajorityVote")
        return self

    def predict_proba(self, L: Any) -> np.ndarray:
        """The share of each class among the votes of each row (rows x classes)."""
        counts = vote_counts(as_label_matrix(L, self.cardinality, "MajorityVote"),
                             self.cardinality).astype(float)
        totals = counts.sum(axis=1, keepdims=True)
        counts[totals[:, 0] == 0] = 1.0
        return counts / counts.sum(axis=1, keepdims=True)


class _Votes(NamedTuple):
    """The non-abstain votes of a label matrix: row and (LF, vote) cell of each."""

    rows: np.ndarray
    cells: np.ndarray  # LF index * cardinality + vote
    n_rows: int
    n_lfs: int


class DawidSkene(_Model):
    """Dawid and Skene's EM: one confusion matrix per LF, its abstains included.

    Starts from the majority vote's shares, then alternates the class prior and each
    LF's ``P(vote | true class)`` (M step) with the rows' posteriors (E step) until the
    posteriors move less than ``tol``. An LF's abstain is one of its outcomes: an LF
    that only ever votes one class (a keyword LF) tells the classes apart by when it
    votes, which the classic model, blind to abstains, cannot see (every such LF looks
    uninformative to it, and every row gets the prior's class).

    Parameters
    ----------
    cardinality
        The number of classes.
    seed
        The default seed of ``predict(..., tie_break="random")``; the fit itself is
        deterministic. None draws one.
    max_iter
        The most EM rounds.
    tol
        Stop when no posterior moves more than this in a round.
    smoothing
        The pseudo-count added to every cell of the confusion matrices and to the
        class counts (keeps a perfect LF from certainty).
    abstains
        ``"modelled"``: an abstain is an outcome with a probability per LF and class.
        ``"ignored"``: the classic model (abstains are missing votes), as for crowd
        workers who label what they choose.

    Attributes
    ----------
    class_prior_
        The estimated class balance.
    confusion_
        LFs x true class x outcome: ``P(vote | class)`` per LF; with modelled abstains
        the last outcome is the abstain.
    n_iter_
        The EM rounds run.

    Examples
    --------
    >>> L = np.array([[0, 0, 1], [1, 1, 1], [0, 0, 0], [1, 1, 0]])
    >>> model = DawidSkene(seed=0).fit(L)
    >>> model.predict(L).tolist()
    [0, 1, 0, 1]
    >>> model.confusion_.shape
    (3, 2, 3)
    >>> one_class = np.array([[0, -1], [0, -1], [-1, 1], [-1, 1], [0, -1], [-1, 1]])
    >>> DawidSkene(seed=0).fit(one_class).predict(one_class).tolist()
    [0, 0, 1, 1, 0, 1]
    """

    def __init__(self, cardinality: int = 2, seed: int | None = None, max_iter: int = 100,
                 tol: float = 1e-6, smoothing: float = 0.01, abstains: str = "modelled") -> None:
        _check_cardinality(cardinality, "DawidSkene")
        check_param(isinstance(max_iter, int) and not isinstance(max_iter, bool)
                    and max_iter >= 1, "DawidSkene", "max_iter", "an int >= 1", max_iter)
        check_param(isinstance(tol, (int, float)) and tol > 0, "DawidSkene", "tol",
                    "a float > 0", tol)
        check_param(isinstance(smoothing, (int, float)) and smoothing > 0, "DawidSkene",
                    "smoothing", "a float > 0", smoothing)
        check_param(abstains in ("modelled", "ignored"), "DawidSkene", "abstains",
                    "'modelled' or 'ignored'", abstains)
        self.cardinality, self.max_iter = cardinality, max_iter
        self.tol, self.smoothing = float(tol), float(smoothing)
        self.abstains = abstains
        self.seed = _check_seed(seed, "DawidSkene")

    def _votes(self, L: Any) -> _Votes:
        arr = as_label_matrix(L, self.cardinality, "DawidSkene")
        rows, lfs = np.nonzero(arr != ABSTAIN)
        return _Votes(rows, lfs * self.cardinality + arr[rows, lfs], arr.shape[0], arr.shape[1])

    def _m_step(self, votes: _Votes, post: np.ndarray) -> None:
        k = self.cardinality
        prior = post.sum(axis=0) + self.smoothing
        self.class_prior_ = prior / prior.sum()
        counts = np.stack([np.bincount(votes.cells, post[votes.rows, c], votes.n_lfs * k)
                           for c in range(k)])  # class x (LF, vote)
        conf: np.ndarray = counts.reshape(k, votes.n_lfs, k).transpose(1, 0, 2).astype(float)
        if self.abstains == "modelled":  # the class's mass on rows where the LF voted nothing
            silent = post.sum(axis=0)[None, :] - conf.sum(axis=2)
            conf = np.concatenate([conf, np.maximum(silent, 0.0)[:, :, None]], axis=2)
        conf = conf + self.smoothing
        self.confusion_ = conf / conf.sum(axis=2, keepdims=True)

    def _e_step(self, votes: _Votes) -> np.ndarray:
        k = self.cardinality
        log_conf = np.log(self.confusion_)
        log_prior = np.log(self.class_prior_)
        if self.abstains == "modelled":  # every LF abstains, corrected where it voted
            log_prior = log_prior + log_conf[:, :, k].sum(axis=0)
            log_conf = log_conf[:, :, :k] - log_conf[:, :, k:]
        per_cell = log_conf.transpose(1, 0, 2).reshape(k, -1)  # class x (LF, vote)
        log_post = log_prior + np.stack(
            [np.bincount(votes.rows, per_cell[c, votes.cells], votes.n_rows)
             for c in range(k)], axis=1)
        log_post -= log_post.max(axis=1, keepdims=True)
        post = np.exp(log_post)
        return post / post.sum(axis=1, keepdims=True)

    def fit(self, L: Any) -> DawidSkene:
        """Estimate the class prior and the LFs' confusion matrices from ``L``."""
        votes = self._votes(L)
        post = MajorityVote(self.cardinality, seed=0).predict_proba(L)
        n_iter, moved = 0, np.inf
        while n_iter < self.max_iter and moved >= self.tol:
            self._m_step(votes, post)
            new = self._e_step(votes)
            moved = float(np.abs(new - post).max()) if new.size else 0.0
            post, n_iter = new, n_iter + 1
        self.n_iter_, self._fitted = n_iter, True
        return self

    def predict_proba(self, L: Any) -> np.ndarray:
        """``P(class | votes)`` per row under the fitted model (rows x classes)."""
        self._check_fitted()
        votes = self._votes(L)
        n_lfs = self.confusion_.shape[0]
        check_param(votes.n_lfs == n_lfs, "DawidSkene.predict_proba", "L",
                    f"a matrix with {n_lfs} LF columns, as in fit", f"{votes.n_lfs} columns")
        return self._e_step(votes)


@contextmanager
def _global_rng_kept(seed: int) -> Iterator[Any]:
    """Seed ``random``, ``numpy`` and ``torch`` for snorkel, restore them after; yields
    snorkel's label model module (importing it draws from numpy's global state)."""
    with seeded_globals(seed):
        module = require("snorkel.labeling.model", "snorkel")
        torch = require("torch", "snorkel")
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            yield module


class LabelModel(_Model):
    """Snorkel's ``LabelModel``, seeded by the caller and leaving global state alone.

    Parameters
    ----------
    cardinality
        The number of classes.
    seed
        Seeds snorkel's fit (and ``predict(..., tie_break="random")``); None draws one
        and records it in ``seed``.
    **fit_options
        Passed to snorkel's ``LabelModel.fit``: ``n_epochs``, ``lr``, ``l2``,
        ``optimizer``, ``lr_scheduler``, ``prec_init``, ``class_balance``, ``Y_dev``, ...
        (``progress_bar`` is off unless asked for).

    Examples
    --------
    >>> L = np.array([[0, 0, 1], [1, 1, 1], [0, 0, 0], [1, 1, 0]] * 5)
    >>> model = LabelModel(seed=0, n_epochs=50).fit(L)
    >>> model.predict(L)[:4].tolist()
    [0, 1, 0, 1]
    """

    def __init__(self, cardinality: int = 2, seed: int | None = None,
                 **fit_options: Any) -> None:
        _check_cardinality(cardinality, "LabelModel")
        unknown = sorted(set(fit_options) - _FIT_OPTIONS)
        check_param(not unknown, "LabelModel", unknown[0] if unknown else "",
                    f"one of snorkel's fit options {sorted(_FIT_OPTIONS)} (seed goes in seed=)",
                    unknown)
        self.cardinality, self.fit_options = cardinality, fit_options
        self.seed = _check_seed(seed, "LabelModel")
        self._model: Any = None

    def fit(self, L: Any) -> LabelModel:
        """Fit snorkel's model on ``L`` under ``seed``; the global generators are kept."""
        arr = as_label_matrix(L, self.cardinality, "LabelModel")
        if arr.shape[1] < 3:  # snorkel's own check, said in one line with the way out
            raise InvalidParameterError(
                f"snorkel's LabelModel needs at least 3 LFs; L has {arr.shape[1]}. Add LFs, or "
                "use MajorityVote() or DawidSkene() (weak_label: model='majority' or "
                "'dawid_skene').")
        seed = self.seed & 0xFFFFFFFF  # numpy.random.seed takes 32 bits
        options = {"progress_bar": False, **self.fit_options}
        with _global_rng_kept(seed) as module:
            model = module.LabelModel(cardinality=self.cardinality, verbose=False)
            model.fit(arr, seed=seed, **options)
        self._model, self._fitted = model, True
        return self

    def predict_proba(self, L: Any) -> np.ndarray:
        """Snorkel's ``P(class | votes)`` per row (rows x classes)."""
        self._check_fitted()
        arr = as_label_matrix(L, self.cardinality, "LabelModel")
        with _global_rng_kept(self.seed & 0xFFFFFFFF):
            return np.asarray(self._model.predict_proba(arr))


class MultiLabel:
    """Multi-label weak labels: one binary label model per tag, recombined into lists.

    For each tag, its LFs vote ``1`` (the row has the tag), ``0`` (it has not) or ``-1``
    (abstain), giving one binary label matrix per tag (:func:`tag_matrices` builds them
    from LFs that each vote for one tag). A row gets every tag whose probability is above
    ``threshold`` and on which at least one of the tag's LFs voted: a row without evidence
    for a tag never gets it, whatever the model's class prior says. (With LFs that only
    ever vote ``1``, as keyword LFs do, a fitted model cannot learn what "not the tag"
    looks like: its prior drifts towards the tag, so the no-evidence rule matters; add LFs
    that vote ``0`` to give it something to weigh.)

    Parameters
    ----------
    model_factory
        Called with no argument once per tag to make its model (a class such as
        :class:`MajorityVote`, or ``lambda: DawidSkene(seed=0)``); the model gets
        ``fit(L)`` and ``predict_proba(L)`` on that tag's binary matrix.
    threshold
        A row gets a tag when ``P(tag) > threshold``.

    Attributes
    ----------
    models_
        The fitted model of each tag.

    Examples
    --------
    >>> Ls = {"nlp": np.array([[1, -1], [-1, 0], [1, 1]]),
    ...       "cv": np.array([[1], [1], [-1]])}
    >>> MultiLabel().fit(Ls).predict(Ls)
    [['nlp', 'cv'], ['cv'], ['nlp']]
    """

    def __init__(self, model_factory: Callable[[], LabelModelLike] = MajorityVote,
                 threshold: float = 0.5) -> None:
        check_param(callable(model_factory), "MultiLabel", "model_factory",
                    "a callable returning a label model", model_factory)
        check_param(isinstance(threshold, (int, float)) and 0 <= threshold < 1, "MultiLabel",
                    "threshold", "a float in [0, 1)", threshold)
        self.model_factory, self.threshold = model_factory, float(threshold)
        self.models_: dict[str, LabelModelLike] = {}

    def fit(self, Ls: Mapping[str, Any]) -> MultiLabel:
        """Fit one model per tag on its binary label matrix (``{tag: L}``)."""
        check_param(isinstance(Ls, Mapping) and len(Ls) > 0, "MultiLabel.fit", "Ls",
                    "a non-empty mapping {tag: binary label matrix}", type(Ls).__name__)
        self._check_rows(Ls)
        self.models_ = {tag: self.model_factory() for tag in Ls}
        for tag, L in Ls.items():
            self.models_[tag].fit(as_label_matrix(L, 2, f"MultiLabel (tag {tag!r})"))
        return self

    def predict_proba(self, Ls: Mapping[str, Any]) -> dict[str, np.ndarray]:
        """``P(tag)`` per row, for each fitted tag (``{tag: array of n rows}``)."""
        matrices = self._fitted_matrices(Ls)
        return {tag: np.asarray(model.predict_proba(matrices[tag]))[:, 1]
                for tag, model in self.models_.items()}

    def predict(self, Ls: Mapping[str, Any]) -> list[list[str]]:
        """Per row, the tags with ``P(tag) > threshold`` and at least one LF vote on the row
        (not all abstains), in the fitted order."""
        matrices = self._fitted_matrices(Ls)
        tagged = {tag: (np.asarray(model.predict_proba(matrices[tag]))[:, 1] > self.threshold)
                  & (matrices[tag] != ABSTAIN).any(axis=1)
                  for tag, model in self.models_.items()}
        n_rows = len(next(iter(tagged.values())))
        return [[tag for tag, on in tagged.items() if on[i]] for i in range(n_rows)]

    def _fitted_matrices(self, Ls: Mapping[str, Any]) -> dict[str, np.ndarray]:
        if not self.models_:
            raise InvalidParameterError(
                "MultiLabel is not fitted yet: call fit(Ls) before predicting.")
        missing = [tag for tag in self.models_ if tag not in Ls]
        check_param(not missing, "MultiLabel.predict", "Ls",
                    f"a mapping with the fitted tags {list(self.models_)}",
                    f"no matrix for {missing}")
        self._check_rows(Ls)
        return {tag: as_label_matrix(Ls[tag], 2, f"MultiLabel (tag {tag!r})")
                for tag in self.models_}

    @staticmethod
    def _check_rows(Ls: Mapping[str, Any]) -> None:
        rows = {tag: np.shape(L)[0] for tag, L in Ls.items()}
        check_param(len(set(rows.values())) <= 1, "MultiLabel", "Ls",
                    "matrices with one row count", rows)


def tag_matrices(L: Any, lf_tags: Sequence[str]) -> dict[str, np.ndarray]:
    """Split a matrix of LFs that each vote for one tag into one binary matrix per tag.

    LF ``j`` speaks of tag ``lf_tags[j]``: ``0`` votes "not this tag", any other vote "this
    tag" (a keyword LF votes ``1``), ``-1`` abstains; each tag's matrix holds the columns
    of its LFs, as ``1`` / ``0`` / ``-1``. Feed the result to :class:`MultiLabel`.

    Examples
    --------
    >>> L = np.array([[3, -1, 0], [-1, 5, -1]])
    >>> out = tag_matrices(L, ["nlp", "cv", "nlp"])
    >>> out["nlp"].tolist(), out["cv"].tolist()
    ([[1, 0], [-1, -1]], [[-1], [1]])
    """
    arr = dense_votes(L)
    check_param(arr.ndim == 2 and arr.shape[1] == len(lf_tags), "tag_matrices", "lf_tags",
                "one tag per LF column of L", f"{len(lf_tags)} tags for shape {arr.shape}")
    out: dict[str, np.ndarray] = {}
    for tag in dict.fromkeys(lf_tags):
        cols = arr[:, [j for j, t in enumerate(lf_tags) if t == tag]]
        out[tag] = np.where(cols == ABSTAIN, ABSTAIN, np.minimum(cols, 1)).astype(np.int64)
    return out
