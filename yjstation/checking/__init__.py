"""The checking engine behind `validate`, and the one path by which every command loads a repository.

`validate` runs the stages (`stages`: parse and per-file rules, in worker processes when there are
many files) through the content-hash cache (`cache`, with `tracking` recording what each rule read and
`reads` naming those inputs),
applies the waivers (`waivers`) and lists every code (`catalogue`). The rules themselves live in
`rules/`: a new rule is a function added to its module's `RULES` tuple.

May import: `yjstation.foundation`, `yjstation.loading` and `yjstation.domain`.
"""
