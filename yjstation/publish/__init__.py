"""What the county publishes to the people above the clerk: a static HTML site of the network (`site`,
from `views`, with SVG charts from `svg`) and the inspection pack (`pack`: every station's documents, the
reports, the roster and the site, with a manifest of hashes).

May import: every library layer below it (`foundation`, `loading`, `domain`, `checking`, `editing`,
`documents`, `reports`, `roster`).
"""
