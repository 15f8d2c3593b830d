"""Kaiming mode picks the wrong fan: fan_out for 'fan_in' and fan_in for 'fan_out'."""
MUST_FAIL = ["4.1", "4.2", "5.1", "5.2", "8.3"]
REPLACE = [("return fan_in if mode == \"fan_in\" else fan_out", "return fan_out if mode == \"fan_in\" else fan_in")]
