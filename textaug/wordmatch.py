"""Whole-word, case-insensitive matching of many phrases with one compiled regex.

The phrases become a trie-shaped pattern, so at each position the regex engine
follows one branch instead of trying every phrase, and the longest phrase wins.
Entries are escaped (``c++``, ``c#``, ``.net``, ``u.s.``, ``at&t`` match literally);
a space in an entry matches any run of spaces or dashes, so "computer vision" also
finds "computer-vision". A match never starts or ends inside a word: "gan" is not
found in "gandalf", "c" not in "c++", "net" not in ".net", "node" not in "node.js";
possessives ("BERT's") and hyphenated compounds ("GAN-based") still match.

Examples
--------
>>> pattern = compile_phrases(["gan", "gans", "c++", "computer vision"])
>>> [m.group() for m in pattern.finditer("GANs, C++ and computer-vision; not gandalf or c++x")]
['GANs', 'C++', 'computer-vision']
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Linear on any text: a match starts only at a word start (_LEFT) and follows one trie branch,
# so it reads at most the longest phrase, plus separator runs, each taken whole (possessive:
# no phrase letter is a space or dash, so giving part of a run back could never help).
_SEP = r"[\s\-]++"
_LEFT = r"(?<![\w.+#&@])"
_RIGHT = r"(?![\w+#&@])(?!\.\w)"
_SPACES = re.compile(r"[\s\-]+")


def normalize_phrase(phrase: str) -> str:
    """Lowercase, dashes read as spaces, whitespace collapsed.

    >>> normalize_phrase("  Natural-Language   Processing ")
    'natural language processing'
    """
    return _SPACES.sub(" ", phrase.lower()).strip()


def _trie_regex(node: dict[str, dict]) -> str:
    ends = "" in node
    branches = [
        (_SEP if ch == " " else re.escape(ch)) + _trie_regex(child)
        for ch, child in sorted(node.items()) if ch
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 and not ends else "(?:" + "|".join(branches) + ")"
    return body + ("?" if ends else "")


def compile_phrases(phrases: Iterable[str]) -> re.Pattern[str]:
    """One regex matching any of ``phrases`` as whole words, longest first."""
    return re.compile(phrase_regex(phrases), re.IGNORECASE)


def phrase_regex(phrases: Iterable[str]) -> str:
    """The source of :func:`compile_phrases`' pattern; compiled without IGNORECASE it
    matches text in lower case (the phrases are normalised to lower case).

    >>> re.compile(phrase_regex(["gan"])).findall("a gan, not a GAN")
    ['gan']
    """
    trie: dict[str, dict] = {}
    for phrase in {normalize_phrase(p) for p in phrases}:
        if not phrase:
            continue
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}
    if not trie:
        return r"(?!x)x"  # matches nothing
    return _LEFT + _trie_regex(trie) + _RIGHT


_JOINERS = "-/+_"


def _joined_word(text: str, start: int, step: int) -> str:
    """The letters and digits from ``start`` in direction ``step`` (+1 or -1)."""
    end = start
    while 0 <= end < len(text) and text[end].isalnum():
        end += step
    return text[start:end] if step > 0 else text[end + 1:start + 1]


def joined_to_name(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is joined by "-", "/", "+" or "_" to a name, so part of it.

    A name is a word with a capital or a digit ("R-CNN", "GAN-BERT", "Drifter-ML", "GP-GAN")
    or a path ("huggingface/nlp", "nlp_utils": "/" and "_" always join a path or an
    identifier). Joined to a plain lower-case word ("GAN-based", "NLP-powered") a phrase
    stands alone. Reads only the joined word on each side.

    >>> joined_to_name("Faster R-CNN", 9, 12), joined_to_name("GAN-BERT", 0, 3)
    (True, True)
    >>> joined_to_name("GAN-based models", 0, 3), joined_to_name("see huggingface/nlp", 16, 19)
    (False, True)
    """
    for joiner, word in ((text[start - 1:start] if start > 0 else "",
                          _joined_word(text, start - 2, -1)),
                         (text[end:end + 1], _joined_word(text, end + 1, +1))):
        if not joiner or joiner not in _JOINERS or not word:
            continue
        if joiner in "/_" or any(ch.isupper() or ch.isdigit() for ch in word):
            return True
    return False
