"""briefgen: a static briefing-site generator for a folder of news articles about one event.

From Python (see `briefgen.api`)::

    import briefgen
    b = briefgen.analyse("my-briefing")       # the briefing, no site written
    briefgen.build("my-briefing", "site")     # the site
"""

__version__ = "0.1.0"


def analyse(folder, **options):
    """The briefing of the articles in `folder`, without writing a site (see `briefgen.api.analyse`)."""
    from briefgen.api import analyse as run

    return run(folder, **options)


def build(folder, output=None, **options):
    """Build the site of `folder` into `output` (see `briefgen.api.build`)."""
    from briefgen.api import build as run

    return run(folder, output, **options)
