"""Scores, diffs and tables shown to people: :mod:`.score` for terminals, :mod:`.tables` for notebooks."""
