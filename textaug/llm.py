"""A small client for OpenAI-compatible chat completions APIs (OpenAI, vLLM, Ollama, ...).

:class:`ChatClient` is the interface the LLM TFs use: ``complete(messages, ...)`` gives
the text of each returned choice, ``complete_many`` runs many conversations with at most
``max_concurrency`` requests in flight and returns an :class:`LLMError` in place of a
conversation that failed. :class:`OpenAIChatClient` speaks ``POST {base_url}/chat/completions``
with httpx (``pip install 'textaug[llm]'``, imported on first request). It reads the API
key from an environment variable at each request and keeps it nowhere: not in its
attributes, its repr, its pickle or its errors. It retries 429, 5xx, timeouts and dropped
connections with exponential backoff (honouring ``Retry-After``), and never other 4xx.

Examples
--------
>>> client = OpenAIChatClient("http://localhost:8000/v1", "qwen2.5-7b-instruct", timeout=10)
>>> client
OpenAIChatClient('http://localhost:8000/v1', model='qwen2.5-7b-instruct')
>>> client.url
'http://localhost:8000/v1/chat/completions'
"""

from __future__ import annotations

import email.utils
import json
import logging
import os
import re
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from textaug.errors import InvalidParameterError, TextaugError, check_param
from textaug.loading import require

if TYPE_CHECKING:
    import httpx

logger = logging.getLogger(__name__)

Messages = Sequence[Mapping[str, str]]
MAX_WAIT = 60.0  # the longest sleep between attempts, whatever Retry-After asks
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class LLMError(TextaugError, RuntimeError):
    """A chat API request failed, or its answer could not be used.

    ``status`` is the HTTP status when the server answered with an error, else None.
    """

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class ChatClient:
    """The interface of a chat model: subclasses implement :meth:`complete`."""

    max_concurrency: int = 1

    def complete(self, messages: Messages, *, n: int = 1, seed: int | None = None,
                 temperature: float | None = None) -> list[str]:
        """The text of each of the ``n`` choices the model returns for ``messages``."""
        raise NotImplementedError

    def complete_many(self, conversations: Sequence[Messages], *,
                      seeds: Sequence[int | None] | None = None, n: int = 1,
                      temperature: float | None = None) -> list[list[str] | LLMError]:
        """:meth:`complete` for each conversation, ``max_concurrency`` at a time.

        A conversation that failed gets its :class:`LLMError` in place of its answer.
        """
        seeds = [None] * len(conversations) if seeds is None else seeds

        def one(messages: Messages, seed: int | None) -> list[str] | LLMError:
            try:
                return self.complete(messages, n=n, seed=seed, temperature=temperature)
            except LLMError as err:
                return err

        return _pooled(one, conversations, seeds, self.max_concurrency)


def _pooled(func: Any, conversations: Sequence[Messages], seeds: Sequence[int | None],
            workers: int) -> list[Any]:
    if len(conversations) != len(seeds):
        raise InvalidParameterError(
            f"complete_many needs one seed per conversation. Got {len(seeds)} seeds for "
            f"{len(conversations)} conversations.")
    if len(conversations) <= 1 or workers == 1:
        return [func(m, s) for m, s in zip(conversations, seeds, strict=True)]
    with ThreadPoolExecutor(min(workers, len(conversations))) as pool:
        return list(pool.map(func, conversations, seeds))


class OpenAIChatClient(ChatClient):
    """``POST {base_url}/chat/completions`` of an OpenAI-compatible server.

    Parameters
    ----------
    base_url
        The API root, e.g. ``https://api.openai.com/v1`` or ``http://localhost:8000/v1``.
    model
        The model name the server knows.
    api_key_env
        The environment variable holding the API key, read at each request; when it is
        unset no Authorization header is sent (local servers need none).
    timeout
        Seconds to wait for connecting, and for each read of the answer.
    max_retries
        Further attempts after a 429, a 5xx, a timeout or a dropped connection.
    backoff
        The first wait in seconds; it doubles at each retry (``Retry-After`` wins).
    max_concurrency
        The most requests :meth:`complete_many` has in flight at once.
    """

    def __init__(self, base_url: str, model: str, *, api_key_env: str = "OPENAI_API_KEY",
                 timeout: float = 30.0, max_retries: int = 4, backoff: float = 0.5,
                 max_concurrency: int = 4) -> None:
        owner = "OpenAIChatClient"
        check_param(isinstance(base_url, str) and base_url.startswith(("http://", "https://")),
                    owner, "base_url", "an http:// or https:// URL", _safe_url(str(base_url)))
        check_param(isinstance(model, str) and bool(model), owner, "model",
                    "a non-empty model name", model)
        check_env_name(api_key_env, owner)
        check_param(_is_number(timeout) and timeout > 0, owner, "timeout",
                    "a number of seconds > 0", timeout)
        check_param(_is_int(max_retries) and max_retries >= 0, owner, "max_retries",
                    "an int >= 0", max_retries)
        check_param(_is_number(backoff) and backoff >= 0, owner, "backoff",
                    "a number of seconds >= 0", backoff)
        check_param(_is_int(max_concurrency) and max_concurrency >= 1, owner,
                    "max_concurrency", "an int >= 1", max_concurrency)
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.api_key_env = api_key_env
        self.timeout = float(timeout)
        self.max_retries = max_retries
        self.backoff = float(backoff)
        self.max_concurrency = max_concurrency

    def __repr__(self) -> str:
        return f"{type(self).__name__}({_safe_url(self.base_url)!r}, model={self.model!r})"

    @property
    def url(self) -> str:
        """The chat completions endpoint."""
        return f"{self.base_url}/chat/completions"

    def complete(self, messages: Messages, *, n: int = 1, seed: int | None = None,
                 temperature: float | None = None) -> list[str]:
        """The text of each choice; raises :class:`LLMError` naming the URL and model."""
        with self._http() as http:
            return self._complete(http, messages, n=n, seed=seed, temperature=temperature)

    def complete_many(self, conversations: Sequence[Messages], *,
                      seeds: Sequence[int | None] | None = None, n: int = 1,
                      temperature: float | None = None) -> list[list[str] | LLMError]:
        """As :meth:`ChatClient.complete_many`, over one connection pool."""
        seeds = [None] * len(conversations) if seeds is None else seeds
        with self._http() as http:
            def one(messages: Messages, seed: int | None) -> list[str] | LLMError:
                try:
                    return self._complete(http, messages, n=n, seed=seed,
                                          temperature=temperature)
                except LLMError as err:
                    return err

            return _pooled(one, conversations, seeds, self.max_concurrency)

    def _http(self) -> httpx.Client:
        httpx = require("httpx", "llm")
        limits = httpx.Limits(max_connections=self.max_concurrency,
                              max_keepalive_connections=self.max_concurrency)
        return httpx.Client(timeout=httpx.Timeout(self.timeout), limits=limits)

    def _complete(self, http: httpx.Client, messages: Messages, *, n: int,
                  seed: int | None, temperature: float | None) -> list[str]:
        body: dict[str, Any] = {"model": self.model, "messages": [dict(m) for m in messages]}
        if n != 1:
            body["n"] = n
        if seed is not None:
            body["seed"] = seed
        if temperature is not None:
            body["temperature"] = temperature
        return self._choices(self._post(http, body))

    def _post(self, http: httpx.Client, body: dict[str, Any]) -> httpx.Response:
        """One request, with retries on 429, 5xx, timeouts and dropped connections."""
        httpx = require("httpx", "llm")
        retryable = (httpx.TimeoutException, httpx.ConnectError, httpx.RemoteProtocolError)
        for attempt in range(self.max_retries + 1):
            last = attempt == self.max_retries
            try:
                resp = http.post(self.url, json=body, headers=self._headers())
            except retryable as err:
                if last:
                    raise LLMError(f"{self._where()} did not answer ({type(err).__name__}: "
                                   f"{err}) in {attempt + 1} attempt(s) with timeout="
                                   f"{self.timeout}s. Check that the server is running, or "
                                   "raise timeout= or max_retries=.") from err
                self._wait(attempt, None, type(err).__name__)
                continue
            except httpx.HTTPError as err:
                raise LLMError(f"{self._where()} could not be reached ({type(err).__name__}: "
                               f"{err}). Check base_url=.") from err
            status = resp.status_code
            if status == 200:
                return resp
            if (status == 429 or status >= 500) and not last:
                self._wait(attempt, resp.headers.get("retry-after"), f"HTTP {status}")
                continue
            raise self._status_error(resp, attempt + 1)
        raise AssertionError("unreachable")  # pragma: no cover

    def _wait(self, attempt: int, retry_after: str | None, why: str) -> None:
        delay = _retry_after(retry_after)
        delay = min(self.backoff * 2 ** attempt if delay is None else delay, MAX_WAIT)
        logger.info("%s: %s; retry %d of %d in %.2fs", self._where(), why, attempt + 1,
                    self.max_retries, delay)
        time.sleep(delay)

    def _headers(self) -> dict[str, str]:
        key = os.environ.get(self.api_key_env)
        return {"Authorization": f"Bearer {key}"} if key else {}

    def _where(self) -> str:
        return f"The chat API at {_safe_url(self.url)} (model {self.model!r})"

    def _status_error(self, resp: httpx.Response, attempts: int) -> LLMError:
        status = resp.status_code
        hint = {401: f"Check the API key in the environment variable {self.api_key_env!r}"
                     f"{'' if os.environ.get(self.api_key_env) else ' (it is not set)'}.",
                403: f"Check the API key in {self.api_key_env!r} and its permissions.",
                404: "Check base_url= (it usually ends in /v1) and the model name.",
                429: "The server is rate limiting: lower max_concurrency= or retry later.",
                }.get(status, "Check the request parameters." if status < 500 else
                      "The server failed: retry later or raise max_retries=.")
        tries = f" after {attempts} attempts" if attempts > 1 else ""
        return LLMError(f"{self._where()} answered HTTP {status}{tries}: "
                        f"{self._excerpt(resp)!r}. {hint}", status=status)

    def _choices(self, resp: httpx.Response) -> list[str]:
        try:
            data = resp.json()
        except ValueError:
            raise LLMError(f"{self._where()} answered HTTP 200 with a body that is not JSON: "
                           f"{self._excerpt(resp)!r}. Check that base_url= points at an "
                           "OpenAI-compatible API (it usually ends in /v1).") from None
        choices = data.get("choices") if isinstance(data, dict) else None
        found = [_content(c) for c in choices] if isinstance(choices, list) else []
        texts = [t for t in found if t is not None]
        if not texts:
            raise LLMError(f"{self._where()} answered with no text in its choices: "
                           f"{self._excerpt(resp)!r}.")
        return texts

    def _excerpt(self, resp: httpx.Response, limit: int = 200) -> str:
        """The server's message, short, with the API key blanked out should it echo it."""
        text = resp.text
        try:
            error = json.loads(text).get("error")
            text = str(error.get("message", error) if isinstance(error, dict) else error or text)
        except (ValueError, AttributeError):
            pass
        return redact(" ".join(text.split())[:limit], os.environ.get(self.api_key_env))


def _content(choice: Any) -> str | None:
    message = choice.get("message") if isinstance(choice, dict) else None
    content = message.get("content") if isinstance(message, dict) else None
    return content if isinstance(content, str) else None


def redact(text: str, secret: str | None) -> str:
    """``text`` with ``secret`` blanked out.

    >>> redact("bad key sk-123", "sk-123")
    'bad key ***'
    """
    return text.replace(secret, "***") if secret else text


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date).

    >>> _retry_after("2"), _retry_after(None), _retry_after("soon")
    (2.0, None, None)
    """
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _safe_url(url: str) -> str:
    """The URL without user:password or query (they may hold secrets).

    >>> _safe_url("https://u:p@host:8000/v1?key=1")
    'https://host:8000/v1'
    """
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def check_env_name(name: Any, owner: str) -> None:
    """Check that ``api_key_env`` names a variable; never echo it (it may be the key)."""
    if not (isinstance(name, str) and _ENV_NAME.match(name)):
        raise InvalidParameterError(
            f"The 'api_key_env' parameter of {owner} must be the name of an environment "
            "variable (letters, digits and _), such as 'OPENAI_API_KEY', not the key itself. "
            "Put the key in that variable.")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
