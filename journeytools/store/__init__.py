"""The workshop on disk: load, validate and save a folder; concurrent appends; git revisions;
starter templates and the package's own resources."""
