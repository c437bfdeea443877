"""textaug: leakage-safe, label-preserving, reproducible text data augmentation.

>>> import pandas as pd, textaug
>>> df = pd.DataFrame({"text": ["a survey of reinforcement learning for nlp tasks"],
...                    "tags": [["reinforcement-learning", "natural-language-processing"]]})
>>> out = textaug.augment(df, [textaug.tfs.swap_aliases()], label="tags",
...                       policy=textaug.ApplyOnePolicy(n_per_original=3), seed=0)
>>> len(out) > 1
True
"""

from textaug import dask, evaluate, testing, tfs, validators  # evaluate: a callable module
from textaug.apply import Augmenter, augment
from textaug.errors import (
    ColumnNotFoundError,
    InvalidParameterError,
    LeakageError,
    MissingDependencyError,
    ResourceNotFoundError,
    TextaugError,
    TextaugWarning,
    TransformError,
    ValidatorError,
)
from textaug.evaluate.recommend import Recommendation, recommended_policy
from textaug.evaluate.show import show
from textaug.leakage import LeakageReport, check_splits
from textaug.lexicon import Lexicon
from textaug.policy import (
    ApplyAllPolicy,
    ApplyEachPolicy,
    ApplyOnePolicy,
    ClassBalancedPolicy,
    MeanFieldPolicy,
    Policy,
    RandomPolicy,
)
from textaug.records import Record
from textaug.report import AugmentReport
from textaug.splits import split
from textaug.tf import TransformationFunction, transformation_function

__version__ = "0.1.0"

__all__ = [
    "ApplyAllPolicy",
    "ApplyEachPolicy",
    "ApplyOnePolicy",
    "AugmentReport",
    "Augmenter",
    "ClassBalancedPolicy",
    "ColumnNotFoundError",
    "InvalidParameterError",
    "LeakageError",
    "LeakageReport",
    "Lexicon",
    "MeanFieldPolicy",
    "MissingDependencyError",
    "Policy",
    "RandomPolicy",
    "Recommendation",
    "Record",
    "ResourceNotFoundError",
    "TextaugError",
    "TextaugWarning",
    "TransformError",
    "TransformationFunction",
    "ValidatorError",
    "augment",
    "dask",
    "check_splits",
    "evaluate",
    "recommended_policy",
    "show",
    "split",
    "testing",
    "tfs",
    "validators",
    "transformation_function",
]
