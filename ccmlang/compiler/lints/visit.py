"""Walking a program for lint rules: every statement with its context, every expression.

Rules should not each re-implement recursion over bodies, branches, loops and component
declarations (and forget one). :func:`walk` yields each statement, option and declaration of a
module once, in source order, with the chain of enclosing nodes; :func:`expressions` and
:func:`walk_expr` reach every expression, including those interpolated into strings.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ccmlang.compiler import ast
from ccmlang.compiler.program import ModuleInfo, Program

Node = ast.Stmt | ast.Decl | ast.Option
"""What :func:`walk` yields: a statement, a declaration or an option."""


@dataclass(frozen=True, slots=True)
class Visit:
    """One node met by :func:`walk`, with where it stands."""

    node: Node
    module: ModuleInfo
    parents: tuple[Node, ...]
    """Enclosing nodes, outermost first (a component's body has the declaration first)."""

    @property
    def parent(self) -> Node | None:
        return self.parents[-1] if self.parents else None

    def inside(self, *keywords: str) -> bool:
        """Whether an enclosing element has one of ``keywords``."""
        return any(isinstance(p, ast.Element) and p.keyword in keywords for p in self.parents)

    @property
    def in_component(self) -> ast.ComponentDecl | None:
        for p in self.parents:
            if isinstance(p, ast.ComponentDecl):
                return p
        return None


def modules(program: Program) -> list[ModuleInfo]:
    """The root module and every module it imports, transitively, each once (root first)."""
    seen: dict[str, ModuleInfo] = {}
    stack = [program.root]
    while stack:
        module = stack.pop(0)
        key = str(module.path)
        if key in seen:
            continue
        seen[key] = module
        stack.extend(module.imports.values())
    return list(seen.values())


def children(node: Node) -> tuple[Node, ...]:
    """Direct child statements, options and bodies' items of ``node`` (not expressions)."""
    if isinstance(node, ast.Element):
        return node.options + (node.body.items if node.body is not None else ())
    if isinstance(node, ast.If):
        items: list[Node] = []
        for branch in node.branches:
            items.extend(branch.body.items)
        if node.otherwise is not None:
            items.extend(node.otherwise.items)
        return tuple(items)
    if isinstance(node, ast.For):
        rest = node.otherwise.items if node.otherwise is not None else ()
        return node.body.items + rest
    if isinstance(node, ast.Use):
        return node.body.items if node.body is not None else ()
    if isinstance(node, ast.StyleDecl | ast.ComponentDecl):
        return node.body.items
    return ()


def walk(module: ModuleInfo, items: Iterable[Node] | None = None) -> Iterator[Visit]:
    """Every node of ``module`` (or under ``items``), depth first in source order."""
    roots = tuple(module.module.items) if items is None else tuple(items)
    stack: list[tuple[Node, tuple[Node, ...]]] = [(n, ()) for n in reversed(roots)]
    while stack:
        node, parents = stack.pop()
        yield Visit(node, module, parents)
        inner = (*parents, node)
        stack.extend((child, inner) for child in reversed(children(node)))


def expressions(node: Node) -> Iterator[ast.Expr]:
    """The expressions that belong to ``node`` itself (not to its child statements)."""
    if isinstance(node, ast.Element):
        if node.positional is not None:
            yield node.positional
        if node.value is not None:
            yield node.value
    elif isinstance(node, ast.Option):
        yield node.value
        yield from node.extra
    elif isinstance(node, ast.Text):
        yield node.value
    elif isinstance(node, ast.If):
        for branch in node.branches:
            yield branch.condition
    elif isinstance(node, ast.For):
        yield node.iterable
    elif isinstance(node, ast.Let):
        yield node.value
    elif isinstance(node, ast.Use):
        for arg in node.args:
            yield arg.value
    elif isinstance(node, ast.ComponentDecl):
        for param in node.params:
            if param.default is not None:
                yield param.default


def walk_expr(expr: ast.Expr) -> Iterator[ast.Expr]:
    """``expr`` and every expression inside it, including ``{…}`` parts of strings."""
    stack: list[ast.Expr] = [expr]
    while stack:
        e = stack.pop()
        yield e
        if isinstance(e, ast.Attribute):
            stack.append(e.obj)
        elif isinstance(e, ast.Subscript):
            stack.extend((e.index, e.obj))
        elif isinstance(e, ast.Str):
            stack.extend(p for p in reversed(e.parts) if not isinstance(p, str))
        elif isinstance(e, ast.ListLit):
            stack.extend(reversed(e.items))
        elif isinstance(e, ast.Unary):
            stack.append(e.operand)
        elif isinstance(e, ast.Binary):
            stack.extend((e.right, e.left))
        elif isinstance(e, ast.Conditional):
            stack.extend((e.otherwise, e.then, e.condition))
        elif isinstance(e, ast.Filter):
            stack.extend(a.value for a in reversed(e.args))
            stack.append(e.value)


def names_used(nodes: Iterable[Node], module: ModuleInfo) -> set[str]:
    """Every bare variable name read by expressions under ``nodes``."""
    found: set[str] = set()
    for visit in walk(module, nodes):
        for expr in expressions(visit.node):
            for e in walk_expr(expr):
                if isinstance(e, ast.Name):
                    found.add(e.name)
    return found


def qualified(expr: ast.Expr) -> tuple[str, ...] | None:
    """``warning`` → ``("warning",)``, ``brand.warning`` → ``("brand", "warning")``."""
    if isinstance(expr, ast.Name):
        return (expr.name,)
    if isinstance(expr, ast.Attribute):
        inner = qualified(expr.obj)
        return None if inner is None else (*inner, expr.name)
    return None


def constant_text(expr: ast.Expr | None) -> str | None:
    """The text of a string literal without interpolation, else ``None``."""
    if isinstance(expr, ast.Str) and expr.is_constant:
        return expr.constant
    return None


def header(module: ModuleInfo) -> ast.Element | None:
    """The module's ``template`` or ``library`` header element."""
    for item in module.module.items:
        if isinstance(item, ast.Element) and item.keyword in ("template", "library"):
            return item
    return None


def declared_languages(module: ModuleInfo) -> tuple[str, ...]:
    """Languages from ``ModuleInfo`` or, before resolution fills it, from the header option."""
    if module.languages:
        return module.languages
    head = header(module)
    option = head.option("languages") if head is not None else None
    if option is None or not isinstance(option.value, ast.ListLit):
        return ()
    langs = (constant_text(item) for item in option.value.items)
    return tuple(lang for lang in langs if lang)
