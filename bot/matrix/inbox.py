"""Which failures are worth another try: the inbox and the timers retry these, and answer or
log the rest.

A transient failure is one of the parts the bot leans on not answering for a moment (the
database restarting or locked, the homeserver unreachable, a timeout); trying the same event again
later can succeed. Anything else (a bug, bad data) fails the same way every time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import aiohttp
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

log = logging.getLogger(__name__)

#: Tries of one event or timer before it is given up; the waits between them double from
#: ``FIRST_RETRY_S`` (1, 2, 4, 8 s), which keeps the room's order while the parts recover.
MAX_TRIES = 5
FIRST_RETRY_S = 1.0

TRANSIENT: tuple[type[BaseException], ...] = (
    OperationalError,
    PoolTimeout,
    OSError,
    aiohttp.ClientError,
    TimeoutError,
    asyncio.TimeoutError,
)


def is_transient(exc: BaseException) -> bool:
    """Whether ``exc`` may go away if the same work is tried again."""
    if isinstance(exc, DBAPIError):
        return bool(exc.connection_invalidated) or isinstance(exc, OperationalError)
    return isinstance(exc, TRANSIENT)


def retry_delay(attempt: int, first: float = FIRST_RETRY_S) -> float:
    """The wait after failed try number ``attempt`` (1-based)."""
    return first * 2 ** (attempt - 1)


async def with_retries(
    work: Callable[[], Awaitable[None]],
    what: str,
    *,
    first_s: float = FIRST_RETRY_S,
    on_retry: Callable[[str], Awaitable[None]] | None = None,
) -> BaseException | None:
    """Runs ``work``, trying again after transient failures (up to `MAX_TRIES`, waits doubling
    from ``first_s``); returns the error it ended with, or None when it succeeded."""
    attempt = 0
    while True:
        attempt += 1
        try:
            await work()
            return None
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if not is_transient(exc) or attempt >= MAX_TRIES:
                return exc
            error = f"{type(exc).__name__}: {exc}"
            delay = retry_delay(attempt, first_s)
            log.warning(
                "%s failed (%s); try %d of %d in %.0f s", what, error, attempt + 1, MAX_TRIES, delay
            )
            if on_retry is not None:
                await on_retry(error)
            await asyncio.sleep(delay)
