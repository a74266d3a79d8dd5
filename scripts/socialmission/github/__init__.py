"""What only GitHub runs, as commands the workflows call: the pull request's verdict,
posted as a check run by the registry's own GitHub App. The workflows hold no logic of
their own; these modules read the event GitHub recorded (`GITHUB_EVENT_PATH`) and call
GitHub's REST API. Imports `changes`, `ownership`, `check`, `model` and `errors`."""
