import json
import subprocess
import sys
import types

import textaug
import textaug.labeling
import textaug.tfs
import textaug.validators


def _public(module):
    return {name for name, value in vars(module).items()
            if not name.startswith("_") and not isinstance(value, types.ModuleType)
            and getattr(value, "__module__", "").startswith("textaug")}


def test_all_lists_exactly_the_public_names():
    modules = {"dask", "evaluate", "testing", "tfs", "validators"}
    assert set(textaug.__all__) == _public(textaug) | modules
    assert all(hasattr(textaug, name) for name in textaug.__all__)
    assert set(textaug.tfs.__all__) == _public(textaug.tfs)
    assert set(textaug.validators.__all__) == _public(textaug.validators) | {"FACTORIES"}
    assert set(textaug.labeling.__all__) == _public(textaug.labeling) | {"ABSTAIN"}
    assert set(textaug.evaluate.__all__) == _public(textaug.evaluate)


def test_evaluate_is_a_module_called_as_a_function(monkeypatch):
    """Issue 14 fixes ``textaug.evaluate(...)`` and ``textaug.evaluate.diversity(...)``."""
    import textaug.evaluate.run

    seen = []
    monkeypatch.setattr(textaug.evaluate, "evaluate", lambda *a, **k: seen.append((a, k)) or 7)
    assert textaug.evaluate("train", "test", {}, seeds=1) == 7
    assert seen == [(("train", "test", {}), {"seeds": 1})]
    for name in ["diversity", "invariance", "tta_predict", "show", "Evaluation"]:
        assert callable(getattr(textaug.evaluate, name))
    assert textaug.show is textaug.evaluate.show


def test_stable_names_from_the_issue():
    for name in ["augment", "transformation_function", "ApplyOnePolicy", "ApplyAllPolicy",
                 "ApplyEachPolicy", "RandomPolicy", "MeanFieldPolicy", "ClassBalancedPolicy",
                 "Lexicon"]:
        assert name in textaug.__all__
    assert "swap_aliases" in textaug.tfs.__all__
    for name in ["split", "check_splits", "LeakageError"]:
        assert name in textaug.__all__
    for name in ["not_identical", "protected_terms", "negation_preserved", "length_bounds",
                 "lexicon_consistent", "semantic_similarity", "classifier_agreement"]:
        assert name in textaug.validators.__all__ and name in textaug.validators.FACTORIES
    for name in ["assert_no_leakage", "assert_labels_preserved", "assert_only_train_augmented"]:
        assert callable(getattr(textaug.testing, name))
    for name in ["labeling_function", "LabelingFunction", "keyword_lfs", "regex_lf", "apply_lfs",
                 "lf_summary", "plot_lf_summary", "MajorityVote", "LabelModel", "DawidSkene"]:
        assert name in textaug.labeling.__all__


def test_import_has_no_side_effects():
    code = """
import json, logging, os, sys, warnings
env = dict(os.environ)
handlers = list(logging.getLogger().handlers)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    import textaug, textaug.tfs, textaug.cli, textaug.labeling, textaug.evaluate, textaug.dask
    import textaug.integrations.hf, textaug.integrations.torch, textaug.integrations.sklearn
    import textaug.integrations.imblearn
lazy = ("torch", "transformers", "snorkel", "nltk", "inflect", "tqdm", "scipy", "matplotlib",
        "sklearn", "dask", "distributed", "datasets", "imblearn", "sentence_transformers")
heavy = [m for m in lazy if m in sys.modules]
print(json.dumps({"heavy": heavy, "env_same": env == dict(os.environ),
                  "handlers_same": handlers == logging.getLogger().handlers,
                  "warnings": [str(w.message) for w in caught]}))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stderr == ""
    assert json.loads(result.stdout) == {"heavy": [], "env_same": True, "handlers_same": True,
                                         "warnings": []}


def test_benchmark_script_runs_on_small_data(tmp_path):
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    result = subprocess.run(
        [sys.executable, str(root / "benchmarks" / "alias_swap.py"),
         str(root / "textaug" / "data" / "projects.csv"), "--anchor-rows", "20",
         "--large-rows", "200"],
        capture_output=True, text=True, check=True, cwd=tmp_path,
    )
    assert "ratio textaug / lesson:" in result.stdout and "200 rows" in result.stdout


def test_eda_benchmark_runs_on_small_data(tmp_path):
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    result = subprocess.run(
        [sys.executable, str(root / "benchmarks" / "eda.py"),
         str(root / "textaug" / "data" / "projects.csv"), "--rows", "40", "--repeats", "1",
         "--cold-rows", "40", "--cold-repeats", "1"],
        capture_output=True, text=True, check=True, cwd=tmp_path,
    )
    lines = result.stdout.splitlines()
    assert any(line.startswith("data:") and "texts of 20.2 words on average" in line
               for line in lines)  # the first 40 bundled texts
    assert any(line.startswith("random swap") and "ratio" in line for line in lines)
    assert any(line.startswith("random delete") and "ratio" in line for line in lines)
    assert any(line.startswith("synonym replacement") for line in lines)
