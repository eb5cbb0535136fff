"""Legal department: contract review from intake to signature, a fast track for
standard NDAs, legal advice, privileged matters seen only by the privileged
team, Legal queues, office-hours SLAs and contracting guides."""
