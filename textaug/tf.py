"""Transformation functions (TFs): ``f(x, rng, **resources) -> record | None``.

``None`` means "not applicable to this row". The decorator checks the signature when
the TF is defined, so a bad TF fails at import, not an hour into a run. A TF never
mutates its input: records are read-only and ``x.replace(...)`` returns a new one.

A TF also runs where snorkel expects one: called with a ``pandas.Series`` (as
snorkel's ``PandasTFApplier`` does), it returns a new Series or None.

Examples
--------
>>> @transformation_function()
... def shout(x):
...     return x.replace(text=x.text.upper()) if x.text else None
>>> shout({"text": "hello"})
{'text': 'HELLO'}
>>> shout.name, shout.version
('shout', 1)
"""

from __future__ import annotations

import importlib
import inspect
import secrets
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache, partial
from types import SimpleNamespace
from typing import Any, cast, overload

from textaug._rng import Rng
from textaug.errors import InvalidParameterError, check_param
from textaug.records import Record

Outcome = Record | None | BaseException


class TransformationFunction:
    """A named, versioned TF with its resources bound.

    Parameters
    ----------
    func
        ``func(x, [rng], **resources)``; returns a new record or None.
    name
        Unique name; it seeds the TF's random draws and names it in reports.
    resources
        Keyword arguments bound to ``func`` (lexicons, models, parameters).
    version
        Bump it when the output for the same input changes (it keys caches).
    needs_label
        The TF reads the row's labels, so the applier requires a label column.
    returns_text
        ``func`` returns the new text (a str) or None, not a record. The TF still
        returns records when called; the applier makes a record only where it needs one.
    prefetch
        ``prefetch(records)``, called with each batch before its records are run: it
        fetches in bulk what they will need (EDA: the synonyms of their words, a few table
        queries instead of one per word). Outputs never depend on it, and it never fails
        a batch: a row meets any error in its own run.
    """

    returns_text = False  # a TF pickled before the attribute existed returns records
    prefetch: Callable[[Sequence[Record]], None] | None = None  # nor had it a prefetch

    def __init__(
        self,
        func: Callable[..., Record | str | None],
        name: str | None = None,
        resources: Mapping[str, Any] | None = None,
        version: int | str = 1,
        needs_label: bool = False,
        text: str = "text",
        label: str | None = None,
        returns_text: bool = False,
        prefetch: Callable[[Sequence[Record]], None] | None = None,
    ) -> None:
        name = func.__name__ if name is None else name
        check_param(isinstance(name, str) and bool(name), "transformation_function", "name",
                    "a non-empty str", name)
        check_param(isinstance(version, int | str) and not isinstance(version, bool),
                    "transformation_function", "version", "an int or a str", version)
        self.func = func
        self.name = name
        self.version = version
        self.resources = dict(resources or {})
        self.needs_label = needs_label
        self.text_field = text
        self.label_field = label
        self.returns_text = bool(returns_text)
        self.prefetch = prefetch
        self.uses_rng = _check_signature(func, name, self.resources)

    def __repr__(self) -> str:
        return f"TransformationFunction({self.name!r}, version={self.version!r})"

    def apply(self, x: Record, rng: Rng) -> Record | None:
        """Run on one record with the given generator (what the applier calls)."""
        if self.uses_rng:
            out = self.func(x, rng=rng, **self.resources)
        else:
            out = self.func(x, **self.resources)
        if out is None or isinstance(out, Record):
            return out
        made = self._record(x, out)
        if isinstance(made, BaseException):
            raise made
        return made

    def apply_batch(self, records: Sequence[Record], rngs: Sequence[Rng]) -> list[Outcome]:
        """Run on many records; an exception is returned in place of its record's output.

        Model-backed TFs override this to run one forward pass per batch.
        """
        return cast(list[Outcome], self.apply_batch_texts(records, rngs, texts=False))

    def apply_batch_texts(self, records: Sequence[Record], rngs: Sequence[Rng],
                          texts: bool = True) -> list[Outcome | str]:
        """:meth:`apply_batch`, but where the TF ``returns_text`` (and ``texts``), each new
        text comes back as the str it returned, with no record made for it: the applier
        makes one only where it needs one.
        """
        if self.prefetch is not None:
            self.prefetch(records)
        outcomes: list[Outcome | str] = []
        add = outcomes.append
        call: Callable[..., Any] = self.apply  # a subclass's own apply
        uses_rng, values = True, None
        if type(self).apply is TransformationFunction.apply:  # apply()'s work, bound once
            call, uses_rng = partial(self.func, **self.resources), self.uses_rng
            values = _positional_values(self.func, self.resources, uses_rng)
            func = self.func
        # the record, rng and two to four resources (the bundled TFs): passed as arguments, as
        # a call with *values builds a tuple and takes CPython's slow path every time
        arity = len(values) if values is not None and uses_rng else 0
        a, b, c, d = (*(values or ()), None, None, None, None)[:4]
        bare = self.returns_text and texts  # a text TF's new text handed back as it is
        for x, rng in zip(records, rngs, strict=True):
            try:
                if arity == 2:
                    out = func(x, rng, a, b)
                elif arity == 3:
                    out = func(x, rng, a, b, c)
                elif arity == 4:
                    out = func(x, rng, a, b, c, d)
                elif values is not None:  # resources passed by position: no keyword dict
                    out = func(x, rng, *values) if uses_rng else func(x, *values)
                else:
                    out = call(x, rng=rng) if uses_rng else call(x)
            except Exception as err:  # noqa: BLE001 - reported per row by the applier
                add(err)
                continue
            if bare and type(out) is str:
                add(out)
            else:  # _record makes a text TF's new text a record
                add(out if out is None or isinstance(out, Record) else self._record(x, out))
        return outcomes

    def _record(self, x: Record, out: Any) -> Record | TypeError:
        """The record of a text TF's new text; for anything else that is not a record, the
        error that says what a TF returns."""
        if self.returns_text and isinstance(out, str):
            return x.with_text(out)
        if self.returns_text:
            return TypeError(f"TF {self.name!r} returned {type(out).__name__}; a TF made "
                             "with returns_text=True returns the new text (a str) or None.")
        return TypeError(f"TF {self.name!r} returned {type(out).__name__}; "
                         "return x.replace(text=...) or None (or decorate it with "
                         "returns_text=True to return the new text).")

    def with_columns(self, text: str = "text", label: str | None = None) -> TransformationFunction:
        """A copy that reads these columns when called directly (for example by snorkel)."""
        clone = object.__new__(TransformationFunction)
        clone.__dict__.update(self.__dict__, text_field=text, label_field=label)
        return clone

    @overload
    def __call__(self, x: Record, rng: Rng | int | None = None) -> Record | None: ...
    @overload
    def __call__(self, x: Any, rng: Rng | int | None = None) -> Any: ...

    def __call__(self, x: Any, rng: Rng | int | None = None) -> Any:
        """Run on one row: a Record, a pandas Series, a dict or a SimpleNamespace.

        The result has the input's type. Without ``rng`` the draw uses fresh entropy
        (as snorkel's TFs do); pass an int or an :class:`Rng` to make it reproducible.
        """
        if not isinstance(rng, Rng):
            rng = Rng(secrets.randbits(64) if rng is None else rng)
        if isinstance(x, Record):
            return self.apply(x, rng)
        out = self.apply(Record(_fields_of(x), self.text_field, self.label_field), rng)
        return None if out is None else _like(x, out)

    def __reduce__(self) -> Any:
        module = getattr(self.func, "__module__", None)
        qualname = getattr(self.func, "__qualname__", "")
        if module and _lookup(module, qualname) is self:
            return (_lookup, (module, qualname))
        return (_restore, (self.__dict__,))


def _restore(state: dict[str, Any]) -> TransformationFunction:
    tf = object.__new__(TransformationFunction)
    tf.__dict__.update(state)
    return tf


def _lookup(module: str, qualname: str) -> Any:
    obj: Any = importlib.import_module(module)
    for part in qualname.split("."):
        obj = getattr(obj, part, None)
    return obj


def _fields_of(x: Any) -> dict[str, Any]:
    if isinstance(x, Mapping):
        return dict(x)
    if isinstance(x, SimpleNamespace):
        return vars(x).copy()
    if hasattr(x, "to_dict"):  # pandas Series
        return x.to_dict()
    raise TypeError(f"A TF takes a Record, a Series, a dict or a SimpleNamespace. Got {type(x)}.")


def _like(template: Any, record: Record) -> Any:
    fields = dict(record)
    if isinstance(template, SimpleNamespace):
        return SimpleNamespace(**fields)
    if isinstance(template, Mapping):
        return fields
    out = template.copy()  # a Series: keep its name (snorkel's row index) and dtype
    for name, value in record.changes.items():
        out[name] = value
    return out


def _positional_values(func: Callable[..., Any], resources: Mapping[str, Any],
                       uses_rng: bool) -> tuple[Any, ...] | None:
    """The resources in the order of ``func``'s parameters, when they can all be passed by
    position after the record (and ``rng``, as the second parameter); else None.

    >>> def swap(x, rng, alpha, guard=None): ...
    >>> _positional_values(swap, {"guard": 1, "alpha": 0.1}, True)
    (0.1, 1)
    >>> _positional_values(swap, {"guard": 1}, True) is None
    True
    """
    try:
        names = _positional_names(func)
    except TypeError:  # an unhashable callable
        return None
    if names is None or uses_rng != (names[:1] == ("rng",)):
        return None
    names = names[uses_rng:uses_rng + len(resources)]
    if len(names) != len(resources) or not all(name in resources for name in names):
        return None
    return tuple(resources[name] for name in names)


@lru_cache(maxsize=256)
def _positional_names(func: Callable[..., Any]) -> tuple[str, ...] | None:
    """The names of ``func``'s positional-or-keyword parameters after the first (the record)."""
    try:
        params = list(inspect.signature(func).parameters.values())[1:]
    except (TypeError, ValueError):
        return None
    names = []
    for param in params:
        if param.kind is not inspect.Parameter.POSITIONAL_OR_KEYWORD:
            break
        names.append(param.name)
    return tuple(names)


def _check_signature(func: Callable[..., Any], name: str, resources: dict[str, Any]) -> bool:
    """Check ``func(x, [rng], **resources)``; return whether it takes ``rng``."""
    if not callable(func):
        raise InvalidParameterError(f"TF {name!r} must wrap a callable. Got {func!r}.")
    params = list(inspect.signature(func).parameters.values())
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    if not params or params[0].kind not in positional:
        raise InvalidParameterError(
            f"TF {name!r} must take the record as its first positional parameter: "
            f"def {name}(x, rng, ...)."
        )
    rest = {p.name: p for p in params[1:]}
    takes_kwargs = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in rest.values())
    unknown = sorted(set(resources) - set(rest) - {"rng"})
    if unknown and not takes_kwargs:
        raise InvalidParameterError(
            f"TF {name!r} was given resources {unknown} that it does not take. "
            f"Its parameters: {list(rest)}."
        )
    if "rng" in resources:
        raise InvalidParameterError(f"TF {name!r}: 'rng' is passed by the applier, not a resource.")
    missing = [
        p.name for p in rest.values()
        if p.name != "rng" and p.name not in resources and p.default is inspect.Parameter.empty
        and p.kind not in (inspect.Parameter.VAR_KEYWORD, inspect.Parameter.VAR_POSITIONAL)
    ]
    if missing:
        raise InvalidParameterError(
            f"TF {name!r} has parameters {missing} with no default and no resource: "
            f"pass resources={{{', '.join(repr(m) + ': ...' for m in missing)}}}."
        )
    return "rng" in rest


def transformation_function(
    name: str | Callable[..., Any] | None = None,
    resources: Mapping[str, Any] | None = None,
    version: int | str = 1,
    needs_label: bool = False,
    returns_text: bool = False,
) -> Any:
    """Decorate ``f(x, rng, **resources)`` into a :class:`TransformationFunction`.

    Works with and without parentheses, like snorkel's decorator. With ``returns_text``,
    ``f`` returns the new text or None (the TF still returns records), which spares the
    applier a record per output.

    Examples
    --------
    >>> @transformation_function(name="add_suffix", resources={"suffix": "!"})
    ... def add(x, rng, suffix):
    ...     return x.replace(text=x.text + suffix)
    >>> add({"text": "hi"})["text"]
    'hi!'
    >>> @transformation_function
    ... def bad(x, lexicon):
    ...     return x
    Traceback (most recent call last):
    ...
    textaug.errors.InvalidParameterError: TF 'bad' has parameters ['lexicon'] with no default ...
    >>> @transformation_function(returns_text=True)
    ... def shout(x):
    ...     return x.text.upper()
    >>> shout({"text": "hi"})
    {'text': 'HI'}
    """
    if callable(name):
        return TransformationFunction(name)

    def decorate(func: Callable[..., Any]) -> TransformationFunction:
        return TransformationFunction(func, name, resources, version, needs_label,
                                      returns_text=returns_text)

    return decorate
