"""Probes for a1_init."""
