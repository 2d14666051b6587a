"""scholarcli: a scholar's publication record as a YAML store, listed, filtered and exported."""

__version__ = "0.1.0"
