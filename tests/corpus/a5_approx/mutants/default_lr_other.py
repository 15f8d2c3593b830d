"""train_approximator's default learning rate is 1e-2, not the handout's 1e-3 (every check but 3.1 passes lr)."""
MUST_FAIL = ["3.1"]
REPLACE = [("def train_approximator(f, hidden=(64, 64, 64), steps=3000, lr=1e-3, seed=0, batch_size=64):",
            "def train_approximator(f, hidden=(64, 64, 64), steps=3000, lr=1e-2, seed=0, batch_size=64):")]
