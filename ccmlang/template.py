"""The public compiled template: compile once (``compile_file``), render many (``render``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ccmlang import layout
from ccmlang.compiler.diagnostics import Diagnostic
from ccmlang.compiler.limits import Limits
from ccmlang.compiler.program import Program


@dataclass(slots=True)
class Template:
    program: Program
    warnings: tuple[Diagnostic, ...] = ()
    _validator: Any = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return self.program.header.name

    def validate(self, data: Any) -> list[Diagnostic]:
        """Every violation of the data contract, each with its JSON path (``E3001``)."""
        from ccmlang.compiler.validate import validate_data

        if self._validator is None and self.program.schema is not None:
            from ccmlang.compiler.validate import compile_validator

            self._validator = compile_validator(self.program.schema)
        return validate_data(self._validator, data)

    def render(
        self,
        data: Any,
        *,
        locale: str | None = None,
        inputs: Mapping[str, Any] | None = None,
        editables: Mapping[str, str] | None = None,
        limits: Limits | None = None,
        validate: bool = True,
    ) -> layout.Document:
        """Validate ``data`` against the schema, then evaluate to a layout tree.

        Raises ``RenderError`` (with every data violation, or the first evaluation error with its
        template span). ``inputs`` are values for declared input fields (``input.<name>``);
        ``editables`` replace named editable regions with plain paragraphs of text.
        """
        from ccmlang.compiler.evaluate import RenderError, render_document

        if validate:
            problems = self.validate(data)
            if problems:
                raise RenderError(problems)
        return render_document(
            self.program,
            data,
            locale=locale,
            inputs=inputs or {},
            editables=editables or {},
            limits=limits or Limits(),
        )
