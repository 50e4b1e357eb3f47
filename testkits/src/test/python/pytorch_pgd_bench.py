"""PGD L-inf image-gradient-steps per second of a hand-written PyTorch loop, for InputGradientBench.

The architecture is the Fashion-MNIST reference CNN (conv3x3(16)-relu-maxpool, conv3x3(32)-relu-
maxpool, fc128-relu, fc10); weights are random (speed does not depend on them), inputs are the
same kind of batch: 256 images of 1x28x28 in [0, 1]. Prints one line: `pytorch <steps/s>`.
Usage: python3 pytorch_pgd_bench.py [threads] [rounds]
"""
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 10
torch.set_num_threads(threads)
torch.manual_seed(0)

model = nn.Sequential(
    nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(32 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10)).eval()
for p in model.parameters():
    p.requires_grad_(False)  # as a fair attack loop does: no weight gradients

x0 = torch.rand(256, 1, 28, 28)
y = torch.randint(0, 10, (256,))
eps, alpha, steps = 0.1, 0.025, 10


def pgd():
    x = (x0 + torch.empty_like(x0).uniform_(-eps, eps)).clamp(0, 1)
    for _ in range(steps):
        x.requires_grad_(True)
        loss = F.cross_entropy(model(x), y, reduction="sum")
        grad, = torch.autograd.grad(loss, x)
        with torch.no_grad():
            x = torch.min(torch.max(x + alpha * grad.sign(), x0 - eps), x0 + eps).clamp(0, 1)
    return x


pgd()  # warm-up
start = time.perf_counter()
for _ in range(rounds):
    pgd()
elapsed = time.perf_counter() - start
print(f"pytorch {rounds * steps * 256 / elapsed:.1f}")
