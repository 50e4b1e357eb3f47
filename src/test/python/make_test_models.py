"""Writes the small TorchScript models the library's tests load, with PyTorch's own outputs.

Run from the repository root with Debian's PyTorch (python3-torch 1.13):
    /usr/bin/python3 src/test/python/make_test_models.py
Writes src/test/resources/models/. Every file is deterministic (fixed weights or seed 0).

- linear.pt: z = W x + b, the closed-form model of LinearModels (3 features, 4 classes), traced.
- linear-two-outputs.pt: (argmax label int64, softmax probabilities) of the same model, traced: a model
  that does not output logits and has two outputs.
- bn-dropout.pt: Linear(6, 8) - BatchNorm1d(8) - ReLU - Dropout(0.5) - Linear(8, 3), scripted (so the
  train/eval switch stays in the graph), BatchNorm running statistics moved far from their defaults by
  20 training-mode passes; saved in eval mode.
- bn-dropout-reference.txt: for 16 seeded inputs and labels, PyTorch's eval-mode logits and the
  eval-mode input gradient of the summed cross-entropy, one value per line in this order:
  inputs (16x6), labels (16), logits (16x3), gradient (16x6).
"""
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join("src", "test", "resources", "models")
W = torch.tensor([[0.5, -1.0, 0.25], [-0.75, 0.5, 1.0], [1.5, 0.25, -0.5], [0.0, -0.25, 0.75]])
B = torch.tensor([0.1, -0.2, 0.3, 0.0])


class TwoOutputs(nn.Module):
    def __init__(self, linear):
        super().__init__()
        self.linear = linear

    def forward(self, x):
        p = torch.softmax(self.linear(x), dim=1)
        return torch.argmax(p, dim=1), p


def main():
    torch.manual_seed(0)
    os.makedirs(OUT, exist_ok=True)
    linear = nn.Linear(3, 4)
    with torch.no_grad():
        linear.weight.copy_(W)
        linear.bias.copy_(B)
    linear.eval()
    example = torch.rand(2, 3)
    torch.jit.trace(linear, example).save(os.path.join(OUT, "linear.pt"))
    torch.jit.trace(TwoOutputs(linear).eval(), example).save(os.path.join(OUT, "linear-two-outputs.pt"))

    net = nn.Sequential(nn.Linear(6, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.5), nn.Linear(8, 3))
    net.train()
    with torch.no_grad():
        for _ in range(20):
            net(torch.randn(32, 6) * 3 + 2)
    net.eval()
    scripted = torch.jit.script(net)
    scripted.save(os.path.join(OUT, "bn-dropout.pt"))

    loaded = torch.jit.load(os.path.join(OUT, "bn-dropout.pt"))
    loaded.eval()
    x = torch.randn(16, 6) * 2 + 1
    y = torch.randint(0, 3, (16,))
    v = x.clone().requires_grad_(True)
    logits = loaded(v)
    F.cross_entropy(logits, y, reduction="sum").backward()
    values = torch.cat([x.flatten(), y.float(), logits.detach().flatten(), v.grad.flatten()])
    with open(os.path.join(OUT, "bn-dropout-reference.txt"), "w") as out:
        out.write("\n".join(repr(float(value)) for value in values) + "\n")
    print("torch", torch.__version__, "wrote", sorted(os.listdir(OUT)))


if __name__ == "__main__":
    main()
