"""The augmenter textaug recommends for a training-set size, chosen by evaluation.

The recommendation: random swap and random deletion (EDA's two operations that need no
synonyms, alpha 0.1), one of the two drawn per variant, 4 variants per original, no
validators. It is the same at every size.

How it was chosen (``benchmarks/choose_policy.py``, 2026-11-27): 19 candidate
augmenters (EDA at alpha 0.05/0.1/0.2; EDA without random insertion; swap and deletion
only; with and without the ``not_identical`` and ``negation_preserved`` validators;
2, 4, 8 and 16 variants per original) on the Made With ML 4-class data (764 training and
191 test texts, converted by ``benchmarks/to_labelled_text.py``), 500 training texts,
the CNN, selection seeds 5 to 9 (the effect benchmark reports seeds 0 to 4, so the
choice is not scored on the subsamples it was made on)::

    python benchmarks/to_labelled_text.py /work/shared/data/madewithml/v2023_4class data
    python benchmarks/choose_policy.py data/madewithml_4class --models cnn tfidf

Paired gain of the CNN over no augmentation (89.32%) in accuracy points, mean over the
5 seeds [95% interval]::

    sr-rs-rd a.2 n8 +val       +2.72 [+0.45, +4.99]
    eda a.05 n16 +val          +2.41 [+0.71, +4.10]
    rs-rd a.1 n8               +2.30 [+0.49, +4.12]
    sr-rs-rd a.1 n16 +val      +2.09 [+0.26, +3.93]
    rs-rd a.1 n4 (chosen)      +2.09 [+0.79, +3.39]
    eda a.1 n16                +1.99 [+0.51, +3.47]
    eda-paper a.05 n16         +1.88 [-0.10, +3.87]
    eda a.1 n4                 +1.68 [+0.27, +3.08]
    (11 more, from +1.68 down to +0.84)

(sr: synonym replacement, ri: random insertion, rs: random swap, rd: random deletion,
one drawn per variant; a: alpha; n: variants per original; +val: ``not_identical`` and
``negation_preserved``; eda-paper: ``eda(0.05)``, 16 variants, the paper's for 500.)
The CNN runs were made 16 at a time on a 16-core machine, one torch thread each, with
the same code and seeds (the 4 runs also made on a 2-core machine gave the same
accuracies).

With 191 test texts one test text is 0.52 points, and the candidates' intervals all
overlap: the mean gain alone picks noise (the top candidate by mean, ``sr-rs-rd a.2 n8
+val``, gained -0.52 on seeds 0 to 4). So the rule is the highest lower bound of the
95% interval, which picks swap and deletion at alpha 0.1 with 4 variants: the steadiest
gain, the cheapest candidate (no WordNet, a quarter of the paper's training rows at
500), and its edits never put a word of another sense into a text. The TF-IDF model,
the cross-check, ranks it lower on the selection seeds (+1.26 [-0.09, +2.60]; the
paper's settings +1.57 [+0.77, +2.37]; no augmentation 87.75%) and higher on seeds 0
to 4 (below).

Measured on the held-out seeds 0 to 4 (``benchmarks/effect.py``), gain in points over
no augmentation [95% interval]::

    model  size  none    eda-paper              recommended
    cnn     500  89.74%  +1.68 [-0.01, +3.36]   +1.36 [+0.18, +2.54]
    tfidf   500  87.12%  +1.78 [+0.43, +3.13]   +2.09 [+0.57, +3.62]
    cnn     764  91.73%  +0.63 [-1.95, +3.20]   +1.15 [-0.82, +3.12]
    tfidf   764  88.48%  +0.94 [+0.40, +1.49]   +1.36 [+0.78, +1.94]

(764 is the whole training split; eda-paper there is alpha 0.05 with 16 variants, the
paper's row nearest 764.) The issue's target for the CNN at 500 texts, at least +2.0
points and above the paper's settings, is missed on this data set: +1.36 against
+1.68. At the full size it costs nothing (+1.15).

The rule by size: the same augmenter at every size. It was measured at 500 and 764
texts only; the EDA paper used 4 variants per original from 5,000 texts up, so the
recommendation matches the paper's count for large sets and is smaller than the paper's
16 and 8 for small ones, where more variants gained no more than the noise above (swap
and deletion with 8: +2.30, with 4: +2.09) for twice the training time.

Examples
--------
>>> import pandas as pd
>>> from textaug import augment
>>> rec = recommended_policy(500)
>>> [tf.name for tf in rec.tfs], rec.n_per_original
(['random_swap', 'random_deletion'], 4)
>>> df = pd.DataFrame({"text": ["the model reads every word of the long text"],
...                    "label": ["a"]})
>>> len(augment(df, **rec.kwargs(), seed=0))  # the original and its 4 variants
5
"""

from __future__ import annotations

from typing import Any, NamedTuple

from textaug.apply import Augmenter
from textaug.errors import check_param
from textaug.policy import Policy, RandomPolicy
from textaug.tf import TransformationFunction
from textaug.tfs.eda import random_deletion, random_swap

ALPHA = 0.1
N_PER_ORIGINAL = 4


class Recommendation(NamedTuple):
    """An augmenter as ``(tfs, policy, validators)``: ``evaluate`` takes it as it is
    (``augmenters={"recommended": rec}``), ``augment(df, **rec.kwargs())`` runs it."""

    tfs: tuple[TransformationFunction, ...]
    policy: Policy
    validators: tuple[Any, ...]

    @property
    def n_per_original(self) -> int:
        """Variants made per original row."""
        return int(self.policy.n_per_original)

    def kwargs(self) -> dict[str, Any]:
        """``tfs``, ``policy`` and ``validators`` as keyword arguments of ``augment``."""
        return {"tfs": list(self.tfs), "policy": self.policy,
                "validators": list(self.validators)}

    def augmenter(self, **options: Any) -> Augmenter:
        """An :class:`~textaug.Augmenter` running it; ``options`` as ``Augmenter`` takes
        them (``seed``, ``text``, ``label``, ...)."""
        return Augmenter(list(self.tfs), self.policy, validators=list(self.validators),
                         **options)


def recommended_policy(train_size: int) -> Recommendation:
    """The augmenter textaug recommends for ``train_size`` training texts.

    Random swap and random deletion at alpha 0.1, one drawn per variant, 4 variants per
    original, at every size: chosen by evaluation (see the module's notes for the grid,
    its figures and the size rule). Each call returns new TF and policy objects.

    Parameters
    ----------
    train_size
        Training texts (before augmentation).

    Examples
    --------
    >>> rec = recommended_policy(2_000)
    >>> rec.policy
    RandomPolicy(n_per_original=4, keep_original=True, sequence_length=1)
    >>> rec.validators
    ()
    """
    check_param(isinstance(train_size, int) and not isinstance(train_size, bool)
                and train_size >= 1, "recommended_policy", "train_size", "an int >= 1",
                train_size)
    tfs = (random_swap(ALPHA), random_deletion(ALPHA))
    return Recommendation(tfs, RandomPolicy(1, N_PER_ORIGINAL), ())
