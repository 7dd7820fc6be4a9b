"""One module per CLI verb; each exposes a plain function the CLI calls."""
