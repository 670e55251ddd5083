"""Allow `python -m realtime_check`."""

from realtime_check.cli.app import main

main()
