"""The config layer: the example validates, every problem is reported with its key path,
the environment wins over the file, and secrets stay secret."""

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import (
    Category,
    ConfigError,
    ConfigProblem,
    Directory,
    Level,
    Mode,
    Settings,
    check_config,
    load_config,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.toml"

MINIMAL = """
[matrix]
homeserver = "https://matrix.example.se"
user_id = "@samverkan:example.se"

[[actors]]
id = "lst"
name = "Länsstyrelsen Stockholm"
category = "stat"

[[members]]
user = "@tib:example.se"
actor = "lst"
functions = ["tib"]

[[forums]]
id = "konferens"
name = "Regional samverkanskonferens"
level = "samordnande"
mode = "ordinarie"
room = "#samverkanskonferens:example.se"
participants = ["*"]
host_function = "tib"
schedule = "thu 16:00"
"""


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The developer's own SAMVERKAN_* variables must not leak into these tests."""
    for name in list(os.environ):
        if name.upper().startswith("SAMVERKAN_"):
            monkeypatch.delenv(name)
    yield


def write(tmp_path: Path, text: str, name: str = "config.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def broken_example(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    """A copy of the example config with each (old, new) applied exactly once."""
    text = EXAMPLE.read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, f"{old!r} must occur exactly once in the example"
        text = text.replace(old, new)
    return write(tmp_path, text)


def problems_of(path: Path) -> list[ConfigProblem]:
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return info.value.problems


def paths_of(path: Path) -> list[str]:
    return [problem.path for problem in problems_of(path)]


# --- the example --------------------------------------------------------------------------


def test_example_config_is_valid() -> None:
    assert check_config(EXAMPLE) == []


def test_example_config_models_the_regional_forums() -> None:
    settings = load_config(EXAMPLE)
    forums = {forum.id: forum for forum in settings.forums}
    assert len(forums) == 6
    assert {(f.level, f.mode) for f in forums.values()} == {
        (Level.INRIKTANDE, Mode.ORDINARIE),
        (Level.INRIKTANDE, Mode.AKTIVERAT),
        (Level.SAMORDNANDE, Mode.ORDINARIE),
        (Level.SAMORDNANDE, Mode.AKTIVERAT),
        (Level.VERKSTALLANDE, Mode.ORDINARIE),
    }
    conference = forums["konferens"]
    assert (conference.schedule, conference.host_function) == ("thu 16:00", "tib")
    assert conference.call_in_before == timedelta(hours=3)
    activated = forums["samordnande"]
    assert activated.activators == ["tib", "rsk-koordinator"]
    assert activated.alert_functions == ["kommunikatör"]
    assert activated.report_interval == timedelta(hours=2)
    assert {actor.category for actor in settings.actors} == set(Category)
    assert len(settings.groups) == 6
    assert {group.reports_to for group in settings.groups} == {"samordningsgrupp"}
    assert settings.alerts.room == "#kommunikatorer:example.se"
    assert settings.matrix.user_id == "@samverkan:example.se"
    assert settings.matrix.password is None and settings.matrix.access_token is None


def test_example_has_no_secrets() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    for key in ("password =", "access_token =", "token =", "secret =", "key ="):
        assert f"\n{key}" not in text


# --- defaults and helpers -----------------------------------------------------------------


def test_defaults(tmp_path: Path) -> None:
    settings = load_config(write(tmp_path, MINIMAL))
    assert settings.matrix.device_name == "samverkan"
    assert settings.matrix.store_path == Path("data/store")
    assert settings.bot.timezone == "Europe/Stockholm"
    assert settings.bot.language == "sv"
    assert settings.storage.url == "sqlite+aiosqlite:///data/samverkan.db"
    assert (settings.web.enabled, settings.web.host, settings.web.port) == (
        False,
        "127.0.0.1",
        8080,
    )
    forum = settings.forums[0]
    assert (forum.call_in_before, forum.reminder_before, forum.report_deadline_before) == (
        timedelta(hours=3),
        timedelta(hours=1),
        timedelta(minutes=15),
    )
    assert forum.report_interval == timedelta(hours=2)
    assert settings.alerts.ack_timeout == timedelta(minutes=10)
    assert settings.alerts.max_repeats == 3
    assert settings.reports.readiness_levels == [
        "normalläge",
        "stabsläge",
        "förstärkningsläge",
        "katastrofläge",
    ]


def test_durations_become_timedeltas(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        'schedule = "thu 16:00"', 'schedule = "thu 16:00"\ncall_in_before = "1d"'
    )
    text += '\n[alerts]\nack_timeout = "1h30m"\n'
    settings = load_config(write(tmp_path, text))
    assert settings.forums[0].call_in_before == timedelta(days=1)
    assert settings.alerts.ack_timeout == timedelta(hours=1, minutes=30)


def test_lookups() -> None:
    s = load_config(EXAMPLE)
    police = s.actor("polisen")
    assert police is not None and police.name == "Polisen region Stockholm"
    assert s.actor("nobody") is None
    assert s.forum("konferens") is not None and s.forum("nope") is None
    people = Directory(s)
    assert [m.user for m in people.members_of("solna")] == ["@solna-sakerhet:example.se"]
    assert people.is_member("@tib:example.se") and people.people_of("lst")[0] == "@tib:example.se"
    assert not people.is_member("@stranger:example.se")
    assert [a.id for a in people.actors_of("@tib:example.se")] == ["lst"]
    assert people.actors_of("@stranger:example.se") == []
    assert people.functions_of("@solna-sakerhet:example.se") == ["säkerhetschef", "kommunikatör"]
    assert people.functions_of("@stranger:example.se") == []
    assert people.holders_of("rsk-koordinator") == ["@rsk-koordinator:example.se"]
    communicators = people.holders_of("kommunikatör")
    assert "@solna-sakerhet:example.se" in communicators and len(communicators) == 8
    assert {"tib", "rsk-koordinator", "kommunikatör", "säkerhetschef"} <= people.functions
    assert s.zone.key == "Europe/Stockholm"


def test_participants_expand_star() -> None:
    s = load_config(EXAMPLE)
    assert Directory(s).participants_of("konferens") == s.actors
    forum = s.forum("ledningscentraler")
    assert forum is not None
    assert [a.id for a in Directory(s).participants_of(forum)] == [
        "polisen",
        "ssbf",
        "sbff",
        "attunda",
        "sos",
        "regionen",
        "trafikverket",
    ]
    assert Directory(s).participants_of("nope") == []


def test_trigger_of_uses_the_configured_zone() -> None:
    s = load_config(EXAMPLE)
    trigger = s.trigger_of("konferens")
    assert trigger is not None and trigger.timezone == s.zone
    assert s.trigger_of("samordnande") is None  # activated forums have no schedule


# --- problems, with their key paths -------------------------------------------------------


def test_shape_problems_are_all_reported(tmp_path: Path) -> None:
    path = broken_example(
        tmp_path,
        ('call_in_before = "3h"  ', 'call_in_before = "3 timmar"  '),
        ('report_interval = "2h"', "report_interval = 2"),
        ('schedule = "thu 16:00"', 'shedule = "thu 16:00"'),
        ('category = "övrig"', 'category = "annan"'),
        ('language = "sv"', 'language = "de"'),
        ('admins = ["@admin:example.se"]', 'admins = ["admin"]'),
        ('room = "#tema-rsa:example.se"', 'room = "tema-rsa"'),
        ("port = 8080", "port = 8080\nprot = 8081"),
    )
    problems = problems_of(path)
    assert [p.path for p in problems] == [
        "bot.language",
        "bot.admins[0]",
        "web.prot",
        "actors[13].category",
        "forums[3].call_in_before",
        "forums[3].shedule",
        "forums[4].report_interval",
        "groups[3].room",
    ]
    messages = {p.path: p.message for p in problems}
    assert "'1h30m'" in messages["forums[3].call_in_before"]
    assert "did you mean 'schedule'?" in messages["forums[3].shedule"]
    assert "did you mean 'port'?" in messages["web.prot"]
    assert "'annan'" in messages["actors[13].category"]
    assert "'kommun'" in messages["actors[13].category"]


def test_cross_check_problems_are_all_reported(tmp_path: Path) -> None:
    path = broken_example(
        tmp_path,
        ('participants = ["polisen", "ssbf"', 'participants = ["polis", "ssbf"'),
        ('id = "teknik-ledningsstod"', 'id = "kommunikation"'),
        ('schedule = "thu 16:00"', 'schedule = "thursday at four"'),
        ('timezone = "Europe/Stockholm"', 'timezone = "Europe/Stokholm"'),
        (
            'reports_to = "samordningsgrupp"\nmembers = ["lst", "sos"',
            'reports_to = "samordning"\nmembers = ["lst", "sos"',
        ),
        ('escalate_to = ["rsk-koordinator", "tib"]', 'escalate_to = ["rsk-koordinator", "tibb"]'),
        ('report_deadline_before = "1d"', 'report_deadline_before = "2d"'),
    )
    problems = problems_of(path)
    assert [p.path for p in problems] == [
        "bot.timezone",
        "forums[0].report_deadline_before",
        "forums[3].schedule",
        "forums[5].participants[0]",
        "alerts.escalate_to[1]",
        "groups[5].id",
        "groups[5].reports_to",
    ]
    messages = {p.path: p.message for p in problems}
    assert "did you mean 'Europe/Stockholm'?" in messages["bot.timezone"]
    assert "'kommunikation' is already used at groups[4].id" in messages["groups[5].id"]
    assert (
        "must be shorter than reminder_before (2d)" in messages["forums[0].report_deadline_before"]
    )
    assert "'thu 16:00'" in messages["forums[3].schedule"]
    assert "unknown actor 'polis'" in messages["forums[5].participants[0]"]
    assert "did you mean 'polisen'?" in messages["forums[5].participants[0]"]
    assert "no member has the function 'tibb'" in messages["alerts.escalate_to[1]"]
    assert "unknown forum 'samordning'" in messages["groups[5].reports_to"]


def test_references_between_sections(tmp_path: Path) -> None:
    text = MINIMAL.replace('host_function = "tib"', 'host_function = "rsk"\nactivators = ["tib"]')
    text += """
[[members]]
user = "@tib:example.se"
actor = "polisen"

[[forums]]
id = "samordnande"
name = "Regionalt samordnande forum"
level = "samordnande"
mode = "aktiverat"
room = "#samverkanskonferens:example.se"
participants = ["*", "lst"]
alert_functions = ["kommunikatör"]

[[groups]]
id = "kommunikation"
name = "Kommunikation"
reports_to = "konferens"
members = ["lst", "@tib:example.se", "@nobody:example.se", "sos"]
"""
    problems = problems_of(write(tmp_path, text))
    assert [(p.path, p.message.split(";")[0]) for p in problems] == [
        ("members[1].actor", "unknown actor 'polisen'"),  # listed for two actors: fine
        ("forums[0].host_function", "no member has the function 'rsk'"),
        ("forums[1].room", "'#samverkanskonferens:example.se' is already used at forums[0].room"),
        ("forums[1].participants[0]", '"*" already means every actor'),
        ("forums[1].alert_functions[0]", "no member has the function 'kommunikatör'"),
        ("groups[0].members[2]", "'@nobody:example.se' is not listed under [[members]]"),
        ("groups[0].members[3]", "unknown actor 'sos'"),
    ]


def test_lead_times_must_shrink_towards_the_meeting(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        'schedule = "thu 16:00"',
        'schedule = "thu 16:00"\ncall_in_before = "1h"\nreminder_before = "2h"\n'
        'report_deadline_before = "2h"',
    )
    assert paths_of(write(tmp_path, text)) == [
        "forums[0].reminder_before",
        "forums[0].report_deadline_before",
    ]
    # An activated forum has no meeting to lead up to, so the order does not matter there.
    unscheduled = text.replace('schedule = "thu 16:00"\n', "")
    assert load_config(write(tmp_path, unscheduled, "unscheduled.toml")).forums[0].schedule is None


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("user_id", '"samverkan:example.se"'),
        ("homeserver", '"matrix.example.se"'),
    ],
)
def test_matrix_values(tmp_path: Path, key: str, value: str) -> None:
    text = MINIMAL.replace(f"\n{key} = ", f"\n{key} = {value}\n#", 1)
    assert paths_of(write(tmp_path, text)) == [f"matrix.{key}"]


@pytest.mark.parametrize(
    ("room", "valid"),
    [
        ("!AbCdEf:example.se", True),
        ("!31hneApxJ_1o-63DmFrpeqnkFfWppnzWso1JvH3ogLM", True),  # room version 12: no server
        ("#samverkan:example.se", True),
        ("#samverkan:localhost:8448", True),
        ("#samverkan", False),
        ("samverkan:example.se", False),
        ("!", False),
        ("!a b", False),
    ],
)
def test_room_references(tmp_path: Path, room: str, valid: bool) -> None:
    text = MINIMAL.replace('room = "#samverkanskonferens:example.se"', f'room = "{room}"')
    path = write(tmp_path, text)
    if valid:
        assert load_config(path).forums[0].room == room
    else:
        assert paths_of(path) == ["forums[0].room"]


def test_toml_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, '[matrix]\nhomeserver = "https://matrix.example.se\n')
    (problem,) = problems_of(path)
    assert problem.path == str(path)
    assert "TOML syntax error" in problem.message
    assert "line 2" in problem.message and "column" in problem.message


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    assert check_config(missing) == [f"{missing}: no such file"]


def test_no_file_given() -> None:
    (line,) = check_config(None)
    assert line.startswith("SAMVERKAN_CONFIG: ") and "--config" in line


def test_config_path_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAMVERKAN_CONFIG", str(write(tmp_path, MINIMAL)))
    assert load_config().forums[0].id == "konferens"


def test_check_config_prints_path_and_message(tmp_path: Path) -> None:
    text = MINIMAL.replace('schedule = "thu 16:00"', 'schedule = "someday"')
    (line,) = check_config(write(tmp_path, text))
    assert line.startswith("forums[0].schedule: invalid schedule 'someday'")


def test_config_error_lists_every_problem() -> None:
    error = ConfigError([ConfigProblem("a.b", "one"), ConfigProblem("c[0]", "two")])
    assert str(error) == "a.b: one\nc[0]: two"
    assert len(error.problems) == 2


# --- environment and secrets --------------------------------------------------------------


def test_environment_overrides_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = MINIMAL + '\n[storage]\nurl = "sqlite+aiosqlite:///from-file.db"\n'
    path = write(tmp_path, text)
    assert load_config(path).storage.url == "sqlite+aiosqlite:///from-file.db"
    monkeypatch.setenv("SAMVERKAN_STORAGE__URL", "postgresql+psycopg://samverkan@db/samverkan")
    monkeypatch.setenv("SAMVERKAN_MATRIX__PASSWORD", "correct horse")
    monkeypatch.setenv("SAMVERKAN_BOT__LANGUAGE", "en")
    settings = load_config(path)
    assert settings.storage.url == "postgresql+psycopg://samverkan@db/samverkan"
    assert settings.matrix.password is not None
    assert settings.matrix.password.get_secret_value() == "correct horse"
    assert settings.matrix.homeserver == "https://matrix.example.se"  # the rest still from the file
    assert settings.bot.language == "en"


def test_init_overrides_win_over_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAMVERKAN_WEB__PORT", "9000")
    path = write(tmp_path, MINIMAL)
    assert load_config(path).web.port == 9000
    assert load_config(path, overrides={"web": {"port": 9100}}).web.port == 9100


def test_invalid_environment_value_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAMVERKAN_WEB__PORT", "eighty")
    assert paths_of(write(tmp_path, MINIMAL)) == ["web.port"]


def test_secrets_are_rejected_in_the_file(tmp_path: Path) -> None:
    text = MINIMAL.replace("[matrix]\n", '[matrix]\npassword = "hunter2"\n')
    text += '\n[web]\ntoken = "abc"\n'
    problems = problems_of(write(tmp_path, text))
    assert [p.path for p in problems] == ["matrix.password", "web.token"]
    assert "SAMVERKAN_MATRIX__PASSWORD" in problems[0].message
    assert all("hunter2" not in p.message for p in problems)


def test_secrets_never_appear_in_repr_or_str(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets = {
        "SAMVERKAN_MATRIX__PASSWORD": "pw-0xdeadbeef",
        "SAMVERKAN_MATRIX__ACCESS_TOKEN": "syt_tokenvalue",
        "SAMVERKAN_WEB__TOKEN": "web-bearer-value",
        "SAMVERKAN_WEBHOOK__SECRET": "hook-shared-value",
        "SAMVERKAN_CRYPTO__KEY": "crypto-key-value",
        "SAMVERKAN_STORAGE__URL": "postgresql+psycopg://samverkan:db-password-value@db/samverkan",
    }
    for name, value in secrets.items():
        monkeypatch.setenv(name, value)
    settings = load_config(write(tmp_path, MINIMAL))
    shown = repr(settings) + str(settings) + repr(settings.storage) + str(settings.matrix)
    for value in secrets.values():
        if "://" in value:
            assert "db-password-value" not in shown
            assert "samverkan@db" not in shown and "samverkan:***@db" in shown
        else:
            assert value not in shown
    assert (
        settings.web.token is not None
        and settings.web.token.get_secret_value() == "web-bearer-value"
    )


def test_a_bad_secret_value_is_not_echoed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAMVERKAN_STORAGE__URL", "mysql://root:db-password-value@db/x")
    (problem,) = problems_of(write(tmp_path, MINIMAL))
    assert problem.path == "storage.url"
    assert "db-password-value" not in problem.message


def test_login_secret_is_required_only_to_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, MINIMAL)
    assert check_config(path) == []
    settings = load_config(path)
    with pytest.raises(ConfigError) as info:
        settings.require_login_secret()
    assert [p.path for p in info.value.problems] == ["matrix.password"]
    monkeypatch.setenv("SAMVERKAN_MATRIX__ACCESS_TOKEN", "syt_abc")
    load_config(path).require_login_secret()


def test_settings_are_read_only(tmp_path: Path) -> None:
    settings = load_config(write(tmp_path, MINIMAL))
    with pytest.raises(ValueError):
        settings.bot = settings.bot  # type: ignore[misc]


def test_settings_without_a_file_come_from_kwargs_and_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SAMVERKAN_MATRIX__USER_ID", "@bot:example.se")
    settings = Settings(matrix={"homeserver": "http://127.0.0.1:8008"})
    assert settings.matrix.user_id == "@bot:example.se"
    assert settings.forums == [] and settings.cross_check() == []
