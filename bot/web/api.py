"""The JSON API under ``/api/v1/``: forums, meetings, combined pictures, issues, activations.

One table, `ROUTES`, declares every endpoint with its parameters and the view type it answers
with; `setup` adds the routes from it and `openapi_document` builds the OpenAPI 3.1 description
(``/api/v1/openapi.json``) from the same table, the response schemas derived from the view
dataclasses themselves (`bot.web.schema`), so the description cannot drift from the data.

Every answer is JSON (`application/json`), errors too: ``{"error": code, "message": text}`` with
404 for an unknown (or not visible) id, 400 for a bad parameter, 405 for a wrong method. User
text is passed through as typed: JSON is data, and whoever shows it escapes it. The access
middleware has already checked the token; the read model cuts each answer to the viewer.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.domain.picture import CombinedPicture
from bot.services.read_access import UnknownForum
from bot.services.readmodel import ReadModel
from bot.services.views import (
    ActivationDetail,
    ActivationView,
    ForumView,
    IssueItem,
    MeetingDetail,
    MeetingView,
    UpcomingMeeting,
)
from bot.web import schema
from bot.web.access import is_api
from bot.web.keys import SERVICES, viewer_of

log = logging.getLogger(__name__)

PREFIX = "/api/v1"
MAX_LIMIT = 200


# -- errors and answers ----------------------------------------------------------------------


class ApiError(Exception):
    """An answer other than 200: `status`, a stable `code` and a message for people."""

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra


def not_found(what: str, key: object) -> ApiError:
    return ApiError(404, "not_found", f"no {what} {key}")


def bad_parameter(name: str, message: str) -> ApiError:
    return ApiError(400, "bad_parameter", f"{name}: {message}", parameter=name)


def json_answer(data: Any, status: int = 200) -> web.Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return web.Response(text=body, status=status, content_type="application/json")


def view_answer(cls: type, view: Any) -> web.Response:
    """A 200 answer with `view` written as its view class `cls` (`bot.web.schema`)."""
    body = schema.to_json(cls, view)
    return web.Response(body=body, content_type="application/json", charset="utf-8")


def error_answer(error: ApiError) -> web.Response:
    return json_answer({"error": error.code, "message": error.message, **error.extra}, error.status)


@web.middleware
async def json_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Under /api/: every refusal, unknown path, wrong method or failure answered in JSON."""
    if not is_api(request.path):
        return await handler(request)
    try:
        return await handler(request)
    except ApiError as error:
        return error_answer(error)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status, "http_error")
        answer = error_answer(ApiError(exc.status, code, exc.reason))
        if exc.status == 405 and "Allow" in exc.headers:
            answer.headers["Allow"] = exc.headers["Allow"]
        return answer
    except Exception:
        log.exception("API request %s failed", request.path)
        return error_answer(ApiError(500, "internal", "the request failed; see the bot's log"))


# -- parameters -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """A path or query parameter: how it is documented, and how it is read."""

    name: str
    where: str  # "path" | "query"
    schema: dict[str, Any]
    description: str
    required: bool = False

    def document(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "in": self.where,
            "required": self.required or self.where == "path",
            "description": self.description,
            "schema": self.schema,
        }


def _id_param(name: str, what: str) -> Param:
    return Param(name, "path", {"type": "integer", "minimum": 1}, f"the {what}'s number")


FORUM_ID = Param("forum_id", "path", {"type": "string"}, "the forum's id, as in the config")
MEETING_ID = _id_param("meeting_id", "meeting")
ISSUE_NUMBER = _id_param("number", "issue")
ACTIVATION_ID = _id_param("activation_id", "activation")
FORUM_FILTER = Param("forum", "query", {"type": "string"}, "only this forum (its id)")
LIMIT = Param(
    "limit",
    "query",
    {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 20},
    "at most this many, newest first",
)
STATE = Param(
    "state",
    "query",
    {"type": "string", "enum": ["open", "all"], "default": "open"},
    "open issues only, or closed ones too",
)


def path_number(request: web.Request, param: Param) -> int:
    raw = request.match_info[param.name]
    if not raw.isdigit() or int(raw) < 1:
        raise bad_parameter(param.name, f"expected a positive whole number, got {raw!r}")
    return int(raw)


def query_limit(request: web.Request) -> int:
    raw = request.query.get(LIMIT.name)
    if raw is None:
        return int(LIMIT.schema["default"])
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise bad_parameter(LIMIT.name, f"expected a whole number from 1 to {MAX_LIMIT}")
    return int(raw)


def query_forum(request: web.Request) -> str | None:
    raw = request.query.get(FORUM_FILTER.name)
    if raw is not None and not raw:
        raise bad_parameter(FORUM_FILTER.name, "give a forum id, or leave the parameter out")
    return raw


def readmodel(request: web.Request) -> ReadModel:
    found = request.app[SERVICES].readmodel
    if found is None:
        raise ApiError(503, "unavailable", "the read model is not wired in this app")
    return found


def unknown_forum(error: UnknownForum) -> ApiError:
    return bad_parameter(FORUM_FILTER.name, f"unknown forum {error.forum_id!r}")


# -- lists and their envelopes ----------------------------------------------------------------


@dataclass(frozen=True)
class ForumList:
    forums: tuple[ForumView, ...]


@dataclass(frozen=True)
class MeetingList:
    recent: tuple[MeetingView, ...]
    """Meetings that have begun, newest first."""
    upcoming: tuple[UpcomingMeeting, ...]
    """Scheduled meetings to come, soonest first."""


@dataclass(frozen=True)
class IssueList:
    issues: tuple[IssueItem, ...]


@dataclass(frozen=True)
class ActivationList:
    activations: tuple[ActivationView, ...]


# -- handlers ---------------------------------------------------------------------------------


async def list_forums(request: web.Request) -> Any:
    return ForumList(tuple(await readmodel(request).forums(viewer_of(request))))


async def get_forum(request: web.Request) -> Any:
    forum_id = request.match_info[FORUM_ID.name]
    found = await readmodel(request).forum(viewer_of(request), forum_id)
    if found is None:
        raise not_found("forum", repr(forum_id))
    return found


async def list_meetings(request: web.Request) -> Any:
    forum, limit = query_forum(request), query_limit(request)
    try:
        recent, upcoming = await readmodel(request).meetings(
            viewer_of(request), forum_id=forum, limit=limit
        )
    except UnknownForum as error:
        raise unknown_forum(error) from None
    return MeetingList(tuple(recent), tuple(upcoming))


async def get_meeting(request: web.Request) -> Any:
    number = path_number(request, MEETING_ID)
    found = await readmodel(request).meeting(viewer_of(request), number)
    if found is None:
        raise not_found("meeting", number)
    return found


async def get_picture(request: web.Request) -> Any:
    number = path_number(request, MEETING_ID)
    found = await readmodel(request).picture(viewer_of(request), number)
    if found is None:
        raise not_found("meeting", number)
    return found


async def list_issues(request: web.Request) -> Any:
    forum = query_forum(request)
    state = request.query.get(STATE.name, "open")
    if state not in STATE.schema["enum"]:
        raise bad_parameter(STATE.name, "expected 'open' or 'all'")
    try:
        found = await readmodel(request).issues(
            viewer_of(request), forum_id=forum, include_closed=state == "all"
        )
    except UnknownForum as error:
        raise unknown_forum(error) from None
    return IssueList(tuple(found))


async def get_issue(request: web.Request) -> Any:
    number = path_number(request, ISSUE_NUMBER)
    found = await readmodel(request).issue(viewer_of(request), number)
    if found is None:
        raise not_found("issue", number)
    return found


async def list_activations(request: web.Request) -> Any:
    forum, limit = query_forum(request), query_limit(request)
    try:
        found = await readmodel(request).activations(
            viewer_of(request), forum_id=forum, limit=limit
        )
    except UnknownForum as error:
        raise unknown_forum(error) from None
    return ActivationList(tuple(found))


async def get_activation(request: web.Request) -> Any:
    number = path_number(request, ACTIVATION_ID)
    found = await readmodel(request).activation(viewer_of(request), number)
    if found is None:
        raise not_found("activation", number)
    return found


async def get_openapi(request: web.Request) -> Any:
    return openapi_document()


# -- the table --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One GET endpoint: its path under `PREFIX`, handler, documentation and answer type."""

    path: str
    handler: Callable[[web.Request], Awaitable[Any]]
    operation_id: str
    summary: str
    answer: type | None
    """The dataclass the handler answers with (None: the answer is a raw JSON document)."""
    params: tuple[Param, ...] = ()
    errors: tuple[int, ...] = field(default=(400,))

    @property
    def url(self) -> str:
        return PREFIX + self.path


ROUTES: tuple[Route, ...] = (
    Route("/forums", list_forums, "listForums", "Forums with mode, host, next meeting and latest "
          "combined picture", ForumList, errors=()),
    Route("/forums/{forum_id}", get_forum, "getForum", "One forum, as on the overview",
          ForumView, (FORUM_ID,), errors=(404,)),
    Route("/meetings", list_meetings, "listMeetings", "Recent and upcoming meetings",
          MeetingList, (FORUM_FILTER, LIMIT)),
    Route("/meetings/{meeting_id}", get_meeting, "getMeeting", "A meeting with its reports, "
          "missing actors, needs, issues and working groups", MeetingDetail, (MEETING_ID,),
          errors=(400, 404)),
    Route("/meetings/{meeting_id}/picture", get_picture, "getPicture", "The combined picture "
          "of a meeting: reports per actor, readiness, needs, missing", CombinedPicture,
          (MEETING_ID,), errors=(400, 404)),
    Route("/issues", list_issues, "listIssues", "Issues (ärenden)", IssueList,
          (FORUM_FILTER, STATE)),
    Route("/issues/{number}", get_issue, "getIssue", "One issue with its history", IssueItem,
          (ISSUE_NUMBER,), errors=(400, 404)),
    Route("/activations", list_activations, "listActivations", "Activations, newest first",
          ActivationList, (FORUM_FILTER, LIMIT)),
    Route("/activations/{activation_id}", get_activation, "getActivation", "An activation "
          "with its timeline, alerts and acknowledgements", ActivationDetail, (ACTIVATION_ID,),
          errors=(400, 404)),
    Route("/openapi.json", get_openapi, "getOpenApi", "This description (OpenAPI 3.1)", None,
          errors=()),
)  # fmt: skip


def _wrap(route: Route) -> Handler:
    async def handle(request: web.Request) -> web.StreamResponse:
        answer = await route.handler(request)
        if route.answer is None:
            return json_answer(answer)
        return view_answer(route.answer, answer)

    return handle


def setup(app: web.Application) -> None:
    app.middlewares.append(json_errors)
    for route in ROUTES:
        app.router.add_get(route.url, _wrap(route), name=route.operation_id, allow_head=False)


# -- the description --------------------------------------------------------------------------

_ERROR_SCHEMA = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string", "description": "a stable code, e.g. not_found"},
        "message": {"type": "string"},
        "parameter": {"type": "string", "description": "the bad parameter, for 400"},
    },
}
_ERROR_TEXT = {
    400: "a parameter is malformed or names an unknown forum",
    401: "no valid token (bearer header or session cookie)",
    404: "no such item, or not visible with this token",
}

_document: dict[str, Any] | None = None


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 description of `ROUTES` (built once; the table is fixed)."""
    global _document
    if _document is None:
        _document = _build_document()
    return _document


def _build_document() -> dict[str, Any]:
    refs, components = schema.schemas(route.answer for route in ROUTES if route.answer)
    paths: dict[str, Any] = {}
    for route in ROUTES:
        answer = (
            refs[route.answer]
            if route.answer is not None
            else {"type": "object", "description": "an OpenAPI 3.1 document"}
        )
        responses: dict[str, Any] = {
            "200": {"description": "OK", "content": {"application/json": {"schema": answer}}},
        }
        for status in (*route.errors, 401):
            responses[str(status)] = {
                "description": _ERROR_TEXT[status],
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            }
        paths[route.url] = {
            "get": {
                "operationId": route.operation_id,
                "summary": route.summary,
                "parameters": [p.document() for p in route.params],
                "responses": responses,
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Samverkan",
            "version": "1",
            "description": "What the samverkan bot knows about forums, meetings, combined "
            "pictures, issues and activations; read-only. An actor's read token sees only that "
            "actor's forums and what belongs to them.",
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}, {"session": []}],
        "paths": paths,
        "components": {
            "schemas": {**components, "Error": _ERROR_SCHEMA},
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "SAMVERKAN_WEB__TOKEN, or an actor's read token",
                },
                "session": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "samverkan_session",
                    "description": "set by the login form at /login",
                },
            },
        },
    }
