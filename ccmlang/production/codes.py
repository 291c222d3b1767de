"""Error codes of batch production (spec/production.md, "Error codes").

A failed record's manifest line carries a code. Template and data problems keep the compiler's
own codes (``E3001`` data does not satisfy the schema, ``E3008`` a value that cannot be
rendered, any ``E3xxx`` a backend raises); the codes here cover what only a batch can get wrong:
input that is not a record at all, names, and workers. They are a family of their own (``B``)
so they can never collide with the compiler's registry.
"""

from __future__ import annotations

from typing import Final

DATA_MALFORMED: Final = "B0001"
"""The input line or row is not a record (malformed JSON, a CSV row that cannot be built)."""
NAME_INVALID: Final = "B0002"
"""``--name`` cannot be evaluated for this record (an absent field, a filter that failed)."""
NAME_DUPLICATE: Final = "B0003"
"""``--name`` gives this record the same output name as an earlier record."""
WORKER_LOST: Final = "B0004"
"""The worker process rendering this record died (out of memory, killed) more than once."""
INTERNAL: Final = "B0005"
"""An unexpected error while rendering this record (a bug: please report it)."""
TEMPLATE_UNAVAILABLE: Final = "B0006"
"""A worker could not compile the template (on a cluster: the path is not on that machine)."""
OUTPUT_FAILED: Final = "B0007"
"""The output file could not be written (disk full, permissions)."""

DESCRIPTIONS: Final[dict[str, str]] = {
    DATA_MALFORMED: "input is not a record",
    NAME_INVALID: "the name cannot be evaluated",
    NAME_DUPLICATE: "the name is already used by an earlier record",
    WORKER_LOST: "the worker rendering the record died",
    INTERNAL: "unexpected error",
    TEMPLATE_UNAVAILABLE: "a worker cannot compile the template",
    OUTPUT_FAILED: "the output cannot be written",
}
