"""Chat commands, one module per family; importing this package registers them all."""

from commands import help, meetings, reports, whoami  # noqa: F401  (registers on import)
from commands.registry import registry

__all__ = ["registry"]
