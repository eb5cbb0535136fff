"""IT department: incidents with an impact × urgency priority matrix, service
requests (software, hardware, access, password resets), changes with CAB
approval, problems, IT queues, 24×7 and office-hours SLAs, and IT help articles."""
