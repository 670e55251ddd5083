"""`realtime-check bench`: the access path repeated and timed (orchestration, statistics, chart)."""
