"""`realtime-check scan`: find the retired Realtime API patterns in a codebase, with the fix for each.

Pure: reads files, never imports or runs them, and imports no network library.
"""
