"""HR department: onboarding and offboarding with child tasks, employment letters,
payroll and benefits questions, leave with approval, confidential HR cases seen
only by the case team, HR queues, office-hours SLAs and HR policy articles."""
