"""The benchmarks' data loader (benchmarks/texts.py) reads the tables users point it at."""

from pathlib import Path

import pytest

from tests.conftest import load_script

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "texts.py"


def test_a_table_with_title_and_description_reads_as_projects_json_does(tmp_path):
    texts = load_script(SCRIPT)
    path = tmp_path / "dataset.csv"
    path.write_text('id,title,description,tag\n1,GANs,"Make art, fast.",cv\n2,BERT,,nlp\n')
    assert texts.load_texts(path) == ["GANs Make art, fast.", "BERT "]
    assert texts.load_projects(path) == (["GANs Make art, fast.", "BERT "], [["cv"], ["nlp"]])


def test_a_text_column_comes_first_and_tags_are_json_lists(tmp_path):
    texts = load_script(SCRIPT)
    path = tmp_path / "texts.jsonl"
    path.write_text('{"text": "a b", "title": "x", "description": "y", "tags": ["cv", "nlp"]}\n')
    assert texts.load_projects(path) == (["a b"], [["cv", "nlp"]])


def test_a_table_without_texts_is_refused_in_one_line(tmp_path):
    texts = load_script(SCRIPT)
    path = tmp_path / "tags.csv"
    path.write_text("tag\ncv\n")
    with pytest.raises(SystemExit, match=r"no 'text' column \(columns: \['tag'\]\); give a file"):
        texts.load_texts(path)
