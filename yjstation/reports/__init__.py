"""Views computed over a whole repository for the people who read them: the rollout checklist
(`checklist`), fee compliance (`compliance`), the weekly and monthly summaries (`weekly`, `monthly`,
with the assessment, charts and output), and the prefecture's roll-up (`rollup`).

May import: `yjstation.foundation`, `yjstation.loading`, `yjstation.domain`, `yjstation.checking` and
`yjstation.documents` (summaries are rendered like documents).
"""
