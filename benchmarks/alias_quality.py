"""Alias swap quality: how many swap_aliases outputs a reader could tell from real text.

Usage:
    python benchmarks/alias_quality.py [DATA] [--examples 3] [--quick]

DATA is Made With ML's projects.json (title, description and tags) or a CSV / JSON Lines
file with ``text`` and ``tags`` columns (default, or when DATA is missing: the bundled
textaug/data/projects.csv). Every row is augmented through ``textaug.augment`` with
``swap_aliases`` (label-aware, as in ``make demo``) under ``ApplyOnePolicy(n_per_original=5)``,
and each output is checked against its original by four detectors that read only the two
texts and the curated lexicon file (``lexicons/ml_aliases.json`` beside this script, never
the library's matcher):

joined      the swap changed part of a name joined by "-", "/", "+" or "_" to an acronym, a
            capitalised or digit-bearing word or a path ("Faster R-CNN", "GAN-BERT").
meaning     the replaced phrase and its replacement are not both aliases of one tag of the
            curated lexicon (a keyword went in or out: "outlier detection" -> "outliers").
repetition  a word the swap brought in already stands within three words of it, another
            alias of the same tag stands right next to it ("NLProc (NLP)"), or the swapped
            phrase overlaps a longer phrase of the lexicon, before or after the swap
            ("Semantic Segmentation" -> "Semantic Image segmentation").
casing      an acronym or name not in its display form ("ml", "Nlproc"), a lower-case word
            in Title Case text, a capital in an all-lower-case text, or a sentence start
            left in lower case.

It prints, per class, the outputs that show it with examples, and how many rows got at
least one augmentation. ``--quick`` augments 60 rows.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from texts import add_data_arguments, settle  # noqa: E402

CURATED = Path(__file__).resolve().parent.parent / "lexicons" / "ml_aliases.json"
CLASSES = ("joined", "meaning", "repetition", "casing")
JOINERS = "-/+_"
WINDOW = 3
SMALL = frozenset(["a", "an", "the", "of", "for", "and", "or", "in", "on", "at", "to", "by",
                   "with", "from", "via", "vs", "into", "as", "nor", "but", "per"])
_TOKEN = re.compile(r"[^\W_]+|\S")
_SENTENCE_END = re.compile(r"[.!?:;]\s|\n")
_STRETCH_END = re.compile(r"[.!?;]\s|\n")  # repetition reads across ":" ("W&B: W&B")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def key(self) -> str:
        low = self.text.lower()
        return "a" if low == "an" else low


def tokens(text: str) -> list[Token]:
    """Runs of letters and digits, and every other non-space character alone."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def singular(word: str) -> str:
    """A crude singular, the same on both sides of every comparison."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 2:
        return word[:-1]
    return word


def phrase_key(phrase: str) -> str:
    """Lower case, joiners and spaces read as one space, the last word singular."""
    words = re.sub(r"[\s\-_]+", " ", phrase.lower()).split()
    return " ".join(words[:-1] + [singular(words[-1])]) if words else ""


# -- the curated lexicon, read from its JSON file ------------------------------------------

@dataclass
class Curated:
    """What the curated lexicon file says: aliases (by key, with their tags and their
    display forms as written there) and every phrase, keywords included, for the overlap
    scan."""

    alias_tags: dict[str, set[str]] = field(default_factory=dict)
    displays: dict[str, set[str]] = field(default_factory=dict)
    phrases: dict[str, list[re.Pattern[str]]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path = CURATED) -> Curated:
        data = json.loads(path.read_text(encoding="utf-8"))
        cur = cls()
        for tag, info in data["tags"].items():
            keywords = {phrase_key(k) for k in info.get("keywords", [])}
            aliases = list(info.get("aliases", []))
            if phrase_key(tag) not in keywords:
                aliases.append(tag.replace("-", " "))
            for alias in aliases:
                cur.alias_tags.setdefault(phrase_key(alias), set()).add(tag)
                cur.displays.setdefault(phrase_key(alias), set()).add(alias)
            for phrase in [*aliases, *info.get("keywords", []), tag]:
                cur._add_phrase(phrase)
        return cur

    def _add_phrase(self, phrase: str) -> None:
        words = phrase_key(phrase).split()
        if not words:
            return
        body = r"[\s\-]+".join(re.escape(w) for w in words)
        pattern = re.compile(rf"(?<![\w.]){body}(?:e?s)?(?![\w+#])(?!\.\w)", re.IGNORECASE)
        self.phrases.setdefault(singular(words[0]), []).append(pattern)

    def occurrences(self, text: str) -> list[tuple[int, int]]:
        """Spans of every lexicon phrase in ``text``, overlapping ones included."""
        spans = set()
        for first in {singular(t.key) for t in tokens(text)}:
            for pattern in self.phrases.get(first, ()):
                spans.update(m.span() for m in pattern.finditer(text))
        return sorted(spans)


# -- what changed between an original and its output ---------------------------------------

@dataclass(frozen=True)
class Change:
    """One swap: original tokens [i1, i2) became output tokens [j1, j2)."""

    i1: int
    i2: int
    j1: int
    j2: int


def changes(a: list[Token], b: list[Token]) -> list[Change]:
    """Token regions that differ other than by case (and "a"/"an")."""
    ops = SequenceMatcher(None, [t.key for t in a], [t.key for t in b], autojunk=False)
    found: list[Change] = []
    for op, i1, i2, j1, j2 in ops.get_opcodes():
        if op == "equal":
            continue
        if found and i1 - found[-1].i2 <= 2:  # "streaming data" -> "data streams": one swap
            found[-1] = Change(found[-1].i1, i2, found[-1].j1, j2)
        else:
            found.append(Change(i1, i2, j1, j2))
    return found


def span_text(text: str, toks: list[Token], i: int, j: int) -> str:
    return text[toks[i].start:toks[j - 1].end] if j > i else ""


def alias_pair(orig: str, a: list[Token], out: str, b: list[Token], c: Change,
               cur: Curated) -> tuple[int, int, int, int] | None:
    """The widest widening of ``c`` over unchanged tokens (up to 8) that makes the replaced
    and the replacing phrase two aliases of one tag ("TensorFlow Lite" -> "TF Lite", not
    "TensorFlow" -> "TF"): token bounds (i1, i2, j1, j2), else None."""
    for width in range(8, -1, -1):
        for left in range(0, width + 1):
            right = width - left
            i1, i2, j1, j2 = c.i1 - left, c.i2 + right, c.j1 - left, c.j2 + right
            if i1 < 0 or j1 < 0 or i2 > len(a) or j2 > len(b):
                continue
            if (left and not a[i1].text.isalnum()) or (right and not a[i2 - 1].text.isalnum()):
                continue  # a phrase starts and ends with a word, not with "-" or "("
            before = phrase_key(span_text(orig, a, i1, i2))
            after = phrase_key(span_text(out, b, j1, j2))
            if before and after and before != after and (
                    cur.alias_tags.get(before, set()) & cur.alias_tags.get(after, set())):
                return i1, i2, j1, j2
    return None


# -- the detectors ---------------------------------------------------------------------------

def _is_name(word: str) -> bool:
    return any(ch.isupper() or ch.isdigit() for ch in word)


def _joined_neighbour(text: str, toks: list[Token], i: int, step: int) -> bool:
    """Whether token ``i`` is joined (no space) by a joiner to a name on side ``step``."""
    j, k = i + step, i + 2 * step
    if not (0 <= k < len(toks)) or toks[j].text not in JOINERS:
        return False
    tight = (toks[j].start == toks[i].end and toks[k].start == toks[j].end if step > 0
             else toks[j].end == toks[i].start and toks[k].end == toks[j].start)
    if not tight:
        return False
    return toks[j].text in "/_" or _is_name(toks[k].text)


def joined(orig: str, out: str, cur: Curated) -> bool:
    """A swap changed a part of a joined name ("R-CNN", "GAN-BERT", "huggingface/nlp")."""
    a, b = tokens(orig), tokens(out)
    for c in changes(a, b):
        i1, i2, _, _ = _swap_bounds(orig, a, out, b, c, cur)
        if i2 > i1 and (_joined_neighbour(orig, a, i1, -1)
                        or _joined_neighbour(orig, a, i2 - 1, +1)):
            return True
    return False


def meaning(orig: str, out: str, cur: Curated) -> bool:
    """A change that is not one alias of a tag for another alias of the same tag."""
    a, b = tokens(orig), tokens(out)
    return any(alias_pair(orig, a, out, b, c, cur) is None for c in changes(a, b))


def _swap_bounds(orig: str, a: list[Token], out: str, b: list[Token], c: Change,
                 cur: Curated) -> tuple[int, int, int, int]:
    found = alias_pair(orig, a, out, b, c, cur)
    return found if found is not None else (c.i1, c.i2, c.j1, c.j2)


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """A phrase that shares text with [start, end) without lying inside it."""
    return any(s < end and start < e and not (start <= s and e <= end) for s, e in spans)


def repetition(orig: str, out: str, cur: Curated) -> bool:
    """The swap repeats a neighbouring word or overlaps a longer phrase."""
    a, b = tokens(orig), tokens(out)
    in_orig, in_out = cur.occurrences(orig), cur.occurrences(out)  # once, not per change
    for c in changes(a, b):
        i1, i2, j1, j2 = _swap_bounds(orig, a, out, b, c, cur)
        brought = ({singular(t.key) for t in b[j1:j2] if t.text.isalpha()}
                   - {singular(t.key) for t in a[i1:i2]})
        first, last = _sentence(out, b, min(j1, len(b) - 1), _STRETCH_END) if b else (0, 0)
        near = [t for t in b[max(first, j1 - WINDOW):j1] + b[j2:min(last, j2 + WINDOW)]
                if t.text.isalnum()]
        if brought & {singular(t.key) for t in near}:
            return True
        if j2 > j1 and _same_thing_near(out, b, j1, j2, cur, in_out):
            return True
        if i2 > i1 and _overlaps(in_orig, a[i1].start, a[i2 - 1].end):
            return True
        if j2 > j1 and _overlaps(in_out, b[j1].start, b[j2 - 1].end):
            return True
    return False


def _same_thing_near(out: str, b: list[Token], j1: int, j2: int, cur: Curated,
                     spans: list[tuple[int, int]]) -> bool:
    """Another alias of the replacement's tag stands next to it, with no word between
    ("NLProc (NLP)", "W&B: W&B"), and not as part of a joined name ("R-CNN"); ``spans``:
    the lexicon's phrases in ``out`` (:meth:`Curated.occurrences`)."""
    start, end = b[j1].start, b[j2 - 1].end
    before = next((t.end for t in reversed(b[:j1]) if t.text.isalnum()), 0)
    after = next((t.start for t in b[j2:] if t.text.isalnum()), len(out))
    tags = cur.alias_tags.get(phrase_key(out[start:end]), set())
    return any(cur.alias_tags.get(phrase_key(out[s:e]), set()) & tags
               for s, e in spans
               if ((e <= start and e >= before and "\n" not in out[e:start])
                   or (s >= end and s <= after and "\n" not in out[end:s]))
               and not _joined_at(out, s, e))


def _joined_at(text: str, start: int, end: int) -> bool:
    """A joiner right before or after ``text[start:end]``."""
    return (start > 0 and text[start - 1] in JOINERS) or (end < len(text)
                                                          and text[end] in JOINERS)


def _sentence(text: str, toks: list[Token], i: int,
              ends: re.Pattern[str] = _SENTENCE_END) -> tuple[int, int]:
    """Token bounds of the sentence (or title) holding token ``i``."""
    start = max((m.end() for m in ends.finditer(text, 0, toks[i].start)), default=0)
    end_match = ends.search(text, toks[i].end)
    end = end_match.start() + 1 if end_match else len(text)
    first = next(k for k, t in enumerate(toks) if t.end > start)
    last = max(k for k, t in enumerate(toks) if t.start < end) + 1
    return first, last


def _plain(words: list[Token]) -> list[str]:
    """The plain words (lower case or Capitalised, not small words such as "of")."""
    return [t.text for t in words if t.text.isalpha() and t.key not in SMALL
            and (t.text.islower() or t.text[1:].islower())]


def _title_case(words: list[Token]) -> bool:
    """At least one plain word, and every plain word capitalised."""
    plain = _plain(words)
    return bool(plain) and all(w[0].isupper() for w in plain)


def _spelt(shown: str, word: str) -> str:
    """``word`` spelt as the display word ``shown`` (same word, maybe another number)."""
    low, key = shown.lower(), word.lower()
    if key.startswith(low):
        return shown + key[len(low):]
    return shown[: len(key)] if low.startswith(key) else word


def _display_words(cur: Curated, phrase: str,
                   words: list[Token]) -> list[tuple[str, bool]] | None:
    """The display spelling of each word of an alias, from the lexicon file's own display
    forms (one of them, where the alias has several spellings), and whether it is fixed:
    part of a chunk with capitals ("TF.js", "Q-networks" is not) kept as written."""
    for shown in sorted(cur.displays.get(phrase_key(phrase), ())):
        parts = [(t.text, chunk != chunk.lower()) for chunk in re.split(r"[\s\-]+", shown)
                 for t in tokens(chunk) if t.text.isalnum()]
        if len(parts) == len(words):
            return [(_spelt(p, w.text), fixed) for (p, fixed), w in zip(parts, words,
                                                                         strict=True)]
    return None


def _bad_word(t: Token, shown: str, fixed: bool, *, start: bool, title: bool,
              named: bool) -> bool:
    """Whether word ``t`` is cased against its display form ``shown`` and the text."""
    if not any(ch.isalpha() for ch in shown):
        return False
    if fixed:  # a display form with capitals: kept, or capitals throughout
        variants = {shown, shown.upper()} | ({shown[:1].upper() + shown[1:]} if start or title
                                             else set())
        return t.text not in variants
    if start:
        return not t.text[:1].isupper()
    if (title and t.key not in SMALL) or named:
        return not (t.text[:1].isupper() or t.key in SMALL)
    return t.text != t.text.lower()


def casing(orig: str, out: str, cur: Curated) -> bool:
    """The replacement's casing disagrees with the text's or its display form."""
    a, b = tokens(orig), tokens(out)
    lower_text = orig == orig.lower()
    for c in changes(a, b):
        found = alias_pair(orig, a, out, b, c, cur)
        if found is None:  # no swap of aliases: the meaning detector's case
            continue
        i1, i2, j1, j2 = found
        new = [t for t in b[j1:j2] if t.text.isalnum()]
        if lower_text or orig.isupper():
            if any(t.text != (t.text.lower() if lower_text else t.text.upper()) for t in new):
                return True
            continue
        shown = _display_words(cur, span_text(out, b, j1, j2), new)
        if shown is None:
            continue
        first, last = _sentence(out, b, j1)
        opening = next((t for t in b[first:last] if t.text.isalnum()), None)
        context = [t for t in b[first:j1] + b[j2:last] if t is not opening]
        title = (_title_case(context) if _plain(context)
                 else len(_plain(a[i1:i2])) > 1 and _title_case(a[i1:i2]))
        old = [t for t in a[i1:i2] if t.text.isalnum()]
        named = _title_case(old) and all(t.text[:1].isupper() or t.key in SMALL for t in old)
        starts = opening is not None and opening is b[j1] and a[i1].text[:1].isupper()
        for k, (t, (word, fixed)) in enumerate(zip(new, shown, strict=True)):
            if _bad_word(t, word, fixed, start=starts and k == 0, title=title,
                         named=named and opening is not b[j1]):
                return True
    return False


DETECTORS = {"joined": joined, "meaning": meaning, "repetition": repetition, "casing": casing}


# -- the run -----------------------------------------------------------------------------------

def load_rows(path: Path) -> pd.DataFrame:
    """``text`` and ``tags`` (a list per row): Made With ML's projects.json or a table."""
    if path.suffix == ".json":
        projects = json.loads(path.read_text(encoding="utf-8"))
        texts = [p["title"].strip() + ("" if p["title"].strip()[-1:] in ".!?" else ".")
                 + " " + p["description"].strip() for p in projects]
        return pd.DataFrame({"text": texts, "tags": [list(p["tags"]) for p in projects]})
    frame = pd.read_json(path, lines=True) if path.suffix == ".jsonl" else pd.read_csv(path)
    tags = frame["tags"].map(lambda v: json.loads(v) if isinstance(v, str) else list(v))
    return pd.DataFrame({"text": frame["text"].astype(str), "tags": tags})


def augmented_pairs(df: pd.DataFrame) -> tuple[list[tuple[str, str]], int]:
    """(original, output) of every augmentation, and the rows with at least one."""
    import textaug

    out = textaug.augment(df, [textaug.tfs.swap_aliases()],
                          policy=textaug.ApplyOnePolicy(n_per_original=5), seed=0, label="tags")
    new = out[~out["textaug_is_original"]]
    pairs = [(df["text"].iloc[src], text) for src, text in
             zip(new["textaug_source"], new["text"], strict=True)]
    return pairs, new["textaug_source"].nunique()


def defects(pairs: list[tuple[str, str]], cur: Curated) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {name: [] for name in CLASSES}
    for orig, out in pairs:
        for name, detector in DETECTORS.items():
            if detector(orig, out, cur):
                found[name].append((orig, out))
    return found


def excerpt(orig: str, out: str, width: int = 40) -> Iterator[str]:
    """The changed part of each text with some context."""
    start = next((k for k, (x, y) in enumerate(zip(orig, out, strict=False)) if x != y), 0)
    back = zip(orig[::-1], out[::-1], strict=False)
    tail = next((k for k, (x, y) in enumerate(back) if x != y), 0)
    for text in (orig, out):
        lo, hi = max(0, start - width), min(len(text), len(text) - tail + width)
        yield ("…" if lo else "") + text[lo:hi] + ("…" if hi < len(text) else "")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_arguments(parser)
    parser.add_argument("--rows", type=int, default=None, help="first N rows of DATA")
    parser.add_argument("--examples", type=int, default=3, help="examples per class")
    args = parser.parse_args(argv)
    settle(args, rows=60)
    df = load_rows(args.data)
    if args.rows:
        df = df.iloc[: args.rows].reset_index(drop=True)
    pairs, rows_augmented = augmented_pairs(df)
    found = defects(pairs, Curated.load())
    print(f"data: {args.data} ({len(df)} rows); lexicon judged by: {CURATED.name}")
    print(f"rows with at least one augmentation: {rows_augmented} of {len(df)}; "
          f"outputs: {len(pairs)}")
    for name in CLASSES:
        print(f"{name:11} {len(found[name]):5} outputs")
    for name in CLASSES:
        for orig, out in found[name][: args.examples]:
            before, after = excerpt(orig, out)
            print(f"  [{name}] {before}\n  {' ' * (len(name) + 2)} -> {after}")


if __name__ == "__main__":
    sys.exit(main())
