"""Public checks of a2_split."""
