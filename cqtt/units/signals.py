"""Signals the units app sends; apps above it listen (units imports none of them)."""

from django.dispatch import Signal

# Units were written in bulk (no per-row save signals): sent on commit, with no arguments.
units_bulk_changed = Signal()
