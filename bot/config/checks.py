"""Cross-checks between sections, once each section has the right shape: unique ids,
references, rosters, the web, functions, time zone and schedules."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.config.directory import Directory
from bot.config.problems import ConfigProblem, suggestion, unknown
from bot.config.settings import Settings
from bot.config.values import ALL_ACTORS
from bot.domain.rosters import rotation_trigger
from bot.scheduling.durations import format_duration
from bot.scheduling.schedules import parse_schedule


def _duplicates(values: Iterable[str], path: str) -> Iterator[ConfigProblem]:
    """One problem per repeat of a value; ``path`` is formatted with the index."""
    first_seen: dict[str, int] = {}
    for index, value in enumerate(values):
        if value in first_seen:
            where = path.format(first_seen[value])
            yield ConfigProblem(path.format(index), f"{value!r} is already used at {where}")
        else:
            first_seen[value] = index


def _unique_ids(s: Settings) -> Iterator[ConfigProblem]:
    yield from _duplicates((actor.id for actor in s.actors), "actors[{}].id")
    listed: dict[tuple[str, str], int] = {}
    for index, member in enumerate(s.members):  # one person may be listed for several actors
        first = listed.setdefault((member.user, member.actor), index)
        if first != index:
            yield ConfigProblem(
                f"members[{index}].user",
                f"{member.user!r} is already listed for actor {member.actor!r} at "
                f"members[{first}]; give that entry all their functions",
            )
    yield from _duplicates((roster.function for roster in s.rosters), "rosters[{}].function")
    yield from _duplicates((forum.id for forum in s.forums), "forums[{}].id")
    yield from _duplicates((forum.room for forum in s.forums), "forums[{}].room")
    yield from _duplicates((group.id for group in s.groups), "groups[{}].id")
    yield from _duplicates((hook.name for hook in s.webhooks), "webhooks[{}].name")


def _reference_problems(s: Settings) -> Iterator[ConfigProblem]:
    actor_ids = {actor.id for actor in s.actors}
    forum_ids = {forum.id for forum in s.forums}
    member_ids = {member.user for member in s.members}
    for i, member in enumerate(s.members):
        if member.actor not in actor_ids:
            yield ConfigProblem(f"members[{i}].actor", unknown("actor", member.actor, actor_ids))
    for i, forum in enumerate(s.forums):
        for j, participant in enumerate(forum.participants):
            path = f"forums[{i}].participants[{j}]"
            if participant == ALL_ACTORS:
                if len(forum.participants) > 1:
                    yield ConfigProblem(path, '"*" already means every actor; list nothing else')
            elif participant not in actor_ids:
                yield ConfigProblem(path, unknown("actor", participant, actor_ids))
    for actor in s.web.actor_tokens_env:
        if actor not in actor_ids:
            yield ConfigProblem(f"web.actor_tokens_env.{actor}", unknown("actor", actor, actor_ids))
    for i, group in enumerate(s.groups):
        if group.reports_to not in forum_ids:
            yield ConfigProblem(
                f"groups[{i}].reports_to", unknown("forum", group.reports_to, forum_ids)
            )
        for j, name in enumerate(group.members):
            path = f"groups[{i}].members[{j}]"
            if name.startswith("@"):
                if name not in member_ids:
                    yield ConfigProblem(path, f"{name!r} is not listed under [[members]]")
            elif name not in actor_ids:
                yield ConfigProblem(path, unknown("actor", name, actor_ids))


def _roster_problems(s: Settings) -> Iterator[ConfigProblem]:
    """A roster's actor must exist, its rotation parse, and its members be the actor's people."""
    actor_ids = {actor.id for actor in s.actors}
    directory = Directory(s)
    try:
        zone = ZoneInfo(s.bot.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")  # the time zone's own problem is reported elsewhere
    for i, roster in enumerate(s.rosters):
        if roster.actor not in actor_ids:
            yield ConfigProblem(f"rosters[{i}].actor", unknown("actor", roster.actor, actor_ids))
        try:
            rotation_trigger(roster.rotation, roster.handoff, zone)
        except ValueError as exc:
            path = "handoff" if roster.handoff and "hand-off is" in str(exc) else "rotation"
            yield ConfigProblem(f"rosters[{i}].{path}", str(exc))
        people = {m.user for m in directory.members_of(roster.actor)}
        for j, user in enumerate(roster.members):
            if user not in people:
                yield ConfigProblem(
                    f"rosters[{i}].members[{j}]",
                    f"{user!r} is not listed under [[members]] for actor {roster.actor!r}; "
                    "add them there (functions may stay empty)",
                )
        yield from _duplicates(roster.members, f"rosters[{i}].members[{{}}]")


def _web_problems(s: Settings) -> Iterator[ConfigProblem]:
    """Webhooks and report links arrive through the web server, so they need it enabled; a
    source's forums must exist, and a forum it proposes to activate must have activators."""
    forum_ids = {forum.id for forum in s.forums}
    needs_web = "needs the web server: set enabled = true under [web]"
    for i, actor in enumerate(s.actors):
        if actor.report_by_link and not s.web.enabled:
            yield ConfigProblem(f"actors[{i}].report_by_link", f"report links {needs_web}")
    for i, hook in enumerate(s.webhooks):
        if not s.web.enabled:
            yield ConfigProblem(f"webhooks[{i}].name", f"a webhook {needs_web}")
        if hook.forum not in forum_ids:
            yield ConfigProblem(f"webhooks[{i}].forum", unknown("forum", hook.forum, forum_ids))
        if hook.activate_forum is not None and hook.activate_forum not in forum_ids:
            yield ConfigProblem(
                f"webhooks[{i}].activate_forum", unknown("forum", hook.activate_forum, forum_ids)
            )
        target = s.forum(hook.proposed_forum)
        if hook.propose_activation and target is not None and not target.activators:
            yield ConfigProblem(
                f"webhooks[{i}].propose_activation",
                f"forum {target.id!r} has no activators to ping; give it activators = [...] "
                "or set activate_forum to a forum that has",
            )


def _email_problems(s: Settings) -> Iterator[ConfigProblem]:
    """Addresses need an SMTP server to go through, and alert mail its acknowledgement link."""
    addressed = [
        *(f"members[{i}].email" for i, m in enumerate(s.members) if m.email),
        *(f"actors[{i}].email" for i, a in enumerate(s.actors) if a.email),
        *(f"forums[{i}].email_to" for i, f in enumerate(s.forums) if f.email_to),
    ]
    if not s.email.enabled:
        for path in addressed:
            yield ConfigProblem(path, "an address needs an SMTP server: set host under [email]")
        return
    if s.email.from_address is None:
        yield ConfigProblem("email.from", 'set the sender, e.g. from = "samverkan@example.se"')
    if any(m.email for m in s.members) and not (s.web.enabled and s.web.public_url):
        yield ConfigProblem(
            "email.host",
            "alert e-mails carry an acknowledgement link: set enabled = true and public_url "
            "under [web]",
        )


def _function_problems(s: Settings) -> Iterator[ConfigProblem]:
    known = Directory(s).functions
    references: list[tuple[str, str]] = []
    for i, forum in enumerate(s.forums):
        if forum.host_function is not None:
            references.append((f"forums[{i}].host_function", forum.host_function))
        references += [(f"forums[{i}].activators[{j}]", f) for j, f in enumerate(forum.activators)]
        references += [
            (f"forums[{i}].alert_functions[{j}]", f) for j, f in enumerate(forum.alert_functions)
        ]
    references += [(f"alerts.escalate_to[{j}]", f) for j, f in enumerate(s.alerts.escalate_to)]
    for path, function in references:
        if function not in known:
            yield ConfigProblem(
                path,
                f"no member has the function {function!r}"
                + suggestion(function, known)
                + "; give it to someone under [[members]]",
            )


def _time_problems(s: Settings) -> Iterator[ConfigProblem]:
    try:
        zone = ZoneInfo(s.bot.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        yield ConfigProblem(
            "bot.timezone",
            f"unknown time zone {s.bot.timezone!r}"
            + suggestion(s.bot.timezone, available_timezones())
            + "; use an IANA name like 'Europe/Stockholm'",
        )
        zone = ZoneInfo("UTC")  # still check the schedules' syntax
    for i, forum in enumerate(s.forums):
        if forum.schedule is None:
            continue
        try:
            parse_schedule(forum.schedule, zone)
        except ValueError as exc:
            yield ConfigProblem(f"forums[{i}].schedule", str(exc))
        steps = [
            ("call_in_before", forum.call_in_before),
            ("reminder_before", forum.reminder_before),
            ("report_deadline_before", forum.report_deadline_before),
        ]
        # Before a meeting: call-in, then reminder, then the combined picture.
        for (earlier, earlier_td), (later, later_td) in pairwise(steps):
            if later_td >= earlier_td:
                yield ConfigProblem(
                    f"forums[{i}].{later}",
                    f"{later} ({format_duration(later_td)}) must be shorter than {earlier} "
                    f"({format_duration(earlier_td)}): {earlier} comes first before a meeting",
                )


_PATH_START_RE = re.compile(r"^(?P<section>[a-z_]+)(?:\[(?P<index>[0-9]+)\])?")


def file_order(problem: ConfigProblem) -> tuple[int, int]:
    """Sort key: section in the order of the model, then entry; stable within one entry."""
    match = _PATH_START_RE.match(problem.path)
    if match is None or match["section"] not in Settings.model_fields:
        return (-1, 0)
    section = list(Settings.model_fields).index(match["section"])
    return (section, int(match["index"] or 0))


def cross_check(s: Settings) -> list[ConfigProblem]:
    """Problems between sections, all of them, in file order (empty when consistent)."""
    problems = [
        *_unique_ids(s),
        *_reference_problems(s),
        *_roster_problems(s),
        *_web_problems(s),
        *_email_problems(s),
        *_function_problems(s),
        *_time_problems(s),
    ]
    return sorted(problems, key=file_order)
