"""Paraphrase with an LLM behind an OpenAI-compatible chat API (OpenAI, vLLM, Ollama, ...).

Each row gets one request asking for ``n`` paraphrases as ``{"paraphrases": [...]}``; the
prompt states what must be kept: the row's labels (when the applier was given a label
column and ``label_in_prompt``) and the ``keep`` terms. The answer is read tolerantly
(:func:`parse_paraphrases`); one of the paraphrases that differ from the input and keep
the ``keep`` terms is picked with the row's generator. The request carries a ``seed``
from that generator too (many servers honour it), and the disk cache (``cache=``) makes
reruns identical without a server. A row whose answer cannot be read gets its own error;
the other rows of the batch go on. The model runs on the server: ``device`` is ignored.

Examples
--------
>>> tf = llm_paraphrase("qwen2.5-7b-instruct", keep=["GAN"])
>>> print(tf.messages("GANs for art", ("computer-vision",))[1]["content"])
Paraphrase the text below 1 time(s). Keep its meaning and its language; vary the wording.
- It is labelled 'computer-vision': every paraphrase must still fit that label.
- Keep these terms exactly as written: 'GAN'.
Answer with JSON only: {"paraphrases": ["...", ...]} holding 1 string(s).
<BLANKLINE>
Text:
GANs for art
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from typing import Any

from textaug._rng import Rng
from textaug.errors import InvalidParameterError, check_param
from textaug.llm import ChatClient, LLMError, OpenAIChatClient, check_base_url, check_env_name
from textaug.records import Record
from textaug.tfs._model import ModelTF

SYSTEM = "You rewrite texts for data augmentation. You answer with JSON only."
PROMPT = """Paraphrase the text below {n} time(s). Keep its meaning and its language; \
vary the wording.
{rules}Answer with JSON only: {{"paraphrases": ["...", ...]}} holding {n} string(s).

Text:
{text}"""
MAX_ANSWER_CHARS = 100_000
# The patterns below never backtrack (possessive quantifiers), and each runs once per
# position at most: parsing an answer is linear in its length, whatever it holds.
_FENCE_INFO = re.compile(r"[a-zA-Z]*+\s*+")  # after ```: the language name, then space
_MARKER = re.compile(r"\d++[.):]|[-*\u2022]")  # of a numbered or bulleted line
_ITEM = re.compile(rf"(?:{_MARKER.pattern})\s++(.+)")  # on one stripped line
_OPENER = re.compile(r"[\[{]")
_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*+")
_STRING_BODY = re.compile(r'(?:[^"\\\x00-\x1f]++|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*+')
_SCALAR = re.compile(r"-?+(?:0|[1-9][0-9]*+)(?:\.[0-9]++)?+(?:[eE][-+]?+[0-9]++)?+"
                     r"|true|false|null|NaN|-?Infinity")


def llm_paraphrase(model: str, *, base_url: str = "http://localhost:8000/v1",
                   api_key_env: str = "OPENAI_API_KEY", n: int = 1, temperature: float = 0.7,
                   prompt: str | None = None, keep: Sequence[str] | None = None,
                   label_in_prompt: bool = True, device: str | None = None,
                   batch_size: int = 16, cache: Any = None, timeout: float = 30.0,
                   max_retries: int = 4, max_concurrency: int = 4,
                   deadline: float | None = None, max_answer_chars: int = MAX_ANSWER_CHARS,
                   name: str = "llm_paraphrase") -> LLMParaphrase:
    """A TF that paraphrases each text with a chat model (see the module docstring).

    ``prompt`` is a template with ``{text}``, and optionally ``{n}`` and ``{rules}`` (the
    label and keep lines); literal braces are written ``{{`` and ``}}``. The API key is
    read from the environment variable named ``api_key_env`` at each request, never
    stored. ``timeout`` bounds each request as a whole, and ``deadline`` each row, its
    retries and the waits between them included (None: ``(max_retries + 1) * timeout +
    60``; see :class:`~textaug.llm.OpenAIChatClient`). An answer (one choice) longer
    than ``max_answer_chars`` characters fails its row.
    """
    owner = name if isinstance(name, str) else "llm_paraphrase"
    check_param(isinstance(n, int) and not isinstance(n, bool) and n >= 1, owner, "n",
                "an int >= 1", n)
    check_param(isinstance(temperature, int | float) and not isinstance(temperature, bool)
                and 0 <= temperature <= 2, owner, "temperature", "a number in [0, 2]",
                temperature)
    terms = [keep] if isinstance(keep, str) else list(keep or [])
    check_param(all(isinstance(t, str) and t.strip() for t in terms), owner, "keep",
                "None or a list of non-blank strings", keep)
    check_param(isinstance(label_in_prompt, bool), owner, "label_in_prompt", "a bool",
                label_in_prompt)
    check_param(isinstance(max_answer_chars, int) and not isinstance(max_answer_chars, bool)
                and max_answer_chars >= 1, owner, "max_answer_chars", "an int >= 1",
                max_answer_chars)
    template = PROMPT if prompt is None else prompt
    _check_template(template, owner)
    check_base_url(base_url, owner)
    check_env_name(api_key_env, owner)
    client = OpenAIChatClient(base_url, model, api_key_env=api_key_env, timeout=timeout,
                              max_retries=max_retries, max_concurrency=max_concurrency,
                              deadline=deadline)
    params = {"n": n, "temperature": temperature, "prompt": template, "system": SYSTEM,
              "keep": terms, "label_in_prompt": label_in_prompt}
    return LLMParaphrase(name, model=model, params=params, batch_size=batch_size,
                         device=device, cache=cache, client=client,
                         max_answer_chars=max_answer_chars)


def _check_template(template: Any, owner: str) -> None:
    check_param(isinstance(template, str) and "{text}" in template, owner, "prompt",
                "None or a template holding {text}", template)
    try:
        template.format(text="", n=1, rules="")
    except (KeyError, IndexError, ValueError) as err:
        raise InvalidParameterError(
            f"The 'prompt' parameter of {owner} is not a valid template ({err!r}). It may use "
            "{text}, {n} and {rules}; write literal braces as {{ and }}.") from None


class LLMParaphrase(ModelTF):
    """The TF :func:`llm_paraphrase` builds; ``load`` gives its :class:`ChatClient`."""

    def __init__(self, name: str, *, client: ChatClient,
                 max_answer_chars: int = MAX_ANSWER_CHARS, **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self.client = client  # holds no key and no connection: safe to pickle
        self.max_answer_chars = max_answer_chars  # not a param: it changes no output kept

    def load(self) -> ChatClient:
        """The chat client (no connection is opened until a request)."""
        return self.client

    def messages(self, text: str, labels: Sequence[Any] = ()) -> list[dict[str, str]]:
        """The chat messages asking to paraphrase ``text`` (labelled ``labels``)."""
        rules = []
        if labels and self.params["label_in_prompt"]:
            rules.append(f"- It is labelled {', '.join(repr(str(x)) for x in labels)}: every "
                         "paraphrase must still fit that label.")
        if self.params["keep"]:
            rules.append("- Keep these terms exactly as written: "
                         f"{', '.join(repr(t) for t in self.params['keep'])}.")
        user = self.params["prompt"].format(
            text=text, n=self.params["n"], rules="".join(r + "\n" for r in rules))
        return [{"role": "system", "content": self.params["system"]},
                {"role": "user", "content": user}]

    def generate(self, texts: list[str], rngs: list[Rng]) -> list[str | None]:
        """One paraphrase per text (no labels); raises the first row's error."""
        outs = self._paraphrase(texts, rngs, [()] * len(texts))
        for out in outs:
            if isinstance(out, BaseException):
                raise out
        return [out for out in outs if not isinstance(out, BaseException)]

    def generate_rows(self, records: list[Record],
                      rngs: list[Rng]) -> Sequence[str | None | BaseException]:
        """One paraphrase per row, the prompt stating its labels; a failed answer fails its row."""
        return self._paraphrase([x.text for x in records], rngs,
                                [self._labels(x) for x in records])

    def row_key(self, x: Record) -> Any:
        """The labels stated in the prompt change the answer: they key the cache."""
        labels = self._labels(x)
        return [str(v) for v in labels] if labels else None

    def _labels(self, x: Record) -> tuple[Any, ...]:
        return x.labels if self.params["label_in_prompt"] and x.label_field else ()

    def _paraphrase(self, texts: list[str], rngs: list[Rng],
                    labels: list[tuple[Any, ...]]) -> list[str | None | LLMError]:
        client: ChatClient = self.loaded()
        seeds: list[int | None] = [rng.integers(1 << 31) for rng in rngs]
        answers = client.complete_many(
            [self.messages(t, lab) for t, lab in zip(texts, labels, strict=True)],
            seeds=seeds, temperature=self.params["temperature"])
        return [answer if isinstance(answer, LLMError) else self._read(text, answer, rng)
                for text, rng, answer in zip(texts, rngs, answers, strict=True)]

    def _read(self, text: str, answer: list[str], rng: Rng) -> str | None | LLMError:
        """The paraphrase picked from one row's answer, or the error that fails the row."""
        longest = max(map(len, answer), default=0)
        if longest > self.max_answer_chars:
            return LLMError(f"The answer of model {self.model_id!r} is {longest} characters "
                            f"long, more than max_answer_chars={self.max_answer_chars}. Raise "
                            "max_answer_chars= or ask for shorter answers (prompt=).")
        try:
            found = [p for a in answer for p in parse_paraphrases(a)]
        except LLMError as err:
            return LLMError(f"The answer of model {self.model_id!r}: {err}")
        return self._choose(text, found, rng)

    def _choose(self, text: str, found: list[str], rng: Rng) -> str | None:
        """A paraphrase that differs from ``text`` and keeps the keep terms it has."""
        kept = [t.lower() for t in self.params["keep"] if t.lower() in text.lower()]
        good = [p for p in dict.fromkeys(found)  # unique, in order of first appearance
                if p != text.strip() and all(t in p.lower() for t in kept)]
        return rng.choice(good) if good else None


def parse_paraphrases(answer: str) -> list[str]:
    """The paraphrases in a model's answer: JSON, JSON in a fence or anywhere, or a list.

    ``<think>...</think>`` blocks are left out. The first of these that gives strings
    wins: the whole answer as JSON, each fenced block as JSON, the first JSON array or
    object in the answer that holds strings (``{"paraphrases": [...]}``, a bare list, or
    an object with one list), the numbered or bulleted lines. Linear in the length of
    the answer, whatever it holds.

    Examples
    --------
    >>> parse_paraphrases('{"paraphrases": ["a", "b"]}')
    ['a', 'b']
    >>> parse_paraphrases('Sure!\\n```json\\n["a"]\\n```')
    ['a']
    >>> parse_paraphrases('Here: {"paraphrases": ["a", "b"],} hope it helps')
    ['a', 'b']
    >>> parse_paraphrases("Here they are:\\n1. first one\\n2. \\"second one\\"")
    ['first one', 'second one']
    """
    text = _without_thinking(answer).strip()
    for chunk in [text, *_fenced(text)]:
        found = _from_json(chunk.strip())
        if found:
            return found
    if found := _json_search(text):
        return found
    if items := _items(text):
        return items
    start = " ".join(text[:1000].split())[:120]
    raise LLMError(f"no paraphrases found (no JSON list of strings, no numbered or bulleted "
                   f"lines). It starts: {start!r}. Use a model that follows instructions, or "
                   "adjust prompt=.")


def _without_thinking(text: str) -> str:
    """``text`` less its ``<think>...</think>`` blocks (an unclosed one stays).

    >>> _without_thinking("<think>hmm</think>yes<think>unclosed")
    'yes<think>unclosed'
    """
    parts, pos = [], 0
    while (start := text.find("<think>", pos)) >= 0:
        stop = text.find("</think>", start + 7)
        if stop < 0:
            break  # no block after this one can close either
        parts.append(text[pos:start])
        pos = stop + 8
    parts.append(text[pos:])
    return "".join(parts)


def _fenced(text: str) -> Iterator[str]:
    """The blocks between ```` ``` ```` fences, each less its language name.

    >>> list(_fenced("a ```json\\n[1]``` b ```x``` ```open"))
    ['[1]', '']
    """
    pos = 0
    while (start := text.find("```", pos)) >= 0:
        body = _FENCE_INFO.match(text, start + 3).end()  # type: ignore[union-attr]
        stop = text.find("```", body)
        if stop < 0:
            return  # no fence after this one can close either
        yield text[body:stop]
        pos = stop + 3


def _from_json(chunk: str) -> list[str]:
    try:
        return _strings(json.loads(chunk))
    except (ValueError, RecursionError):  # RecursionError: nested too deep for json
        return []


def _items(text: str) -> list[str]:
    """The numbered or bulleted lines, unquoted (a lone marker takes the next line).

    >>> _items("Sure:\\n 1. first\\n2) 'second'\\n- third \\n-nope\\n3.\\n\\nfourth")
    ['first', 'second', 'third', 'fourth']
    """
    items = []
    lines = (line.strip() for line in text.split("\n"))
    for line in lines:
        if found := _ITEM.match(line):
            item = found.group(1)
        elif _MARKER.fullmatch(line):
            item = next((after for after in lines if after), "")
        else:
            continue
        if item := _unquote(item):
            items.append(item)
    return items


class _Container:
    """A JSON array or object being read: where it opened, its items, what comes next."""

    __slots__ = ("start", "items", "key", "expect")

    def __init__(self, start: int, is_object: bool) -> None:
        self.start = start
        self.items: list[Any] | dict[str, Any] = {} if is_object else []
        self.key = ""
        self.expect = "first"  # first, value, key (objects), colon (objects), comma

    def wants_value(self) -> bool:
        """Whether a value may come next."""
        return self.expect == "value" or (self.expect == "first"
                                          and isinstance(self.items, list))

    def add(self, value: Any) -> bool:
        """Take a value, or an object's key; False where neither may come."""
        if self.wants_value():
            if isinstance(self.items, list):
                self.items.append(value)
            else:
                self.items[self.key] = value
            self.expect = "comma"
        elif self.expect in ("first", "key") and isinstance(value, str):  # an object's key
            self.key, self.expect = value, "colon"
        else:
            return False
        return True

    def punctuation(self, mark: str) -> bool:
        """Take a ``,`` or ``:``; False where it may not come."""
        if mark == ":" and self.expect == "colon":
            self.expect = "value"
        elif mark == "," and self.expect == "comma":
            self.expect = "key" if isinstance(self.items, dict) else "value"
        else:
            return False
        return True

    def closes(self, mark: str) -> bool:
        """Whether ``mark`` closes this container here."""
        return (mark == ("}" if isinstance(self.items, dict) else "]")
                and self.expect in ("first", "comma"))


# Deeper JSON is read as a syntax error: no answer nests paraphrases that deep, and a stack
# of a million open containers makes the garbage collector's passes, and so the search,
# superlinear.
_MAX_DEPTH = 256
_MAX_DECODES = 64


def _json_search(text: str) -> list[str]:
    """The strings of the first JSON array or object in ``text`` that holds some.

    "First" by where it opens, as if ``json.JSONDecoder.raw_decode`` were tried at each
    ``[`` and ``{`` in turn (but for those inside the strings of broken JSON), in one
    pass: JSON that decodes is searched as decoded; JSON that does not is read again
    token by token with a stack, where a syntax error fails the containers open around
    it and the search goes on from there. So no character is read more than three
    times, however the brackets nest or fail to close. Only the first
    ``_MAX_DECODES`` openers are tried with the decoder (its error counts the lines up
    to where it failed, a pass over the text before it); the token reader takes the rest.

    >>> _json_search('[[ {"a": [1} ["x", ] {"paraphrases": ["y"],} ["z"]')
    ['y']
    """
    stack: list[_Container] = []
    best: tuple[int, list[str]] | None = None
    pos, decodes = 0, _MAX_DECODES
    while True:
        if not stack:
            if best is not None:
                return best[1]
            opener = _OPENER.search(text, pos)
            if opener is None:
                return []
            pos, decodes = opener.start(), decodes - 1
            found, pos = _decoded(text, pos) if decodes >= 0 else ([], pos)
            if found:
                return found
            if pos == opener.start():  # it does not decode: read it token by token
                stack.append(_Container(pos, opener.group() == "{"))
                pos += 1
            continue
        pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
        kind, value, after = _token(text, pos)
        top = stack[-1]
        if kind in ("end", "unterminated"):  # no container open or yet to open can close
            return best[1] if best is not None else []
        if kind in ("[", "{") and top.wants_value() and len(stack) < _MAX_DEPTH:
            stack.append(_Container(pos, kind == "{"))
        elif kind in ("]", "}") and top.closes(kind):
            stack.pop()
            best = _earliest(best, top)
            if stack:
                stack[-1].add(top.items)
        elif not ((kind == "value" and top.add(value))
                  or (kind in (",", ":") and top.punctuation(kind))):
            stack.clear()  # a syntax error: the containers open fail; go on from here
            after = pos
        pos = after


def _decoded(text: str, start: int) -> tuple[list[str], int]:
    """The strings of the first container (in the order they open) of the JSON value
    decoded at ``start``, and where it ends; ``([], start)`` where none decodes."""
    try:
        value, end = _DECODER.raw_decode(text, start)
    except (ValueError, RecursionError):  # RecursionError: nested too deep for json
        return [], start
    todo = [value]
    while todo:
        item = todo.pop()
        if found := _strings(item):
            return found, end
        inner = item.values() if isinstance(item, dict) else item
        todo.extend(reversed([v for v in inner if isinstance(v, list | dict)]))
    return [], end


def _token(text: str, pos: int) -> tuple[str, Any, int]:
    """The JSON token at ``pos``: its kind, its value and where it ends.

    The kind is a bracket, ``,`` or ``:``, "value" (a string, or None for a number,
    true, false or null), "end", "unterminated" (a string that never closes: no string
    after it can close either) or "error".
    """
    if pos >= len(text):
        return "end", None, pos
    char = text[pos]
    if char in "[]{},:":
        return char, None, pos + 1
    if char == '"':
        stop = _STRING_BODY.match(text, pos + 1).end()  # type: ignore[union-attr]
        if stop == len(text):
            return "unterminated", None, stop
        if text[stop] != '"':  # a control character or a bad escape
            return "error", None, pos
        raw = text[pos + 1:stop]
        return "value", json.loads(text[pos:stop + 1]) if "\\" in raw else raw, stop + 1
    scalar = _SCALAR.match(text, pos)
    return ("value", None, scalar.end()) if scalar else ("error", None, pos)


def _earliest(best: tuple[int, list[str]] | None,
              closed: _Container) -> tuple[int, list[str]] | None:
    """The earlier opened of ``best`` and ``closed``, if ``closed`` holds strings."""
    found = _strings(closed.items)
    return (closed.start, found) if found and (best is None or closed.start < best[0]) else best


def _strings(value: Any) -> list[str]:
    """The strings of ``{"paraphrases": [...]}``, of a bare list, or of a lone list value."""
    if isinstance(value, dict):
        lists = [v for v in value.values() if isinstance(v, list)]
        value = value.get("paraphrases", lists[0] if len(lists) == 1 else None)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [s.strip() for s in value if isinstance(s, str) and s.strip()]


def _unquote(item: str) -> str:
    item = item.strip()
    if len(item) >= 2 and item[0] == item[-1] and item[0] in "\"'":
        item = item[1:-1].strip()
    return item
