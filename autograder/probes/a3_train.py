"""Probes for a3_train."""
