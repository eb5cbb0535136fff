"""The audit log: who changed what in the administration of Polydesk, and from where."""
