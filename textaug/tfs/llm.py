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
from collections.abc import Sequence
from typing import Any

from textaug._rng import Rng
from textaug.errors import InvalidParameterError, check_param
from textaug.llm import ChatClient, LLMError, OpenAIChatClient, check_env_name
from textaug.records import Record
from textaug.tfs._model import ModelTF

SYSTEM = "You rewrite texts for data augmentation. You answer with JSON only."
PROMPT = """Paraphrase the text below {n} time(s). Keep its meaning and its language; \
vary the wording.
{rules}Answer with JSON only: {{"paraphrases": ["...", ...]}} holding {n} string(s).

Text:
{text}"""
_FENCE = re.compile(r"```[a-zA-Z]*\s*\n?(.*?)```", re.DOTALL)
_ITEM = re.compile(r"^\s*(?:\d+[.):]|[-*\u2022])\s+(.+?)\s*$", re.MULTILINE)
_THINK = re.compile(r"<think>.*?</think>", re.DOTALL)


def llm_paraphrase(model: str, *, base_url: str = "http://localhost:8000/v1",
                   api_key_env: str = "OPENAI_API_KEY", n: int = 1, temperature: float = 0.7,
                   prompt: str | None = None, keep: Sequence[str] | None = None,
                   label_in_prompt: bool = True, device: str | None = None,
                   batch_size: int = 16, cache: Any = None, timeout: float = 30.0,
                   max_retries: int = 4, max_concurrency: int = 4,
                   name: str = "llm_paraphrase") -> LLMParaphrase:
    """A TF that paraphrases each text with a chat model (see the module docstring).

    ``prompt`` is a template with ``{text}``, and optionally ``{n}`` and ``{rules}`` (the
    label and keep lines); literal braces are written ``{{`` and ``}}``. The API key is
    read from the environment variable ``api_key_env`` at each request, never stored.
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
    template = PROMPT if prompt is None else prompt
    _check_template(template, owner)
    check_env_name(api_key_env, owner)
    client = OpenAIChatClient(base_url, model, api_key_env=api_key_env, timeout=timeout,
                              max_retries=max_retries, max_concurrency=max_concurrency)
    params = {"n": n, "temperature": temperature, "prompt": template, "system": SYSTEM,
              "keep": terms, "label_in_prompt": label_in_prompt}
    return LLMParaphrase(name, model=model, params=params, batch_size=batch_size,
                         device=device, cache=cache, client=client)


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

    def __init__(self, name: str, *, client: ChatClient, **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self.client = client  # holds no key and no connection: safe to pickle

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
        outs: list[str | None | LLMError] = []
        for text, rng, answer in zip(texts, rngs, answers, strict=True):
            if isinstance(answer, LLMError):
                outs.append(answer)
                continue
            try:
                found = [p for a in answer for p in parse_paraphrases(a)]
            except LLMError as err:
                outs.append(LLMError(f"The answer of model {self.model_id!r}: {err}"))
                continue
            outs.append(self._choose(text, found, rng))
        return outs

    def _choose(self, text: str, found: list[str], rng: Rng) -> str | None:
        """A paraphrase that differs from ``text`` and keeps the keep terms it has."""
        kept = [t.lower() for t in self.params["keep"] if t.lower() in text.lower()]
        good = sorted({p for p in found if p != text.strip()
                       and all(t in p.lower() for t in kept)}, key=found.index)
        return rng.choice(good) if good else None


def parse_paraphrases(answer: str) -> list[str]:
    """The paraphrases in a model's answer: JSON, JSON in a fence or anywhere, or a list.

    Examples
    --------
    >>> parse_paraphrases('{"paraphrases": ["a", "b"]}')
    ['a', 'b']
    >>> parse_paraphrases('Sure!\\n```json\\n["a"]\\n```')
    ['a']
    >>> parse_paraphrases("Here they are:\\n1. first one\\n2. \\"second one\\"")
    ['first one', 'second one']
    """
    text = _THINK.sub("", answer).strip()
    for chunk in [text, *_FENCE.findall(text)]:
        found = _from_json(chunk.strip())
        if found:
            return found
    decoder = json.JSONDecoder()
    for match in re.finditer(r"[\[{]", text):
        try:
            value, _ = decoder.raw_decode(text, match.start())
        except ValueError:
            continue
        found = _strings(value)
        if found:
            return found
    items = [_unquote(m) for m in _ITEM.findall(text)]
    if items := [i for i in items if i]:
        return items
    raise LLMError(f"no paraphrases found (no JSON list of strings, no numbered or bulleted "
                   f"lines). It starts: {' '.join(text.split())[:120]!r}. Use a model that "
                   "follows instructions, or adjust prompt=.")


def _from_json(chunk: str) -> list[str]:
    try:
        return _strings(json.loads(chunk))
    except ValueError:
        return []


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
