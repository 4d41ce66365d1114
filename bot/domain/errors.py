"""The one shape of a refusal, from the domain rules and the services alike."""

from __future__ import annotations


class Refusal(ValueError):
    """The input breaks a rule, or the request cannot be carried out: nothing changes and the
    sender is told why.

    ``key`` names the explanation in the message catalogue and ``values`` fill it in, so the
    answer is written in the bot's language by whoever shows it (the command router, the web).
    """

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(f"{key} {values}")
        self.key = key
        self.values = values
