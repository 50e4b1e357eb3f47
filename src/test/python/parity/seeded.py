"""Seeded float32 data that the Java parity tests regenerate bit for bit (SeededData.java).

The committed JSON files hold only each array's recipe and the SHA-256 of its float32 bytes, not
the values: splitmix64 draws, turned into float32 by single IEEE operations (each correctly rounded
in numpy and in Java alike), so a grid up to 5,000 x 784 stays a few bytes in the repository. The
Java side checks the hash before comparing any metric, so a regeneration mismatch fails loudly.

Recipes (every value is one float32):
  uniform  {seed, n, low, width}: u = (draw >> 40) * 2**-24, v = float32(float32(u * width) + low)
  levels   {seed, n, count, step, low}: k = draw mod count, v = float32(float32(k * step) + low)
"""
import hashlib
import json
import os

import numpy as np

MASK = (1 << 64) - 1


def draws(seed, n):
    """n splitmix64 outputs (uint64) of the stream started at seed."""
    out = np.empty(n, dtype=np.uint64)
    state = seed & MASK
    for i in range(n):
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        out[i] = z ^ (z >> 31)
    return out


def generate(recipe):
    """The float32 values of a recipe."""
    d = draws(recipe["seed"], recipe["n"])
    if recipe["kind"] == "uniform":
        u = (d >> np.uint64(40)).astype(np.float32) * np.float32(2.0 ** -24)
        return (u * np.float32(recipe["width"])) + np.float32(recipe["low"])
    if recipe["kind"] == "levels":
        k = (d % np.uint64(recipe["count"])).astype(np.float32)
        return (k * np.float32(recipe["step"])) + np.float32(recipe["low"])
    raise ValueError(recipe["kind"])


def uniform(seed, n, low, width):
    return {"kind": "uniform", "seed": seed, "n": n, "low": f32(low), "width": f32(width)}


def levels(seed, n, count, step, low=0.0):
    return {"kind": "levels", "seed": seed, "n": n, "count": count, "step": f32(step), "low": f32(low)}


def f32(x):
    """x rounded to float32 and written with enough digits to round-trip (JSON holds doubles)."""
    return float(np.float32(x))


def materialise(recipe):
    """The values of a recipe, with the recipe's hash recorded so Java can check its copy."""
    values = generate(recipe)
    recipe["sha256"] = hashlib.sha256(values.astype("<f4").tobytes()).hexdigest()
    return values


def paired_grid(seed, sizes, kinds, scales):
    """Two seeded samples per (sizes, kind, scale): yields (name, recipe a, values a, recipe b, values b).

    kinds holds (name, recipe of a, recipe of b), each recipe a function of (seed, n, scale); the
    values come back as float64, as the Java tests widen them.
    """
    for n_a, n_b in sizes:
        for kind, first, second in kinds:
            for scale in scales:
                seed += 2
                a_recipe, b_recipe = first(seed, n_a, scale), second(seed + 1, n_b, scale)
                a = materialise(a_recipe).astype(np.float64)
                b = materialise(b_recipe).astype(np.float64)
                yield f"{kind} n={n_a}/{n_b} scale={scale:g}", a_recipe, a, b_recipe, b


def write(name, document):
    """Writes src/test/resources/parity/<name>.json next to this script's repository root."""
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
    path = os.path.join(root, "src", "test", "resources", "parity", name + ".json")
    document["generator"] = ("src/test/python/parity/" + name + "_parity.py, numpy " + np.__version__)
    with open(path, "w") as out:
        json.dump(document, out, indent=None, separators=(",", ":"), allow_nan=True)
        out.write("\n")
    print("wrote", path, os.path.getsize(path), "bytes")
