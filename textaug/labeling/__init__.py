"""Weak supervision: labeling functions (LFs), a fast applier, LF analysis and label models.

LFs vote a class index or abstain (``ABSTAIN = -1``) on the same read-only record the TFs
see; :func:`apply_lfs` gives the label matrix (the same as snorkel's ``PandasLFApplier``),
:func:`lf_summary` snorkel's table, and a label model turns the votes into labels:
:func:`weak_label` for a frame, a :class:`Labeler` (fitted once) for any text, such as the
text augmentation makes (``augment(..., relabel=labeler)``).

Examples
--------
>>> import pandas as pd
>>> from textaug import Lexicon
>>> lfs = [*keyword_lfs(Lexicon({"gan": ["generative adversarial network"]})),
...        regex_lf("bert", r"(?i)\\bbert\\b", 1)]
>>> result = apply_lfs(pd.DataFrame({"text": ["GANs for art", "gandalf", "BERT guide"]}), lfs)
>>> result.L.tolist(), result.names
([[1, -1], [-1, -1], [-1, 1]], ('keyword_gan', 'bert'))
"""

from textaug.labeling.analysis import lf_summary, plot_lf_summary
from textaug.labeling.applier import LFError, LFResult, apply_lfs
from textaug.labeling.labeler import Labeler, Relabelled, WeakLabels
from textaug.labeling.lf import ABSTAIN, LabelingFunction, keyword_lfs, labeling_function, regex_lf
from textaug.labeling.model_lfs import ModelLF, classifier_lf, embedding_lf, llm_lf
from textaug.labeling.models import (
    DawidSkene,
    LabelModel,
    MajorityVote,
    MultiLabel,
    probs_to_preds,
    tag_matrices,
)
from textaug.labeling.weak import WeakLabelReport, weak_label

__all__ = [
    "ABSTAIN",
    "DawidSkene",
    "LFError",
    "LFResult",
    "Labeler",
    "LabelModel",
    "LabelingFunction",
    "MajorityVote",
    "ModelLF",
    "MultiLabel",
    "Relabelled",
    "apply_lfs",
    "classifier_lf",
    "embedding_lf",
    "keyword_lfs",
    "labeling_function",
    "lf_summary",
    "llm_lf",
    "plot_lf_summary",
    "probs_to_preds",
    "regex_lf",
    "tag_matrices",
    "WeakLabelReport",
    "WeakLabels",
    "weak_label",
]
