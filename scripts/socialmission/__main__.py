"""`python -m socialmission` runs the CLI."""

from .cli import main

raise SystemExit(main())
