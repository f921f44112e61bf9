"""The eligibility checker's flow: which question next, and reading answers (no Flask)."""
