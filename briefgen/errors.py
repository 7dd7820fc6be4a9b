"""The one exception type users see: a clear, one-line message, never a traceback."""


class BriefgenError(Exception):
    """A problem with the user's input or environment, reported as one line naming the file."""


class ConfigError(BriefgenError):
    """One or more configuration values are invalid."""
