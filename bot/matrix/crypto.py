"""E2EE upkeep between syncs, which `sync_forever` would otherwise do for us."""

from __future__ import annotations

from nio import AsyncClient


async def e2ee_housekeeping(client: AsyncClient) -> None:
    """Sends queued to-device messages and uploads, queries and claims keys as needed."""
    if client.outgoing_to_device_messages:
        await client.send_to_device_messages()
    if client.should_upload_keys:
        await client.keys_upload()
    if client.should_query_keys:
        await client.keys_query()
    if client.should_claim_keys:
        await client.keys_claim(client.get_users_for_key_claiming())
