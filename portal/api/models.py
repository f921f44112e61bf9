"""The API's request and response models (contract.py turns them into ``/openapi.json`` and checks requests with
them). Adding a field to a request is one line here; limits come from where they are defined."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, create_model

from ..applications.intake import RELATIONS
from ..chat import MESSAGE_MAX
from ..content.models import AUDIENCES
from ..eligibility import FIELDS, RULE_IDS
from ..eligibility.facts import Field as Fact
from ..petitions.workflow import CHANNELS, KINDS, MAX_FILES, TEXT_MAX
from ..search import MAX_QUERY_CHARS
from .contract import Body, Query

Lang = Literal["zh", "en"]
SENDER_MAX = 64
KEY_MAX = 200
MAX_LIMIT = 50
MAX_PAGE = 100
WHERE_MAX = 200
NAME_MAX = 50


def catalogue_id(name: str, description: str = "") -> Any:
    """Text that must be one of the running catalogue's ids (``/openapi.json`` lists them; the view checks)."""
    extra: dict[str, Any] = {"x-catalogue": name}
    return Field(description=description or None, json_schema_extra=extra)


def text(max_length: int, description: str = "", optional: bool = False) -> Any:
    """Text of at most ``max_length`` characters; ``optional`` ones may be left out or null."""
    if optional:
        return Field(None, max_length=max_length, description=description or None)
    return Field(max_length=max_length, description=description or None)


def lang_message() -> str:
    return _("lang must be zh or en.")


# --- query parameters and headers ----------------------------------------------------------------------------


class LangQuery(Query):
    messages: ClassVar[dict[str, Any]] = {"lang": lang_message}
    lang: Lang = "zh"


class PoliciesQuery(LangQuery):
    category: Annotated[str | None, catalogue_id("categories", "a category id; all policies when not given")] = None


class SearchQuery(LangQuery):
    messages: ClassVar[dict[str, Any]] = {
        "lang": lang_message,
        "q": lambda: _("q must be %(max)d characters or fewer.", max=MAX_QUERY_CHARS),
    }
    q: str = Field(max_length=MAX_QUERY_CHARS)
    limit: int = Field(10, ge=1, le=MAX_LIMIT)
    page: int = Field(1, ge=1, le=MAX_PAGE)
    category: list[Annotated[str, catalogue_id("categories")]] = Field(default_factory=list)
    audience: list[Literal[AUDIENCES]] = Field(default_factory=list)  # type: ignore[valid-type]


class IdempotencyHeaders(Query):
    idempotency_key: str | None = Field(None, alias="Idempotency-Key", min_length=1, max_length=KEY_MAX)


class ApplicationStatusHeaders(Query):
    applicant_id: str = Field(alias="X-Applicant-Id", description="the applicant's ID number")
    access_code: str | None = Field(None, alias="X-Access-Code", description="more detail with the access code")


class PetitionStatusHeaders(Query):
    access_code: str = Field(alias="X-Access-Code")


# --- request bodies -------------------------------------------------------------------------------------------


class ChatRequest(Body):
    messages: ClassVar[dict[str, Any]] = {
        "lang": lang_message,
        "sender": lambda: _("sender must be text of 1 to %(max)d characters.", max=SENDER_MAX),
        "message": lambda: _("Write a message."),
        "message:string_too_long": lambda: _("Write %(max)d characters or fewer", max=MESSAGE_MAX),
    }
    sender: str = Field(min_length=1, max_length=SENDER_MAX, pattern=r"\S")
    message: str = Field(min_length=1, max_length=MESSAGE_MAX, pattern=r"\S")
    lang: Lang | None = None


def _fact_type(fact: Fact) -> Any:
    if fact.type == "int":
        return Annotated[int, Field(ge=fact.min, le=fact.max)]
    if fact.type == "bool":
        return bool
    if fact.type == "list":
        return list[Literal[tuple(fact.allowed or ())]]  # type: ignore[misc]
    return Literal[tuple(fact.allowed or ())]  # type: ignore[misc]


def _requires(name: str, requires: tuple[str, Any]) -> dict[str, Any]:
    """A fact that may be given only with another's value (``multiple_includes`` needs ``category: multiple``)."""
    other, value = requires
    given = {"required": [name], "properties": {name: {"not": {"type": "null"}}}}
    return {"if": given, "then": {"required": [other], "properties": {other: {"const": value}}}}


_conditions = [_requires(fact.name, fact.requires) for fact in FIELDS.values() if fact.requires]
#: The eligibility facts, generated from the engine's own field list (the engine checks them, with its messages).
Profile = create_model(  # type: ignore[call-overload]
    "Profile",
    __config__=ConfigDict(extra="forbid", json_schema_extra={"allOf": _conditions} if _conditions else None),
    **{name: (_fact_type(fact) | None, None) for name, fact in FIELDS.items()},
)
PROFILE = WithJsonSchema({"anyOf": [{"x-ref": "Profile"}, {"type": "null"}]})


class EligibilityRequest(Body):
    """Described here, checked by the eligibility engine (``parse_request``) with its own messages."""

    profile: Annotated[dict[str, Any] | None, PROFILE] = None
    benefits: list[Literal[tuple(RULE_IDS)]] | None = None  # type: ignore[valid-type]
    lang: Lang | None = None


class Applicant(Body):
    name: str = text(50)
    id_number: str = text(30)
    phone: str = text(30)
    town: Annotated[str, catalogue_id("towns", "an id from /api/v1/towns")]
    village: str = text(60)
    address: str = text(120)
    certificate_number: str | None = text(30, "两项补贴 only: the ID number, category and grade", optional=True)
    bank_name: str | None = text(40, optional=True)
    bank_account: str | None = text(40, "12 to 19 digits", optional=True)


class Proxy(Body):
    name: str = text(50)
    id_number: str = text(30)
    phone: str = text(30)
    relation: Literal[RELATIONS]  # type: ignore[valid-type]


class ApplicationRequest(Body):
    benefit: Annotated[str, catalogue_id("forms", "a policy id that takes online applications")]
    applicant: Applicant
    proxy: Proxy | None = None
    answers: Annotated[dict[str, Any] | None, PROFILE] = None
    lang: Lang | None = None


class Contact(Body):
    name: str = Field(max_length=NAME_MAX, pattern=r"\S")
    phone: str = text(30)


class Photo(Body):
    """A photo or PDF in base64; checked afterwards by the intake's upload rules (content sniffed, size)."""

    name: str | None = text(200, optional=True)
    data: str = Field(
        description="the file in base64 (under 10 MB once decoded)", json_schema_extra={"contentEncoding": "base64"}
    )


class PetitionRequest(Body):
    channel: Literal[CHANNELS]  # type: ignore[valid-type]
    kind: Literal[KINDS]  # type: ignore[valid-type]
    what: str = Field(min_length=1, max_length=TEXT_MAX, pattern=r"\S")
    where: str | None = text(WHERE_MAX, optional=True)
    contact: Contact | None = None
    photos: list[Photo] | None = Field(None, max_length=MAX_FILES)
    lang: Lang | None = None


# --- responses ------------------------------------------------------------------------------------------------


class Open(BaseModel):
    """A response: these keys at least (more may come; clients ignore what they do not know)."""

    model_config = ConfigDict(extra="allow")


class ErrorItem(Open):
    field: str
    message: str


class ErrorDetail(Open):
    field: str | None
    message: str
    errors: list[ErrorItem] | None = None


class Error(Open):
    error: ErrorDetail


class SearchResult(Open):
    id: str = Field(description="a policy id of policy-catalogue.yml")
    title: str
    summary: str
    url: str
    score: float
    highlights: list[str]


class SearchResponse(Open):
    query: str
    total: int
    results: list[SearchResult]
    suggestion: str | None
    facets: dict[str, Any] | None = None


class Named(Open):
    id: str
    name: str | None


class PoliciesResponse(Open):
    total: int
    categories: list[Named]
    policies: list[dict[str, Any]]


class Button(Open):
    title: str
    payload: str


class ChatDecision(Open):
    benefit: str
    status: Literal["eligible", "not_eligible", "need_more_info", "needs_review"]
    title: str | None = None
    url: str | None = None
    apply_url: str | None = None


class ChatMessage(Open):
    text: str
    buttons: list[Button]
    links: list[Any] | None = None
    asks: str | None = Field(
        None, description="The profile field this message asks for (a field of /api/v1/eligibility's profile, or "
        "benefit)"
    )
    eligibility: list[ChatDecision] | None = Field(None, description="The decisions this message reports")


class ChatResponse(Open):
    messages: list[ChatMessage]
    degraded: bool = Field(description="true when the portal answered by itself")


class EligibilityResult(Open):
    benefit: Literal[tuple(RULE_IDS)]  # type: ignore[valid-type]
    status: Literal["eligible", "not_eligible", "need_more_info", "needs_review"]
    reasons: list[str]
    missing: list[str]
    sources: list[str] = Field(
        description="Where the rule comes from, as residents read it: the plan as "
        "《大足区“十四五”残疾人保障和发展规划》 with its sections, or a national document."
    )
    next_step: str


class EligibilityResults(Open):
    results: list[EligibilityResult]


class TownsResponse(Open):
    towns: list[Named]
    confirmed: bool
    source: str | None


class ApplicationFiled(Open):
    reference: str
    status: str
    access_code: str
    url: str


class HistoryEvent(Open):
    status: str
    at: str
    note: str | None = None


class ApplicationStatus(Open):
    reference: str
    benefit: str
    status: str
    history: list[HistoryEvent]
    office: dict[str, Any] | None
    requests: list[Any] | None = None
    decision: dict[str, Any] | None = None


class Routed(Open):
    department: str = Field(description="a department id of departments.yml, or triage")
    task: int | None = Field(description="the 附件 task number")


class Deadlines(Open):
    acknowledge_by: str
    resolve_by: str | None
    provisional: bool = Field(description="a year the holiday calendar lacks: weekends only")


class PetitionFiled(Open):
    reference: str
    access_code: str
    status: Literal["received"]
    routed_to: Routed
    deadlines: Deadlines
    url: str


class PetitionStatus(Open):
    reference: str
    kind: str
    status: str
    routed_to: Routed
    deadlines: Deadlines
    rating: str | None
    closed_by: str | None = None
    extension: dict[str, Any] | None = None
    history: list[HistoryEvent]


def errors(*statuses: int) -> dict[int, tuple[str, type[BaseModel] | None]]:
    """The error answers an operation may give (the shape of every 4xx)."""
    words = {
        400: "A bad request: the field named is wrong; the message says how, in the request's language.",
        401: "No valid service token",
        404: "Not found",
        409: "The Idempotency-Key was used for another request",
        429: "Too many requests: Retry-After says when to try again",
    }
    return {status: (words[status], Error) for status in statuses}
