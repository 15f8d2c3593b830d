"""Changes torch's default dtype, seed and thread count at import: grading is unaffected."""
BASE = "reference"
EXPECT_PASS = ["1.1", "1.3", "2.1", "6.3", "7.1"]
ATTACK = '''import torch, random
torch.set_default_dtype(torch.float64)
torch.manual_seed(12345)
random.seed(1)
torch.set_num_threads(8)
torch.set_grad_enabled(False)
'''
