"""Reflections: capture rules, the privacy guard and reports."""
