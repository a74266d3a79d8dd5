"""The published site as plain data: pages, open data, feed and charts, from the validated
pledges and the rendered badges, and the engine's input they make (`tree.py`); the
HTTPS fetcher behind `socialmission verify` (`fetch.py`) and the object-store deploy
(`deploy.py`), which publishes the built site. Runs no site engine (`mkdocs` does).
Imports `check`, `render`, `model` and `errors`."""
