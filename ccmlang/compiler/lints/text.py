"""Text content: untranslated literals in multilingual templates, placeholder text.

Customer communications are legal documents; a German customer reading an English sentence or
"Lorem ipsum" in a sent letter is a complaint, sometimes a regulatory one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ccmlang.compiler import ast
from ccmlang.compiler.diagnostics import Label
from ccmlang.compiler.lints.base import Finding, LintContext, LintRule, finding
from ccmlang.compiler.lints.visit import Visit, declared_languages, header, walk

_TEXT_OPTIONS = ("alt", "caption", "empty", "title", "subject", "label", "help")
"""Options whose value is read by people (``label``/``help`` are shown to agents)."""
_NOT_TEXT_PARENTS = ("template", "library", "font", "field", "index", "page")
_NOT_TEXT_KEYWORDS = ("image", "font", "template", "library", "qr", "barcode", "editable", "field")
_LETTER = re.compile(r"[^\W\d_]")


def _literal_texts(v: Visit) -> Iterator[ast.Str]:
    """String literals under ``v`` that a reader sees as text."""
    node = v.node
    if isinstance(node, ast.Text):
        yield node.value
    elif isinstance(node, ast.Element) and isinstance(node.positional, ast.Str):
        if node.keyword not in _NOT_TEXT_KEYWORDS:
            yield node.positional
    elif (
        isinstance(node, ast.Option)
        and node.name in _TEXT_OPTIONS
        and isinstance(node.value, ast.Str)
        and not v.inside(*_NOT_TEXT_PARENTS)
        and not _staff_label(v)
    ):
        yield node.value


def _staff_label(v: Visit) -> bool:
    """``editable closing label: "…"`` is shown to agents in the form, never to customers."""
    parent = v.parent
    return (
        isinstance(v.node, ast.Option)
        and v.node.name in ("label", "help")
        and isinstance(parent, ast.Element)
        and parent.keyword == "editable"
    )


def _has_words(text: ast.Str) -> bool:
    return any(isinstance(p, str) and _LETTER.search(p) for p in text.parts)


class Untranslated(LintRule):
    """Literal text outside language variants in a template that declares several languages.

    With ``languages: ["en", "de"]`` every text a reader sees should come in each language
    (``paragraph { en: "Dear customer" de: "Sehr geehrte Kundin" }``); a plain literal prints
    the same words to every reader. Text that is only interpolation (``"{customer.name}"``) or
    has no letters (``"–"``) is not reported.

    **Anti-pattern**::

        template "Letter" languages: ["en", "de"]
        paragraph "Dear customer"

    **Best practice**::

        template "Letter" languages: ["en", "de"]
        paragraph { en: "Dear customer" de: "Sehr geehrte Kundin, sehr geehrter Kunde" }
    """

    code = "W108"
    name = "i18n.untranslated"
    summary = "Literal text that is not translated in a multilingual template."

    def check(self, ctx: LintContext) -> Iterable[Finding]:
        for module in ctx.modules:
            languages = declared_languages(module)
            if len(languages) < 2:
                continue
            head = header(module)
            for v in walk(module):
                if isinstance(v.node, ast.Option) and v.node.name in languages:
                    continue
                for text in _literal_texts(v):
                    if not _has_words(text):
                        continue
                    labels = []
                    if head is not None:
                        option = head.option("languages")
                        if option is not None:
                            labels.append(Label(option.span, "the template is multilingual"))
                    variants = " ".join(f'{lang}: "…"' for lang in languages)
                    yield finding(
                        "this text is not translated",
                        text.span,
                        labels=labels,
                        hints=[f"give a variant per language: `{{ {variants} }}`"],
                    )


_PLACEHOLDER = re.compile(
    r"(?i:lorem ipsum|dolor sit amet)|\b(?:TODO|FIXME|TBD|XXX+)\b|\[(?:insert|name|date)[^\]]*\]"
)


class Placeholder(LintRule):
    """Placeholder text (``Lorem ipsum``, ``TODO``, ``TBD``, ``[insert …]``) in literal text.

    Drafts end up in production; a placeholder in a sent letter is an embarrassment and, in a
    contract or a statement, a defect. Comments (``// TODO``) are fine: only text that is
    printed is checked.

    **Anti-pattern**::

        paragraph "Your adviser: TBD"

    **Best practice**: write the real text, or take it from the data
    (``"Your adviser: {adviser.name}"``).
    """

    code = "W114"
    name = "text.placeholder"
    summary = "Placeholder text such as Lorem ipsum or TODO in printed text."

    def check(self, ctx: LintContext) -> Iterable[Finding]:
        for v in ctx.walk():
            for text in _strings(v):
                raw = text.span.text
                match = _PLACEHOLDER.search(raw)
                if match is None:
                    continue
                start = text.span.start + match.start()
                span = text.span.file.span(start, text.span.start + match.end())
                yield finding(
                    f"placeholder text `{match.group()}` would be printed",
                    span,
                    hints=["replace it with the real text, or take it from the data"],
                )


def _strings(v: Visit) -> Iterator[ast.Str]:
    node = v.node
    if isinstance(node, ast.Text):
        yield node.value
    elif isinstance(node, ast.Element) and isinstance(node.positional, ast.Str):
        if node.keyword not in ("image", "font"):
            yield node.positional
    elif isinstance(node, ast.Option) and isinstance(node.value, ast.Str):
        yield node.value
