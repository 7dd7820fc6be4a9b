"""briefgen: a static briefing-site generator for a folder of news articles about one event."""

__version__ = "0.1.0"
