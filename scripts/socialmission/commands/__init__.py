"""The commands of `socialmission`, one module a command: `add_arguments(parser)` gives the
command's description and options, and `run(args)` does it, returning the exit code.
cli.py's table names each command and the group its help lists it in, and imports only
the module of the command chosen. `options.py` holds the options several commands take,
and `context.py` what several commands read: the registry's root, the GitHub client, the
event."""
