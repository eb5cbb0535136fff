"""Knowledge tables, all prefixed `kb_`.

The search indexes are not declared here: on SQLite they are the FTS5 tables
`kb_article_fts` and `kb_article_title_fts`, on PostgreSQL the `search_vector`
and `title_vector` columns of `kb_article`; a raw migration creates them and
`polydesk.core.knowledge.index` writes them.
"""

from piccolo.columns import (
    JSON,
    Boolean,
    Bytea,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

import polydesk.core.db  # noqa: F401  (sets PICCOLO_CONF before tables resolve their engine)
from polydesk.core.people.tables import Person
from polydesk.core.tickets.tables import Ticket


class Space(Table, tablename="kb_space"):
    """A collection of articles and who may read it.

    `audience` is "everyone", "requesters" (anyone with a role in `department`)
    or "agents" (agents, leads and admins of `department`). `department` is
    None for an organisation-wide space an admin created. `source` says whether
    a plugin declared it ("plugin") or an admin created it ("admin").
    """

    slug = Varchar(length=64, unique=True)
    department = Varchar(length=32, null=True, default=None, index=True)
    name = Varchar(length=200)
    description = Text(default="")
    audience = Varchar(length=16, default="everyone")
    require_review = Boolean(default=True)
    source = Varchar(length=16, default="admin")
    created_at = Timestamptz(default=TimestamptzNow())


class Article(Table, tablename="kb_article"):
    """An article as readers see it, plus the number of its latest version.

    Title, body and tags here are the *reader's* copy: the published version
    while the article is published, else the latest. `version` is the latest
    saved version (the editors' working copy lives in `kb_article_version`);
    `published_version` is the one readers get. `body_text` is the body as plain
    text (what the index holds and snippets are cut from).
    """

    space = ForeignKey(references=Space, index=True)
    slug = Varchar(length=200)
    title = Varchar(length=200)
    body_md = Text(default="")
    body_html = Text(default="")
    body_text = Text(default="")
    tags = JSON(default=[])
    status = Varchar(length=16, default="draft")  # draft | published | archived
    owner = ForeignKey(references=Person, null=True, on_delete=OnDelete.set_null, index=True)
    review_by = Date(null=True, default=None)
    version = Integer(default=1)
    published_version = Integer(null=True, default=None)
    views = Integer(default=0)
    helpful_count = Integer(default=0)
    not_helpful_count = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    published_at = Timestamptz(null=True, default=None)
    source_ticket = ForeignKey(
        references=Ticket, null=True, on_delete=OnDelete.set_null, index=True
    )
    #: One of polydesk.core.i18n.LOCALES (en, zh_Hans, zh_Hant, pl).
    language = Varchar(length=16, default="en")
    #: The original this article translates; translations of one original form a
    #: group (always the original's id, never a translation's).
    translation_of = ForeignKey(
        references="self", null=True, on_delete=OnDelete.set_null, index=True
    )


class ArticleVersion(Table, tablename="kb_article_version"):
    """One saved state of an article. Rows are inserted, never changed."""

    article = ForeignKey(references=Article, index=True)
    number = Integer()
    title = Varchar(length=200)
    body_md = Text(default="")
    tags = JSON(default=[])
    author = ForeignKey(references=Person, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    note = Varchar(length=200, default="")


class Vote(Table, tablename="kb_vote"):
    """A reader's helpful / not helpful vote; one per person and article."""

    article = ForeignKey(references=Article, index=True)
    person = ForeignKey(references=Person, null=True, on_delete=OnDelete.set_null)
    helpful = Boolean()
    comment = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class Deflection(Table, tablename="kb_deflection"):
    """A "this solved my problem" click: the article that saved a ticket, and the query."""

    article = ForeignKey(references=Article, index=True)
    space = ForeignKey(references=Space)
    person = ForeignKey(references=Person, null=True, on_delete=OnDelete.set_null)
    query = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class ArticleAttachment(Table, tablename="kb_attachment"):
    """A file on an article (a document to download, or an image the body shows).

    It belongs to the article, not to a version: versions are the text's
    history, while a file is shared by every version that links to it and is
    removed only on purpose. `filename` is what the uploader called it (shown,
    never used as a path); it is served only to people who may read the article.
    """

    article = ForeignKey(references=Article, index=True)
    filename = Varchar(length=255)
    content_type = Varchar(length=100)
    size = Integer()
    content = Bytea()
    sha256 = Varchar(length=64)
    uploaded_by = ForeignKey(references=Person, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
