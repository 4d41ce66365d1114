"""A request a service cannot carry out: it changes nothing and says why, in the user's language."""

from __future__ import annotations


class Refusal(Exception):
    """`key` names the explanation in the message catalogue, `values` fill it in."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(f"{key} {values}")
        self.key = key
        self.values = values
