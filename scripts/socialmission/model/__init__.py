"""The registry's data and what reads it: the pledge and the mission, the registry's paths
and public addresses, its settings, the pledge's URL type, the YAML reader, the one
problem record every check reports and its formats, the Open Badges documents; the YAML
writer (`yamlwrite.py`) that `new`, the life-cycle commands and the issue-form importer
share, and the writing of a file whole (`atomic.py`). Imports nothing of the package but
`errors`."""
