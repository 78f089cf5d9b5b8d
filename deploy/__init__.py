"""Publishing the built site to a web server as atomic releases: see releases.py."""
