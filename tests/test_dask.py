"""textaug.dask against pandas: the same rows, report and LF votes, on a two-worker cluster."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import textaug
from tests.conftest import explode
from tests.dask_tfs import CountingUpper, loads
from textaug import ClassBalancedPolicy, RandomPolicy, augment
from textaug.errors import InvalidParameterError, TransformError
from textaug.labeling import Labeler, apply_lfs, labeling_function
from textaug.labeling.lf import ABSTAIN, regex_lf
from textaug.tfs import eda, swap_aliases
from textaug.validators import negation_preserved, not_identical

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from textaug import dask as tdask  # noqa: E402 - after the skips: it needs dask when used

PROJECTS = Path(textaug.__file__).parent / "data" / "projects.csv"


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    """Two worker processes, one thread each, started once for the module."""
    cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                       dashboard_address=None)
    with cluster, distributed.Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def projects() -> pd.DataFrame:
    df = pd.read_csv(PROJECTS, nrows=60)
    df["tag"] = df["tags"].str.contains("natural-language").map({True: "nlp", False: "other"})
    return df.drop(columns="tags")


SETTINGS = dict(tfs=[swap_aliases(label_aware=False), eda(0.2)],
                policy=RandomPolicy(sequence_length=2, n_per_original=2), seed=7,
                validators=[not_identical(), negation_preserved(antonyms=False)])


def _same(lazy: pd.DataFrame, eager: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(lazy.reset_index(drop=True), eager.reset_index(drop=True))


def test_threaded_scheduler_same_rows_and_global_rng_untouched(projects):
    # first in the file: the cluster's client, once started, draws from `random` in its thread
    ddf = dd.from_pandas(projects, npartitions=5)
    states = random.getstate(), np.random.get_state()[1].copy()
    got = tdask.augment(ddf, **SETTINGS).compute(scheduler="threads")
    _same(got, augment(ddf.compute(), **SETTINGS))
    assert random.getstate() == states[0]
    assert (np.random.get_state()[1] == states[1]).all()


@pytest.mark.parametrize("npartitions", [1, 4, 7])
def test_cluster_gives_the_rows_and_report_of_pandas(client, projects, npartitions):
    before = projects.copy()
    ddf = dd.from_pandas(projects, npartitions=npartitions)
    expected, expected_report = augment(ddf.compute(), **SETTINGS, return_report=True)
    out, report = tdask.augment(ddf, **SETTINGS, return_report=True)
    assert list(out.dtypes.items()) == list(expected.dtypes.items())  # the meta is pandas'
    got, got_report = dask.compute(out, report)
    _same(got, expected)
    assert got_report == expected_report
    assert got_report.rejections_total > 0 and got_report.output_rows == len(expected)
    pd.testing.assert_frame_equal(projects, before)


def test_a_key_column_and_an_empty_partition(client, projects):
    frame = projects.assign(id=projects["id"] * 10).sort_values("id", ascending=False)
    ddf = dd.from_pandas(frame, npartitions=3)
    ddf = ddf[ddf["id"] % 3 != 0]  # rows dropped; a partition may end up empty
    ddf = dd.concat([ddf, ddf.head(0, compute=False)])  # an empty partition for sure
    kw = dict(SETTINGS, key="id", label="tag")
    got = tdask.augment(ddf, **kw).compute()
    _same(got, augment(ddf.compute(), **kw))
    assert (got["textaug_source"] % 3 != 0).all()


def test_model_loads_at_most_once_per_worker(client, projects):
    ddf = dd.from_pandas(projects, npartitions=6)
    got = tdask.augment(ddf, [CountingUpper()], seed=3).compute()
    again = tdask.augment(ddf, [CountingUpper()], seed=3).compute()  # same settings: reused
    per_worker = client.run(loads)
    assert len(per_worker) == 2 and sum(per_worker.values()) >= 1
    assert all(n <= 1 for n in per_worker.values()), per_worker
    assert loads() == 0  # not here: building the graph and its meta loads nothing
    _same(got, augment(ddf.compute(), [CountingUpper()], seed=3))
    _same(again, got)
    assert got["textaug_tfs"].eq("counting_upper").sum() == len(projects)


TOPICS = [regex_lf("language", r"(?i)\blanguage\b", 1, tag="nlp"),
          regex_lf("vision", r"(?i)\b(vision|image)", 0, tag="other")]


def test_fitted_labeler_and_class_counts_on_the_cluster(client, projects):
    ddf = dd.from_pandas(projects, npartitions=3)
    frame = ddf.compute()
    counts = frame["tag"].value_counts().to_dict()
    kw = dict(tfs=[swap_aliases(label_aware=False), eda(0.3)], seed=5, label="tag",
              policy=ClassBalancedPolicy(counts=counts),
              relabel=Labeler(TOPICS, "majority", seed=0).fit(frame))
    got, report = dask.compute(*tdask.augment(ddf, **kw, return_report=True))
    expected, expected_report = augment(frame, **kw, return_report=True)
    _same(got, expected)
    assert report == expected_report and sum(report.relabel.values()) > 0


def test_tf_errors_raise_on_the_client_or_are_counted(client):
    df = pd.DataFrame({"text": ["fine", "boom here", "calm", "boom again"]})
    ddf = dd.from_pandas(df, npartitions=2)
    with pytest.raises(TransformError, match="boom found"):
        tdask.augment(ddf, [explode], seed=0).compute()
    got, report = dask.compute(*tdask.augment(ddf, [explode], seed=0, on_error="skip",
                                              return_report=True))
    expected, expected_report = augment(ddf.compute(), [explode], seed=0, on_error="skip",
                                        return_report=True)
    _same(got, expected)
    assert report == expected_report and report.errors_total == 2


@labeling_function()
def fragile(x):
    if "learning" in x.text:
        raise ValueError("no learning")
    return 1 if "vision" in x.text.lower() else ABSTAIN


def test_apply_lfs_gathers_the_fault_counts(client, projects):
    lfs = [fragile, regex_lf("nlp", r"(?i)language", 2)]
    expected = apply_lfs(projects, lfs, fault_tolerant=True)
    result = tdask.apply_lfs(dd.from_pandas(projects, npartitions=4), lfs,
                             fault_tolerant=True).compute()
    assert expected.faults["fragile"] > 0
    assert result.faults == expected.faults and result.names == expected.names
    np.testing.assert_array_equal(result.L, expected.L)


def test_refusals(projects):
    ddf = dd.from_pandas(projects, npartitions=2)
    with pytest.raises(InvalidParameterError, match="needs an int seed"):
        tdask.augment(ddf, [eda()], seed=None)
    with pytest.raises(InvalidParameterError, match="pass ClassBalancedPolicy\\(counts=...\\)"):
        tdask.augment(ddf, [eda()], ClassBalancedPolicy(), seed=0, label="tag")
    labeler = Labeler([regex_lf("nlp", r"(?i)language", 1)], "majority", seed=0)
    with pytest.raises(InvalidParameterError, match="call labeler.fit\\(train_df\\) first"):
        tdask.augment(ddf, [eda()], seed=0, label="tag", relabel=labeler)
    with pytest.raises(InvalidParameterError, match="a dask DataFrame"):
        tdask.augment(projects, [eda()], seed=0)
    with pytest.raises(InvalidParameterError, match="a dask DataFrame"):
        tdask.apply_lfs(projects, [fragile])
    with pytest.raises(InvalidParameterError, match="'seed' parameter"):
        tdask.augment(ddf, [eda()], seed=-1)


def test_import_does_not_load_dask():
    code = ("import json, sys, textaug.dask\n"
            "print(json.dumps([m for m in ('dask', 'distributed') "
            "if m in sys.modules]))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert json.loads(result.stdout) == []
