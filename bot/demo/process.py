"""The bot as a separate `samverkan run` process, for tests that kill it and for benchmarks."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

from storage import syncstate
from storage.db import Database


def spawn_bot(config: Path, password: str, log: Path) -> subprocess.Popen[bytes]:
    """Starts `samverkan run --config CONFIG` with the password in the environment."""
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--config", str(config)],
        env={**os.environ, "SAMVERKAN_MATRIX__PASSWORD": password},
        stdout=subprocess.DEVNULL,
        stderr=log.open("ab"),
    )


async def wait_until_synced(db_url: str, account: str, timeout: float = 60.0) -> None:
    """A bot is listening once it has stored its first sync token; what was sent before that
    is history, which a new bot rightly ignores."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db = await Database.connect(db_url, migrate=False)
        try:
            async with db.session() as session:
                state = await syncstate.load_sync_state(session, account)
        except Exception:
            state = None  # the bot has not created its schema yet
        finally:
            await db.dispose()
        if state is not None and state.next_batch:
            return
        await asyncio.sleep(0.3)
    raise TimeoutError(f"the bot {account} did not complete a sync within {timeout}s")
