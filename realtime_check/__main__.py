"""Allow `python -m realtime_check`."""

from realtime_check.cli.entry import main

main()
