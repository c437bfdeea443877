"""Lexicon: groups of phrases (a tag, its aliases and its keywords) and their matcher.

Each group is a tag with its **aliases** (other names for the same thing, swapped both
ways by ``swap_aliases``) and its **keywords** (phrases that indicate the tag and are
matched by LFs and validators, but are never put into a text). A tag may have parent
tags. Every phrase is read with dashes as spaces and also matched in its other
grammatical number ("gan" finds "GANs"); the matcher is one regex compiled once for all
phrases. An alias may have a display form ("NLP", "PyTorch", "k-means"), the casing it
is written in unless the text's own casing says otherwise.

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

Keywords are found but have no alternatives; display forms follow the number:

>>> lex = Lexicon({"outlier-detection": ["anomaly detection"]},
...               keywords={"outlier-detection": ["outliers"]}, display=["Anomaly Detection"])
>>> [(m.text, m.alias) for m in lex.find("Outliers and outlier detection")]
[('Outliers', False), ('outlier detection', True)]
>>> lex.alternatives(lex.find("outliers")[0]), lex.alternatives(lex.find("outlier detection")[0])
((), ('anomaly detection',))
>>> lex.display_form("anomaly detections")
'Anomaly Detections'
"""

from __future__ import annotations

import copy
import json
import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from textaug.casing import acronym_case, is_acronym
from textaug.errors import InvalidParameterError, ResourceNotFoundError
from textaug.inflection import Number, inflect_to, number
from textaug.wordmatch import normalize_phrase, phrase_regex

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
    """A surface form: the group (tag) it belongs to, its base phrase, its number, and
    whether it is an alias (swappable) or a keyword (matched only)."""

    tag: str
    base: str
    number: Number | None
    alias: bool = True


class Match(NamedTuple):
    """A phrase found in a text (``alias`` False: a keyword, never swapped); a named tuple,
    since a text's matches are made, hashed and compared in every augmentation."""

    start: int
    end: int
    text: str
    tag: str
    base: str
    number: Number | None
    alias: bool = True


class Lexicon:
    """Groups of phrases keyed by tag: aliases (interchangeable names) and keywords.

    Parameters
    ----------
    aliases
        ``{tag: [alias, ...]}``; the tag itself is a phrase of its group, an alias unless
        it is listed among its own keywords.
    parents
        ``{tag: [parent tag, ...]}``, used by label-aware gating.
    inflect
        Also match each phrase in its other number, and keep number when swapping.
    invariant
        Phrases never inflected (names such as "kubernetes" that look plural).
    keywords
        ``{tag: [keyword, ...]}``: phrases that indicate the tag (found by :meth:`find`
        for LFs and validators) but are no other name for it, so never swapped in or out.
    display
        Display forms of aliases ("NLP", "NLProc", "PyTorch", "k-means"), each matched to
        the alias it spells; an alias without one is written in lower case, except in a
        lexicon with no display forms at all (Made With ML's tags), where short aliases
        read as acronyms are written in capitals ("nlp" is "NLP").
    """

    def __init__(
        self,
        aliases: Mapping[str, Iterable[str]],
        parents: Mapping[str, Iterable[str]] | None = None,
        inflect: bool = True,
        invariant: Iterable[str] = (),
        keywords: Mapping[str, Iterable[str]] | None = None,
        display: Iterable[str] = (),
    ) -> None:
        for what, value in (("aliases", aliases), ("keywords", keywords or {})):
            if not isinstance(value, Mapping):
                raise InvalidParameterError(
                    f"Lexicon takes a mapping {{tag: [phrase, ...]}} for {what}. "
                    f"Got {type(value).__name__}.")
        self.inflect = inflect
        self.invariant = frozenset(normalize_phrase(p) for p in invariant)
        self.groups: dict[str, list[str]] = {}
        self.keywords: frozenset[str] = frozenset()
        owner: dict[str, str] = {}
        kept = dict(keywords or {})
        for raw_tag in dict.fromkeys([*aliases, *kept]):
            tag = normalize_tag(raw_tag)
            named = _phrases(raw_tag, aliases.get(raw_tag, []), "aliases")
            marked = _phrases(raw_tag, kept.get(raw_tag, []), "keywords")
            phrases = [normalize_phrase(tag), *named, *marked]
            for phrase in phrases:
                if owner.get(phrase, tag) != tag:
                    raise InvalidParameterError(
                        f"The phrase {phrase!r} belongs to both {owner[phrase]!r} and {tag!r}; "
                        "a phrase must name one tag."
                    )
                owner[phrase] = tag
            unique = list(dict.fromkeys(p for p in phrases if p))
            if len(unique) > 1 or marked:  # a tag without phrases of its own only carries parents
                self.groups[tag] = self.groups.get(tag, []) + [
                    p for p in unique if p not in self.groups.get(tag, [])]
            self.keywords |= set(marked)
        self.display = {normalize_phrase(d): d for d in _listed("Lexicon", display, "display forms")
                        if d.strip() and d != normalize_phrase(d)}
        self.parents = {normalize_tag(t): [normalize_tag(p) for p in ps]
                        for t, ps in (parents or {}).items()}
        self.forms = self._build_forms()
        self._source = phrase_regex(self.forms)
        self._add_caches()

    # -- construction -------------------------------------------------------------------
    def _number(self, phrase: str) -> Number | None:
        return None if not self.inflect or phrase in self.invariant else number(phrase)

    def _build_forms(self) -> dict[str, Form]:
        keywords = self.keywords
        forms = {phrase: Form(tag, phrase, self._number(phrase), phrase not in keywords)
                 for tag, phrases in self.groups.items() for phrase in phrases}
        if self.inflect:
            for form in list(forms.values()):
                if form.number is not None:
                    other: Number = "plural" if form.number == "singular" else "singular"
                    variant = inflect_to(form.base, other)
                    forms.setdefault(variant, Form(form.tag, form.base, other, form.alias))
        return forms

    def with_tag_names(self) -> Lexicon:
        """A copy in which every tag without phrases of its own (in the lexicon only to carry
        parents) is a group of its own name, unless that name is already another tag's
        phrase: what keyword LFs match for such tags.

        >>> lex = Lexicon({"gan": ["generative adversarial network"], "computer-vision": []},
        ...               parents={"gan": ["computer-vision"], "computer-vision": []})
        >>> sorted(lex.with_tag_names().groups), sorted(lex.groups)
        (['computer-vision', 'gan'], ['gan'])
        """
        order = dict.fromkeys([*self.parents, *self.groups])
        alone = {tag: [normalize_phrase(tag)] for tag in order
                 if tag not in self.groups and normalize_phrase(tag) not in self.forms}
        if not alone:
            return self
        full = copy.copy(self)
        full.groups = {tag: self.groups.get(tag) or alone[tag] for tag in order
                       if tag in self.groups or tag in alone}
        full.forms = full._build_forms()
        full._source = phrase_regex(full.forms)
        full._add_caches()
        return full

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
        """Build from parsed JSON: textaug's ``{"tags": {tag: {"aliases": [...],
        "keywords": [...], "parents": [...]}}}``, whose aliases are written in their display
        form ("NLP", "k-means"), or Made With ML's list of ``{"tag": ..., "aliases": [...],
        "parents": [...]}``, whose aliases are slugs ("data-annotation": dashes are spaces)."""
        textaug_format = isinstance(data, dict) and isinstance(data.get("tags"), dict)
        if textaug_format:
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
        aliases, parents, keywords = {}, {}, {}
        for entry in entries:
            tag = entry.get("tag") if isinstance(entry, dict) else None
            if not isinstance(tag, str) or not tag.strip():
                raise InvalidParameterError(
                    f"{source}: every entry needs a non-empty string 'tag'. Got {entry!r}.")
            aliases[tag] = _strings(entry.get("aliases", []), source, f"the 'aliases' of {tag!r}")
            parents[tag] = _strings(entry.get("parents", []), source, f"the 'parents' of {tag!r}")
            keywords[tag] = _strings(entry.get("keywords", []), source,
                                     f"the 'keywords' of {tag!r}")
        display = [a for names in aliases.values() for a in names] if textaug_format else []
        return cls(aliases, parents, invariant=invariant, keywords=keywords, display=display)

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
        for derived in _DERIVED:  # worked out anew from the phrases when asked
            self.__dict__.pop(derived, None)
        self._allowed = lru_cache(maxsize=4096)(self._allowed_uncached)
        self._alternatives = lru_cache(maxsize=4096)(self._alternatives_uncached)
        self._display_form = lru_cache(maxsize=4096)(self._display_form_uncached)

    def __getstate__(self) -> dict[str, Any]:
        caches = ("_find", "_allowed", "_alternatives", "_display_form", *_DERIVED)
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
        pattern, seen = self._matcher(text)
        for m in pattern.finditer(seen):
            start, end = m.span()
            form = forms.get(normalize_phrase(m.group()))
            if form is not None:
                found.append(Match(start, end, text[start:end], form.tag, form.base,
                                   form.number, form.alias))
        return tuple(found)

    def _matcher(self, text: str) -> tuple[re.Pattern[str], str]:
        """The phrase pattern and the text it reads: ASCII text in lower case, matched
        without IGNORECASE (twice as fast, the same spans); other text as it is."""
        if text.isascii():
            return self._lower_case_pattern, text.lower()
        return self._pattern, text

    @cached_property
    def _lower_case_pattern(self) -> re.Pattern[str]:
        return re.compile(self._source)

    @cached_property
    def _pattern(self) -> re.Pattern[str]:  # compiled only if a text is not ASCII
        return re.compile(self._source, re.IGNORECASE)

    def overlapped(self, text: str, match: Match, reach: int = 80) -> bool:
        """Whether another phrase overlaps ``match`` without lying inside it: one starting
        at a word inside the match and ending after it, or one starting at a word inside an
        earlier match (ending up to ``reach`` characters before it) and ending after its
        start. Matching is leftmost first, so no other phrase can cross it.

        >>> lex = Lexicon({"deep-learning": ["dl"], "learning-rates": ["lr"]})
        >>> text = "deep learning rate schedules"
        >>> lex.find(text)[0].text, lex.overlapped(text, lex.find(text)[0])
        ('deep learning', True)
        """
        if not self._may_join(text, match.start, match.end):
            return False
        found = self.find(text)
        at = bisect_left(found, match.start, key=_start)  # the matches before it, found fast
        earlier = []
        for m in reversed(found[max(0, at - _EARLIER):at]):
            if m.end < match.start - reach:
                break
            earlier.append((m.start, m.end))
        return self._crossed(text, match.start, match.end, earlier)

    def neighbours(self, text: str, match: Match) -> tuple[Match | None, Match | None]:
        """The phrases found right before and right after ``match`` in ``text`` (None at
        either end).

        >>> lex = Lexicon({"reinforcement-learning": ["rl"]})
        >>> text = "Reinforcement Learning (RL) and more"
        >>> [m.text if m else None for m in lex.neighbours(text, lex.find(text)[1])]
        ['Reinforcement Learning', None]
        """
        found = self.find(text)
        at = bisect_left(found, match.start, key=_start)
        after = at + 1 if at < len(found) and found[at].start == match.start else at
        return (found[at - 1] if at else None, found[after] if after < len(found) else None)

    def _crossed(self, text: str, start: int, end: int,
                 earlier: list[tuple[int, int]]) -> bool:
        pattern, seen = self._matcher(text)
        for lo, hi, limit in [*((s, e, start) for s, e in earlier), (start, end, end)]:
            for word in _WORD_START.finditer(text, lo + 1, hi):
                other = pattern.match(seen, word.start())
                if other is not None and other.end() > limit:
                    return True
        return False

    def stands_alone(self, text: str, start: int, end: int, tag: str, reach: int = 80) -> bool:
        """Whether ``text[start:end]`` is found whole as a phrase of ``tag``, with no other
        phrase running into it from the words around (reads ``reach`` characters a side).

        >>> lex = Lexicon({"tensorflow": ["tf"], "tensorflow-lite": ["tflite"]})
        >>> lex.stands_alone("a tensorflow model", 2, 12, "tensorflow")
        True
        >>> lex.stands_alone("a tensorflow lite model", 2, 12, "tensorflow")
        False
        """
        form = self.forms.get(normalize_phrase(text[start:end]))
        if form is None or form.tag != tag:
            return False
        if not self._may_join(text, start, end):  # most texts: no regex over the window
            return True
        lo = max(0, start - reach)
        window = text[lo:min(len(text), end + reach)]
        start, end = start - lo, end - lo
        pattern, seen = self._matcher(window)
        found = [m.span() for m in pattern.finditer(seen)]
        touching = [span for span in found if span[0] < end and start < span[1]]
        if touching != [(start, end)]:
            return False
        earlier = [span for span in found if span[1] <= start]
        return not self._crossed(window, start, end, earlier)

    def _may_join(self, text: str, start: int, end: int) -> bool:
        """Whether a phrase might run across either end of ``text[start:end]`` (a phrase
        found there): False where none can, because the characters on each side are
        ones no phrase holds, or no two words of a phrase pair the word on that side with
        the span's own (a quick look at a few characters, instead of matching a window)."""
        links, chars = self._links
        if start > 0:
            before = text[start - 1]
            if before.isspace() or before == "-":
                word = _word_before(text, start)
                if word is None or _linked(links, word, _first_word(text, start, end)):
                    return True
            elif before.isalnum() or before in chars or before in _WORDISH:
                return True
        if end < len(text):
            after = text[end]
            if after.isspace() or after == "-":
                word = _word_after(text, end)
                if word is None or _linked(links, _last_word(text, start, end), word):
                    return True
            elif after.isalnum() or after in chars or after in _WORDISH:
                return True
        return False

    @cached_property
    def _links(self) -> tuple[dict[str, frozenset[str]], frozenset[str]]:
        """Each word of a phrase -> the words that follow it in a phrase; and the characters
        (other than letters and digits) the phrases hold."""
        follows: dict[str, set[str]] = {}
        for phrase in self.forms:
            words = phrase.split(" ")
            for left, right in zip(words, words[1:], strict=False):
                follows.setdefault(left, set()).add(right)
        chars = frozenset(ch for phrase in self.forms for ch in phrase if not ch.isalnum())
        return {k: frozenset(v) for k, v in follows.items()}, chars

    def alternatives(self, match: Match) -> tuple[str, ...]:
        """The other aliases of the match's group, in the match's number (lower case);
        none for a keyword."""
        if not match.alias:
            return ()
        return self._alternatives(match.tag, match.base, match.number)

    def _alternatives_uncached(self, tag: str, base: str, number: Number | None) -> tuple[str, ...]:
        phrases = [p for p in self.groups[tag] if p != base and p not in self.keywords]
        if number is None:
            return tuple(phrases)
        return tuple(p if p in self.invariant else inflect_to(p, number) for p in phrases)

    def display_form(self, phrase: str) -> str:
        """``phrase`` (an alias in either number, lower case) in its display form, or as
        it is where it has none: "cnns" is "CNNs" when the display form of "cnn" is "CNN"."""
        return self._display_form(phrase)

    def _display_form_uncached(self, phrase: str) -> str:
        form = self.forms.get(phrase)
        shown = self.display.get(form.base if form is not None else phrase)
        if shown is not None:
            return _spell_like(shown, phrase)
        if not self.display and is_acronym(phrase):  # no display forms at all: guess
            return acronym_case(phrase)
        return phrase

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
        try:
            written = self._tag_names.issuperset(labels)  # tags as the lexicon writes them
        except TypeError:  # an unhashable label
            written = False
        if written:
            return self._allowed(tuple(labels))
        return self._allowed(tuple(map(normalize_tag, labels)))  # 1.0 == 1 as cache keys

    @cached_property
    def _tag_names(self) -> frozenset[str]:
        """The tags, with their parents, as the lexicon writes them (normalised)."""
        return frozenset([*self.groups, *self.parents,
                          *(p for parents in self.parents.values() for p in parents)])

    def _allowed_uncached(self, labels: tuple[Any, ...]) -> frozenset[str]:
        wanted = {normalize_tag(label) for label in labels}
        return frozenset(tag for tag in self.groups if self.ancestors(tag) & wanted)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form read by :meth:`from_dict` (aliases in their display form)."""
        tags: dict[str, dict[str, list[str]]] = {}
        for tag, phrases in self.groups.items():
            names = [p for p in phrases if p not in self.keywords]
            if names and names[0] == normalize_phrase(tag) and names[0] not in self.display:
                names = names[1:]  # the tag's own name is implied
            entry = {"aliases": [self.display.get(p, p) for p in names],
                     "parents": self.parents.get(tag, [])}
            marked = [p for p in phrases if p in self.keywords]
            if marked:
                entry["keywords"] = marked
            tags[tag] = entry
        for tag, parents in self.parents.items():  # tags that only carry parents
            tags.setdefault(tag, {"aliases": [], "parents": parents})
        return {"tags": tags, "invariant": sorted(self.invariant)}


_WORD_START = re.compile(r"(?<![\w.+#&@])\w")
# What a lexicon works out from its phrases when first asked (cached properties): never
# pickled, dropped when the phrases change.
_DERIVED = ("_links", "_pattern", "_lower_case_pattern", "_tag_names")
_WORDISH = "_.+#&@'/"  # next to these a phrase's edge needs the full check
_LONGEST_WORD = 64  # characters of a neighbouring word read (more than any phrase word)


def _linked(links: dict[str, frozenset[str]], left: str, right: str) -> bool:
    """Whether some phrase has a word ending ``left`` followed by a word that begins
    ``right`` (both lower-cased here). A phrase word starts where a match may start, so at
    the last run of word characters of ``left`` ("(deep" ends with "deep"), and may end
    inside ``right`` ("learning," and "gan/" begin with "learning" and "gan"). Non-ASCII
    words always count as linked (case folding)."""
    if not (left.isascii() and right.isascii()):
        return True
    if not left.isalnum():
        at = len(left)
        while at and (left[at - 1].isalnum() or left[at - 1] in "_.+#&@"):
            at -= 1
        left = left[at:]
    follow = links.get(left.lower())
    if not follow:
        return False
    right = right.lower()
    return any(right.startswith(word) for word in follow)


def _word_before(text: str, i: int) -> str | None:
    """The word (run of characters other than spaces and dashes) before the spaces and
    dashes that end at ``i``; None where that run is long (the full check reads it)."""
    head = text[max(0, i - 2 * _LONGEST_WORD):i]
    kept = head.rstrip()
    while kept.endswith("-"):
        kept = kept.rstrip("-").rstrip()
    if len(head) - len(kept) > _LONGEST_WORD or not kept:
        return None if len(head) - len(kept) > _LONGEST_WORD else ""
    return kept.rsplit(None, 1)[-1].rsplit("-", 1)[-1]


def _word_after(text: str, i: int) -> str | None:
    """The word after the spaces and dashes that start at ``i`` (None: a long run)."""
    tail = text[i:i + 2 * _LONGEST_WORD]
    kept = tail.lstrip()
    while kept.startswith("-"):
        kept = kept.lstrip("-").lstrip()
    if len(tail) - len(kept) > _LONGEST_WORD or not kept:
        return None if len(tail) - len(kept) > _LONGEST_WORD else ""
    return kept.split(None, 1)[0].split("-", 1)[0]


def _first_word(text: str, start: int, end: int) -> str:
    """``text[start:end]`` up to its first space or dash (``\\s`` is ``str.isspace``).

    >>> _first_word("a deep-learning model", 2, 15), _last_word("a deep-learning model", 0, 15)
    ('deep', 'learning')
    """
    found = _BREAK.search(text, start, end)
    return text[start:found.start() if found else end]


def _last_word(text: str, start: int, end: int) -> str:
    """``text[start:end]`` from after its last space or dash (one match, linear)."""
    found = _LAST_BREAK.match(text, start, end)
    return text[found.end() if found else start:end]


_BREAK = re.compile(r"[\s-]")
_LAST_BREAK = re.compile(r"(?s:.*)[\s-]")
_EARLIER = 4  # earlier matches read for a phrase crossing into a match


def _start(match: Match) -> int:
    return match.start


_DISPLAY_PARTS = re.compile(r"[\s\-]+")


def _spell_like(shown: str, phrase: str) -> str:
    """``phrase`` spelt word by word as ``shown`` (same words, maybe another number)."""
    words, seps = _DISPLAY_PARTS.split(shown), _DISPLAY_PARTS.findall(shown)
    targets = phrase.split(" ")
    if len(words) != len(targets):
        return phrase
    out = []
    for word, target in zip(words, targets, strict=True):
        low = word.lower()
        if target.startswith(low):  # the same word, or its plural
            out.append(word + target[len(low):])
        elif low.startswith(target):  # its singular
            out.append(word[:len(target)])
        else:
            out.append(target)
    return "".join(w + s for w, s in zip(out, [*seps, ""], strict=True))


def _phrases(owner: Any, value: Any, what: str) -> list[str]:
    """The normalized phrases of a list of strings (else one clear error)."""
    return [p for p in (normalize_phrase(v) for v in _listed(owner, value, what)) if p]


def _listed(owner: Any, value: Any, what: str) -> list[str]:
    items = list(value) if isinstance(value, Iterable) and not isinstance(value, str) else None
    if items is None or not all(isinstance(v, str) for v in items):
        raise InvalidParameterError(
            f"The {what} of {owner!r} must be a list of strings. Got {value!r}.")
    return items


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
