"""What changes a registry: a new pledge (`new`, asked at a terminal or written from an
issue form), a pledge's life after that (`update`, `withdraw`, `reaffirm`, `redact`, and
the change form), and the report form. Each writes pledge files only after the validator
(`check`) has passed them. Imports `check`, `model` and `errors`."""
