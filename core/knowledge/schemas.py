"""Read models the knowledge services return (never Piccolo rows)."""

from __future__ import annotations

import datetime as dt

import msgspec

from polydesk.core.tickets.schemas import PersonRef


class SpaceView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    slug: str
    department: str | None
    name: str
    description: str
    audience: str  # everyone | requesters | agents
    require_review: bool
    source: str  # plugin | admin
    can_edit: bool = False
    can_publish: bool = False


class ArticleSummary(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    space: str
    slug: str
    title: str
    tags: list[str]
    status: str  # draft | published | archived
    version: int
    published_version: int | None
    views: int
    helpful_count: int
    not_helpful_count: int
    updated_at: dt.datetime
    published_at: dt.datetime | None
    review_by: dt.date | None = None
    language: str = "en"  # one of en, zh_Hans, zh_Hant, pl
    translation_of: int | None = None  # the original's id, for a translation


class AttachmentView(msgspec.Struct, frozen=True, kw_only=True):
    """A file on an article. `is_image`: a PNG, JPEG, GIF or WebP (by its bytes),
    which `url` serves inline so the body can show it; anything else downloads."""

    id: int
    article_id: int
    filename: str
    content_type: str
    size: int
    is_image: bool
    url: str
    uploaded_by: PersonRef | None
    created_at: dt.datetime


class ArticleView(msgspec.Struct, frozen=True, kw_only=True):
    """One article. `working_copy` says whether title/body/tags are the latest
    version (editors) or the published one (readers)."""

    id: int
    space: str
    department: str | None
    slug: str
    title: str
    body_md: str
    body_html: str
    tags: list[str]
    status: str
    owner: PersonRef | None
    review_by: dt.date | None
    version: int
    published_version: int | None
    working_copy: bool
    views: int
    helpful_count: int
    not_helpful_count: int
    created_at: dt.datetime
    updated_at: dt.datetime
    published_at: dt.datetime | None
    source_ticket: str | None  # the ticket's key
    #: Published and its review_by date is today or past.
    review_due: bool = False
    attachments: list[AttachmentView] = msgspec.field(default_factory=list)
    can_edit: bool = False
    can_publish: bool = False
    language: str = "en"  # one of en, zh_Hans, zh_Hant, pl
    translation_of: int | None = None  # the original's id, for a translation

    @property
    def has_unpublished_changes(self) -> bool:
        return self.published_version is not None and self.version != self.published_version


class VersionView(msgspec.Struct, frozen=True, kw_only=True):
    number: int
    title: str
    body_md: str
    tags: list[str]
    author: PersonRef | None
    created_at: dt.datetime
    note: str


class DiffLine(msgspec.Struct, frozen=True):
    kind: str  # "+" added, "-" removed, " " context, "@" hunk header, "#" file header
    text: str


class DiffView(msgspec.Struct, frozen=True, kw_only=True):
    article_id: int
    from_version: int
    to_version: int
    unified: str  # the whole diff as `diff -u` prints it
    lines: list[DiffLine]


class VoteView(msgspec.Struct, frozen=True, kw_only=True):
    article_id: int
    helpful: bool
    comment: str
    helpful_count: int
    not_helpful_count: int


class SearchHit(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    space: str
    department: str | None
    slug: str
    title: str
    title_html: str  # escaped, matches in <mark>
    snippet_html: str  # escaped, matches in <mark>
    tags: list[str]
    status: str
    score: float  # higher is better, comparable within one answer only
    helpful_count: int


class DeflectionRow(msgspec.Struct, frozen=True, kw_only=True):
    article_id: int
    title: str
    deflections: int
    views: int
    helpful_count: int
    not_helpful_count: int


class QueryCount(msgspec.Struct, frozen=True):
    query: str
    count: int


class DeflectionReport(msgspec.Struct, frozen=True, kw_only=True):
    space: str
    since: dt.datetime | None
    total: int
    articles: list[DeflectionRow]
    queries: list[QueryCount]
