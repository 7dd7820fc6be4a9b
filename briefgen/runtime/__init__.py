"""The runtime: what makes a build fast, and nothing else. The pipeline (`briefgen.pipeline`) runs as it is without
any of it; a build hands it a `Runner`, which maps the per-article and per-page work of the stages over worker
processes (`pool`) and keeps each result in a content-addressed cache (`cache`) so that unchanged work is never
done twice. No stage module imports this package."""

from briefgen.runtime.cache import cache_folder
from briefgen.runtime.plan import Record, collector_paused, inputs_digest
from briefgen.runtime.runner import Runner

__all__ = ["Record", "Runner", "cache_folder", "collector_paused", "inputs_digest"]
