"""Blueprints: one module per user task."""
