"""Who may change what: the verdict on a pull request, judged from git objects against
the base branch's tip, the trusted side (`socialmission check-pr`). Imports `check`,
`model` and `errors`; it fetches nothing itself (the caller hands in the domain-proof and
account checks)."""
