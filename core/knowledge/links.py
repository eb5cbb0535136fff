"""Links to articles in ticket replies.

An agent answering a ticket can search for articles and insert a link into the
reply. The link is for the requester, so only published articles the
*requester* may read are offered (and that the agent may read too: they see
the title they insert). The link is the site-relative path
`/portal/articles/<id>`: it needs no configured public address, it cannot
point at another site, and it survives a change of host name.

Comment bodies are plain text. `linkify_article_paths` turns exactly those
paths into links and escapes everything else, so a reply can never carry
markup of its own; a path glued to a host (`https://elsewhere/portal/...`) is
left as text, so only same-site links become clickable.
"""

from __future__ import annotations

import html
import re

from polydesk.core.errors import PermissionDenied
from polydesk.core.i18n import gettext as _
from polydesk.core.knowledge.base import KnowledgeBase
from polydesk.core.knowledge.schemas import SearchHit
from polydesk.core.people.services import load_actor
from polydesk.core.permissions import Actor, can

MAX_LINK_HITS = 10

# A path that starts the text, or follows whitespace or an opening bracket or
# quote; digits only; not continued by more path, word characters or a query.
_ARTICLE_PATH = re.compile(r"(?<![^\s(\[<\"'])/portal/articles/([0-9]{1,12})(?![\w/?#=&%-])")


def article_path(article_id: int) -> str:
    """The portal address of an article, as inserted into replies."""
    return f"/portal/articles/{article_id}"


def linkify_article_paths(text: str) -> str:
    """`text` as HTML: escaped, with each same-site `/portal/articles/<id>` a link."""
    out: list[str] = []
    last = 0
    for match in _ARTICLE_PATH.finditer(text or ""):
        out.append(html.escape(text[last : match.start()]))
        path = article_path(int(match.group(1)))
        out.append(f'<a href="{path}" class="article-link">{path}</a>')
        last = match.end()
    out.append(html.escape((text or "")[last:]))
    return "".join(out)


class LinkOps(KnowledgeBase):
    async def articles_for_reply(
        self, actor: Actor, ticket_ref: int | str, q: str, *, limit: int = 8
    ) -> list[SearchHit]:
        """Published articles matching `q` that the ticket's requester may read,
        for `actor` (who may reply to the ticket) to link in a reply."""
        from polydesk.core.tickets.services import TicketService

        tickets = TicketService(self.snapshot)
        ticket = await tickets.get(actor, ticket_ref)
        snapshot = self.snapshot
        if not can(snapshot.pm, snapshot.disabled_plugins, actor, "ticket.reply", ticket):
            raise PermissionDenied(_("You may not reply to this ticket."))
        requester = await load_actor(ticket.requester.id)
        if requester is None or not (q or "").strip():
            return []
        limit = max(1, min(limit, MAX_LINK_HITS))
        hits = await self.search(requester, q, limit=limit * 2)
        mine = {s.slug for s, _ in await self._readable_spaces(actor)}
        return [h for h in hits if h.status == "published" and h.space in mine][:limit]
