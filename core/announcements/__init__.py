"""Department announcements: notices a department's leads post on its portal."""
