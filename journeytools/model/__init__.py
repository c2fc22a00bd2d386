"""The workshop in memory: table schemas, CSV parsing, ``workshop.yml``, cross-table checks.

Pure model code: no file system writes, no locks (those live in :mod:`journeytools.store`).
"""
