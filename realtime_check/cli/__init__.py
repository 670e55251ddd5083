"""The command line: options become settings, the runner runs, renderers write, the report becomes an exit code."""
