"""What a quick rebuild (the editor preview's) tells the plugins.

A quick rebuild renders only the pages made from the changed articles; every
other page stays as the last build wrote it. For each of those the builder sends
`content_kept` with the page's name under the output folder, instead of
Pelican's `content_written`, so a plugin that collects something per written page
(plugins/reproducible_sitemap) carries over what it found for that page last time
instead of working it out again from the whole build's objects.
"""

from blinker import signal

content_kept = signal("site_content_kept")
