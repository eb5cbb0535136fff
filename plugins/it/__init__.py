"""IT department: incidents with an impact × urgency priority matrix and major
incidents that resolve their linked incidents, service requests (software,
hardware, access approved by the owner or manager, password resets, leavers'
access removal), changes with CAB approval (emergency ones after the fact),
problems, IT queues, 24×7 and office-hours SLAs, and IT help articles."""
