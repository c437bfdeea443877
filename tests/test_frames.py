"""textaug.frames: the output frame and text arrays equal what pandas' constructors make."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from textaug.frames import frame_from_arrays, text_array

STR = pd.Series(["a"]).dtype  # the default text dtype (pandas 3: str, in pyarrow)
DTYPES = [STR, pd.StringDtype("python"), pd.StringDtype("pyarrow")]


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("values", [["a", "b é", ""], [], ["x", None], ["x", float("nan")],
                                    ["x", 3]])
def test_text_arrays_equal_pandas_own(dtype, values):
    try:
        expected = pd.array(values, dtype=dtype)
    except (TypeError, ValueError) as err:
        with pytest.raises(type(err)):
            text_array(values, dtype)
        return
    made = text_array(values, dtype)
    assert type(made) is type(expected) and made.dtype == expected.dtype
    pd.testing.assert_extension_array_equal(made, expected)


def columns_of(n: int) -> dict[str, object]:
    rng = np.random.default_rng(0)
    return {"text": pd.array([f"t{i}" for i in range(n)], dtype=STR),
            "source": rng.integers(0, 9, n), "is_original": rng.random(n) < 0.5,
            "score": rng.random(n), "unsigned": np.arange(n, dtype=np.uint8),
            "tfs": pd.array(["a>b"] * n, dtype=pd.StringDtype("python"))}


@pytest.mark.parametrize("n", [0, 1, 7])
def test_a_frame_from_its_blocks_equals_the_constructors(n):
    columns, index = columns_of(n), pd.RangeIndex(n)
    made, expected = frame_from_arrays(columns, index), pd.DataFrame(columns, index=index)
    pd.testing.assert_frame_equal(made, expected, check_index_type=True, check_column_type=True)
    assert made.columns.dtype == expected.columns.dtype
    assert n == 0 or np.shares_memory(made["source"].to_numpy(), columns["source"])  # no copy
    made["extra"] = 1  # and it behaves as any frame
    assert list(made.columns)[-1] == "extra" and len(pd.concat([made, made])) == 2 * n


@pytest.mark.parametrize("odd", [
    {"labels": pd.Series([1, 2, 3])},  # a Series
    {"tags": np.array([["x"], ["y"], []], dtype=object)},  # objects
    {"when": np.array(["2024-01-01"] * 3, dtype="datetime64[ns]")},
    {"cat": pd.Categorical(["a", "b", "a"])},
    {7: np.arange(3)},  # a name that is not a str
])
def test_other_columns_go_through_the_constructor(odd):
    columns = {"text": pd.array(["a", "b", "c"], dtype=STR), **odd}
    pd.testing.assert_frame_equal(frame_from_arrays(columns, pd.RangeIndex(3)),
                                  pd.DataFrame(columns, index=pd.RangeIndex(3)),
                                  check_column_type=True)
