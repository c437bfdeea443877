"""The exception and warning hierarchy.

Every error names the problem and the fix. Each class also derives from the builtin a
caller would catch without knowing textaug (``ValueError``, ``ImportError``, ...).

Examples
--------
>>> try:
...     raise InvalidParameterError("The 'p' parameter of swap_aliases must be in (0, 1]. Got 2.")
... except ValueError as err:
...     print(err)
The 'p' parameter of swap_aliases must be in (0, 1]. Got 2.
"""

from __future__ import annotations


class TextaugError(Exception):
    """Base class of every error textaug raises on purpose."""


class InvalidParameterError(TextaugError, ValueError):
    """A parameter or an input has a value textaug cannot use."""


class ColumnNotFoundError(InvalidParameterError, KeyError):
    """A column named by the caller is not in the DataFrame."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class ResourceNotFoundError(TextaugError, FileNotFoundError):
    """A data file (lexicon, WordNet, model) is missing."""


class MissingDependencyError(TextaugError, ImportError):
    """An optional dependency is not installed."""


class LeakageError(TextaugError, ValueError):
    """Rows of one split are (variants of) rows of another split."""


class TransformError(TextaugError, RuntimeError):
    """A transformation function raised; carries the TF name and the row key."""

    def __init__(self, tf_name: str, row_key: object, cause: BaseException) -> None:
        self.tf_name = tf_name
        self.row_key = row_key
        super().__init__(
            f"TF {tf_name!r} failed on row {row_key!r}: {type(cause).__name__}: {cause}. "
            "Pass on_error='skip' to count such rows in the report and keep going."
        )

    def __reduce__(self) -> tuple[object, ...]:  # crosses process boundaries (n_jobs > 1)
        return (_rebuilt, (type(self), self.tf_name, self.row_key, str(self)))


def _rebuilt(cls: type[TransformError], tf_name: str, row_key: object,
             message: str) -> TransformError:
    err = cls.__new__(cls)
    Exception.__init__(err, message)
    err.tf_name, err.row_key = tf_name, row_key
    return err


class ValidatorError(TransformError):
    """A validator raised on a candidate; carries the validator's name (as ``tf_name``
    and ``validator``) and the row key."""

    def __init__(self, validator: str, row_key: object, cause: BaseException) -> None:
        super().__init__(validator, row_key, cause)
        Exception.__init__(
            self, f"Validator {validator!r} failed on a candidate of row {row_key!r}: "
                  f"{type(cause).__name__}: {cause}. Pass on_error='skip' to count such "
                  "candidates in the report and keep going.")

    @property
    def validator(self) -> str:
        return self.tf_name


class TextaugWarning(UserWarning):
    """Base class of textaug's warnings."""


def check_param(ok: bool, owner: str, name: str, expected: str, got: object) -> None:
    """Raise the one-grammar parameter error unless ``ok``.

    Examples
    --------
    >>> check_param(True, "RandomPolicy", "sequence_length", "an int >= 1", 3)
    >>> check_param(False, "RandomPolicy", "sequence_length", "an int >= 1", 0)
    Traceback (most recent call last):
    ...
    textaug.errors.InvalidParameterError: The 'sequence_length' parameter of RandomPolicy must ...
    """
    if not ok:
        raise InvalidParameterError(
            f"The {name!r} parameter of {owner} must be {expected}. Got {got!r}."
        )
