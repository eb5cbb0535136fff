"""HR department: onboarding and offboarding that fan out child tasks to IT,
Finance and HR and complete after them, employment letters, payroll and benefits
questions, leave approved by the manager, confidential HR cases seen only by the
case team, HR queues, office-hours SLAs and HR policy articles."""
