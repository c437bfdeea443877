"""A small client for OpenAI-compatible chat completions APIs (OpenAI, vLLM, Ollama, ...).

:class:`ChatClient` is the interface the LLM TFs use: ``complete(messages, ...)`` gives
the text of each returned choice, ``complete_many`` runs many conversations with at most
``max_concurrency`` requests in flight and returns an :class:`LLMError` in place of a
conversation that failed. :class:`OpenAIChatClient` speaks ``POST {base_url}/chat/completions``
with httpx (``pip install 'textaug[llm]'``, imported on first request). It reads the API
key from an environment variable at each request and keeps it nowhere: not in its
attributes, its repr, its pickle or its errors, and it blanks the key out of whatever the
server sends back. It retries 429, 5xx, timeouts and dropped connections with exponential
backoff (honouring ``Retry-After``), and never other 4xx. ``timeout`` bounds each request
as a whole, however slowly the server sends its answer; ``deadline`` bounds a conversation,
its retries and the waits between them included.

Examples
--------
>>> client = OpenAIChatClient("http://localhost:8000/v1", "qwen2.5-7b-instruct", timeout=10)
>>> client
OpenAIChatClient('http://localhost:8000/v1', model='qwen2.5-7b-instruct')
>>> client.url
'http://localhost:8000/v1/chat/completions'
>>> client.deadline  # (max_retries + 1) * timeout + MAX_WAIT
110.0
"""

from __future__ import annotations

import email.utils
import json
import logging
import math
import os
import re
import threading
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
MAX_WAIT = 60.0  # the longest backoff between attempts (a server's Retry-After may ask more)
MAX_BODY_BYTES = 16 * 2**20  # a longer answer body fails its request
MIN_REDACTED = 8  # a shorter key (a local server's dummy, such as "ollama") stays in answers
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_KEY_PREFIX = re.compile(  # names that start as API keys do, with a long tail
    r"(?:(?:sk|pk|rk|hf|gsk|gh[oprsu]|github_pat|glpat|r8|xai|nvapi|xox[abepr])_|AIza)"
    r"[A-Za-z0-9_]{16}")
_KEY_CHARS = re.compile(r"[!-~]+\Z")  # printable ASCII without spaces: all a header may hold


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


class _Overdue(Exception):
    """A request ran past its time: the server answered too slowly, or not at all."""


class OpenAIChatClient(ChatClient):
    """``POST {base_url}/chat/completions`` of an OpenAI-compatible server.

    Parameters
    ----------
    base_url
        The API root, e.g. ``https://api.openai.com/v1`` or ``http://localhost:8000/v1``.
        It may not hold a user name, password, query or fragment (they would be logged
        and pickled): the key goes in the variable named by ``api_key_env``.
    model
        The model name the server knows.
    api_key_env
        The name of the environment variable holding the API key, read at each request
        and stripped of surrounding whitespace; when it is unset no Authorization header
        is sent (local servers need none). A value that looks like a key is refused.
    timeout
        Seconds one request may take as a whole: connecting, sending, and reading the
        answer, however slowly the server sends it.
    max_retries
        Further attempts after a 429, a 5xx, a timeout or a dropped connection.
    backoff
        The first wait in seconds; it doubles at each retry, up to ``MAX_WAIT``
        (``Retry-After`` wins).
    max_concurrency
        The most requests :meth:`complete_many` has in flight at once.
    deadline
        Seconds one conversation may take, all its attempts and the waits between them
        included; None: ``(max_retries + 1) * timeout + MAX_WAIT``. A wait that would pass
        it (a long ``Retry-After``) fails the conversation at once instead.
    """

    def __init__(self, base_url: str, model: str, *, api_key_env: str = "OPENAI_API_KEY",
                 timeout: float = 30.0, max_retries: int = 4, backoff: float = 0.5,
                 max_concurrency: int = 4, deadline: float | None = None) -> None:
        owner = "OpenAIChatClient"
        check_base_url(base_url, owner)
        check_param(isinstance(model, str) and bool(model), owner, "model",
                    "a non-empty model name", model)
        check_env_name(api_key_env, owner)
        check_param(_is_number(timeout) and 0 < timeout < math.inf, owner, "timeout",
                    "a finite number of seconds > 0", timeout)
        check_param(_is_int(max_retries) and max_retries >= 0, owner, "max_retries",
                    "an int >= 0", max_retries)
        check_param(_is_number(backoff) and 0 <= backoff < math.inf, owner, "backoff",
                    "a finite number of seconds >= 0", backoff)
        check_param(_is_int(max_concurrency) and max_concurrency >= 1, owner,
                    "max_concurrency", "an int >= 1", max_concurrency)
        check_param(deadline is None or (_is_number(deadline) and deadline > 0), owner,
                    "deadline", "None or a number of seconds > 0", deadline)
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.api_key_env = api_key_env
        self.timeout = float(timeout)
        self.max_retries = max_retries
        self.backoff = float(backoff)
        self.max_concurrency = max_concurrency
        self.deadline = float((max_retries + 1) * timeout + MAX_WAIT if deadline is None
                              else deadline)

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

    def api_key(self) -> str | None:
        """The API key from the environment, stripped; None when unset or blank.

        A key holding a space, a control character or a non-ASCII character is refused
        with an error naming the variable, never showing the value.
        """
        key = os.environ.get(self.api_key_env, "").strip()
        if key and not _KEY_CHARS.match(key):
            raise LLMError(
                f"The API key in the environment variable {self.api_key_env!r} holds a "
                "space, a line break, a control or a non-ASCII character inside it (the key "
                "is not shown). Set the variable to the key alone, on one line.")
        return key or None

    def _http(self) -> httpx.Client:
        httpx = require("httpx", "llm")
        # room beside the requests in flight for those given up on, still closing
        limits = httpx.Limits(max_connections=2 * self.max_concurrency,
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
        key = self.api_key()
        return self._choices(self._post(http, body, key), key)

    def _post(self, http: httpx.Client, body: dict[str, Any], key: str | None) -> str:
        """The body of a 200 answer, retrying 429, 5xx, timeouts and dropped connections;
        all within ``deadline``."""
        httpx = require("httpx", "llm")
        retryable = (_Overdue, httpx.TimeoutException, httpx.ConnectError,
                     httpx.RemoteProtocolError)
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        end = time.monotonic() + self.deadline
        for attempt in range(self.max_retries + 1):
            limit = min(self.timeout, end - time.monotonic())
            try:
                status, retry_after, text = self._send(http, body, headers, limit)
            except retryable as err:
                why = f"did not answer ({_reason(err, key, httpx)})"
                if limit < self.timeout:  # the deadline, not the timeout, cut this attempt
                    raise self._late(attempt + 1, why) from None
                if attempt == self.max_retries:
                    raise LLMError(
                        f"{self._where()} {why} in {attempt + 1} attempt(s) with timeout="
                        f"{self.timeout:g}s. Check that the server is running, or raise "
                        "timeout= or max_retries=.") from None
                self._wait(end, attempt, None, why, None)
                continue
            except httpx.HTTPError as err:
                raise LLMError(f"{self._where()} could not be reached "
                               f"({_reason(err, key, httpx)}). Check base_url=.") from None
            if status == 200:
                return text
            if (status == 429 or status >= 500) and attempt < self.max_retries:
                self._wait(end, attempt, retry_after, f"answered HTTP {status}", status)
                continue
            raise self._status_error(status, text, key, attempt + 1)
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(self, http: httpx.Client, body: dict[str, Any], headers: dict[str, str],
              limit: float) -> tuple[int, str | None, str]:
        """One request, given up after ``limit`` seconds however slowly the server answers.

        It runs in a worker thread; the caller stops waiting at ``limit`` and the worker,
        told to stop, quits at its next read (each read waits ``limit`` at most).
        """
        if limit <= 0:
            raise _Overdue("no time left for another attempt")
        done, stop = threading.Event(), threading.Event()
        result: list[Any] = []

        def work() -> None:
            try:
                result.append(self._read(http, body, headers, limit, stop))
            except BaseException as err:  # noqa: BLE001 - handed to the caller
                result.append(err)
            finally:
                done.set()

        threading.Thread(target=work, name="textaug-llm-request", daemon=True).start()
        if not done.wait(limit):
            stop.set()
            raise _Overdue(f"no complete answer within {limit:.3g}s")
        if isinstance(result[0], BaseException):
            raise result[0]
        return result[0]

    def _read(self, http: httpx.Client, body: dict[str, Any], headers: dict[str, str],
              limit: float, stop: threading.Event) -> tuple[int, str | None, str]:
        """Status, Retry-After and text of the answer, read a chunk at a time."""
        with http.stream("POST", self.url, json=body, headers=headers, timeout=limit) as resp:
            data = bytearray()
            for chunk in resp.iter_bytes():
                if stop.is_set():
                    break
                data += chunk
                if len(data) > MAX_BODY_BYTES:
                    raise LLMError(
                        f"{self._where()} answered with a body of more than "
                        f"{MAX_BODY_BYTES // 2**20} MiB. Check base_url= and ask for shorter "
                        "answers.", status=resp.status_code)
            return (resp.status_code, resp.headers.get("retry-after"),
                    data.decode("utf-8", errors="replace"))

    def _wait(self, end: float, attempt: int, retry_after: str | None, why: str,
              status: int | None) -> None:
        """Sleep before the next attempt; fail now if the wait would pass the deadline."""
        asked = _retry_after(retry_after)
        delay = min(self.backoff * 2 ** attempt, MAX_WAIT) if asked is None else asked
        left = end - time.monotonic()
        if delay >= left:
            wait = f"Retry-After: {retry_after}" if asked is not None else f"backoff {delay:g}s"
            raise LLMError(
                f"{self._where()} {why} (attempt {attempt + 1}); the wait before the next "
                f"attempt ({wait}) would pass deadline={self.deadline:g}s ({max(left, 0):.3g}s "
                "left), so it fails now. Retry later, lower max_concurrency= or raise "
                "deadline=.", status=status)
        logger.info("%s: %s; retry %d of %d in %.2fs", self._where(), why, attempt + 1,
                    self.max_retries, delay)
        time.sleep(delay)

    def _late(self, attempts: int, why: str) -> LLMError:
        return LLMError(f"{self._where()} {why}: it ran out of deadline={self.deadline:g}s "
                        f"after {attempts} attempt(s) with timeout={self.timeout:g}s. Check "
                        "that the server is running, or raise deadline=.")

    def _where(self) -> str:
        return f"The chat API at {_safe_url(self.url)} (model {self.model!r})"

    def _status_error(self, status: int, text: str, key: str | None,
                      attempts: int) -> LLMError:
        hint = {401: f"Check the API key in the environment variable {self.api_key_env!r}"
                     f"{'' if key else ' (it is not set)'}.",
                403: f"Check the API key in {self.api_key_env!r} and its permissions.",
                404: "Check base_url= (it usually ends in /v1) and the model name.",
                429: "The server is rate limiting: lower max_concurrency= or retry later.",
                }.get(status, "Check the request parameters." if status < 500 else
                      "The server failed: retry later or raise max_retries=.")
        tries = f" after {attempts} attempts" if attempts > 1 else ""
        return LLMError(f"{self._where()} answered HTTP {status}{tries}: "
                        f"{_excerpt(text, key)!r}. {hint}", status=status)

    def _choices(self, text: str, key: str | None) -> list[str]:
        """The text of each choice, the key blanked out should the model echo it."""
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            raise LLMError(f"{self._where()} answered HTTP 200 with a body that is not JSON: "
                           f"{_excerpt(text, key)!r}. Check that base_url= points at an "
                           "OpenAI-compatible API (it usually ends in /v1).") from None
        choices = data.get("choices") if isinstance(data, dict) else None
        found = [_content(c) for c in choices] if isinstance(choices, list) else []
        texts = [t for t in found if t is not None]
        if not texts:
            raise LLMError(f"{self._where()} answered with no text in its choices: "
                           f"{_excerpt(text, key)!r}.")
        secret = key if key and len(key) >= MIN_REDACTED else None
        return [redact(t, secret) for t in texts]


def _excerpt(text: str, key: str | None, limit: int = 200) -> str:
    """The server's message, short, with the API key blanked out (before the cut).

    >>> _excerpt('{"error": {"message": "bad key sk-123456"}}', "sk-123456", limit=12)
    'bad key ***'
    """
    try:
        error = json.loads(text).get("error")
        text = str(error.get("message", error) if isinstance(error, dict) else error or text)
    except (ValueError, AttributeError, RecursionError):
        pass
    return " ".join(redact(text, key).split())[:limit]


def _reason(err: BaseException, key: str | None, httpx: Any) -> str:
    """What went wrong with a request, never with a header value in it.

    A ``LocalProtocolError`` (the request itself was bad, such as an illegal header)
    quotes the header: only its kind is given.
    """
    if isinstance(err, _Overdue):
        return str(err)
    if isinstance(err, httpx.LocalProtocolError):
        return f"{type(err).__name__}: the request could not be sent"
    return f"{type(err).__name__}: {redact(str(err), key)}"


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

    >>> _retry_after("2"), _retry_after(None), _retry_after("soon"), _retry_after("inf")
    (2.0, None, None, inf)
    """
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return None if math.isnan(seconds) else max(0.0, seconds)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _safe_url(url: str) -> str:
    """The URL without user:password, query or fragment (they may hold secrets).

    >>> _safe_url("https://u:p@host:8000/v1?key=1")
    'https://host:8000/v1'
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(not a URL)"
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def check_base_url(url: Any, owner: str) -> None:
    """Check that ``base_url`` is an http(s) URL holding no user, password or query.

    >>> check_base_url("https://api.example.com/v1?key=sk-abc", "llm_paraphrase")
    Traceback (most recent call last):
    ...
    textaug.errors.InvalidParameterError: The 'base_url' parameter of llm_paraphrase must ...
    """
    check_param(isinstance(url, str) and url.startswith(("http://", "https://")), owner,
                "base_url", "an http:// or https:// URL", _safe_url(str(url)))
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise InvalidParameterError(f"The 'base_url' parameter of {owner} must be a valid "
                                    f"http:// or https:// URL. Got {_safe_url(url)!r}.") from None
    if "@" in parts.netloc or parts.query or parts.fragment:
        raise InvalidParameterError(
            f"The 'base_url' parameter of {owner} must be an http:// or https:// URL without "
            "a user name, password, query or fragment (they may hold secrets, and a URL is "
            f"logged and pickled). Got {_safe_url(url)!r} with more (not shown). Put the API "
            "key in an environment variable and pass its name as api_key_env=.")


def check_env_name(name: Any, owner: str) -> None:
    """Check that ``api_key_env`` names a variable; never echo it (it may be the key).

    A name that looks like a key (``hf_``, ``gsk_``, ``AIza``... before a long tail, or a
    long run of letters mixed with digits) is refused.
    """
    if not (isinstance(name, str) and _ENV_NAME.match(name) and not _looks_like_key(name)):
        raise InvalidParameterError(
            f"The 'api_key_env' parameter of {owner} must be the name of an environment "
            "variable (letters, digits and _), such as 'OPENAI_API_KEY', not the key itself "
            "(the value given is not shown): pass the NAME of the variable, and put the key "
            "in that variable.")


def _looks_like_key(name: str) -> bool:
    """Whether a would-be variable name looks like an API key.

    >>> _looks_like_key("hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234"), _looks_like_key("HF_TOKEN")
    (True, False)
    """
    if _KEY_PREFIX.match(name):
        return True
    return any(len(part) >= 20 and not part.isalpha() and not part.isdigit()
               for part in name.split("_"))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
