from .related_news import CategoryTimeline, register

__all__ = ["CategoryTimeline", "register"]
