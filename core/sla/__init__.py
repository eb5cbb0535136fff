"""The SLA engine: business calendars, clocks per ticket, warnings and breaches."""
