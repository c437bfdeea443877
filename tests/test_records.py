import pickle

import pytest

from textaug.records import Record, as_labels


def test_text_and_label_follow_configured_columns():
    x = Record({"title": "hi", "text": "other", "y": "pos"}, text="title", label="y")
    assert x.text == "hi" and x.label == "pos" and x.labels == ("pos",)
    assert x["text"] == "other"
    y = x.replace(text="bye", label="neg")
    assert (y["title"], y["y"], y["text"]) == ("bye", "neg", "other")
    assert y.changes == {"title": "bye", "y": "neg"}


def test_records_are_read_only():
    x = Record({"text": "a"})
    with pytest.raises(AttributeError, match="replace"):
        x.text = "b"
    with pytest.raises(AttributeError):
        x.other = 1
    with pytest.raises(TypeError):
        x["text"] = "b"


def test_missing_field_error_lists_fields():
    with pytest.raises(AttributeError, match=r"Fields: \['text', 'y'\]"):
        _ = Record({"text": "a", "y": 1}).nope


def test_replace_shares_the_row_and_leaves_the_source_alone():
    row = {"text": "a", "n": 1}
    x = Record(row)
    y = x.replace(text="b").replace(n=2)
    assert dict(x) == {"text": "a", "n": 1} and row == {"text": "a", "n": 1}
    assert dict(y) == {"text": "b", "n": 2}
    assert y._row is row


def test_new_fields_show_in_mapping():
    y = Record({"text": "a"}).replace(extra=3)
    assert list(y) == ["text", "extra"] and len(y) == 2


def test_labels_of_every_cell_kind():
    import numpy as np

    assert as_labels(np.array(["a", "b"])) == ("a", "b")
    assert as_labels({"a"}) == ("a",)
    assert as_labels(3) == (3,)
    assert Record({"text": "a"}).labels == ()


def test_pickle_round_trip():
    x = Record({"text": "a", "y": [1]}, label="y").replace(text="b")
    clone = pickle.loads(pickle.dumps(x))
    assert dict(clone) == dict(x) and clone.label_field == "y"
