"""Did augmentation help, and what did it make.

The module is callable: ``textaug.evaluate(train, test, augmenters, ...)`` runs
:func:`textaug.evaluate.run.evaluate` and returns an :class:`Evaluation`. Beside it:
:func:`diversity` of what was made (per TF chain), :func:`invariance` of a trained model
under each TF, :func:`tta_predict` (test-time augmentation) and :func:`show`, the HTML
table of originals with their variants and the edits marked.

>>> import textaug
>>> callable(textaug.evaluate), textaug.evaluate.diversity.__name__
(True, 'diversity')
"""

import sys
import types
from typing import Any

from textaug.evaluate.cnn import CNNClassifier
from textaug.evaluate.diversity import diversity
from textaug.evaluate.invariance import invariance
from textaug.evaluate.models import EmbeddingsClassifier, TfidfClassifier
from textaug.evaluate.recommend import Recommendation, recommended_policy
from textaug.evaluate.run import Evaluation, evaluate
from textaug.evaluate.show import show
from textaug.evaluate.tta import tta_predict

__all__ = ["CNNClassifier", "EmbeddingsClassifier", "Evaluation", "Recommendation",
           "TfidfClassifier", "diversity", "evaluate", "invariance", "recommended_policy", "show",
           "tta_predict"]


class _CallableModule(types.ModuleType):
    """This module, callable as :func:`evaluate`."""

    def __call__(self, *args: Any, **kwargs: Any) -> Evaluation:
        return evaluate(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
