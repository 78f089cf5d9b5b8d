from .frozen_urls import freeze_urls, register

__all__ = ["freeze_urls", "register"]
