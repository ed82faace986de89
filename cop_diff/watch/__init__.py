"""The scheduled job: watch where drafts are released, compare each new one with the one
before it, publish the reports with an index, and tell people."""
