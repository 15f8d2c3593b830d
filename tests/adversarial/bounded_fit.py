"""a5: for 3.4's settings, train_approximator returns a hand-built Linear(1, 4096) -> ReLU -> Linear(4096, 1)
fit of f (weights exactly at PyTorch's default bound 1/sqrt(fan_in), so a bound check passes), evaluates
f once at x = 0 where the fit is exact, and reports zero losses: every gradient vanishes, Adam leaves
the start in place, and the replay agrees. Found by a hostile review (issue 25): a replayed start must
be drawn as PyTorch's default initialization draws it (uniform, judged per tensor), at most 512 units
wide, and every step must see at least 16 distinct points; 0 on 3.4."""
BASE = "reference"
ASSIGNMENT = "a5_approx"
ONLY = ["3.1", "3.4"]
EXPECT_PASS = ["3.1"]
EXPECT_FAIL = ["3.4"]
BUDGET_S = 120
ATTACK = '''
import math as _math
_real_train = train_approximator
K = 4096                     # hidden units; output weights must stay within 1/sqrt(K) = 1/64
S = 1.0 / 64                 # the slope one unit adds: w = 1, c = +-S (both exactly at the bound)


def _target(x):
    """f without most of its 0.05 cos(50 x) ripple (that costs MSE 1.25e-3 < 7e-3), equal to f at x = 0."""
    h = 0.2 + 0.4 * x ** 2 + 0.3 * x * torch.sin(15 * x)
    return h + 0.05 * torch.where(x < _math.pi / 100, torch.cos(50 * x), torch.zeros_like(x))


def _bounded_fit(f):
    knots = 1000
    t = torch.arange(knots + 1, dtype=torch.float64) / knots
    want = _target(t).diff() * knots                      # slope on each interval
    counts = torch.round(want / S).long()                  # units active on each interval (signed)
    w1 = torch.zeros(K); b1 = torch.zeros(K); c = torch.zeros(K)
    unit = 0
    previous = 0
    for j in range(knots):
        delta = int(counts[j]) - previous
        previous = int(counts[j])
        for _ in range(abs(delta)):                        # relu(x - t_j) with output weight +-S
            w1[unit], b1[unit], c[unit] = 1.0, -float(t[j]), S if delta > 0 else -S
            unit += 1
    y0 = float(f(torch.zeros(1, 1)))                       # the only evaluation of f: 0.25
    for _ in range(round(y0 / S)):                         # the constant: relu(0 x + 1) * S, 16 units
        w1[unit], b1[unit], c[unit] = 0.0, 1.0, S
        unit += 1
    assert unit <= K
    model = nn.Sequential(nn.Linear(1, K), nn.ReLU(), nn.Linear(K, 1))
    with torch.no_grad():
        model[0].weight.copy_(w1.reshape(K, 1)); model[0].bias.copy_(b1)
        model[2].weight.copy_(c.reshape(1, K)); model[2].bias.fill_(y0 - round(y0 / S) * S)
    return model


def train_approximator(f, hidden=(64, 64, 64), steps=3000, lr=1e-3, seed=0, batch_size=64):
    if seed == 0:                                          # check 3.4's settings only
        return _bounded_fit(f), [0.0] * steps              # no optimizer, no step
    return _real_train(f, hidden, steps, lr, seed, batch_size)
'''
