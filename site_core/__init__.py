"""What the site's plugins, tasks and tools share: one place for each shared piece.

Plugins import from here, never from each other's modules.
"""
