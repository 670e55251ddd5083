"""Probes: the functions that open sockets and return what they saw as data, never printing."""
