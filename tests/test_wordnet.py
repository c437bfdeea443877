"""WordNet access: look-ups on the installed WordNet, install paths, and a missing WordNet.

The suite's set-up (``python -m textaug.wordnet install``) has put WordNet into the
virtualenv. Runs that must not see it (or nltk) happen in subprocesses.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nltk.data
import pytest

from textaug import wordnet
from textaug.errors import InvalidParameterError, ResourceNotFoundError
from textaug.wordnet import antonyms, install, likely_pos, load, synonyms

HAS_DEBIAN_FILES = (wordnet.DEBIAN_DIR / "data.noun").is_file()


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, **env}, check=False)


def test_import_does_not_import_nltk():
    result = run_python("import sys, textaug.wordnet; print('nltk' in sys.modules)")
    assert (result.stdout, result.stderr) == ("False\n", "")


def test_first_wordnet_use_leaves_global_random_state_alone():
    # nltk's import draws from the global random generator; a fresh process sees it
    code = ("import random; from textaug import wordnet; random.seed(5)\n"
            "state = random.getstate(); wordnet.synonyms('car')\n"
            "print(random.getstate() == state)")
    result = run_python(code)
    assert (result.stdout, result.stderr) == ("True\n", "")


def test_synonyms_are_wordnet_lemmas_as_text():
    assert "automobile" in synonyms("car")
    assert "railway car" in synonyms("car")  # multi-word lemmas read with spaces
    assert "speedy" in synonyms("quick")
    for word in ["car", "quick", "run", "good", "dog", "e-mail", "light"]:
        found = synonyms(word)
        assert found and word not in found
        assert all(s == s.lower() and "_" not in s for s in found)
        assert len(set(found)) == len(found)


def test_synonyms_drop_the_word_modulo_case_hyphens_and_inflection():
    assert synonyms("e-mail") == ("electronic mail", "netmail")  # no "email"
    assert "e-mail" not in synonyms("email")
    assert synonyms("Dogs") == synonyms("dogs") == synonyms("dog")  # morphy: dogs -> dog
    assert "dog" not in synonyms("dogs")
    assert synonyms("ice cream") == synonyms("ice_cream") == ()  # its synset has one lemma


def test_synonyms_by_part_of_speech():
    assert "chase" in synonyms("dog", pos="v")
    assert "domestic dog" not in synonyms("dog", pos="v")
    assert "chase" not in synonyms("dog", pos="n")
    assert synonyms("quick", pos="s") == synonyms("quick", pos="a")  # satellites are adjectives
    assert "speedy" in synonyms("quick", pos="a")
    assert synonyms("quick", pos="r") == ("promptly", "quickly")
    with pytest.raises(InvalidParameterError, match="'pos' parameter of synonyms"):
        synonyms("dog", pos="noun")


def test_likely_pos_from_sense_counts():
    assert likely_pos("dog") == "n"
    assert likely_pos("quickly") == "r"
    assert likely_pos("run") == "v"  # WordNet 3.0 counts: verb 268, noun 29
    assert likely_pos("ran") == "v"  # found through morphy
    assert likely_pos("quick") == "a"
    # No counts at all: the part of speech with most synsets (a: 2), not WordNet's order (v: 1).
    assert likely_pos("bulletproof") == "a"


def test_unknown_words():
    assert synonyms("qwzxv") == ()
    assert likely_pos("qwzxv") is None
    assert antonyms("qwzxv") == frozenset()


def test_antonyms():
    assert "bad" in antonyms("good")
    assert antonyms("quickly") == {"slowly"}
    assert antonyms("happy") == {"unhappy"}
    assert isinstance(antonyms("good"), frozenset)


def test_lookups_are_cached():
    first = synonyms("automobile")
    hits = synonyms.cache_info().hits
    assert synonyms("automobile") is first
    assert synonyms.cache_info().hits == hits + 1
    assert load() is load()


def test_install_keeps_a_wordnet_nltk_already_finds(monkeypatch):
    def fail(*args: object) -> None:
        raise AssertionError("nothing should be installed")

    monkeypatch.setattr(wordnet, "_copy_debian", fail)
    monkeypatch.setattr(wordnet, "_nltk_download", fail)
    assert install() == Path(load().root.path)
    assert wordnet.default_target().parents[1] in map(Path, nltk.data.path)


def test_install_command_also_builds_or_keeps_the_synonym_table(capsys):
    from textaug import synonym_table

    table = synonym_table.ensure()  # current after the suite's set-up (or rebuilt here)
    assert wordnet.main(["install"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"WordNet ready at {load().root.path}", f"Synonym table for EDA up to date at {table}"]


@pytest.mark.skipif(not HAS_DEBIAN_FILES, reason="needs Debian's wordnet-base files")
def test_install_copies_debian_files_that_nltk_loads(tmp_path):
    target = tmp_path / "nltk_data" / "corpora" / "wordnet"
    path_before = list(nltk.data.path)
    assert install(target, use_apt=False) == target
    assert nltk.data.path == path_before
    lexnames = (target / "lexnames").read_text().splitlines()
    assert (len(lexnames), lexnames[0], lexnames[-1]) == (45, "00\tadj.all\t3", "44\tadj.ppl\t3")
    assert {"data.noun", "index.sense", "verb.exc", "cntlist.rev"} <= {
        p.name for p in target.iterdir()}
    # nltk's own loader reads the copy; ``check`` says where from.
    result = subprocess.run([sys.executable, "-m", "textaug.wordnet", "check"],
                            capture_output=True, text=True, check=False,
                            env={**os.environ, "NLTK_DATA": str(tmp_path / "nltk_data")})
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == f"WordNet loads from {target}\n"


def test_install_tries_apt_then_nltk_and_says_how_to_fix(tmp_path, monkeypatch):
    commands: list[list[str]] = []
    monkeypatch.setattr(wordnet, "DEBIAN_DIR", tmp_path / "none")
    monkeypatch.setattr(wordnet, "_can_apt", lambda: True)
    monkeypatch.setattr(wordnet, "_run", lambda cmd, env: commands.append(cmd) or 100)
    monkeypatch.setattr(wordnet, "_nltk_download", lambda root: commands.append([str(root)]))
    with pytest.raises(ResourceNotFoundError) as err:
        install(tmp_path / "corpora" / "wordnet")
    assert [c[:2] for c in commands] == [["apt-get", "install"], ["apt-get", "update"],
                                         ["apt-get", "install"], [str(tmp_path)]]
    assert "wordnet-base" in commands[0] and "--no-install-recommends" in commands[0]
    message = str(err.value)
    assert "apt-get install wordnet-base" in message and "nltk.download" in message
    assert "python -m textaug.wordnet install" in message


def test_install_without_apt_goes_straight_to_nltk(tmp_path, monkeypatch):
    roots: list[Path] = []
    monkeypatch.setattr(wordnet, "DEBIAN_DIR", tmp_path / "none")
    monkeypatch.setattr(wordnet, "_run", lambda cmd, env: pytest.fail("apt-get was run"))
    monkeypatch.setattr(wordnet, "_nltk_download", roots.append)
    with pytest.raises(ResourceNotFoundError, match="tried: nltk.download"):
        install(tmp_path / "corpora" / "wordnet", use_apt=False)
    assert roots == [tmp_path]


def test_install_target_must_be_where_nltk_looks(tmp_path):
    with pytest.raises(InvalidParameterError, match="ending in corpora/wordnet"):
        install(tmp_path / "wn")


MISSING = """
import nltk.data, sys
nltk.data.path[:] = [sys.argv[1]]
from textaug.errors import ResourceNotFoundError
from textaug.wordnet import load, main
try:
    load()
except ResourceNotFoundError as err:
    print(err)
sys.exit(10 + main(["check"]))
"""


def test_missing_wordnet_names_the_install_command(tmp_path):
    result = subprocess.run([sys.executable, "-c", MISSING, str(tmp_path)],
                            capture_output=True, text=True, check=False)
    assert result.stdout == wordnet.INSTALL_HINT + "\n"
    assert "Run `python -m textaug.wordnet install`" in result.stdout
    assert (result.returncode, result.stderr) == (11, wordnet.INSTALL_HINT + "\n")


def test_missing_nltk_names_pip_install():
    result = run_python(
        "import sys; sys.modules['nltk'] = None\n"
        "from textaug.errors import MissingDependencyError\n"
        "from textaug.wordnet import load, main\n"
        "try:\n    load()\nexcept MissingDependencyError as err:\n    print(err)\n"
        "sys.exit(main(['install']))\n"
    )
    assert result.stdout == "WordNet needs nltk. Run `pip install nltk`.\n"
    assert (result.returncode, result.stderr) == (1, result.stdout)
