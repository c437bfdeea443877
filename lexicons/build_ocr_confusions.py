"""Build lexicons/ocr_confusions.json from well-known OCR confusion pairs (hand-written)."""
import json
import sys

# (a, b): OCR reads a as b and b as a
PAIRS = [
    # digits and letters of similar shape
    ("0", "O"), ("0", "o"), ("0", "D"), ("O", "D"), ("O", "Q"),
    ("1", "l"), ("1", "I"), ("l", "I"), ("i", "l"),
    ("2", "Z"), ("2", "z"), ("5", "S"), ("5", "s"), ("6", "b"), ("6", "G"),
    ("8", "B"), ("9", "g"), ("9", "q"), ("4", "A"), ("7", "T"),
    # letters of similar shape
    ("c", "e"), ("g", "q"), ("h", "b"), ("h", "n"), ("f", "t"), ("u", "v"),
    ("C", "G"), ("E", "F"), ("U", "V"),
    # merged and split glyphs
    ("rn", "m"), ("in", "m"), ("nn", "m"), ("cl", "d"), ("vv", "w"), ("VV", "W"),
    ("li", "h"), ("ri", "n"), ("ii", "u"), ("lc", "k"),
]


def confusions() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for a, b in PAIRS:
        out.setdefault(a, []).append(b)
        out.setdefault(b, []).append(a)
    return {k: sorted(set(v)) for k, v in sorted(out.items())}


if __name__ == "__main__":
    lines = [f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in confusions().items()]
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        f.write('{\n "source": "well-known OCR confusion pairs, written by hand for textaug '
                '(see lexicons/SOURCE.md)",\n "confusions": {\n')
        f.write(",\n".join(lines) + "\n }\n}\n")
