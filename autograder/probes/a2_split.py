"""Probes for a2_split."""
