"""EDA output quality: capitals the text did not have, and words changed against alpha.

Usage:
    python benchmarks/eda_quality.py [DATA] [--rows N] [--n-aug N] [--alphas 0.05 0.1 ...]
        [--examples 3] [--quick]

DATA is Made With ML's projects.json (title + description) or a CSV/JSON Lines file with
a ``text`` column (default, or when DATA is missing: textaug/data/projects.csv). Each of
EDA's four operations (synonym_replacement, random_insertion, random_swap,
random_deletion, with ``alpha_sr = alpha_ri = alpha_rs = p_rd = alpha``) augments every
text ``--n-aug`` times (default: the paper's n_aug for a training set of this size, 16
for 500 texts) at each alpha, on two corpora: the texts as written, and the same texts
lower-cased, as the EDA paper's corpora are (no lower-case corpus is bundled).

Printed: per corpus and operation, the outputs with a capital the text did not have (a
word with a capital where the text had more words without, or a mixed-case word such as
"iPhone" written otherwise; target 0), then per operation and alpha the words each output
changed (its words against the text's, in lower case: a word replaced, inserted, deleted
or moved counts once), their mean, the mean share of the text's words against alpha, and
their distribution; then examples of outputs with new capitals.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from textaug import tfs
from textaug._rng import Rng
from textaug.records import Record
from textaug.tf import TransformationFunction
from textaug.tfs.eda import eda_defaults

sys.path.insert(0, str(Path(__file__).resolve().parent))
from texts import add_data_arguments, load_texts, settle  # noqa: E402

OPERATIONS = ("synonym_replacement", "random_insertion", "random_swap", "random_deletion")
ALPHAS = (0.05, 0.1, 0.2, 0.3, 0.5)  # the paper's range (its figure 2 adds 0.4)
BUCKETS = ("0", "1", "2", "3", "4", "5-9", "10+")
_WORD = re.compile(r"[^\W\d_]+")  # runs of letters: linear
_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")  # "scikit-learn", "don't": linear


def make_tf(operation: str, alpha: float) -> TransformationFunction:
    factories = {"synonym_replacement": lambda: tfs.synonym_replacement(alpha_sr=alpha),
                 "random_insertion": lambda: tfs.random_insertion(alpha_ri=alpha),
                 "random_swap": lambda: tfs.random_swap(alpha_rs=alpha),
                 "random_deletion": lambda: tfs.random_deletion(p_rd=alpha)}
    return factories[operation]()


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def tokens(text: str) -> list[str]:
    """The words, hyphenated compounds and contractions whole ("scikit-learn"), lower case."""
    return _TOKEN.findall(text.lower())


def capitalised(word: str) -> bool:
    return any(c.isupper() for c in word)


def plain(word: str) -> bool:
    """lower case, or Capitalised (with "A" and "I"): the forms a sentence start switches."""
    return word.islower() or (word[:1].isupper() and (word[1:].islower() or len(word) == 1))


def new_capitals(text: str, out: str) -> list[str]:
    """The output's words with a capital the text did not have.

    A known word in a form the text never wrote that is neither plain lower case nor
    plainly capitalised ("IPhone" for "iPhone", "BB" for "bB"); and, where the output has
    more words with a capital than the text, the extra ones: words in a form the text has
    fewer of ("Mob" in "Mob greaseballs ..."), but for a Capitalised word at a sentence
    start where the text capitalises a sentence start (a word moved to the start of
    "Grape. GRAPE is ..." takes its capital while the acronym keeps its own).
    """
    before, after = words(text), words(out)
    forms, lower = Counter(before), {w.lower() for w in before}
    odd = [w for w in after if capitalised(w) and w not in forms and w.lower() in lower
           and not plain(w)]
    surplus = sum(map(capitalised, after)) - sum(map(capitalised, before))
    if surplus <= 0:
        return odd
    gained = Counter(w for w in after if capitalised(w)) - forms
    if sentence_starts(text, plain_only=False):
        excused = gained & sentence_starts(out)
        gained -= excused
        surplus -= excused.total()
    return list(dict.fromkeys(odd + list(gained.elements())[:max(surplus, 0)]))


def sentence_starts(text: str, plain_only: bool = True) -> Counter[str]:
    """The Capitalised words (any word with a capital first, if not ``plain_only``) that
    begin ``text`` or follow . ! ? : or a line break (past quotes and brackets), but not
    after an abbreviation ("U.S.", "e.g.", "J.", not "I.")."""
    found: Counter[str] = Counter()
    for m in _WORD.finditer(text):
        word = m.group()
        if not word[:1].isupper() or (plain_only and not plain(word)):
            continue
        j = m.start()
        while j and text[j - 1] in " \t\"'([{“«":
            j -= 1
        if j and text[j - 1] == ".":
            k = j - 1
            while k and not text[k - 1].isspace():
                k -= 1
            token = text[k:j - 1].lstrip("\"'([{“«")
            if "." in token or (len(token) == 1 and token not in "AIa"):  # not "I."
                continue
        if j == 0 or text[j - 1] in ".!?:" or text[j - 1].splitlines() == [""]:
            found[word] += 1
    return found


def changed_words(text: str, out: str) -> int:
    """Words replaced, inserted, deleted or moved (in lower case), each counted once: the
    places that differ, or where the number of words changed, the edits of a diff."""
    a, b = tokens(text), tokens(out)
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True))
    opcodes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in opcodes if tag != "equal")


def bucket(n: int) -> str:
    return str(n) if n < 5 else "5-9" if n < 10 else "10+"


@dataclass
class Tally:
    """One operation on one corpus: outputs, not applicable, new capitals, examples."""

    outputs: int = 0
    not_applicable: int = 0
    defects: int = 0
    examples: list[tuple[str, str, list[str]]] = field(default_factory=list)


@dataclass
class Changes:
    """One operation at one alpha: changed words per output."""

    counts: list[int] = field(default_factory=list)
    shares: list[float] = field(default_factory=list)


def augmentations(tf: TransformationFunction, texts: Sequence[str],
                  n_aug: int) -> Iterator[tuple[str, str | None]]:
    """(text, output or None) for each text ``n_aug`` times, seeded by position."""
    for i, text in enumerate(texts):
        x = Record({"text": text})
        for k in range(n_aug):
            out = tf.apply(x, Rng(i * n_aug + k))
            yield text, None if out is None else out.text


def measure(corpora: dict[str, list[str]], alphas: Sequence[float], n_aug: int,
            examples: int) -> tuple[dict[tuple[str, str], Tally],
                                    dict[tuple[str, float], Changes]]:
    tallies = {(c, op): Tally() for c in corpora for op in OPERATIONS}
    changes = {(op, a): Changes() for op in OPERATIONS for a in alphas}
    for corpus, texts in corpora.items():
        for op in OPERATIONS:
            tally = tallies[corpus, op]
            for alpha in alphas:
                for text, out in augmentations(make_tf(op, alpha), texts, n_aug):
                    if out is None:
                        tally.not_applicable += 1
                        continue
                    tally.outputs += 1
                    if found := new_capitals(text, out):
                        tally.defects += 1
                        if len(tally.examples) < examples:
                            tally.examples.append((text, out, found))
                    if corpus == "as-written":
                        n = changed_words(text, out)
                        changes[op, alpha].counts.append(n)
                        changes[op, alpha].shares.append(n / max(1, len(tokens(text))))
    return tallies, changes


def capitals_table(tallies: dict[tuple[str, str], Tally]) -> list[str]:
    lines = [f"{'corpus':<12} {'operation':<20} {'outputs':>8} {'n/a':>6} "
             f"{'new_capitals':>12} {'share':>7}"]
    for (corpus, op), t in tallies.items():
        share = t.defects / t.outputs if t.outputs else 0.0
        lines.append(f"{corpus:<12} {op:<20} {t.outputs:>8} {t.not_applicable:>6} "
                     f"{t.defects:>12} {share:>7.2%}")
    return lines


def changes_table(changes: dict[tuple[str, float], Changes]) -> list[str]:
    head = " ".join(f"{b:>6}" for b in BUCKETS)
    lines = [f"{'operation':<20} {'alpha':>5} {'mean':>6} {'share':>6} {head}"]
    for (op, alpha), c in changes.items():
        n = len(c.counts) or 1
        spread = Counter(map(bucket, c.counts))
        cells = " ".join(f"{spread[b] / n:>6.1%}" for b in BUCKETS)
        lines.append(f"{op:<20} {alpha:>5g} {sum(c.counts) / n:>6.2f} "
                     f"{sum(c.shares) / n:>6.3f} {cells}")
    return lines


def example_lines(tallies: dict[tuple[str, str], Tally]) -> list[str]:
    lines = []
    for (corpus, op), t in tallies.items():
        for text, out, found in t.examples:
            lines.append(f"  {corpus} {op}: {shorten(text)!r} -> {shorten(out)!r} "
                         f"(new: {', '.join(found)})")
    return lines or ["  none"]


def shorten(text: str, most: int = 110) -> str:
    return text if len(text) <= most else text[:most - 3] + "..."


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_arguments(parser)
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--n-aug", type=int, default=None,
                        help="augmentations per text, operation and alpha (default: the "
                             "paper's n_aug for a training set of this size)")
    parser.add_argument("--alphas", type=float, nargs="+", default=list(ALPHAS))
    parser.add_argument("--examples", type=int, default=3,
                        help="examples of new capitals per corpus and operation")
    args = parser.parse_args(argv)
    settle(args, rows=20, n_aug=2)
    if args.quick:
        args.alphas = args.alphas[:2]

    texts = load_texts(args.data)[: args.rows]
    n_aug = args.n_aug or eda_defaults(len(texts))[1]
    corpora = {"as-written": texts, "lower-cased": [t.lower() for t in texts]}
    n_words = sum(len(tokens(t)) for t in texts)
    print(f"data: {args.data} ({len(texts)} texts, {n_words} words); {n_aug} augmentations "
          f"per text, operation and alpha; alphas {' '.join(f'{a:g}' for a in args.alphas)}")
    print("corpora: as-written (the texts as they are) and lower-cased (the same texts in "
          "lower case, as the EDA paper's corpora are: no lower-case corpus is bundled)")
    tallies, changes = measure(corpora, args.alphas, n_aug, args.examples)
    print()
    print("outputs with a capital the text did not have (all alphas; target 0):")
    print("\n".join(capitals_table(tallies)))
    print()
    print("words changed per output against alpha (as-written corpus, words compared in "
          "lower case; share: of the text's words; then % of outputs by words changed):")
    print("\n".join(changes_table(changes)))
    print()
    print("examples of new capitals:")
    print("\n".join(example_lines(tallies)))


if __name__ == "__main__":
    sys.exit(main())
