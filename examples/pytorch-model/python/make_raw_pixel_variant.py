"""Writes models/fashion-cnn-raw-pixels.pt: the raw-pixel equivalent of fashion-cnn-normalized.pt.

fashion-cnn-normalized.pt takes normalised inputs z = (x - 0.2860) / 0.3530. This wraps it with the
normalisation inside, as a model exported with torchvision's Normalize would be, so it takes raw
[0, 1] pixels. Gauntlet, given fashion-cnn-normalized.pt with that normalisation declared as
preprocessing, must attack it exactly as it attacks this file.

Run from examples/pytorch-model after make_models.py, with Debian's PyTorch:
    /usr/bin/python3 python/make_raw_pixel_variant.py
"""
import os

import torch
import torch.nn as nn

MEAN = 0.2860
STD = 0.3530
MODELS = "models"


class RawPixels(nn.Module):
    def __init__(self, normalized):
        super().__init__()
        self.normalized = normalized

    def forward(self, x):
        return self.normalized((x - MEAN) / STD)


def main():
    torch.manual_seed(0)
    normalized = torch.jit.load(os.path.join(MODELS, "fashion-cnn-normalized.pt")).eval()
    example = torch.rand(2, 1, 28, 28)
    with torch.no_grad():
        traced = torch.jit.trace(RawPixels(normalized).eval(), example)
    traced.save(os.path.join(MODELS, "fashion-cnn-raw-pixels.pt"))
    loaded = torch.jit.load(os.path.join(MODELS, "fashion-cnn-raw-pixels.pt"))
    x = torch.rand(8, 1, 28, 28)
    with torch.no_grad():
        difference = (loaded(x) - normalized((x - MEAN) / STD)).abs().max().item()
    print("torch", torch.__version__, "wrote models/fashion-cnn-raw-pixels.pt; max |raw(x) - normalized(z)|:",
          difference)


if __name__ == "__main__":
    main()
