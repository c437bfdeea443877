"""Build lexicons/misspellings_en.json from codespell's dictionary.txt (CC BY-SA 3.0).

usage: python lexicons/build_misspellings_en.py DICTIONARY_TXT WORDS WORDS_LARGE OUT.json

DICTIONARY_TXT is codespell_lib/data/dictionary.txt; WORDS and WORDS_LARGE are
/usr/share/dict/american-english and american-english-large (Debian wamerican and
wamerican-large, SCOWL). Needs wordfreq, only to rank words by frequency; none of
its data and none of the word lists are written out.
"""
import json
import re
import sys

from wordfreq import zipf_frequency

N_WORDS = 5000        # corrections kept, most frequent English words first
MAX_PER_WORD = 4      # misspellings kept per correction
MAX_TYPO_ZIPF = 3.5   # a "typo" this frequent is a spelling variant or slang: dropped
ALPHA = re.compile(r"[a-z]+")


def distance(a: str, b: str) -> int:
    """Optimal string alignment distance (Damerau-Levenshtein with adjacent swaps)."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


def read_words(path: str) -> set[str]:
    return {line.strip() for line in open(path, encoding="utf-8")}


def main(source: str, words_path: str, large_path: str, out: str) -> None:
    words = read_words(words_path)  # a correction must be a lowercase English word
    known = {w.lower() for w in read_words(large_path) | words}  # a typo must be no word
    inverted: dict[str, list[str]] = {}
    with open(source, encoding="utf-8") as lines:
        pairs = [line.strip().partition("->") for line in lines]
    for typo, _, rest in pairs:
        fixes = [f.strip() for f in rest.split(",") if f.strip()]
        if len(fixes) != 1:  # ambiguous corrections (and "typo->fix, reason" lines)
            continue
        fix = fixes[0]
        if not (ALPHA.fullmatch(typo) and ALPHA.fullmatch(fix)) or typo == fix or len(fix) < 3:
            continue
        if fix not in words or typo in known or distance(typo, fix) > 2:
            continue
        if zipf_frequency(typo, "en") >= MAX_TYPO_ZIPF:
            continue
        inverted.setdefault(fix, []).append(typo)
    ranked = sorted(inverted, key=lambda w: (-zipf_frequency(w, "en"), w))[:N_WORDS]
    data = {}
    for word in sorted(ranked):
        typos = sorted(set(inverted[word]), key=lambda t: (-zipf_frequency(t, "en"), t))
        data[word] = typos[:MAX_PER_WORD]
    header = {
        "source": "codespell 2.4.3, codespell_lib/data/dictionary.txt, derived from English "
                  "Wikipedia's Lists of common misspellings; filtered and inverted for textaug "
                  "(see lexicons/SOURCE.md)",
        "licence": "CC BY-SA 3.0 (https://creativecommons.org/licenses/by-sa/3.0/)",
    }
    lines = [f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in data.items()]
    with open(out, "w", encoding="utf-8") as f:
        f.write("{\n" + "".join(f" {json.dumps(k)}: {json.dumps(v)},\n" for k, v in header.items()))
        f.write(' "misspellings": {\n' + ",\n".join(lines) + "\n }\n}\n")
    print(f"{len(data)} words, {sum(map(len, data.values()))} misspellings -> {out}")


if __name__ == "__main__":
    main(*sys.argv[1:])
