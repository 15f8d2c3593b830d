"""Public checks of a3_train."""
