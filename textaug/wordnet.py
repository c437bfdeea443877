"""WordNet through nltk: install it once, then cached synonym, antonym and POS look-ups.

Nothing is downloaded at import or inside a look-up: ``python -m textaug.wordnet install``
makes WordNet available (nltk's copy if found, else Debian's ``wordnet-base`` files copied
into ``<sys.prefix>/share/nltk_data``, else ``nltk.download``). Look-ups go through WordNet's
morphology, so inflected forms find their lemmas; results are cached per ``(word, pos)``.

Examples
--------
>>> synonyms("car")[:3]
('auto', 'automobile', 'machine')
>>> synonyms("dogs", pos="n")[:2]
('domestic dog', 'canis familiaris')
>>> likely_pos("quickly"), likely_pos("qwzx")
('r', None)
>>> "bad" in antonyms("good")
True
"""

from __future__ import annotations

import importlib
import os
import random
import shutil
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator, Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from textaug.errors import (
    MissingDependencyError,
    ResourceNotFoundError,
    TextaugError,
    check_param,
)

INSTALL_HINT = (
    "WordNet data not found. Run `python -m textaug.wordnet install` (it uses nltk's "
    "downloader, or Debian's wordnet-base package where that is unreachable)."
)
DEBIAN_DIR = Path("/usr/share/wordnet")
DEBIAN_PACKAGES = ("wordnet-base", "wordnet-sense-index")
POS_TAGS = ("n", "v", "a", "r")
_COPIED = ("data.*", "index.*", "*.exc", "cntlist*")
# The lexicographer files of lexnames(5WN), numbered in order; the last field is the POS number.
_LEXNAMES = (
    "adj.all 3", "adj.pert 3", "adv.all 4", "noun.Tops 1", "noun.act 1", "noun.animal 1",
    "noun.artifact 1", "noun.attribute 1", "noun.body 1", "noun.cognition 1",
    "noun.communication 1", "noun.event 1", "noun.feeling 1", "noun.food 1", "noun.group 1",
    "noun.location 1", "noun.motive 1", "noun.object 1", "noun.person 1", "noun.phenomenon 1",
    "noun.plant 1", "noun.possession 1", "noun.process 1", "noun.quantity 1",
    "noun.relation 1", "noun.shape 1", "noun.state 1", "noun.substance 1", "noun.time 1",
    "verb.body 2", "verb.change 2", "verb.cognition 2", "verb.communication 2",
    "verb.competition 2", "verb.consumption 2", "verb.contact 2", "verb.creation 2",
    "verb.emotion 2", "verb.motion 2", "verb.perception 2", "verb.possession 2",
    "verb.social 2", "verb.stative 2", "verb.weather 2", "adj.ppl 3",
)
_CACHE_SIZE = 1 << 16


# ---------------------------------------------------------------- reading


@cache
def load() -> Any:
    """The nltk WordNet reader, loaded once; never downloads.

    >>> load().synsets("dog")[0].name()
    'dog.n.01'
    """
    wordnet = _import("nltk.corpus").wordnet
    try:
        wordnet.ensure_loaded()
    except LookupError:
        raise ResourceNotFoundError(INSTALL_HINT) from None
    return wordnet


def _import(module: str) -> Any:
    """Import an nltk module, or say how to install nltk.

    Importing nltk draws from the global ``random`` generator (it builds a seeded
    ``random.Random`` at import); the caller's global state is put back as it was.
    """
    state = random.getstate()
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError("WordNet needs nltk. Run `pip install nltk`.") from None
    finally:
        random.setstate(state)


def _key(word: str) -> str:
    """WordNet's spelling of a word or phrase: lowercase, underscores for spaces."""
    return "_".join(word.lower().split())


def _plain(name: str) -> str:
    """A lemma name as text: lowercase, spaces for underscores."""
    return name.replace("_", " ").lower()


def _squash(text: str) -> str:
    """The text compared modulo case, spaces, underscores and hyphens ("E-mail": "email")."""
    return "".join(text.lower().replace("-", " ").replace("_", " ").split())


def _forms(key: str, wn: Any) -> set[str]:
    """The word and its base forms by WordNet's morphology ("dogs": dogs, dog)."""
    return {key} | {base for base in (wn.morphy(key, p) for p in POS_TAGS) if base}


def _own_lemmas(word: str, wn: Any) -> Iterator[tuple[Any, Any]]:
    """``(synset, lemma)`` for each synset of ``word`` and the lemma ``word`` names in it."""
    key = _key(word)
    forms = _forms(key, wn)
    for synset in wn.synsets(key):
        for lemma in synset.lemmas():
            if lemma.name().lower() in forms:
                yield synset, lemma


def _check_pos(pos: str | None, owner: str) -> str | None:
    check_param(pos is None or pos in ("n", "v", "a", "r", "s"), owner, "pos",
                "one of 'n', 'v', 'a', 'r' (or 's', read as 'a') or None", pos)
    return "a" if pos == "s" else pos


@lru_cache(maxsize=_CACHE_SIZE)
def synonyms(word: str, pos: str | None = None) -> tuple[str, ...]:
    """Lemma names of the synsets of ``word`` (of part of speech ``pos`` if given).

    Lowercase, spaces for underscores, de-duplicated in WordNet's order, without the word
    itself or its base forms ("dogs" gives no "dog"). Lemmas are base forms.

    >>> synonyms("quick", pos="a")[:3]
    ('speedy', 'flying', 'fast')
    """
    return synonyms_in(load(), word, _check_pos(pos, "synonyms"))


def synonyms_in(wn: Any, word: str, pos: str | None) -> tuple[str, ...]:
    """:func:`synonyms` read from the WordNet reader ``wn`` (nltk's, or any object with
    its ``morphy(form, pos)`` and ``synsets(lemma, pos)``), ``pos`` already checked."""
    key = _key(word)
    own = {_squash(form) for form in _forms(key, wn)}
    out: dict[str, None] = {}
    for synset in wn.synsets(key, pos):
        for name in synset.lemma_names():
            if _squash(name) not in own:
                out.setdefault(_plain(name))
    return tuple(out)


@lru_cache(maxsize=_CACHE_SIZE)
def likely_pos(word: str) -> str | None:
    """The word's most likely part of speech ("n", "v", "a" or "r") by WordNet's sense counts.

    Ties (and words without counts) go to the part of speech with most synsets, then to
    WordNet's order n, v, a, r. None for a word not in WordNet.

    >>> likely_pos("dog"), likely_pos("ran")
    ('n', 'v')
    """
    return likely_pos_in(load(), word)


def likely_pos_in(wn: Any, word: str) -> str | None:
    """:func:`likely_pos` read from the WordNet reader ``wn`` (see :func:`synonyms_in`)."""
    counts: dict[str, int] = defaultdict(int)
    n_synsets: dict[str, set[str]] = defaultdict(set)
    for synset, lemma in _own_lemmas(word, wn):
        pos = "a" if synset.pos() == "s" else synset.pos()
        counts[pos] += lemma.count()
        n_synsets[pos].add(synset.name())
    if not n_synsets:
        return None
    return max(POS_TAGS, key=lambda p: (counts[p], len(n_synsets[p]), -POS_TAGS.index(p)))


@lru_cache(maxsize=_CACHE_SIZE)
def antonyms(word: str) -> frozenset[str]:
    """Direct antonyms of the word's lemmas (lowercase, spaces for underscores).

    >>> sorted(antonyms("good"))
    ['bad', 'evil']
    """
    return frozenset(
        _plain(ant.name()) for _, lemma in _own_lemmas(word, load()) for ant in lemma.antonyms()
    )


# ---------------------------------------------------------------- installing


def default_target() -> Path:
    """Where :func:`install` puts WordNet: inside the environment, where nltk looks."""
    return Path(sys.prefix) / "share" / "nltk_data" / "corpora" / "wordnet"


def install(target: str | Path | None = None, *, use_apt: bool = True) -> Path:
    """Make WordNet available to nltk and return where it is (a folder, or nltk's zip).

    Without ``target``, a WordNet nltk already finds is kept. Otherwise WordNet goes into
    ``target`` (default :func:`default_target`), which must end in ``corpora/wordnet``:
    Debian's files copied from ``/usr/share/wordnet``, after ``apt-get install`` of
    ``wordnet-base wordnet-sense-index`` when they are missing (``use_apt``, as root), else
    ``nltk.download("wordnet")``. The result is loaded once before it is returned.
    """
    _import("nltk.data")
    if target is None:
        found = _loadable_default()
        if found is not None:
            return found
    folder = default_target() if target is None else Path(target).expanduser().absolute()
    check_param(folder.parts[-2:] == ("corpora", "wordnet"), "install", "target",
                "a folder ending in corpora/wordnet, as nltk looks for it", str(target))
    tried = []
    if not _has_debian_files() and use_apt and _can_apt():
        tried.append(f"apt-get install {' '.join(DEBIAN_PACKAGES)}")
        _apt_install()
    if _has_debian_files():
        tried.append(f"copying {DEBIAN_DIR}")
        _copy_debian(folder)
    else:
        tried.append("nltk.download('wordnet')")
        _nltk_download(folder.parent.parent)
    return _verified(folder.parent.parent, tried)


def _loadable_default() -> Path | None:
    """Where nltk's own look-up finds a WordNet that loads, else None."""
    try:
        wn = load()
    except ResourceNotFoundError:
        return None
    return _pointer_path(wn.root)


def _pointer_path(pointer: Any) -> Path:
    zipfile = getattr(pointer, "zipfile", None)
    return Path(zipfile.filename if zipfile is not None else pointer.path)


def _has_debian_files() -> bool:
    return all((DEBIAN_DIR / name).is_file() for name in ("data.noun", "index.sense"))


def _can_apt() -> bool:
    return shutil.which("apt-get") is not None and getattr(os, "geteuid", lambda: -1)() == 0


def _apt_install() -> None:
    """``apt-get install`` the Debian packages; on failure update the lists and retry once."""
    command = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *DEBIAN_PACKAGES]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if _run(command, env) != 0:
        _run(["apt-get", "update", "-qq"], env)
        _run(command, env)


def _run(command: Sequence[str], env: dict[str, str]) -> int:
    return subprocess.run(command, env=env, capture_output=True, check=False).returncode


def _copy_debian(folder: Path) -> None:
    """Copy Debian's WordNet files into ``folder`` and write the ``lexnames`` nltk needs."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {src.name: src for pattern in _COPIED for src in DEBIAN_DIR.glob(pattern)}
    license_file = Path("/usr/share/doc/wordnet-base/copyright")
    if license_file.is_file():
        files["LICENSE"] = license_file
    for name, src in sorted(files.items()):
        _replace(folder / name, src.read_bytes())
    lines = (f"{i:02d}\t{name}\t{pos}\n" for i, (name, pos) in enumerate(map(str.split, _LEXNAMES)))
    _replace(folder / "lexnames", "".join(lines).encode())


def _replace(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all, so a concurrent reader never sees half a file."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    partial.write_bytes(data)
    os.replace(partial, path)


def _nltk_download(root: Path) -> None:
    import nltk

    nltk.download("wordnet", download_dir=str(root), quiet=True)


def _verified(root: Path, tried: list[str]) -> Path:
    """Load the WordNet under the nltk_data folder ``root``; its path, or the install error."""
    import nltk.data
    from nltk.corpus.reader import CorpusReader, WordNetCorpusReader
    from nltk.corpus.util import LazyCorpusLoader

    saved = list(nltk.data.path)
    nltk.data.path[:0] = [str(root)]  # nltk re-finds "wordnet" by name while loading
    try:
        pointer = nltk.data.find("corpora/wordnet", paths=[str(root)])
        omw = LazyCorpusLoader("omw-2.0", CorpusReader, r".*/wn-data-.*\.tab", encoding="utf8")
        reader = WordNetCorpusReader(pointer, omw)
        loads = bool(reader.synsets("dog"))
        for stream in reader._data_file_map.values():  # or ResourceWarnings when collected
            stream.close()
        if loads:
            return _pointer_path(pointer)
    except (LookupError, OSError, ValueError, AssertionError):
        pass
    finally:
        nltk.data.path[:] = saved
    raise ResourceNotFoundError(
        f"Could not install WordNet into {root}; tried: {', '.join(tried)}. Fix: as root, "
        f"`apt-get install {' '.join(DEBIAN_PACKAGES)}`, or where the internet is reachable "
        "`python -c \"import nltk; nltk.download('wordnet')\"`; then run "
        "`python -m textaug.wordnet install` again."
    )


# ---------------------------------------------------------------- command line


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m textaug.wordnet install [--target DIR]`` or ``... check``.

    ``install`` also builds EDA's synonym table (:mod:`textaug.synonym_table`) for the
    WordNet it installed, unless a current one is there already.
    """
    import argparse  # here: EDA's first look-up imports this module

    parser = argparse.ArgumentParser(prog="python -m textaug.wordnet",
                                     description="Install or check WordNet for nltk.")
    commands = parser.add_subparsers(dest="command", required=True)
    setup = commands.add_parser("install", help="make WordNet available to nltk")
    setup.add_argument("--target", help="a folder ending in corpora/wordnet "
                       "(default: <sys.prefix>/share/nltk_data/corpora/wordnet)")
    setup.add_argument("--no-apt", action="store_true", help="never run apt-get")
    commands.add_parser("check", help="exit 0 if WordNet loads, else 1")
    args = parser.parse_args(argv)
    try:
        if args.command == "install":
            source = install(args.target, use_apt=not args.no_apt)
            print(f"WordNet ready at {source}")
            print(_install_table(source))
        else:
            print(f"WordNet loads from {_pointer_path(load().root)}")
    except TextaugError as err:
        print(err, file=sys.stderr)
        return 1
    return 0


def _install_table(source: Path) -> str:
    """Build EDA's synonym table for this WordNet unless a current one exists; what happened."""
    from textaug import synonym_table

    path, seconds = synonym_table.install(source)
    if seconds is None:
        return f"Synonym table for EDA up to date at {path}"
    return f"Synonym table for EDA built at {path} in {seconds:.1f} s"


if __name__ == "__main__":
    sys.exit(main())
