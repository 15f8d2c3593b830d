"""a5: for 3.4's settings, train_approximator returns a chain of 24,000 Linear(1, 1) layers (48,000
parameters, under the parameter cap, default-initialized), evaluates f on one point and reports 1,500
zero losses: the child does no work and the parent's replay of 1,500 steps through 24,000 layers would
take about an hour. Found by a hostile review (issue 25): the parent reads at most 8 Linear layers and
replays bounded work; the attack costs the parent nothing and scores 0 on 3.4."""
BASE = "reference"
ASSIGNMENT = "a5_approx"
ONLY = ["3.1", "3.4"]
EXPECT_PASS = ["3.1"]
EXPECT_FAIL = ["3.4"]
BUDGET_S = 60
ATTACK = '''
_real_train = train_approximator


def train_approximator(f, hidden=(64, 64, 64), steps=3000, lr=1e-3, seed=0, batch_size=64):
    if seed == 0:
        model = nn.Sequential(*[nn.Linear(1, 1) for _ in range(24_000)])
        f(torch.rand(1, 1))
        return model, [0.0] * steps
    return _real_train(f, hidden, steps, lr, seed, batch_size)
'''
