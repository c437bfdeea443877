"""Lexicon: groups of interchangeable phrases (a tag and its aliases) and their matcher.

Each group is a tag with its aliases, and a tag may have parent tags. Every phrase
is read with dashes as spaces and also matched in its other grammatical number
("gan" finds "GANs"); the matcher is one regex compiled once for all phrases.

Examples
--------
>>> lex = Lexicon({"generative-adversarial-networks": ["gan"],
...                "natural-language-processing": ["nlp", "nlproc"]},
...               parents={"generative-adversarial-networks": ["computer-vision"]})
>>> for m in lex.find("GANs meet NLP"):
...     print(m.text, m.tag, m.number)
GANs generative-adversarial-networks plural
NLP natural-language-processing singular
>>> lex.alternatives(lex.find("a GAN")[0])
('generative adversarial network',)
>>> sorted(lex.ancestors("generative-adversarial-networks"))
['computer-vision', 'generative-adversarial-networks']
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from textaug.errors import InvalidParameterError, ResourceNotFoundError
from textaug.inflection import Number, inflect_to, number
from textaug.wordmatch import compile_phrases, normalize_phrase

DEFAULT_LEXICON = "ml_aliases.json"


def normalize_tag(tag: Any) -> str:
    """Tags compare lowercase with dashes for spaces and underscores.

    >>> normalize_tag("Natural Language_Processing")
    'natural-language-processing'
    """
    if isinstance(tag, float) and tag.is_integer():
        tag = int(tag)  # a label 1.0 (pandas makes ints float beside NaN) is the label 1
    return "-".join(str(tag).lower().replace("_", " ").replace("-", " ").split())


@dataclass(frozen=True)
class Form:
    """A surface form: the group (tag) it belongs to, its base phrase, and its number."""

    tag: str
    base: str
    number: Number | None


@dataclass(frozen=True)
class Match:
    """A phrase found in a text."""

    start: int
    end: int
    text: str
    tag: str
    base: str
    number: Number | None


class Lexicon:
    """Groups of interchangeable phrases, keyed by tag.

    Parameters
    ----------
    aliases
        ``{tag: [alias, ...]}``; the tag itself is a phrase of its group.
    parents
        ``{tag: [parent tag, ...]}``, used by label-aware gating.
    inflect
        Also match each phrase in its other number, and keep number when swapping.
    invariant
        Phrases never inflected (names such as "kubernetes" that look plural).
    """

    def __init__(
        self,
        aliases: Mapping[str, Iterable[str]],
        parents: Mapping[str, Iterable[str]] | None = None,
        inflect: bool = True,
        invariant: Iterable[str] = (),
    ) -> None:
        if not isinstance(aliases, Mapping):
            raise InvalidParameterError(
                f"Lexicon takes a mapping {{tag: [alias, ...]}}. Got {type(aliases).__name__}."
            )
        self.inflect = inflect
        self.invariant = frozenset(normalize_phrase(p) for p in invariant)
        self.groups: dict[str, list[str]] = {}
        owner: dict[str, str] = {}
        for raw_tag, raw_aliases in aliases.items():
            tag = normalize_tag(raw_tag)
            if isinstance(raw_aliases, str) or not all(isinstance(a, str) for a in raw_aliases):
                raise InvalidParameterError(
                    f"The aliases of {raw_tag!r} must be a list of strings. Got {raw_aliases!r}."
                )
            phrases = [normalize_phrase(tag)] + [normalize_phrase(a) for a in raw_aliases]
            for phrase in phrases:
                if owner.get(phrase, tag) != tag:
                    raise InvalidParameterError(
                        f"The phrase {phrase!r} belongs to both {owner[phrase]!r} and {tag!r}; "
                        "a phrase must name one tag."
                    )
                owner[phrase] = tag
            unique = list(dict.fromkeys(p for p in phrases if p))
            if len(unique) > 1:  # a tag without aliases only carries parents
                self.groups[tag] = unique
        self.parents = {normalize_tag(t): [normalize_tag(p) for p in ps]
                        for t, ps in (parents or {}).items()}
        self.forms = self._build_forms()
        self._pattern = compile_phrases(self.forms)
        self._add_caches()

    # -- construction -------------------------------------------------------------------
    def _number(self, phrase: str) -> Number | None:
        return None if not self.inflect or phrase in self.invariant else number(phrase)

    def _build_forms(self) -> dict[str, Form]:
        forms = {phrase: Form(tag, phrase, self._number(phrase))
                 for tag, phrases in self.groups.items() for phrase in phrases}
        if self.inflect:
            for form in list(forms.values()):
                if form.number is not None:
                    other: Number = "plural" if form.number == "singular" else "singular"
                    variant = inflect_to(form.base, other)
                    forms.setdefault(variant, Form(form.tag, form.base, other))
        return forms

    @classmethod
    def from_json(cls, path: str | Path) -> Lexicon:
        """Load textaug's lexicon format or Made With ML's ``tags.json`` (a list of tags)."""
        path = Path(path)
        if not path.is_file():
            raise ResourceNotFoundError(f"Lexicon file not found: {str(path)!r}. Check the path.")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            raise InvalidParameterError(f"Lexicon {str(path)!r} is not valid JSON: {err}.") from err
        return cls.from_dict(data, source=str(path))

    @classmethod
    def from_dict(cls, data: Any, source: str = "lexicon") -> Lexicon:
        """Build from parsed JSON: ``{"tags": {tag: {"aliases": [...], "parents": [...]}}}``
        or a list of ``{"tag": ..., "aliases": [...], "parents": [...]}``."""
        if isinstance(data, dict) and isinstance(data.get("tags"), dict):
            entries = []
            for tag, info in data["tags"].items():
                if info is not None and not isinstance(info, dict):
                    raise InvalidParameterError(
                        f"{source}: tag {tag!r} must map to "
                        f"{{'aliases': [...], 'parents': [...]}}. Got {info!r}."
                    )
                entries.append({**(info or {}), "tag": tag})
            invariant = _strings(data.get("invariant", []), source, "the 'invariant' list")
        elif isinstance(data, list):
            entries, invariant = data, []
        else:
            raise InvalidParameterError(
                f"{source} must hold {{'tags': {{tag: {{'aliases': [...]}}}}}} or a list of "
                "{'tag': ..., 'aliases': [...]} objects."
            )
        aliases, parents = {}, {}
        for entry in entries:
            tag = entry.get("tag") if isinstance(entry, dict) else None
            if not isinstance(tag, str) or not tag.strip():
                raise InvalidParameterError(
                    f"{source}: every entry needs a non-empty string 'tag'. Got {entry!r}.")
            aliases[tag] = _strings(entry.get("aliases", []), source, f"the 'aliases' of {tag!r}")
            parents[tag] = _strings(entry.get("parents", []), source, f"the 'parents' of {tag!r}")
        return cls(aliases, parents, invariant=invariant)

    @classmethod
    def default(cls) -> Lexicon:
        """The bundled machine-learning alias lexicon (from Made With ML's tags, MIT)."""
        return _default_lexicon()

    # -- queries ------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.groups)

    def __repr__(self) -> str:
        return f"Lexicon({len(self.groups)} tags, {len(self.forms)} forms)"

    def _add_caches(self) -> None:
        # per instance, so the cache goes with the lexicon; the match cache only needs to
        # hold one row's text across its draws
        self._find = lru_cache(maxsize=64)(self._find_uncached)
        self._allowed = lru_cache(maxsize=4096)(self._allowed_uncached)
        self._alternatives = lru_cache(maxsize=4096)(self._alternatives_uncached)

    def __getstate__(self) -> dict[str, Any]:
        caches = ("_find", "_allowed", "_alternatives")
        return {k: v for k, v in self.__dict__.items() if k not in caches}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._add_caches()

    def find(self, text: str) -> tuple[Match, ...]:
        """Every non-overlapping phrase in ``text``, leftmost and longest first."""
        return self._find(text)

    def _find_uncached(self, text: str) -> tuple[Match, ...]:
        forms = self.forms
        found = []
        for m in self._pattern.finditer(text):
            form = forms.get(normalize_phrase(m.group()))
            if form is not None:
                found.append(Match(m.start(), m.end(), m.group(), form.tag, form.base, form.number))
        return tuple(found)

    def alternatives(self, match: Match) -> tuple[str, ...]:
        """The other phrases of the match's group, in the match's number."""
        return self._alternatives(match.tag, match.base, match.number)

    def _alternatives_uncached(self, tag: str, base: str, number: Number | None) -> tuple[str, ...]:
        phrases = [p for p in self.groups[tag] if p != base]
        if number is None:
            return tuple(phrases)
        return tuple(p if p in self.invariant else inflect_to(p, number) for p in phrases)

    def ancestors(self, tag: str) -> set[str]:
        """The tag and every tag above it."""
        seen: set[str] = set()
        stack = [normalize_tag(tag)]
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack.extend(self.parents.get(current, []))
        return seen

    def allowed_tags(self, labels: tuple[Any, ...]) -> frozenset[str]:
        """Tags whose phrases may be swapped in a row with these labels."""
        return self._allowed(tuple(map(normalize_tag, labels)))  # 1.0 == 1 as cache keys

    def _allowed_uncached(self, labels: tuple[Any, ...]) -> frozenset[str]:
        wanted = {normalize_tag(label) for label in labels}
        return frozenset(tag for tag in self.groups if self.ancestors(tag) & wanted)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form read by :meth:`from_dict`."""
        tags = {tag: {"aliases": phrases[1:], "parents": self.parents.get(tag, [])}
                for tag, phrases in self.groups.items()}
        for tag, parents in self.parents.items():  # tags that only carry parents
            tags.setdefault(tag, {"aliases": [], "parents": parents})
        return {"tags": tags, "invariant": sorted(self.invariant)}


def _strings(value: Any, source: str, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InvalidParameterError(f"{source}: {what} must be a list of strings. Got {value!r}.")
    return value


def bundled_path(name: str) -> Path:
    """Path of a data file shipped in ``lexicons/`` (source tree or installed wheel)."""
    here = Path(__file__).resolve().parent
    for folder in (here / "_lexicons", here.parent / "lexicons"):
        if (folder / name).is_file():
            return folder / name
    raise ResourceNotFoundError(f"Bundled lexicon {name!r} is missing; reinstall textaug.")


@lru_cache(maxsize=1)
def _default_lexicon() -> Lexicon:
    return Lexicon.from_json(bundled_path(DEFAULT_LEXICON))
