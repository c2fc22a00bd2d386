"""Per-persona client reports: notebook sections, batch execution and HTML/PDF rendering."""
