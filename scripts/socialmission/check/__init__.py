"""Whether pledges may be published: the field rules, the three phases of validation
(each file, across files, what rendering needs), read from a file tree, and the
published schema and template. Imports `model` and `errors` only; what it needs of
rendering (does a name fit its badge?) is handed in by the caller."""
