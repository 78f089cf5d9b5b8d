"""What the site's plugins, tasks and tools share: one place for each shared piece.

Plugins import from here, never from each other's modules.

schema (keys of each kind of file), sources (discovery and the one parse of each
file), reader (Pelican's reader of those sources), sanitizer (the HTML allowlist),
problems (editors' messages), ordering (listings' total order), urls, dates,
categories, agency_profiles, former_names, static_files, quick_builds (what the
editor preview's quick rebuilds tell the plugins).
"""
