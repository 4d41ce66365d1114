"""`make demo` runs the bot on `config.example.toml` pointed at a throwaway homeserver; that
config must pass the same checks as an admin's, whatever the example grows (rosters once named
people the demo does not simulate, and the demo stopped at start)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import tomli_w

from bot.config import Directory, load_config
from bot.demo.configs import example_demo_config
from bot.demo.script import EXAMPLE_CONFIG


def test_the_demo_config_of_the_example_loads(tmp_path: Path) -> None:
    example = tomllib.loads(EXAMPLE_CONFIG.read_text())
    users = {actor["id"]: f"@{actor['id']}-demo:localhost" for actor in example["actors"]}
    data = example_demo_config(
        example,
        homeserver="http://127.0.0.1:1",
        bot_user="@samverkan:localhost",
        base=tmp_path,
        web_port=1,
        web_url="http://127.0.0.1:1",
        users=users,
    )
    path = tmp_path / "config.toml"
    path.write_text(tomli_w.dumps(data))

    settings = load_config(path)

    directory = Directory(settings)
    assert {a.id for a in settings.actors} == set(users)
    assert all(f.room.endswith(":localhost") for f in settings.forums)
    for roster in settings.rosters:
        assert list(roster.members) == [users[roster.actor]]
    assert directory.is_admin(users["lst"])
    # the example's own people are gone: only the simulated ones hold functions
    assert not any(m.user.endswith(":example.se") for m in settings.members)
    assert tomllib.loads(EXAMPLE_CONFIG.read_text()) == example  # the example was not changed
