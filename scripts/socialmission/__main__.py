"""`python -m socialmission` runs the CLI."""

from socialmission.cli import main

raise SystemExit(main())
