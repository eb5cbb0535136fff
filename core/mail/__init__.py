"""Email: notifications out through the outbox, tickets and replies in from mailboxes."""
