"""Foundations: what every layer stands on and that knows nothing of stations.

Diagnostics as values (`diagnostics`, with the English texts of the codes in `codes_en`), the two
interface languages (`i18n`), source maps (`sourcemap`), the exceptions that stop a command (`errors`),
forgiving readers of loaded records (`records`), masking of personal data (`masking`), Chinese dates and
amounts (`zh`), atomic writes (`atomic`), git (`gitutil`, `provenance`) and worker processes (`workers`).

May import: the standard library and third-party packages only; nothing else from yjstation.
"""
