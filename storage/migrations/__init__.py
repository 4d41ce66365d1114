"""Alembic migrations of the bot's schema (a package so ``env.py`` ships with the wheel)."""
