"""The exercise marker (ÖVNING / EXERCISE) in the bot's language, on any message content."""

from __future__ import annotations

from bot.matrix.content import Content, marked
from bot.render.catalogue import Catalogue


def exercise_marked(t: Catalogue, content: Content, exercise: bool = True) -> Content:
    """`content` marked as an exercise when `exercise`, unchanged otherwise."""
    return marked(content, t("exercise.marker")) if exercise else content
