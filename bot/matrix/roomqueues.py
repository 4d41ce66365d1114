"""One worker per room: events of a room are handled in order, rooms do not wait for each other,
and slow handling never holds up /sync."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

Job = Callable[[], Awaitable[None]]


class RoomQueues:
    def __init__(self) -> None:
        self._queues: dict[str, asyncio.Queue[Job]] = {}
        self._workers: dict[str, asyncio.Task[None]] = {}

    def submit(self, room_id: str, job: Job) -> None:
        queue = self._queues.setdefault(room_id, asyncio.Queue())
        queue.put_nowait(job)
        worker = self._workers.get(room_id)
        if worker is None or worker.done():
            self._workers[room_id] = asyncio.create_task(
                self._work(room_id, queue), name=f"room-worker {room_id}"
            )

    async def _work(self, room_id: str, queue: asyncio.Queue[Job]) -> None:
        while not queue.empty():
            job = queue.get_nowait()
            try:
                await job()
            except asyncio.CancelledError:
                raise
            except Exception:
                # A failing handler is logged, never fatal (mautrix's rule).
                log.exception("handler failed in %s", room_id)
            finally:
                queue.task_done()

    async def drain(self) -> None:
        """Waits until every submitted job has run."""
        for queue in list(self._queues.values()):
            await queue.join()

    async def close(self) -> None:
        for task in self._workers.values():
            task.cancel()
        await asyncio.gather(*self._workers.values(), return_exceptions=True)
        self._workers.clear()
