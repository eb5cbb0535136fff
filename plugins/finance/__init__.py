"""Finance department: purchase requests with approval, expense reimbursement,
invoice and accounts-payable queries, vendor onboarding with bank-detail checks,
Finance queues, office-hours SLAs and finance policy articles."""
