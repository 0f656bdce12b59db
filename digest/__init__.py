"""newsdigest: many articles from many outlets in, one short, sourced briefing out."""

__version__ = "0.1.0"
