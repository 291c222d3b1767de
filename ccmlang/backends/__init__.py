"""Backends: layout tree to bytes (spec/backends.md).

``load_backends()`` reads the ``ccmlang.backends`` entry-point group, where the built-in ``html``,
``pdf``, ``tree`` and ``text`` backends are declared exactly like third-party ones. Importing this
package imports no backend module (WeasyPrint is heavy): they load lazily by name.
"""

from ccmlang.backends.base import (
    ENTRY_POINT_GROUP,
    Attachment,
    Backend,
    BackendError,
    NodeVisitor,
    Registry,
    RenderOptions,
    SupportsPrepare,
    UnknownBackendError,
    load_backends,
    walk,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "Attachment",
    "Backend",
    "BackendError",
    "NodeVisitor",
    "Registry",
    "RenderOptions",
    "SupportsPrepare",
    "UnknownBackendError",
    "load_backends",
    "walk",
]
