"""Allow `python -m realtime_check`."""

from realtime_check.cli import main

main()
