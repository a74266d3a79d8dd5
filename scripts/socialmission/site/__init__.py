"""The published site as plain data: pages, open data, feed and charts, from the validated
pledges and the rendered badges. Knows nothing of MkDocs (that is the `mkdocs` adapter's
job). Imports `check`, `render`, `model` and `errors`.

Home of the HTTPS fetcher behind `socialmission verify` (`fetch.py`) and of the
object-store deploy (`deploy.py`), which publish what the site holds."""
