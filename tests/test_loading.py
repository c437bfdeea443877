"""Model loading without a hub: no minute of retries, one error naming the model and the fix.

The hub is made unreachable for certain by pointing huggingface_hub's endpoint at a
loopback port that refuses connections, or offline by its HF_HUB_OFFLINE switch; a
loopback server that counts connections shows what the load asked of the hub.
"""

from __future__ import annotations

import logging
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from textaug._rng import Rng
from textaug.errors import ResourceNotFoundError
from textaug.loading import from_pretrained, hub_offline
from textaug.records import Record

transformers = pytest.importorskip("transformers")
hub_constants = pytest.importorskip("huggingface_hub.constants")

MISSING = "textaug-tests/no-such-model"


class CountingServer:
    """A loopback TCP server that counts connections and answers each with an HTTP 404."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.sock.settimeout(0.05)  # accept() wakes up to see close()
        self.connections = 0
        self.closed = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.closed.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    @staticmethod
    def _answer(conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            try:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
                             b"Connection: close\r\n\r\n")
            except OSError:
                pass

    def close(self) -> None:
        self.closed.set()
        self.thread.join()
        self.sock.close()


def _point_hub_at(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setattr(hub_constants, "ENDPOINT", url)
    monkeypatch.setattr(hub_constants, "HUGGINGFACE_CO_URL_TEMPLATE",
                        url + "/{repo_id}/resolve/{revision}/{filename}")


@pytest.fixture
def dead_hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The hub's endpoint: a loopback port bound but not listening (connections refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        _point_hub_at(monkeypatch, url)
        monkeypatch.setattr(hub_constants, "HF_HUB_OFFLINE", False)
        yield url


@pytest.fixture
def live_hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[CountingServer]:
    server = CountingServer()
    _point_hub_at(monkeypatch, server.url)
    yield server
    server.close()


def _no_retries(caplog: pytest.LogCaptureFixture) -> bool:
    return not [r for r in caplog.records if "Retrying" in r.getMessage()]


def test_an_unreachable_hub_fails_at_once_naming_the_model_and_the_fix(dead_hub, caplog):
    caplog.set_level(logging.WARNING)
    with pytest.raises(ResourceNotFoundError) as caught:
        from_pretrained(transformers.AutoTokenizer, MISSING)
    message = str(caught.value)
    assert MISSING in message and f"the hub at {dead_hub!r} cannot be reached" in message
    assert "local directory" in message and "HF_HUB_OFFLINE" in message
    assert "\n" not in message and ".." not in message
    assert _no_retries(caplog)


def _contextual() -> None:
    from textaug.tfs import contextual_substitute

    contextual_substitute(MISSING, device="cpu").loaded()


def _back_translation() -> None:
    from textaug.tfs import back_translate

    tf = back_translate((MISSING, MISSING + "-back"), device="cpu")
    out = tf.apply_batch([Record({"text": "the movie was good"})], [Rng(0)])[0]
    assert isinstance(out, BaseException)
    raise out


def _semantic() -> None:
    from textaug.validators import semantic_similarity

    semantic_similarity(MISSING, device="cpu")("the movie was good", "the film was good")


@pytest.mark.parametrize("load", [_contextual, _back_translation, _semantic])
def test_every_model_user_fails_at_once_without_the_hub(load, dead_hub, caplog):
    caplog.set_level(logging.WARNING)
    with pytest.raises(ResourceNotFoundError, match=f"{MISSING}.*cannot be reached"):
        load()
    assert _no_retries(caplog)


def test_hf_hub_offline_asks_the_hub_nothing_and_says_so(live_hub, monkeypatch):
    monkeypatch.setattr(hub_constants, "HF_HUB_OFFLINE", True)
    assert hub_offline() == "HF_HUB_OFFLINE is set, so the hub is not asked"
    with pytest.raises(ResourceNotFoundError, match=f"{MISSING}.*HF_HUB_OFFLINE is set"):
        from_pretrained(transformers.AutoModelForMaskedLM, MISSING)
    assert live_hub.connections == 0


def test_the_probe_tells_an_answering_hub_from_a_dead_one(dead_hub, monkeypatch):
    assert str(hub_offline()).startswith(f"the hub at {dead_hub!r} cannot be reached (")
    live_hub = CountingServer()
    _point_hub_at(monkeypatch, live_hub.url)
    assert hub_offline() is None  # any HTTP answer, a 404 too, means the hub is there
    live_hub.close()
    assert live_hub.connections == 1


def test_a_reachable_hub_is_still_asked(live_hub, monkeypatch):
    monkeypatch.setattr(hub_constants, "HF_HUB_OFFLINE", False)
    with pytest.raises(ResourceNotFoundError, match=MISSING):
        from_pretrained(transformers.AutoTokenizer, MISSING)
    assert live_hub.connections >= 2  # the probe, then the loader's own requests


def test_a_cached_model_loads_from_the_cache_without_the_hub(tiny_mlm, dead_hub, tmp_path,
                                                             caplog):
    caplog.set_level(logging.WARNING)
    repo = tmp_path / "models--textaug-tests--tiny"
    commit = "0" * 40
    shutil.copytree(tiny_mlm, repo / "snapshots" / commit)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(commit)
    tokenizer = from_pretrained(transformers.AutoTokenizer, "textaug-tests/tiny",
                                cache_dir=tmp_path)
    assert tokenizer("the movie")["input_ids"]
    assert _no_retries(caplog)


def test_loading_draws_no_progress_bar_when_stderr_is_not_a_terminal(tiny_mlm: Path, capfd):
    hooks = transformers.utils.logging
    before = hooks.set_tqdm_hook(None)
    hooks.set_tqdm_hook(before)
    from_pretrained(transformers.AutoModelForMaskedLM, str(tiny_mlm))
    assert "Loading weights" not in capfd.readouterr().err
    assert hooks.set_tqdm_hook(before) is before  # the global hook is restored
