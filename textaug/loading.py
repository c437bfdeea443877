"""Optional dependencies and model loading, shared by the model-backed TFs and validators.

Nothing here imports torch, transformers or httpx until a function is called.

Examples
--------
>>> require("json").dumps([1])
'[1]'
>>> require("nosuch", "llm")
Traceback (most recent call last):
...
textaug.errors.MissingDependencyError: nosuch is not installed: pip install 'textaug[llm]'.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from textaug.errors import InvalidParameterError, MissingDependencyError, ResourceNotFoundError

HUB_HINT = ("Pass model= a local directory holding the model (save_pretrained), or run once where "
            "the Hugging Face hub is reachable, with HF_HUB_OFFLINE unset and "
            "local_files_only=False, so the model is cached.")
PROBE_TIMEOUT = 3.0  # seconds the hub gets to answer before a load goes offline
_PROBE_TTL = 60.0  # seconds a probe's answer holds, so one load of many files asks once
_probes: dict[str, tuple[float, str | None]] = {}  # endpoint -> (when asked, why not reached)
_hook_lock = threading.Lock()  # transformers' tqdm hook is global: one load swaps it at a time


def require(module: str, extra: str = "models") -> Any:
    """Import an optional dependency, or say which extra installs it."""
    try:
        return importlib.import_module(module)
    except ImportError as err:
        raise MissingDependencyError(
            f"{module.split('.')[0]} is not installed: pip install 'textaug[{extra}]'.") from err


def pick_device(device: str | None) -> str:
    """The given device, or the best available: cuda, then mps, then cpu."""
    if device is not None:
        return device
    torch = require("torch")
    if torch.cuda.is_available():
        return "cuda"
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return "mps"
    return "cpu"


def from_pretrained(loader: Any, model: str, *, revision: str | None = None,
                    local_files_only: bool = False, hint: str = HUB_HINT, **kwargs: Any) -> Any:
    """``loader.from_pretrained`` with remote code off, and one clear error when it fails.

    A model id (not a local folder) is looked up on the hub only when the hub answers:
    with HF_HUB_OFFLINE set, or no answer from the hub within ``PROBE_TIMEOUT`` seconds,
    the model loads from the local Hugging Face cache or fails at once, rather than after
    a minute of retries. transformers' progress bars show only where stderr is a terminal.
    """
    if not isinstance(model, str) or not model:
        raise InvalidParameterError(f"model= takes a model id or a local directory. Got {model!r}.")
    offline = None if local_files_only or os.path.isdir(model) else hub_offline()
    try:
        with _bars_only_on_a_terminal():
            return loader.from_pretrained(model, revision=revision,
                                          local_files_only=local_files_only or bool(offline),
                                          trust_remote_code=False, **kwargs)
    except (OSError, ValueError) as err:
        name = getattr(loader, "__name__", type(loader).__name__)
        if offline:
            raise ResourceNotFoundError(f"Could not load {name} for model {model!r} from the "
                                        f"local Hugging Face cache, and {offline}. {hint}") from err
        cause = " ".join(str(err).split()).rstrip(".")  # transformers' text: one line
        raise ResourceNotFoundError(
            f"Could not load {name} for model {model!r}: {cause}. {hint}") from err


def hub_offline() -> str | None:
    """Why the Hugging Face hub will not be asked, or None when it answers.

    HF_HUB_OFFLINE (or TRANSFORMERS_OFFLINE) set, or no HTTP answer from the hub's endpoint
    (HF_ENDPOINT) within ``PROBE_TIMEOUT`` seconds: one request by the hub's own client
    (its proxies and certificates), its answer kept for a minute.
    """
    hub = require("huggingface_hub")
    if hub.constants.HF_HUB_OFFLINE:
        return "HF_HUB_OFFLINE is set, so the hub is not asked"
    endpoint = str(hub.constants.ENDPOINT)
    asked = _probes.get(endpoint)
    if asked is None or time.monotonic() - asked[0] > _PROBE_TTL:
        asked = _probes[endpoint] = (time.monotonic(), _probe(hub, endpoint))
    return asked[1]


def _probe(hub: Any, endpoint: str) -> str | None:
    """None when the endpoint gives any HTTP answer (a 404 too), else why not."""
    try:
        hub.utils.get_session().head(endpoint, timeout=PROBE_TIMEOUT)
        return None
    except Exception as err:  # noqa: BLE001 - no answer, whatever the cause, means offline
        shown = _without_credentials(endpoint)
        reason = f"{type(err).__name__}: {err}".replace(endpoint, shown)
        return f"the hub at {shown!r} cannot be reached ({reason})"


def _without_credentials(url: str) -> str:
    """The URL with any user:password@ left out (errors never show secrets).

    >>> _without_credentials("https://user:token@hub.example.org/x")
    'https://hub.example.org/x'
    """
    parts = urlsplit(url)
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()


@contextlib.contextmanager
def _bars_only_on_a_terminal() -> Iterator[None]:
    """transformers' progress bars ("Loading weights") drawn only where stderr is a terminal.

    Through transformers' tqdm hook, restored afterwards (tqdm's ``disable=None`` turns a
    bar off when its stream is not a terminal); no change with a transformers without it.
    """
    try:
        set_hook = importlib.import_module("transformers.utils.logging").set_tqdm_hook
    except (ImportError, AttributeError):  # no transformers, or one without the hook
        yield
        return
    with _hook_lock:
        previous = set_hook(None)

        def hook(factory: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
            kwargs = {"disable": None, **kwargs}
            return previous(factory, args, kwargs) if previous else factory(*args, **kwargs)

        set_hook(hook)
        try:
            yield
        finally:
            set_hook(previous)

