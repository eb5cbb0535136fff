"""Facilities: building repairs as a Polydesk department (an example plugin)."""
