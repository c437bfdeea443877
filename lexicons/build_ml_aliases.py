"""Build lexicons/ml_aliases.json from Made With ML's tags.json.

Usage: python lexicons/build_ml_aliases.py ../shared/data/madewithml/tags.json

Keeps every tag that has aliases, plus the tags above them (for label-aware gating),
and the few phrases that must never be inflected.
"""

import json
import sys
from pathlib import Path

INVARIANT = ["kubernetes", "k8s", "aws", "amazon web services", "weights and biases", "wandb",
             "node js", "tensorflow js", "tf js", "js", "recsys", "pos"]


def build(tags: list[dict]) -> dict:
    by_tag = {t["tag"]: t for t in tags}
    keep = {t["tag"] for t in tags if t["aliases"]}
    stack = list(keep)
    while stack:
        for parent in by_tag.get(stack.pop(), {}).get("parents", []):
            if parent not in keep:
                keep.add(parent)
                stack.append(parent)
    entries = {
        tag: {"aliases": by_tag[tag]["aliases"], "parents": by_tag[tag]["parents"]}
        for tag in sorted(keep) if tag in by_tag
    }
    return {
        "name": "ml_aliases",
        "source": "Made With ML datasets/tags.json (GokuMohandas/Made-With-ML, commit 07389b7), "
                  "MIT License, Copyright (c) 2020 Made With ML. See lexicons/SOURCE.md.",
        "tags": entries,
        "invariant": INVARIANT,
    }


if __name__ == "__main__":
    source = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/madewithml/tags.json")
    out = Path(__file__).with_name("ml_aliases.json")
    out.write_text(json.dumps(build(json.loads(source.read_text())), indent=1) + "\n")
    print(f"wrote {out}")
