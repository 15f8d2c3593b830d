"""The bump network uses Tanh: tanh steps go from -1 to 1, not from 0 to 1."""
MUST_FAIL = ["2.1"]
REPLACE = [("nn.Linear(1, 2 * n), nn.Sigmoid(), nn.Linear(2 * n, 1))",
            "nn.Linear(1, 2 * n), nn.Tanh(), nn.Linear(2 * n, 1))")]
