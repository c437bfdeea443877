"""Build lexicons/keyboard_qwerty.json from the US QWERTY (ANSI) key geometry."""
import json
import sys

# each row: its keys left to right and the x of the first key's left edge, in key widths
# (row 1 starts after a 1-wide backtick key, Tab is 1.5 wide, Caps Lock 1.75, Shift 2.25)
ROWS = [("1234567890", 1.0), ("qwertyuiop", 1.5), ("asdfghjkl", 1.75), ("zxcvbnm", 2.25)]


def centres() -> dict[str, tuple[int, float]]:
    return {key: (row, left + i + 0.5)
            for row, (keys, left) in enumerate(ROWS) for i, key in enumerate(keys)}


def neighbours() -> dict[str, list[str]]:
    """Keys next to each other in a row, or in adjacent rows with centres < 1 key apart."""
    pos = centres()
    out: dict[str, list[str]] = {}
    for key, (row, x) in pos.items():
        near = [(r, cx, k) for k, (r, cx) in pos.items() if k != key and (
            (r == row and abs(cx - x) == 1) or (abs(r - row) == 1 and abs(cx - x) < 1))]
        out[key] = [k for _, _, k in sorted(near)]
    return out


if __name__ == "__main__":
    lines = [f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in sorted(neighbours().items())]
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        f.write('{\n "layout": "US QWERTY (ANSI): letters and digits, built from the key '
                'geometry (see lexicons/SOURCE.md)",\n "neighbours": {\n')
        f.write(",\n".join(lines) + "\n }\n}\n")
