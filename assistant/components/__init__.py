"""Custom NLU components of the assistant."""
