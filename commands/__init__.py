"""Chat commands, one module per family; importing this package registers them all."""

from commands import help, whoami  # noqa: F401  (registration happens on import)
from commands.registry import registry

__all__ = ["registry"]
