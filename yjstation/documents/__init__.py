"""A station's documents: Jinja templates rendered to Markdown (`markdown`: the strict environment and
its filters; `station`: what each kind of document needs and shows) and Markdown turned into DOCX by
pandoc with the reference styles (`render`). A new document is a template in `templates/` plus its
context here.

May import: `yjstation.foundation`, `yjstation.loading`, `yjstation.domain` and `yjstation.checking`.
"""
