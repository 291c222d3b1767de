"""Unused declarations: styles, components, imports, ``let`` bindings and fonts.

Dead declarations mislead the next designer ("is this style still in the brand?") and, for
fonts, make every PDF carry a font file nobody sees. Only templates are checked for unused
styles, components and fonts: a library's declarations are its public interface.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ccmlang.compiler import ast, elements
from ccmlang.compiler.diagnostics import Hint, Label
from ccmlang.compiler.lints.base import Finding, LintContext, LintRule, finding
from ccmlang.compiler.lints.visit import (
    Node,
    constant_text,
    names_used,
    qualified,
    walk,
    walk_expr,
)
from ccmlang.compiler.program import ModuleInfo

_STYLE_OPTIONS = ("style", "header-style")
_ALL_KEYWORDS = {kw for table in elements.ELEMENTS.values() for kw in table}
_ELEMENT_STYLE = re.compile(
    r"(?:body|heading-[1-6]|table-header|table-footer|[a-z-]+-(?:odd|even))\Z"
)


def _style_references(module: ModuleInfo) -> Iterator[tuple[str, ...]]:
    """Every style name written in ``module``: ``style:`` options and ``extends``."""
    for v in walk(module):
        node = v.node
        if isinstance(node, ast.Option) and node.name in _STYLE_OPTIONS:
            parts = qualified(node.value)
            if parts is not None:
                yield parts
        elif isinstance(node, ast.StyleDecl) and node.extends:
            yield node.extends


def _is_element_default(name: str, ctx: LintContext) -> bool:
    """Styles named after an element (``heading``, ``table-header``, ``body``) apply by name."""
    return (
        name in ctx.program.element_styles
        or name in _ALL_KEYWORDS
        or _ELEMENT_STYLE.match(name) is not None
    )


class StyleUnused(LintRule):
    """A style that no element, span or other style refers to.

    Styles accumulate as a template evolves; one that nothing uses still has to be read and kept
    in line with the brand. Styles named after an element (``heading``, ``heading-2``,
    ``table-header``, ``body``) apply automatically and are never reported.

    **Anti-pattern**::

        style legacy-warning { color: #b00020 }
        paragraph "Hello"

    **Best practice**: delete it, or use it with ``style: legacy-warning``.
    """

    code = "W101"
    name = "style.unused"
    summary = "A style that nothing uses."

    def check(self, ctx: LintContext) -> Iterable[Finding]:
        if not ctx.is_template:
            return
        root = ctx.root
        used = {parts[0] for parts in _style_references(root) if len(parts) == 1}
        for item in root.module.items:
            if isinstance(item, ast.StyleDecl) and item.name not in used:
                if _is_element_default(item.name, ctx):
                    continue
                yield finding(
                    f"style `{item.name}` is never used",
                    item.name_span,
                    hints=[f"delete it, or apply it with `style: {item.name}`"],
                )


class ComponentUnused(LintRule):
    """A component declared in a template and never called with ``use``.

    An uncalled component is dead code that still gets type-checked and maintained.

    **Anti-pattern**::

        component signature(name: string) { paragraph "{name}" }
        paragraph "Kind regards"

    **Best practice**: call it (``use signature("Jane")``) or delete it; components meant for
    sharing belong in a ``library``.
    """

    code = "W102"
    name = "component.unused"
    summary = "A component that is never called."

    def check(self, ctx: LintContext) -> Iterable[Finding]:
        if not ctx.is_template:
            return
        root = ctx.root
        called = {
            v.node.target[0]
            for v in walk(root)
            if isinstance(v.node, ast.Use) and len(v.node.target) == 1
        }
        for item in root.module.items:
            if isinstance(item, ast.ComponentDecl) and item.name not in called:
                yield finding(
                    f"component `{item.name}` is never used",
                    item.name_span,
                    hints=[f"call it with `use {item.name}(…)`, or move it to a library"],
                )


def _type_aliases(type_expr: ast.TypeExpr) -> Iterator[str]:
    if isinstance(type_expr, ast.NamedType):
        if len(type_expr.parts) > 1:
            yield type_expr.parts[0]
    elif isinstance(type_expr, ast.ListType | ast.OptionalType):
        yield from _type_aliases(
            type_expr.item if isinstance(type_expr, ast.ListType) else type_expr.inner
        )
    elif isinstance(type_expr, ast.RecordType):
        for f in type_expr.fields:
            yield from _type_aliases(f.type)


class ImportUnused(LintRule):
    """An ``import … as alias`` whose alias is never used.

    Every import is loaded and checked on each compile, and an unused one suggests the template
    depends on a library it does not.

    **Anti-pattern**::

        import "brand.ccm" as brand
        paragraph "Hello"

    **Best practice**: remove the import, or use the library (``style: brand.warning``,
    ``use brand.address(…)``).
    """

    code = "W103"
    name = "import.unused"
    summary = "An import whose alias is never used."

    def check(self, ctx: LintContext) -> Iterable[Finding]:
        for module in ctx.modules:
            imports = [i for i in module.module.items if isinstance(i, ast.Import)]
            if not imports:
                continue
            used: set[str] = set()
            for v in walk(module):
                node = v.node
                if isinstance(node, ast.Use) and len(node.target) > 1:
                    used.add(node.target[0])
                elif isinstance(node, ast.StyleDecl) and node.extends and len(node.extends) > 1:
                    used.add(node.extends[0])
                elif isinstance(node, ast.Option) and node.name in _STYLE_OPTIONS:
                    parts = qualified(node.value)
                    if parts is not None and len(parts) > 1:
                        used.add(parts[0])
                elif isinstance(node, ast.ComponentDecl):
                    for param in node.params:
                        used.update(_type_aliases(param.type))
                elif isinstance(node, ast.TypeDecl):
                    used.update(_type_aliases(node.type))
            for imp in imports:
                if imp.alias not in used:
                    yield finding(
                        f"import `{imp.alias}` is never used",
                        imp.alias_span,
                        labels=[Label(imp.path_span, "this file is loaded for nothing")],
                        hints=[Hint("remove the import", imp.span, "")],
                    )


def _bodies(module: ModuleInfo) -> Iterator[tuple[Node, ...]]:
    """Every sequence of sibling statements: the module's items and each body."""
    yield module.module.items
    for v in walk(module):
        node = v.node
        if isinstance(node, ast.Element | ast.Use | ast.StyleDecl | ast.ComponentDecl):
            body = node.body
            if body is not None:
                yield body.items
        elif isinstance(node, ast.If):
            for branch in node.branches:
                yield branch.body.items
            if node.otherwise is not None:
                yield node.otherwise.items
        elif isinstance(node, ast.For):
            yield node.body.items
            if node.otherwise is not None:
                yield node.otherwise.items


class LetUnused(LintRule):
    """A ``let`` binding that nothing after it reads.

    Usually a leftover after an edit, or a typo in the name where it was meant to be used (which
    then reads a data field of that name instead).

    **Anti-pattern**::

        let total = invoice.net + invoice.vat
        paragraph "Total: {invoice.net}"

    **Best practice**: use the binding, or delete it.
    """

    code = "W110"
    name = "let.unused"
    summary = "A `let` binding that is never read."

    def check(self, ctx: LintContext) -> Iterable[Finding]:
        for module in ctx.modules:
            top = module.module.items
            for siblings in _bodies(module):
                for i, node in enumerate(siblings):
                    if not isinstance(node, ast.Let):
                        continue
                    # At top level, a page header may read a `let` declared further down.
                    scope = (
                        [s for s in top if s is not node] if siblings is top else siblings[i + 1 :]
                    )
                    if node.name in names_used(scope, module):
                        continue
                    if _reads_itself_later(node, siblings[i + 1 :]):
                        continue
                    yield finding(
                        f"`{node.name}` is assigned but never used",
                        node.name_span,
                        hints=[Hint("remove the binding", node.span, "")],
                    )


def _reads_itself_later(node: ast.Let, rest: Iterable[Node]) -> bool:
    """A later ``let`` of the same name that reads the old value counts as a use."""
    for other in rest:
        if isinstance(other, ast.Let) and other.name == node.name:
            return any(
                isinstance(e, ast.Name) and e.name == node.name for e in walk_expr(other.value)
            )
    return False


class FontUnused(LintRule):
    """A ``font`` family that no style's ``font:`` names.

    Declared fonts are embedded in every PDF; an unused one makes each document larger and
    slower to produce for no visible effect.

    **Anti-pattern**::

        font "Brand Serif" { regular: "fonts/BrandSerif.ttf" }
        style body { font: "Helvetica" }

    **Best practice**: use it in a style (``font: "Brand Serif"``) or delete the declaration.
    """

    code = "W111"
    name = "font.unused"
    summary = "A declared font family that no style uses."

    def check(self, ctx: LintContext) -> Iterable[Finding]:
        if not ctx.is_template:
            return
        families: set[str] = set()
        for v in ctx.walk():
            if isinstance(v.node, ast.Option) and v.node.name in ("font", "font-family"):
                text = constant_text(v.node.value)
                if text is not None:
                    families.update(f.strip().strip("'\"").casefold() for f in text.split(","))
        for module in ctx.modules:
            for item in module.module.items:
                if not (isinstance(item, ast.Element) and item.keyword == "font"):
                    continue
                family = constant_text(item.positional)
                if family is None or family.casefold() in families:
                    continue
                span = item.positional.span if item.positional is not None else item.span
                yield finding(
                    f"font `{family}` is declared but no style uses it",
                    span,
                    hints=[f'use it in a style (`font: "{family}"`) or delete the declaration'],
                )
