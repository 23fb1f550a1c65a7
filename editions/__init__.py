"""Editions: the registry of shop presentations, how a request gets its edition, and edition-first templates."""
