"""Typer without its one slow habit: a pydantic validator for values that need none.

typer 0.29 coerces every parameter value through a pydantic ``TypeAdapter``, and it builds the
adapter before it looks at the value, so even ``--root`` left out (value ``None``) imports
pydantic: about 110 ms, as long as all the rest of ``mlings list``. Two kinds of value need no
coercion: a missing optional one (typer turns it into ``None`` whatever the type) and a string
for a plain ``str`` parameter (typer's adapter returns it as it is). :func:`install` lets those
through at once and hands every other value to typer unchanged. Should typer's internals move,
nothing is patched and commands are only slower (``tests/test_cli.py`` notices).
"""

from __future__ import annotations

from typing import Any


def install() -> bool:
    """Skip coercion of missing, optional, single values; True when the shortcut is in place."""
    try:
        from typer.core import _TyperParameter
    except ImportError:
        return False
    process_value = getattr(_TyperParameter, "process_value", None)
    if process_value is None or getattr(process_value, "mlings_shortcut", False):
        return process_value is not None

    def shortcut(self: Any, ctx: Any, value: Any) -> Any:
        single = not self.multiple and self.nargs == 1
        missing = value is None and not self.required
        descriptor = self.type_descriptor
        text = (
            isinstance(value, str)
            and descriptor.annotation is str
            and descriptor.parameter_info.parser is None
        )
        if single and (missing or text):
            return self.callback(ctx, self, value) if self.callback is not None else value
        return process_value(self, ctx, value)

    shortcut.mlings_shortcut = True  # type: ignore[attr-defined]
    _TyperParameter.process_value = shortcut
    return True
