"""The registry of error codes (spec/diagnostics.md documents each, with a failing and a fixed
example that the tests compile).

Families: ``E0xxx`` source and syntax, ``E1xxx`` names and structure, ``E2xxx`` types against the
data contract, ``E3xxx`` rendering and limits. Lint warnings (``Wxxxx``) live with their rules in
``ccmlang.compiler.lints``. Codes are stable: SARIF rule ids are these codes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    name: str
    summary: str


_CODES = [
    # ---- source and syntax
    Code("E0001", "syntax.unexpected-token", "The parser met a token it did not expect here."),
    Code("E0002", "syntax.unexpected-character", "A character that starts no token."),
    Code("E0003", "syntax.unclosed", "The file ended while a construct was still open."),
    Code("E0004", "syntax.interpolation", "A `{…}` interpolation in a string is malformed."),
    Code("E0005", "syntax.escape", "An unknown escape sequence in a string."),
    Code("E0006", "source.encoding", "The file is not valid UTF-8."),
    Code("E0007", "source.empty", "The file is empty."),
    Code("E0008", "source.too-large", "The file is larger than the source size limit."),
    Code("E0009", "syntax.too-deep", "Nesting deeper than the limit."),
    Code("E0010", "syntax.too-many-errors", "Parsing stopped after too many syntax errors."),
    Code("E0011", "syntax.literal", "A literal that is not valid (a date like 2024-02-30)."),
    Code("E0012", "source.unreadable", "The file cannot be read."),
    # ---- names and structure
    Code("E1001", "import.not-found", "An imported file does not exist."),
    Code("E1002", "import.cycle", "Files import each other in a cycle."),
    Code("E1003", "project.outside", "A path leaves the template project."),
    Code("E1004", "import.not-library", "An imported file is a template, not a library."),
    Code("E1005", "option.unknown", "An element does not take this option."),
    Code("E1006", "option.duplicate", "An option is given twice."),
    Code("E1007", "element.misplaced", "An element is not allowed where it stands."),
    Code("E1008", "element.missing", "A required part of an element is missing."),
    Code("E1009", "style.unknown", "A style name that is not declared."),
    Code("E1010", "style.cycle", "Styles extend each other in a cycle."),
    Code("E1011", "component.unknown", "A component that is not declared."),
    Code("E1012", "component.recursive", "A component uses itself, directly or through others."),
    Code("E1013", "type.unknown", "A type name that is not declared."),
    Code("E1014", "name.duplicate", "A name is declared twice."),
    Code("E1015", "name.unknown", "A variable that is not in scope."),
    Code("E1016", "asset.missing", "A referenced file (image, font, schema) does not exist."),
    Code("E1017", "header.missing", "A template without its `template` header."),
    Code("E1018", "schema.invalid", "The data contract is not a valid JSON Schema."),
    Code("E1019", "element.positional", "An element got a positional value it does not take."),
    Code("E1020", "option.value", "An option value is not one the option accepts."),
    Code("E1021", "field.invalid", "An input field declaration is inconsistent."),
    Code("E1022", "import.namespace", "A qualified name whose namespace is not imported."),
    # ---- types against the data contract
    Code("E2001", "field.unknown", "A data field that the schema does not declare."),
    Code("E2002", "filter.unknown", "A filter that is not in the filter library."),
    Code("E2003", "filter.type", "A filter applied to a value of the wrong type."),
    Code("E2004", "filter.args", "A filter called with the wrong arguments."),
    Code("E2005", "field.optional", "A value that can be absent is used without a default."),
    Code("E2006", "component.args", "A component called with the wrong arguments."),
    Code("E2007", "type.mismatch", "An operator applied to values of the wrong types."),
    Code(
        "E2008", "iterate.not-list", "`for` or a table iterates over something that is not a list."
    ),
    Code(
        "E2009",
        "translation.language",
        "A text variant for a language the template does not declare.",
    ),
    Code("E2010", "translation.missing", "A translated text lacks a declared language."),
    Code("E2011", "placeholder.context", "`page`/`pages` used outside a page header or footer."),
    Code(
        "E2012",
        "condition.type",
        "A condition that is not a boolean or a value that can be absent.",
    ),
    # ---- rendering and limits
    Code("E3001", "data.invalid", "A data record does not satisfy the template's JSON Schema."),
    Code("E3002", "limit.depth", "The document nests deeper than the limit."),
    Code("E3003", "limit.nodes", "The document has more layout nodes than the limit."),
    Code("E3004", "limit.pages", "The document has more pages than the limit."),
    Code("E3005", "limit.output", "The output is larger than the limit."),
    Code("E3006", "limit.time", "Rendering took longer than the limit."),
    Code("E3007", "asset.refused", "An asset outside the template project or on the network."),
    Code("E3008", "render.value", "A value that cannot be rendered (division by zero, bad date)."),
    Code("E3009", "limit.image", "An image larger than the pixel limit."),
    Code("E3010", "xml.unsafe", "An XML asset with entities, a DTD or external references."),
    # ---- bugs in ccmlang itself (never the designer's fault; please report them)
    Code(
        "E9000", "internal.error", "An unexpected failure inside ccmlang; the message has details."
    ),
]

CODES: dict[str, Code] = {c.code: c for c in _CODES}
NAMES: dict[str, Code] = {c.name: c for c in _CODES}
