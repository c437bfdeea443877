"""Labeling functions (LFs): ``f(x, **resources) -> int``, ``ABSTAIN`` (-1) for no vote.

An LF sees the same read-only :class:`~textaug.records.Record` as a TF. It also runs
where snorkel expects one: called with a ``pandas.Series`` (as snorkel's
``PandasLFApplier`` does), a dict or a ``SimpleNamespace``, it returns the int label.

Ready-made LFs: :func:`keyword_lfs` (one LF per tag of a :class:`~textaug.Lexicon`) and
:func:`regex_lf`. The applier (:func:`textaug.labeling.applier.apply_lfs`) runs all of
them together in one pass over each text; called alone they give the same votes.

Examples
--------
>>> @labeling_function()
... def mentions_gpu(x):
...     return 1 if "gpu" in x.text.lower() else ABSTAIN
>>> mentions_gpu({"text": "Training on a GPU"}), mentions_gpu({"text": "A CPU only"})
(1, -1)
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from textaug.errors import InvalidParameterError, check_param
from textaug.lexicon import Lexicon, normalize_tag
from textaug.records import Record
from textaug.tf import _fields_of, _lookup

ABSTAIN = -1

try:
    _parser: Any = importlib.import_module("re._parser")
except ImportError:  # Python 3.10
    _parser = importlib.import_module("sre_parse")
_UNBOUNDED = 1 << 16
_REPEATS = ("MAX_REPEAT", "MIN_REPEAT")

Pre = Callable[[Record], Record]


class LabelingFunction:
    """A named LF with its resources bound and its preprocessors.

    Parameters
    ----------
    name
        Unique name; it names the LF's column in the label matrix.
    func
        ``func(x, **resources)``; returns an int label or ``ABSTAIN``.
    resources
        Keyword arguments bound to ``func`` (lexicons, models, thresholds).
    pre
        Callables ``x -> x`` run in order on the record before ``func``; each returns a
        record (``x.replace(text=...)``).
    text
        The column read as ``x.text`` when the LF is called directly (for example by
        snorkel); the applier names its own text column.

    Examples
    --------
    >>> lf = LabelingFunction("short", lambda x, n: 0 if len(x.text) < n else ABSTAIN,
    ...                       resources={"n": 10})
    >>> lf({"text": "tiny"}), lf
    (0, LabelingFunction('short'))
    """

    def __init__(
        self,
        name: str,
        func: Callable[..., int],
        resources: Mapping[str, Any] | None = None,
        pre: Sequence[Pre] | None = None,
        text: str = "text",
    ) -> None:
        check_param(isinstance(name, str) and bool(name), "LabelingFunction", "name",
                    "a non-empty str", name)
        pre = list(pre or ())
        check_param(all(callable(p) for p in pre), "LabelingFunction", "pre",
                    "a list of callables x -> x", pre)
        self.name = name
        self.func = func
        self.resources = dict(resources or {})
        self.pre = pre
        self.text_field = text
        _check_signature(func, name, self.resources)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"

    def label(self, x: Record) -> int:
        """The vote on one record (what the applier calls)."""
        for step in self.pre:
            x = step(x)
            if not isinstance(x, Record):
                raise TypeError(f"A preprocessor of LF {self.name!r} returned "
                                f"{type(x).__name__}; return x.replace(...).")
        return self.func(x, **self.resources)

    def __call__(self, x: Any) -> int:
        """The vote on one row: a Record, a pandas Series, a dict or a SimpleNamespace."""
        if not isinstance(x, Record):
            x = Record(_fields_of(x), self.text_field)
        return self.label(x)

    def __reduce__(self) -> Any:
        """By reference when the LF is a module-level name (a decorated function)."""
        module = getattr(self.func, "__module__", None)
        qualname = getattr(self.func, "__qualname__", "")
        if module and _lookup(module, qualname) is self:
            return (_lookup, (module, qualname))
        return (_restore, (type(self), self.__dict__))

    def with_text(self, text: str) -> LabelingFunction:
        """A copy that reads ``text`` as ``x.text`` when called directly."""
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__, text_field=text)
        return clone


def _restore(cls: type[LabelingFunction], state: dict[str, Any]) -> LabelingFunction:
    lf = object.__new__(cls)
    lf.__dict__.update(state)
    return lf


class KeywordLF(LabelingFunction):
    """Votes ``vote`` when the lexicon finds a phrase of ``tag`` in the text, else abstains."""

    lexicon: Lexicon
    tag: str
    vote: int


class RegexLF(LabelingFunction):
    """Votes ``vote`` when ``pattern`` matches anywhere in the text, else abstains."""

    pattern: re.Pattern[str]
    vote: int
    tag: str  # only when given


def _check_signature(func: Callable[..., Any], name: str, resources: dict[str, Any]) -> None:
    if not callable(func):
        raise InvalidParameterError(f"LF {name!r} must wrap a callable. Got {func!r}.")
    params = list(inspect.signature(func).parameters.values())
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    if not params or params[0].kind not in positional:
        raise InvalidParameterError(
            f"LF {name!r} must take the record as its first positional parameter: def {name}(x).")
    rest = params[1:]
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in rest):
        return
    unknown = sorted(set(resources) - {p.name for p in rest})
    if unknown:
        raise InvalidParameterError(f"LF {name!r} was given resources {unknown} that it does "
                                    f"not take. Its parameters: {[p.name for p in rest]}.")
    missing = [p.name for p in rest if p.name not in resources
               and p.default is inspect.Parameter.empty and p.kind is not p.VAR_POSITIONAL]
    if missing:
        raise InvalidParameterError(f"LF {name!r} has parameters {missing} with no default and "
                                    "no resource: pass them in resources={...}.")


def labeling_function(
    name: str | None = None,
    resources: Mapping[str, Any] | None = None,
    pre: Sequence[Pre] | None = None,
) -> Callable[[Callable[..., int]], LabelingFunction]:
    """Decorate ``f(x, **resources) -> int`` into a :class:`LabelingFunction`.

    Examples
    --------
    >>> @labeling_function(name="long_text", resources={"n": 5})
    ... def long(x, n):
    ...     return 1 if len(x.text.split()) > n else ABSTAIN
    >>> long.name, long({"text": "one two"})
    ('long_text', -1)
    """
    if callable(name):
        raise InvalidParameterError("labeling_function needs parentheses: @labeling_function().")

    def decorate(func: Callable[..., int]) -> LabelingFunction:
        return LabelingFunction(name or func.__name__, func, resources, pre)

    return decorate


def _text_of(x: Record) -> str:
    text = x.text
    return text if isinstance(text, str) else ""


def _keyword_vote(x: Record, lexicon: Lexicon, tag: str, vote: int) -> int:
    text = _text_of(x)
    if text and any(m.tag == tag for m in lexicon.find(text)):
        return vote
    return ABSTAIN


def _regex_vote(x: Record, pattern: re.Pattern[str], vote: int) -> int:
    return vote if pattern.search(_text_of(x)) else ABSTAIN


def keyword_lfs(
    lexicon: Lexicon,
    labels: Sequence[str] | Mapping[str, int] | None = None,
) -> list[KeywordLF]:
    """One LF per tag of ``lexicon``, voting when the text names the tag or an alias.

    Matching is the lexicon's (as in ``swap_aliases``): whole words, case-insensitive,
    either grammatical number ("GANs" finds "gan", "gandalf" does not), longest phrase
    first and without overlaps, so a phrase inside a longer phrase of another tag does
    not vote. A tag without aliases (in the lexicon only to carry parents, as most tags of
    Made With ML's ``tags.json``) matches its own name. An LF is named ``keyword_<tag>``
    and carries ``.tag``, ``.vote`` and ``.lexicon`` (the one matcher all of them share).

    Parameters
    ----------
    lexicon
        The tags and their aliases.
    labels
        What each LF votes. ``None``: every tag of the lexicon, each a binary LF voting 1
        ("has this tag") or abstaining, for one-label-at-a-time (multi-label) models. A list
        of tags: those tags only, each voting its index in the list (one multi-class task
        with ``cardinality=len(labels)``). A mapping ``{tag: vote}``: the given votes.

    Examples
    --------
    >>> lex = Lexicon({"generative-adversarial-networks": ["gan"], "nlp": ["nlproc"]})
    >>> gan, nlp = keyword_lfs(lex)
    >>> gan.name, gan({"text": "GANs for art"}), gan({"text": "gandalf"})
    ('keyword_generative-adversarial-networks', 1, -1)
    >>> [lf.vote for lf in keyword_lfs(lex, labels=["nlp", "generative-adversarial-networks"])]
    [0, 1]
    """
    check_param(isinstance(lexicon, Lexicon), "keyword_lfs", "lexicon", "a textaug Lexicon",
                type(lexicon).__name__)
    lexicon = lexicon.with_tag_names()
    votes = _votes(lexicon, labels)
    lfs = []
    for tag, vote in votes.items():
        lf = KeywordLF(f"keyword_{tag}", _keyword_vote,
                       {"lexicon": lexicon, "tag": tag, "vote": vote})
        lf.lexicon, lf.tag, lf.vote = lexicon, tag, vote
        lfs.append(lf)
    return lfs


def _votes(lexicon: Lexicon, labels: Sequence[str] | Mapping[str, int] | None) -> dict[str, int]:
    if labels is None:
        return dict.fromkeys(lexicon.groups, 1)
    if isinstance(labels, str):
        raise InvalidParameterError(f"keyword_lfs takes a list of tags. Got the str {labels!r}: "
                                    f"write [{labels!r}].")
    pairs = labels.items() if isinstance(labels, Mapping) else [(t, i) for i, t in
                                                                enumerate(labels)]
    votes = {normalize_tag(tag): vote for tag, vote in pairs}
    unknown = [tag for tag in votes if tag not in lexicon.groups]
    if unknown:
        raise InvalidParameterError(
            f"keyword_lfs: tags {unknown} have no phrases in the lexicon (a tag needs an alias). "
            f"Its tags: {sorted(lexicon.groups)}.")
    bad = {tag: v for tag, v in votes.items() if type(v) is not int or v < 0}
    if bad:
        raise InvalidParameterError(f"keyword_lfs: votes must be ints >= 0. Got {bad}.")
    return votes


def regex_lf(name: str, pattern: str | re.Pattern[str], label: int, flags: int = 0, *,
             tag: str | None = None) -> RegexLF:
    """An LF voting ``label`` when ``pattern`` matches anywhere in the text (``re.search``).

    ``tag`` names what the vote means, as keyword LFs carry it: with ``label=1`` the LF
    votes "has this tag" for multi-label models (:func:`~textaug.labeling.weak_label`
    recombines tags), with ``label=0`` "not this tag"; with a class index, the class's name.

    The pattern is compiled once, here. Patterns of the shape that takes exponential time
    on a near miss are refused: an unbounded repeat whose body one inner repeat can match
    alone (``(a+)+``, ``(\\w+\\s?)*``, ``(x|a+)+``); make the inner repeat possessive
    (``a++``) or atomic (``(?>a+)``), or rewrite it.

    Examples
    --------
    >>> lf = regex_lf("mentions_bert", r"\\bbert\\b", 1, flags=re.IGNORECASE)
    >>> lf({"text": "Fine-tuning BERT"}), lf({"text": "Roberta"})
    (1, -1)
    >>> regex_lf("cnn", r"(?i)\\bconvnets?\\b", 1, tag="computer-vision").tag
    'computer-vision'
    >>> regex_lf("bad", "(", 1)
    Traceback (most recent call last):
    ...
    textaug.errors.InvalidParameterError: regex_lf 'bad': the pattern '(' does not compile ...
    """
    check_param(type(label) is int and label >= 0, "regex_lf", "label", "an int >= 0", label)
    check_param(tag is None or (isinstance(tag, str) and bool(tag.strip())), "regex_lf", "tag",
                "None or a non-empty str", tag)
    try:
        compiled = re.compile(pattern, flags)
    except (re.error, TypeError, ValueError) as err:
        raise InvalidParameterError(
            f"regex_lf {name!r}: the pattern {pattern!r} does not compile ({err}). Fix the "
            "pattern.") from err
    if not isinstance(compiled.pattern, str):
        raise InvalidParameterError(f"regex_lf {name!r}: the pattern must be a str (texts are "
                                    f"str). Got {pattern!r}.")
    if _ambiguous(_parser.parse(compiled.pattern, compiled.flags), False):
        raise InvalidParameterError(
            f"regex_lf {name!r}: the pattern {compiled.pattern!r} repeats a repeat that can "
            "match alone, which takes exponential time on some texts. Make the inner repeat "
            "possessive ('a++') or atomic ('(?>a+)'), or rewrite it ('(a+)+' is 'a+').")
    lf = RegexLF(name, _regex_vote, {"pattern": compiled, "vote": label})
    lf.pattern, lf.vote = compiled, label
    if tag is not None:
        lf.tag = normalize_tag(tag)
    return lf


def _ambiguous(sub: Any, exposed: bool) -> bool:
    """Whether an unbounded repeat holds a repeat that alone can match what its body matches
    (``exposed``: inside such a body, with everything around this part optional)."""
    for item in sub.data:
        op, av = item
        name = str(op)
        alone = exposed and _rest_optional(sub, item)
        if name in _REPEATS and alone and av[1] > 1:
            return True
        if any(_ambiguous(part, inside) for part, inside in _parts(name, av, alone)):
            return True
    return False  # possessive repeats and atomic groups never backtrack into themselves


def _parts(name: str, av: Any, alone: bool) -> list[tuple[Any, bool]]:
    """The subpatterns inside one item, each with whether it is exposed."""
    if name in _REPEATS:
        return [(av[2], av[1] > _UNBOUNDED)]
    if name == "SUBPATTERN":
        return [(av[3], alone)]
    if name == "BRANCH":
        return [(branch, alone) for branch in av[1]]
    if name in ("ASSERT", "ASSERT_NOT"):
        return [(av[1], False)]
    return []


def _rest_optional(sub: Any, item: Any) -> bool:
    rest = type(sub)(sub.state, [other for other in sub.data if other is not item])
    return bool(rest.getwidth()[0] == 0)
