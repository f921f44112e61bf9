"""The eligibility checker's flow (which question next, reading answers) and its server-side answer store."""
