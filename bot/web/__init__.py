"""The web side of the bot: dashboard, JSON API, webhooks in, health and metrics.

It runs on aiohttp in the same process as the bot and reads through the same services the chat
commands use, so a page never shows what a command would not.
"""
