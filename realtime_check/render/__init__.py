"""Renderers: turn a finished Report into JSON, JUnit XML, CI annotations or metrics.

Each module is pure (Report in, text out) plus a small `write_*` function for the I/O.
"""
