"""PGD L-inf image-gradient-steps per second of a hand-written PyTorch loop, the anchor of AttackBench and BenchTable.

Two networks, random weights (speed does not depend on them), eval mode, no weight gradients:
- cnn: the Fashion-MNIST reference CNN (conv3x3(16)-relu-maxpool, conv3x3(32)-relu-maxpool, fc128-relu,
  fc10) on 1x28x28 images;
- resnet20: the CIFAR-10 ResNet-20 of He et al. 2016 (3 stages of 3 basic blocks, 16/32/64 channels,
  1x1 projection shortcuts where the shape changes, global average pool, fc10; batch normalisation folded
  into the convolutions, as inference graphs do) on 3x32x32 images, as BenchTable builds it from DJL's blocks.
Inputs are uniform in [0, 1]. PGD-10, eps 0.1, step 0.025, random start, summed cross-entropy.
Prints one line: `pytorch <steps/s>`. With `peak` instead of a network: the best float32 matrix-product rate
of 1024x1024 by 1024x1024 products over 20 runs, as `peak <GFLOP/s>`.
On `cuda` every timing waits for the device (torch.cuda.synchronize) before the clock is read.
Usage: python3 pytorch_pgd_bench.py [threads] [rounds] [cnn|resnet20|peak] [batch] [cpu|cuda]
"""
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 10
network = sys.argv[3] if len(sys.argv) > 3 else "cnn"
batch = int(sys.argv[4]) if len(sys.argv) > 4 else 256
device = torch.device(sys.argv[5] if len(sys.argv) > 5 else "cpu")
torch.set_num_threads(threads)
torch.manual_seed(0)


def wait():
    """Waits for queued device work, so the clock measures it."""
    if device.type == "cuda":
        torch.cuda.synchronize(device)


class Basic(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1)
        self.short = None
        if stride != 1 or cin != cout:
            self.short = nn.Conv2d(cin, cout, 1, stride)

    def forward(self, x):
        y = self.c2(F.relu(self.c1(x)))
        return F.relu(y + (x if self.short is None else self.short(x)))


def resnet20():
    layers = [nn.Conv2d(3, 16, 3, 1, 1), nn.ReLU()]
    cin = 16
    for cout, stride in ((16, 1), (32, 2), (64, 2)):
        for unit in range(3):
            layers.append(Basic(cin, cout, stride if unit == 0 else 1))
            cin = cout
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10)]
    return nn.Sequential(*layers)


if network == "peak":
    a, b = torch.rand(1024, 1024, device=device), torch.rand(1024, 1024, device=device)
    torch.mm(a, b)
    wait()
    best = float("inf")
    for _ in range(20):
        start = time.perf_counter()
        torch.mm(a, b)
        wait()
        best = min(best, time.perf_counter() - start)
    print(f"peak {2 * 1024 ** 3 / best / 1e9:.1f}")
    sys.exit(0)
if network == "resnet20":
    model, shape = resnet20(), (3, 32, 32)
else:
    model = nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))
    shape = (1, 28, 28)
model.to(device).eval()
for p in model.parameters():
    p.requires_grad_(False)  # as a fair attack loop does: no weight gradients

x0 = torch.rand(batch, *shape, device=device)
y = torch.randint(0, 10, (batch,), device=device)
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
wait()
start = time.perf_counter()
for _ in range(rounds):
    pgd()
wait()
elapsed = time.perf_counter() - start
print(f"pytorch {rounds * steps * batch / elapsed:.1f}")
