"""Whether pledges may be published: the field rules, the three phases of validation
(each file, across files, what rendering needs), problems and their formats, the
published schema, and `socialmission new`. Imports `model` and `errors` only; what it
needs of rendering (does a name fit its badge?) is handed in by the caller.

Home of the ownership check (`ownership.py`, which reads git) that judges pull requests."""
