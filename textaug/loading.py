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

import importlib
from typing import Any

from textaug.errors import InvalidParameterError, MissingDependencyError, ResourceNotFoundError

HUB_HINT = ("Pass model= a local directory holding the model (save_pretrained), or run where the "
            "Hugging Face hub is reachable once so the model is cached (local_files_only=False).")


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
    """``loader.from_pretrained`` with remote code off, and one clear error when it fails."""
    if not isinstance(model, str) or not model:
        raise InvalidParameterError(f"model= takes a model id or a local directory. Got {model!r}.")
    try:
        return loader.from_pretrained(model, revision=revision, local_files_only=local_files_only,
                                      trust_remote_code=False, **kwargs)
    except (OSError, ValueError) as err:
        raise ResourceNotFoundError(
            f"Could not load {loader.__name__} for model {model!r}: {err}. {hint}") from err
