"""Mail tables. Outbound Message-IDs are kept so replies thread onto their ticket."""

from piccolo.columns import ForeignKey, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

import polydesk.core.db  # noqa: F401
from polydesk.core.people.tables import Person
from polydesk.core.tickets.tables import Ticket


class SentMessage(Table, tablename="mail_sent_message"):
    """One message Polydesk sent about a ticket, by the Message-ID it carried."""

    message_id = Varchar(length=255, unique=True)
    ticket = ForeignKey(Ticket, index=True)
    recipient = ForeignKey(Person, null=True)
    sent_at = Timestamptz(default=TimestamptzNow())
